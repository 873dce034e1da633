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
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import unavailable

SHARED_REDIS_URL = "redis://127.0.0.1:6379/0"
SHARED_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"

RABBITMQ_PROGRAMS = ("/usr/lib/rabbitmq/bin/rabbitmq-server",)
"""Debian's real start script; /usr/sbin/rabbitmq-server is a wrapper that switches to the
rabbitmq user and writes to /var/log, which a private node must not do."""


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 right now (held open until all are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def redis_answers(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis server at ``url`` answers PING."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def rabbitmq_answers(url: str, timeout: float = 2.0) -> bool:
    """True when RabbitMQ at ``url`` accepts an AMQP login."""
    import pika
    import pika.exceptions

    params = pika.URLParameters(url)
    params.connection_attempts = 1
    params.socket_timeout = timeout
    params.stack_timeout = timeout * 2
    try:
        pika.BlockingConnection(params).close()
    except (pika.exceptions.AMQPError, OSError):
        return False
    return True


def _die_with_parent() -> None:
    """In the child before exec: get SIGKILL when the test process dies (Linux only)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _spawn(command: list[str], directory: Path, log_path: Path,
           env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A server process in ``directory``, logging to ``log_path``, dying with this one."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, cwd=directory, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent)  # noqa: PLW1509


def _answers_in_time(answers: Callable[[], bool], running: Callable[[], bool],
                     timeout: float) -> bool:
    """Poll until the server answers; False if it died or ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    while not answers():
        if not running() or time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _stop_process(process: subprocess.Popen[bytes], kill: bool, timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


class RedisServer:
    """One ``redis-server`` on a free port of 127.0.0.1, without persistence; restartable on
    the same port (a restart loses every key — as a crashed Redis without AOF would).
    With ``password`` set, clients must authenticate (``url`` carries it)."""

    def __init__(
        self, directory: Path, program: str = "redis-server", password: str | None = None
    ) -> None:
        self.directory = directory
        self.program = program
        self.password = password
        self.port = free_ports(1)[0]
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        return [
            self.program,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
            *(["--requirepass", self.password] if self.password else []),
        ]  # fmt: skip

    def start(self, timeout: float = 10.0) -> None:
        """Start (or restart) and wait until it answers PING."""
        if self.running:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        self._process = _spawn(self.command(), self.directory, self.log_path)
        if not _answers_in_time(lambda: redis_answers(self.url, timeout=0.5),
                                lambda: self.running, timeout):
            self.stop(kill=True)
            raise RuntimeError(f"redis-server did not start:\n{_tail(self.log_path)}")

    def stop(self, kill: bool = False) -> None:
        """SIGTERM (or SIGKILL, to simulate a crash) and wait for the process to end."""
        process, self._process = self._process, None
        if process is not None:
            _stop_process(process, kill)

    @property
    def log_path(self) -> Path:
        return self.directory / "redis.log"


class RabbitMqServer:
    """A private RabbitMQ node on free ports of 127.0.0.1 (AMQP, Erlang distribution and its
    own epmd), with all state under ``directory``. Boots in about 4 s here."""

    def __init__(self, directory: Path, program: str) -> None:
        self.directory = directory
        self.program = program
        self.port, self.dist_port, self.epmd_port = free_ports(3)
        self.node = f"sohoa-test-{uuid.uuid4().hex[:8]}@localhost"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def environment(self) -> dict[str, str]:
        d = self.directory
        return {
            **os.environ,
            "HOME": str(d),  # the Erlang cookie goes here
            "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),  # not /etc/rabbitmq's
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_PID_FILE": str(d / "rabbitmq.pid"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def _write_config(self) -> None:
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        (d / "rabbitmq-env.conf").write_text("")
        (d / "rabbitmq.conf").write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")
        (d / "enabled_plugins").write_text("[].\n")

    def start(self, timeout: float = 40.0) -> None:
        """Boot the node and wait until it accepts an AMQP login."""
        if self.running:
            return
        self._write_config()
        self._process = _spawn([self.program], self.directory, self.log_path,
                               self.environment())
        if not _answers_in_time(lambda: rabbitmq_answers(self.url, timeout=1.0),
                                lambda: self.running, timeout):
            self.stop()
            raise RuntimeError(f"rabbitmq-server did not start:\n{_tail(self.log_path)}")

    def stop(self) -> None:
        """Stop the Erlang VM (SIGTERM is a clean shutdown), its start script, and our epmd."""
        process, self._process = self._process, None
        if process is None:
            return
        beam = self._beam_pid()
        if beam is not None:
            _signal(beam, signal.SIGTERM)
            if not _wait_gone(beam, timeout=20.0):
                _signal(beam, signal.SIGKILL)
        _stop_process(process, kill=False)
        self._stop_epmd()

    def _beam_pid(self) -> int | None:
        try:
            return int((self.directory / "rabbitmq.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def _stop_epmd(self) -> None:
        epmd = shutil.which("epmd") or "/usr/lib/erlang/bin/epmd"
        env = {**os.environ, "ERL_EPMD_PORT": str(self.epmd_port)}
        subprocess.run([epmd, "-kill"], env=env, capture_output=True, timeout=10, check=False)

    @property
    def log_path(self) -> Path:
        return self.directory / "rabbitmq.out"


def _signal(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _wait_gone(pid: int, timeout: float) -> bool:
    """True once ``pid`` no longer exists (it is not our child, so poll /proc)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.1)
    return False


# --- fixtures ------------------------------------------------------------------------------


def _serve_privately(server: RedisServer | RabbitMqServer) -> Iterator[str]:
    """Start a private server for the session (skip locally / fail in CI if it will not),
    yield its URL, stop it at the end — also if pytest exits without running finalizers."""
    atexit.register(server.stop)
    try:
        server.start()
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
        server.start()
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
