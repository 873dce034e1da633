"""A real ``python -m dramatiq`` worker process for tests, and how to stop or kill it.

dramatiq's main process forks the worker processes that do the work. A normal stop is SIGTERM to
the main PID only: it forwards SIGTERM to its children once; signalling the whole process
group instead makes each child see a second SIGTERM and exit at once, abandoning its work.
A crash is SIGKILL to the *child* doing the work (its pid is whatever ``os.getpid()`` the actor
reports); the main process then notices and shuts down by itself. Whatever happens, ``close``
leaves no process behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def child_pids(pid: int) -> set[int]:
    """Direct children of ``pid`` (Linux /proc; no psutil needed)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (field 4, ppid, is index 1)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def parent_pid(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else None


def start_time(pid: int) -> int | None:
    """Start time in clock ticks since boot: with the pid, it names one process for good
    (a pid alone may have been reused by someone else's process)."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


class DramatiqWorker:
    """``python -m dramatiq MODULE --processes 1 --threads 1`` run from the repository root."""

    def __init__(self, module: str, env: Mapping[str, str], log_path: Path) -> None:
        self.module = module
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._children: dict[int, int | None] = {}  # pid -> start time

    @property
    def pid(self) -> int:
        assert self.process is not None, "worker not started"
        return self.process.pid

    def start(self) -> DramatiqWorker:
        command = [
            sys.executable, "-m", "dramatiq", self.module,
            "--processes", "1", "--threads", "1",
            "--worker-shutdown-timeout", "5000",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in pytest does not reach it twice
            )
        return self

    def children(self) -> set[int]:
        """Worker processes forked by the main process (remembered for clean-up)."""
        found = child_pids(self.pid)
        for pid in found:
            self._children.setdefault(pid, start_time(pid))
        return found

    def kill_child(self, pid: int) -> None:
        """SIGKILL one worker process of *this* worker, as a crash would."""
        if parent_pid(pid) != self.pid:
            raise AssertionError(f"pid {pid} is not a child of dramatiq main {self.pid}")
        self._children.setdefault(pid, start_time(pid))
        os.kill(pid, signal.SIGKILL)

    def wait(self, timeout: float) -> int:
        """Exit code of the main process, waiting up to ``timeout`` seconds."""
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM to the main PID only; SIGKILL everything left after ``timeout``."""
        if self.process is None:
            return None
        self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._kill_leftover_children()
        return self.process.returncode

    close = stop

    def _kill_leftover_children(self) -> None:
        """SIGKILL children that outlived the main process — only the very processes seen."""
        for pid, started in self._children.items():
            if started is not None and start_time(pid) == started:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
        self._children.clear()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> DramatiqWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for(predicate, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
