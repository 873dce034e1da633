"""The broker for the scale-out profile, tested against real Redis and RabbitMQ servers with
real ``python -m dramatiq`` worker processes running tests/workers/toy_actors.py.

The test process only produces: it sends messages by actor name on a queue named for the test,
and reads what the actors appended to an events file (event, token, pid, time).
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AgeLimit, Callbacks, Retries, TimeLimit

from sohoa.errors import BrokerUnavailableError, ConfigurationError
from sohoa.settings import QueueSettings
from sohoa.workers.broker import broker_label, check_broker, make_broker
from sohoa_dev.services.brokers import RedisServer
from sohoa_dev.services.processes import free_ports
from tests.support import SERVICE_START_S, require_program
from tests.workers.worker_process import DramatiqWorker, wait_for

TOY_ACTORS = "tests.workers.toy_actors"

DEADLINE_S = 120.0
"""How long a test waits for a worker to start or do something: a deadline, generous for a
busy machine, never a measurement (issue 12)."""


@dataclass(frozen=True)
class Event:
    """One line an actor appended: what happened to which token, in which process, when."""

    event: str
    token: str
    pid: int
    at: float
    extra: tuple[str, ...]


class Toy:
    """One test's queue, events file, producer broker and worker processes."""

    def __init__(self, settings: QueueSettings, directory: Path) -> None:
        self.settings = settings
        self.queue = f"toy_{uuid.uuid4().hex[:12]}"
        self.directory = directory
        self.events_path = directory / "events.tsv"
        self.gate = directory / "gate"  # the ``held`` actor holds until this file exists
        self.broker = make_broker(settings)
        self.workers: list[DramatiqWorker] = []

    def start_worker(self, name: str, **overrides: str) -> DramatiqWorker:
        env = {
            "SOHOA_BROKER_URL": self.settings.broker_url or "",
            "SOHOA_BROKER_NAMESPACE": self.settings.namespace,
            "SOHOA_TOY_QUEUE": self.queue,
            "SOHOA_DATA_DIR": str(self.directory / "data"),  # absolute, as at scale
            **overrides,
        }
        worker = DramatiqWorker(TOY_ACTORS, env, self.directory / f"worker-{name}.log")
        self.workers.append(worker)
        return worker.start()

    def send(self, actor: str, *args: object) -> dramatiq.Message:
        message = dramatiq.Message(
            queue_name=self.queue, actor_name=actor, args=args, kwargs={}, options={}
        )
        return self.broker.enqueue(message)

    def events(self, event: str | None = None) -> list[Event]:
        if not self.events_path.exists():
            return []
        found = []
        for line in self.events_path.read_text(encoding="utf-8").splitlines():
            name, token, pid, at, *extra = line.split("\t")
            if event is None or name == event:
                found.append(Event(name, token, int(pid), float(at), tuple(extra)))
        return found

    def logs(self) -> str:
        return "\n".join(f"--- {w.log_path.name}\n{w.log_tail()}" for w in self.workers)

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop()

    def close(self) -> None:
        self.stop_workers()
        self.broker.close()


@pytest.fixture
def redis_toy(redis_url: str, redis_namespace: str, tmp_path: Path) -> Iterator[Toy]:
    toy = Toy(QueueSettings(broker_url=redis_url, namespace=redis_namespace), tmp_path)
    try:
        yield toy
    finally:
        toy.close()


@pytest.fixture
def rabbitmq_toy(rabbitmq_url: str, tmp_path: Path) -> Iterator[Toy]:
    toy = Toy(QueueSettings(broker_url=rabbitmq_url), tmp_path)
    try:
        yield toy
    finally:
        toy.stop_workers()  # before the queues go: a consumer losing its queue restarts slowly
        for name in (toy.queue, f"{toy.queue}.DQ", f"{toy.queue}.XQ"):
            toy.broker.channel.queue_delete(name)
        toy.close()


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    """Measurements go to the terminal even when pytest captures output."""
    with capsys.disabled():
        print(f"\n{text}")


# --- make_broker, broker_label, check_broker (no worker process) ---------------------------


def test_no_broker_url_gives_the_in_memory_stub() -> None:
    assert isinstance(make_broker(QueueSettings(broker_url=None)), StubBroker)


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://:pw@cache.example:6380/2"])
def test_redis_url_gives_a_redis_broker_with_tuned_requeue(url: str) -> None:
    settings = QueueSettings(
        broker_url=url, heartbeat_timeout_s=12.5, maintenance_chance=250_000, namespace="quay-1"
    )
    broker = make_broker(settings)
    assert isinstance(broker, RedisBroker)
    assert broker.heartbeat_timeout == 12_500
    assert broker.maintenance_chance == 250_000
    assert broker.namespace == "quay-1"
    defaults = make_broker(QueueSettings(broker_url=url))
    assert (defaults.heartbeat_timeout, defaults.maintenance_chance) == (30_000, 500_000)
    assert defaults.namespace == "sohoa"


