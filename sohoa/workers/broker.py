"""The message broker for the scale-out profile, chosen by URL scheme from :class:`QueueSettings`.

Redis (``redis://``, ``rediss://``) or RabbitMQ (``amqp://``, ``amqps://``) at scale; dramatiq's
in-memory :class:`StubBroker` when no URL is set (unit tests). Every broker gets the same
middleware, tuned from the settings, so a page behaves the same whichever server carries it.

How a crashed worker's page comes back differs by server:

- RabbitMQ: unacknowledged messages return to the queue as soon as the worker's connection
  drops (a killed process closes its socket at once).
- Redis: a worker's unacknowledged messages are requeued only after its heartbeat is
  ``heartbeat_timeout_s`` old *and* another worker runs a maintenance pass
  (``maintenance_chance`` per million commands, counted per queue). dramatiq's defaults (60 s,
  1 000) can leave a page waiting for many minutes at low traffic; ours (30 s, 500 000)
  measured 31-34 s with one idle worker polling (maintenance lag after the heartbeat expired:
  median 1.4 s, worst 3.9 s of 20 runs; at 100 000 the worst of 55 runs was ~22 s).

RabbitMQ has no key prefix: ``namespace`` applies to Redis only; separate deployments that share
a RabbitMQ server by virtual host (``amqp://user:pass@host:5672/sohoa``).
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    Middleware,
    Retries,
    TimeLimit,
    default_middleware,
)

from sohoa.errors import BrokerUnavailableError, ConfigurationError
from sohoa.settings import QueueSettings

REDIS_SCHEMES = frozenset({"redis", "rediss"})
AMQP_SCHEMES = frozenset({"amqp", "amqps"})

CONNECT_TIMEOUT_S = 5.0
"""How long a connection attempt waits: a broker that does not answer in this time is down."""

REQUIRED_MIDDLEWARE: tuple[type[Middleware], ...] = (AgeLimit, Callbacks)
"""Present even if a future dramatiq drops them from its defaults: callbacks report failed
pages, and ``max_age`` drops work nobody waits for any more. Note: ``on_failure`` (Callbacks)
fires after *every* failed attempt; the once-only hook when retries are exhausted is Retries'
``on_retry_exhausted`` (dramatiq >= 1.17.1)."""

_PASSWORD_IN_QUERY = re.compile(r"(?i)(password=)[^&;]*")


def make_broker(queue: QueueSettings) -> dramatiq.Broker:
    """The broker ``queue.broker_url`` names, with sohoa's middleware; it does not connect yet
    (call :func:`check_broker` at start-up for a clear error when the server is down)."""
    middleware = broker_middleware(queue)
    if queue.broker_url is None:
        return StubBroker(middleware=middleware)
    scheme = urlsplit(queue.broker_url).scheme.lower()
    if scheme in REDIS_SCHEMES:
        return _redis_broker(queue, middleware)
    if scheme in AMQP_SCHEMES:
        return _rabbitmq_broker(queue, middleware)
    raise ConfigurationError(
        f"Địa chỉ hàng đợi {broker_label(queue.broker_url)!r} không hợp lệ: chỉ hỗ trợ "
        "redis://, rediss://, amqp://, amqps:// (unsupported broker URL scheme "
        f"{scheme or '(none)'!r})"
    )


def broker_middleware(queue: QueueSettings) -> list[Middleware]:
    """dramatiq's default middleware with retries and the time limit taken from the settings
    (dramatiq's own defaults retry 20 times over days and allow 10 minutes per message)."""
    tuned: dict[type[Middleware], Middleware] = {
        Retries: Retries(
            max_retries=queue.max_retries,
            min_backoff=_ms(queue.min_backoff_s),
            max_backoff=_ms(queue.max_backoff_s),
        ),
        TimeLimit: TimeLimit(time_limit=_ms(queue.page_time_limit_s)),
    }
    middleware = [tuned.get(cls) or cls() for cls in default_middleware]
    present = {type(m) for m in middleware}
    middleware += [cls() for cls in REQUIRED_MIDDLEWARE if cls not in present]
    return middleware


def broker_label(url: str | None) -> str:
    """``url`` fit for logs: the password replaced by ``***`` (also in a ``password=`` query
    and in each URL of a ``;``-separated RabbitMQ list)."""
    if url is None:
        return "embedded (không dùng máy chủ hàng đợi)"
    return ";".join(_hide_password(part) for part in url.split(";"))


def check_broker(broker: dramatiq.Broker) -> None:
    """Connect once and return within a few seconds, or raise: a worker started against a dead
    broker would otherwise retry silently forever.

    Raises :class:`BrokerUnavailableError` when the server does not answer (transient: start
    it, then retry) and :class:`ConfigurationError` when it answers but refuses the account,
    password or virtual host in the URL (retrying will not help)."""
    if isinstance(broker, StubBroker):
        return
    try:
        _ping(broker)
    except _BrokerDown as down:
        if down.refused:
            raise ConfigurationError(
                f"Máy chủ hàng đợi {down.where} từ chối đăng nhập: hãy kiểm tra tài khoản, mật "
                f"khẩu và virtual host trong địa chỉ hàng đợi (broker refused the credentials "
                f"or vhost: {down.reason})"
            ) from down.__cause__
        raise BrokerUnavailableError(
            f"Không kết nối được máy chủ hàng đợi {down.where}: hãy kiểm tra máy chủ đã chạy "
            f"và địa chỉ hàng đợi (message broker does not answer: {down.reason})"
        ) from down.__cause__


class _BrokerDown(Exception):
    """Where the broker is, why the connection failed, and whether it was refused on purpose."""

    def __init__(self, where: str, reason: BaseException, refused: bool) -> None:
        super().__init__(where)
        self.where = where
        self.refused = refused
        detail = str(reason) or "; ".join(str(arg) or repr(arg) for arg in reason.args)
        self.reason = f"{type(reason).__name__}: {detail}".rstrip(": ")


def _ping(broker: dramatiq.Broker) -> None:
    from dramatiq.brokers.rabbitmq import RabbitmqBroker  # each client only when configured
    from dramatiq.brokers.redis import RedisBroker  # (idem)

    if isinstance(broker, RedisBroker):
        _ping_redis(broker)
    elif isinstance(broker, RabbitmqBroker):
        _ping_rabbitmq(broker)
    else:
        raise ConfigurationError(f"không kiểm tra được loại hàng đợi {type(broker).__name__}")


def _ping_redis(broker: dramatiq.Broker) -> None:
    import redis  # only with a Redis broker

    kwargs = broker.client.connection_pool.connection_kwargs
    where = f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"
    try:
        broker.client.ping()
    except (redis.RedisError, OSError) as exc:
        refused = isinstance(exc, redis.AuthenticationError)
        raise _BrokerDown(where, exc, refused) from exc


def _ping_rabbitmq(broker: dramatiq.Broker) -> None:
    import pika  # only with RabbitMQ
    import pika.exceptions as amqp  # (idem)

    candidates = broker.parameters if isinstance(broker.parameters, list) else [broker.parameters]
    where = ", ".join(f"amqp://{p.host}:{p.port}{_vhost(p.virtual_host)}" for p in candidates)
    quick = []
    for params in candidates:
        params = copy.copy(params)
        params.connection_attempts = 1
        params.socket_timeout = CONNECT_TIMEOUT_S
        params.stack_timeout = CONNECT_TIMEOUT_S * 2
        quick.append(params)
    try:
        pika.BlockingConnection(quick).close()
    except (amqp.AMQPError, OSError) as exc:
        refused = isinstance(
            exc,
            amqp.AuthenticationError | amqp.ProbableAuthenticationError
            | amqp.ProbableAccessDeniedError,
        )  # fmt: skip
        raise _BrokerDown(where, exc, refused) from exc


def _redis_broker(queue: QueueSettings, middleware: list[Middleware]) -> dramatiq.Broker:
    import redis  # only with a Redis broker
    from dramatiq.brokers.redis import RedisBroker  # (idem)

    client = redis.Redis.from_url(
        queue.broker_url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_keepalive=True
    )
    return RedisBroker(
        client=client,
        middleware=middleware,
        namespace=queue.namespace,
        heartbeat_timeout=_ms(queue.heartbeat_timeout_s),
        maintenance_chance=queue.maintenance_chance,
    )


def _rabbitmq_broker(queue: QueueSettings, middleware: list[Middleware]) -> dramatiq.Broker:
    from dramatiq.brokers.rabbitmq import RabbitmqBroker  # only with RabbitMQ

    # confirm_delivery: enqueue returns only once RabbitMQ has the message (and lets dramatiq
    # re-declare a queue deleted behind its back); a page is never "sent" into the void.
    return RabbitmqBroker(url=queue.broker_url, middleware=middleware, confirm_delivery=True)


def _hide_password(url: str) -> str:
    url = _PASSWORD_IN_QUERY.sub(r"\1***", url)
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{hostport}").geturl()


def _vhost(name: str) -> str:
    return "/" if name == "/" else f"/{name}"


def _ms(seconds: float) -> int:
    """dramatiq counts in milliseconds; never 0, which dramatiq reads as 'use my default'."""
    return max(1, round(seconds * 1000))
