"""Real message brokers for tests: Redis and RabbitMQ on 127.0.0.1.

The machine's own servers are used when they answer (Redis on 6379, RabbitMQ on 5672 with
guest/guest); otherwise the suite starts private ones on free ports in a temporary directory and
stops them at the end. Nothing binds beyond 127.0.0.1 and nothing is persisted.

Fixtures (exposed in tests/conftest.py):

- ``redis_url`` (session): URL of a Redis server. The machine's server is shared with other
  users, so also take ``redis_namespace`` and put it in ``QueueSettings.namespace``.
- ``redis_namespace`` (session): a random key prefix; its keys are deleted at the end.
- ``redis_server``: a private, restartable :class:`RedisServer` for fault tests
  (``stop()`` / ``start()`` keep the port, so clients reconnect to the same URL).
- ``rabbitmq_url`` (session): URL of a RabbitMQ server (vhost ``/``). Isolate tests by queue
  name and delete the queues afterwards.

When a server cannot be had (not answering and not installed, or failing to start) the tests
skip locally and fail under CI=true.
"""

from __future__ import annotations

import atexit
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa_dev.services.brokers import (
    RABBITMQ_PROGRAMS,
    SHARED_RABBITMQ_URL,
    SHARED_REDIS_URL,
    RabbitMqServer,
    RedisServer,
    rabbitmq_answers,
    redis_answers,
)
from tests.support import SERVICE_START_S, unavailable

# --- fixtures ------------------------------------------------------------------------------


def _serve_privately(server: RedisServer | RabbitMqServer) -> Iterator[str]:
    """Start a private server for the session (skip locally / fail in CI if it will not),
    yield its URL, stop it at the end — also if pytest exits without running finalizers."""
    atexit.register(server.stop)
    try:
        server.start(timeout=SERVICE_START_S)
    except RuntimeError as exc:
        unavailable(str(exc))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's Redis when it answers, else a private one for the session."""
    if redis_answers(SHARED_REDIS_URL):
        yield SHARED_REDIS_URL
        return
    program = shutil.which("redis-server")
    if program is None:
        unavailable("Redis does not answer on 127.0.0.1:6379 and redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"), program)  # type: ignore[arg-type]
    yield from _serve_privately(server)


@pytest.fixture(scope="session")
def redis_namespace(redis_url: str) -> Iterator[str]:
    """A key prefix no one else uses; its keys are removed when the session ends."""
    import redis

    namespace = f"sohoa-test-{uuid.uuid4().hex[:12]}"
    yield namespace
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{namespace}:*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # the server is gone (a private one already stopped): nothing to clean
    finally:
        client.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private Redis for fault tests, running; stop()/start() it at will."""
    program = shutil.which("redis-server")
    if program is None:
        unavailable("redis-server is not installed")
    server = RedisServer(tmp_path / "redis", program)  # type: ignore[arg-type]
    try:
        server.start(timeout=SERVICE_START_S)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def rabbitmq_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's RabbitMQ (guest/guest) when it answers, else a private node."""
    if rabbitmq_answers(SHARED_RABBITMQ_URL):
        yield SHARED_RABBITMQ_URL
        return
    program = next((p for p in RABBITMQ_PROGRAMS if os.access(p, os.X_OK)), None)
    if program is None:
        unavailable("RabbitMQ does not answer on 127.0.0.1:5672 and rabbitmq-server is absent")
    server = RabbitMqServer(tmp_path_factory.mktemp("rabbitmq"), program)  # type: ignore[arg-type]
    yield from _serve_privately(server)