@pytest.mark.parametrize(
    "url", ["amqp://guest:guest@127.0.0.1:5672/%2F", "amqps://u:p@mq.example:5671/sohoa"]
)
def test_amqp_url_gives_a_rabbitmq_broker_that_confirms_delivery(url: str) -> None:
    broker = make_broker(QueueSettings(broker_url=url))
    assert isinstance(broker, RabbitmqBroker)
    assert broker.confirm_delivery is True


@pytest.mark.parametrize("url", [None, "redis://127.0.0.1:6379/0", "amqp://127.0.0.1:5672/"])
def test_every_broker_gets_middleware_tuned_from_the_settings(url: str | None) -> None:
    settings = QueueSettings(
        broker_url=url, max_retries=4, min_backoff_s=1.5, max_backoff_s=45, page_time_limit_s=90
    )
    middleware = {type(m): m for m in make_broker(settings).middleware}
    assert AgeLimit in middleware and Callbacks in middleware
    retries = middleware[Retries]
    assert (retries.max_retries, retries.min_backoff, retries.max_backoff) == (4, 1500, 45_000)
    assert middleware[TimeLimit].time_limit == 90_000


def test_unknown_scheme_is_a_configuration_error_without_the_password() -> None:
    with pytest.raises(ConfigurationError) as caught:
        make_broker(QueueSettings(broker_url="kafka://admin:s3cret@mq:9092"))
    assert "kafka" in str(caught.value)
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("redis://:s3cret@10.0.0.5:6379/0", "redis://:***@10.0.0.5:6379/0"),
        ("amqp://sohoa:s3cret@mq:5672/%2F", "amqp://sohoa:***@mq:5672/%2F"),
        ("rediss://cache:6380/1?password=s3cret&ssl_cert_reqs=none",
         "rediss://cache:6380/1?password=***&ssl_cert_reqs=none"),
        ("amqp://a:s3cret@mq1:5672/;amqp://b:s3cret@mq2:5672/",
         "amqp://a:***@mq1:5672/;amqp://b:***@mq2:5672/"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("amqp://guest@mq:5672/", "amqp://guest@mq:5672/"),
    ],
)  # fmt: skip
def test_broker_label_hides_the_password(url: str, label: str) -> None:
    assert broker_label(url) == label


@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_check_broker_reports_a_closed_port_after_one_attempt(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_ports(1)[0]
    url = f"{scheme}://user:s3cret@127.0.0.1:{port}/"
    broker = make_broker(QueueSettings(broker_url=url))
    tries: list[object] = []
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: object) -> None:
        if isinstance(address, tuple) and address[1:2] == (port,):
            tries.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(BrokerUnavailableError) as caught:
        check_broker(broker)
    monkeypatch.undo()
    # "Quickly" is what check_broker does, not a time (issue 12): one connection attempt,
    # so no retry loop and no pauses between tries.
    assert tries == [("127.0.0.1", port)]
    message = str(caught.value)
    assert "Không kết nối được máy chủ hàng đợi" in message
    assert "does not answer" in message and f"127.0.0.1:{port}" in message
    assert "s3cret" not in message
    assert caught.value.exit_code == 8


def test_check_broker_accepts_the_stub_and_a_running_redis(redis_url: str) -> None:
    check_broker(make_broker(QueueSettings(broker_url=None)))
    check_broker(make_broker(QueueSettings(broker_url=redis_url)))


def test_check_broker_accepts_a_running_rabbitmq(rabbitmq_url: str) -> None:
    broker = make_broker(QueueSettings(broker_url=rabbitmq_url))
    check_broker(broker)
    broker.close()


@pytest.mark.parametrize(
    ("wrong", "why"),
    [("guest:guest@", "guest:not-the-password@"), ("%2F", "no-such-vhost")],
)
def test_rabbitmq_refusing_the_url_is_a_configuration_error(
    rabbitmq_url: str, wrong: str, why: str
) -> None:
    url = rabbitmq_url.replace(wrong, why)
    with pytest.raises(ConfigurationError) as caught:
        check_broker(make_broker(QueueSettings(broker_url=url)))
    message = str(caught.value)
    assert "từ chối đăng nhập" in message
    assert ("ACCESS_REFUSED" if "password" in why else "NOT_ALLOWED") in message
    assert "not-the-password" not in message


