"""Server processes for tests and benchmarks: free ports, start, wait until they answer, stop.

Every server is started with ``PR_SET_PDEATHSIG``, so it dies with the process that started
it (a test run or benchmark killed with SIGKILL leaves nothing behind).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


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


def die_with_parent() -> None:
    """In the child before exec: get SIGKILL when the test process dies (Linux only)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(command: list[str], directory: Path, log_path: Path,
           env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A server process in ``directory``, logging to ``log_path``, dying with this one."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, cwd=directory, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=die_with_parent)  # noqa: PLW1509


def answers_in_time(answers: Callable[[], bool], running: Callable[[], bool],
                     timeout: float) -> bool:
    """Poll until the server answers; False if it died or ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    while not answers():
        if not running() or time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stop_process(process: subprocess.Popen[bytes], kill: bool, grace: float = 15.0) -> None:
    """SIGTERM (SIGKILL with ``kill``, to simulate a crash); SIGKILL if it is still there
    after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def send_signal(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def wait_gone(pid: int, timeout: float) -> bool:
    """True once ``pid`` no longer exists (it is not our child, so poll /proc)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.1)
    return False
