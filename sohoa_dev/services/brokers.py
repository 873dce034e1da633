"""Real message brokers for tests and benchmarks: Redis and RabbitMQ on 127.0.0.1.

The machine's own servers are used when they answer (Redis on 6379, RabbitMQ on 5672 with
guest/guest; see :data:`SHARED_REDIS_URL`); otherwise a private one is started on free ports
in a directory of the caller's (:class:`RedisServer`, :class:`RabbitMqServer`). Nothing binds
beyond 127.0.0.1 and nothing is persisted. The pytest fixtures around them are in
``tests/helpers/services.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

from sohoa_dev.services.processes import (
    answers_in_time,
    free_ports,
    send_signal,
    spawn,
    stop_process,
    tail,
    wait_gone,
)

SHARED_REDIS_URL = "redis://127.0.0.1:6379/0"
SHARED_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"

RABBITMQ_PROGRAMS = ("/usr/lib/rabbitmq/bin/rabbitmq-server",)
"""Debian's real start script; /usr/sbin/rabbitmq-server is a wrapper that switches to the
rabbitmq user and writes to /var/log, which a private node must not do."""


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
        self._process = spawn(self.command(), self.directory, self.log_path)
        if not answers_in_time(lambda: redis_answers(self.url, timeout=0.5),
                                lambda: self.running, timeout):
            self.stop(kill=True)
            raise RuntimeError(f"redis-server did not start:\n{tail(self.log_path)}")

    def stop(self, kill: bool = False) -> None:
        """SIGTERM (or SIGKILL, to simulate a crash) and wait for the process to end."""
        process, self._process = self._process, None
        if process is not None:
            stop_process(process, kill)

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
        self._process = spawn([self.program], self.directory, self.log_path,
                               self.environment())
        if not answers_in_time(lambda: rabbitmq_answers(self.url, timeout=1.0),
                                lambda: self.running, timeout):
            self.stop()
            raise RuntimeError(f"rabbitmq-server did not start:\n{tail(self.log_path)}")

    def stop(self) -> None:
        """Stop the Erlang VM (SIGTERM is a clean shutdown), its start script, and our epmd."""
        process, self._process = self._process, None
        if process is None:
            return
        beam = self._beam_pid()
        if beam is not None:
            send_signal(beam, signal.SIGTERM)
            if not wait_gone(beam, timeout=20.0):
                send_signal(beam, signal.SIGKILL)
        stop_process(process, kill=False)
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