def test_redis_refusing_the_password_is_a_configuration_error(tmp_path: Path) -> None:
    program = require_program("redis-server")
    server = RedisServer(tmp_path / "redis", program, password="right-one")
    server.start(timeout=SERVICE_START_S)
    try:
        check_broker(make_broker(QueueSettings(broker_url=server.url)))
        no_password = server.url.replace(":right-one@", "")
        wrong_password = server.url.replace("right-one", "wrong-one")
        for url in (no_password, wrong_password):
            with pytest.raises(ConfigurationError) as caught:
                check_broker(make_broker(QueueSettings(broker_url=url)))
            assert "từ chối đăng nhập" in str(caught.value)
            assert "wrong-one" not in str(caught.value)
    finally:
        server.stop()


def test_check_broker_follows_a_redis_restart(redis_server: RedisServer) -> None:
    broker = make_broker(QueueSettings(broker_url=redis_server.url))
    check_broker(broker)
    redis_server.stop(kill=True)
    with pytest.raises(BrokerUnavailableError):
        check_broker(broker)
    redis_server.start(timeout=SERVICE_START_S)
    check_broker(broker)


# --- real workers ------------------------------------------------------------------------


def test_redis_worker_processes_each_message_exactly_once(redis_toy: Toy) -> None:
    tokens = [f"page-{n}" for n in range(5)]
    for token in tokens:
        redis_toy.send("record", str(redis_toy.events_path), token)
    worker = redis_toy.start_worker("a")
    wait_for(lambda: len(redis_toy.events("done")) >= len(tokens), DEADLINE_S,
             what=redis_toy.logs())
    children = worker.children()
    assert worker.stop() == 0, redis_toy.logs()  # SIGTERM to the main PID: a clean stop

    done = redis_toy.events("done")
    assert sorted(e.token for e in done) == tokens
    assert {e.pid for e in done} <= children  # run by the worker process, not the main one
    client, ns, queue = redis_toy.broker.client, redis_toy.settings.namespace, redis_toy.queue
    assert client.llen(f"{ns}:{queue}") == 0
    assert client.hlen(f"{ns}:{queue}.msgs") == 0  # every message acknowledged, none pending
    assert list(client.scan_iter(match=f"{ns}:__acks__.*.{queue}")) == []  # none in flight


def _kill_mid_task(toy: Toy) -> tuple[Event, float]:
    """Start a worker on a task that holds until the test lets it end, and SIGKILL the worker
    process running it: a crash mid-task, however slowly the machine runs. Returns the task's
    start event and the time of the kill."""
    toy.send("held", str(toy.events_path), "page-long", str(toy.gate))
    first = toy.start_worker("a")
    started = wait_for(lambda: toy.events("started"), DEADLINE_S, what=toy.logs())[0]
    killed_at = time.time()
    first.kill_child(started.pid)
    assert first.wait(timeout=DEADLINE_S) != 0  # the main process sees its child die and stops
    return started, killed_at


def _redelivered_and_done_once(toy: Toy, victim: Event, timeout: float) -> Event:
    """Start a second worker; once it has started the task again, let the task end; stop it
    cleanly and check the task ran to the end exactly once. Returns the second start."""
    second = toy.start_worker("b")

    def redelivered() -> list[Event]:
        return [e for e in toy.events("started") if e.pid != victim.pid]

    again = wait_for(redelivered, timeout, interval=0.1, what=f"redelivery\n{toy.logs()}")[0]
    toy.gate.touch()
    wait_for(lambda: toy.events("done"), DEADLINE_S, what=toy.logs())
    assert second.stop() == 0, toy.logs()  # a clean stop: nothing left in flight
    assert [(e.token, e.pid) for e in toy.events("started")] == [
        ("page-long", victim.pid), ("page-long", again.pid)]  # fmt: skip
    assert [(e.token, e.pid) for e in toy.events("done")] == [("page-long", again.pid)]
    return again


def test_redis_redelivers_a_killed_workers_message_after_the_heartbeat_timeout(
    redis_toy: Toy, capsys: pytest.CaptureFixture[str]
) -> None:
    heartbeat = redis_toy.settings.heartbeat_timeout_s  # sohoa's default, 30 s
    client, ns, queue = redis_toy.broker.client, redis_toy.settings.namespace, redis_toy.queue
    victim, killed_at = _kill_mid_task(redis_toy)
    # the message is in flight with the dead worker: which one, and when it was last heard of
    (acks,) = client.scan_iter(match=f"{ns}:__acks__.*.{queue}")
    dead_worker = acks.decode()[len(f"{ns}:__acks__."):-len(f".{queue}")]
    last_heartbeat_ms = client.zscore(f"{ns}:__heartbeats__", dead_worker)
    assert last_heartbeat_ms is not None and client.scard(acks) == 1

    again = _redelivered_and_done_once(redis_toy, victim, timeout=heartbeat + DEADLINE_S)
    # Requeued by the heartbeat's expiry, not by anything earlier: exact, on the workers' own
    # clocks (heartbeat and events are both wall-clock times on this machine; 1 ms of
    # rounding). How long it took is a figure, printed (issue 12).
    expiry = (last_heartbeat_ms + heartbeat * 1000) / 1000
    assert again.at >= expiry - 0.001, (again.at, expiry)
    report(capsys, f"Redis: killed worker's message redelivered after "
           f"{again.at - killed_at:.1f} s (heartbeat_timeout {heartbeat:.0f} s)")  # fmt: skip
    assert client.llen(f"{ns}:{queue}") == 0 and client.hlen(f"{ns}:{queue}.msgs") == 0
    assert client.llen(f"{ns}:{queue}.DQ") == 0  # nor waiting to be retried
    assert list(client.scan_iter(match=f"{ns}:__acks__.*.{queue}")) == []


def _ready(toy: Toy, queue: str) -> int:
    """Messages waiting in a RabbitMQ queue (not those delivered and not yet acknowledged)."""
    return toy.broker.channel.queue_declare(queue, passive=True).method.message_count


def test_rabbitmq_redelivers_a_killed_workers_message_promptly(
    rabbitmq_toy: Toy, capsys: pytest.CaptureFixture[str]
) -> None:
    victim, killed_at = _kill_mid_task(rabbitmq_toy)
    # Promptly: RabbitMQ puts the message back by itself as soon as the dead worker's
    # connection drops, before any other worker exists (no timeout involved; the deadline
    # only keeps a broken broker from hanging the test). Times are printed (issue 12).
    wait_for(lambda: _ready(rabbitmq_toy, rabbitmq_toy.queue) == 1, DEADLINE_S,
             what="the message back in the queue")
    requeued_after = time.time() - killed_at
    again = _redelivered_and_done_once(rabbitmq_toy, victim, timeout=DEADLINE_S)
    report(capsys, f"RabbitMQ: killed worker's message back in the queue within "
           f"{requeued_after:.1f} s, redelivered after {again.at - killed_at:.1f} s "
           "(including the second worker's start-up)")  # fmt: skip
    for queue in (rabbitmq_toy.queue, f"{rabbitmq_toy.queue}.DQ"):
        assert _ready(rabbitmq_toy, queue) == 0, queue


def test_redis_failing_message_is_retried_then_dead_lettered(redis_toy: Toy) -> None:
    max_retries = 3
    redis_toy.send("always_fails", str(redis_toy.events_path), "page-bad")
    worker = redis_toy.start_worker(
        "a",
        SOHOA_MAX_RETRIES=str(max_retries),
        SOHOA_MIN_BACKOFF_S="0.1",
        SOHOA_MAX_BACKOFF_S="0.4",
    )
    wait_for(lambda: redis_toy.events("retries_exhausted"), DEADLINE_S, what=redis_toy.logs())
    wait_for(lambda: len(redis_toy.events("on_failure")) > max_retries, DEADLINE_S,
             what=redis_toy.logs())
    assert worker.stop() == 0, redis_toy.logs()

    attempts = redis_toy.events("attempt")
    assert len(attempts) == 1 + max_retries
    exhausted = redis_toy.events("retries_exhausted")
    assert [(e.token, e.extra) for e in exhausted] == [("page-bad", ("3", "3"))]
    assert exhausted[0].at >= attempts[-1].at
    # dramatiq's on_failure fires after EVERY failed attempt (options.retries counts them),
    # not only once retries are exhausted: on_retry_exhausted is the once-only hook.
    on_failure = redis_toy.events("on_failure")
    assert [e.extra for e in on_failure] == [(str(n), "RuntimeError") for n in range(1, 5)]

    client, ns, queue = redis_toy.broker.client, redis_toy.settings.namespace, redis_toy.queue
    dead = client.zrange(f"{ns}:{queue}.XQ", 0, -1)
    assert len(dead) == 1
    message = dramatiq.Message.decode(client.hget(f"{ns}:{queue}.XQ.msgs", dead[0]))
    assert (message.actor_name, message.args[1]) == ("always_fails", "page-bad")
    assert message.options["retries"] == max_retries  # Redis keeps the copy last enqueued
