"""Starting ``sohoa worker``: check the settings, migrate, resume unfinished work, check that
the worker code imports, and run dramatiq under a small supervisor.

dramatiq's master shuts *every* worker process down when one of them dies (an OOM kill,
``kill -9``) and exits, leaving no capacity until someone restarts it. :func:`supervise`
runs the dramatiq master as its child and starts it again within seconds when it exits
without being asked to; SIGTERM, SIGINT and SIGHUP are passed on to it (the pages in flight
are finished). A master that keeps dying (``MAX_RESTARTS`` within ``RESTART_WINDOW_S``) or
cannot import its code ends ``sohoa worker`` with a non-zero code, for systemd
(``deploy/systemd/``, ``Restart=always``) to act on.

dramatiq is started with the current directory *off* the import path (``python -P`` and
``--path`` naming the installed package's root): started from a folder holding a ``sohoa/``
directory (a checkout's parent), it once imported that folder instead of the package and
failed every message after saying "ready for action".
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import sohoa
from sohoa.errors import ConfigurationError, ExitCode
from sohoa.processing.context import open_context
from sohoa.processing.recovery import recover
from sohoa.settings import Settings, check_production
from sohoa.storage.records import Lane
from sohoa.workers.actors import connect, queue_name
from sohoa.workers.portal import portal_queue

log = logging.getLogger("sohoa.worker")

PACKAGE_ROOT = Path(sohoa.__file__).resolve().parents[1]
"""The folder the running ``sohoa`` package was imported from (site-packages, or the
checkout of an editable install): the only import path dramatiq is given."""

RESTART_DELAY_S = 1.0
MAX_RESTARTS = 5
RESTART_WINDOW_S = 120.0
"""More than ``MAX_RESTARTS`` unexpected exits within this many seconds: give up (exit 1)
and let the service manager decide, rather than spin."""

REPEAT_SIGNAL_S = 3.0
"""A stop signal repeated within this many seconds is the same request; later, it is an
impatient operator's second Ctrl+C and is passed on (dramatiq then stops at once)."""

DRAMATIQ_IMPORT_FAILED = 2
"""dramatiq's exit code when a module fails to import (``RET_IMPORT``)."""


def python_command() -> list[str]:
    """This interpreter, without the current directory on ``sys.path`` (``-P``)."""
    return [sys.executable, "-P"]


def dramatiq_command(settings: Settings, processes: int, lanes: list[str],
                     plugins: Sequence[str] = ()) -> list[str]:
    """The dramatiq master command line: one thread per process (OCR is CPU-bound), the
    sweeper beside the workers, and any plugin modules imported after the actors."""
    queues = [queue_name(settings.queue, lane) for lane in lanes]
    forks = ["--fork-function", "sohoa.workers.sweeper:run"]
    if settings.portal.url:  # deliver the portal outbox (sohoa.workers.portal)
        queues.append(portal_queue(settings.queue))
        forks += ["--fork-function", "sohoa.workers.portal:run"]
    return [*python_command(), "-m", "dramatiq", "sohoa.workers.entry", *plugins,
            "--path", str(PACKAGE_ROOT), "--processes", str(processes), "--threads", "1",
            "--queues", *queues, *forks]


_IMPORT_CHECK = """
import sys
sys.path.insert(0, sys.argv[1])
import importlib, sohoa
sohoa.__version__
import sohoa.processing.steps, sohoa.workers.actors, sohoa.workers.sweeper
for name in sys.argv[2:]:
    importlib.import_module(name)
"""


def check_worker_imports(plugins: Sequence[str] = ()) -> None:
    """Import what every worker process imports (the steps, the actors, the plugins) the
    way dramatiq will, in a throw-away process: a failure is one line and exit 2 now,
    instead of workers that say "ready for action" and then fail every message."""
    done = subprocess.run([*python_command(), "-c", _IMPORT_CHECK, str(PACKAGE_ROOT),
                           *plugins], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        raise ConfigurationError(
            f"Máy xử lý không nạp được mã của sohoa: {lines[-1] if lines else done.returncode}"
            f" (gói sohoa tại {PACKAGE_ROOT}; thư mục hiện tại hay PYTHONPATH có thư mục "
            "sohoa/ khác, hoặc --plugin sai?)")


def supervise(command: Sequence[str], restart_delay_s: float = RESTART_DELAY_S,
              max_restarts: int = MAX_RESTARTS,
              window_s: float = RESTART_WINDOW_S) -> int:
    """Run the dramatiq master ``command`` until asked to stop; start it again when it exits
    unexpectedly (one of its worker processes died). Returns the exit code for
    ``sohoa worker``: 0 after a requested stop, 2 when the code does not import, 1 when it
    keeps dying."""
    stopping = False
    asked_at = 0.0
    child: subprocess.Popen | None = None

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping, asked_at
        if signum != signal.SIGHUP:  # dramatiq reloads itself on SIGHUP
            if stopping and time.monotonic() - asked_at < REPEAT_SIGNAL_S:
                return  # the same stop said twice (signalled and its process group):
                # a second signal makes dramatiq abandon the pages in flight
            stopping, asked_at = True, time.monotonic()
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    exits: collections.deque[float] = collections.deque()
    while True:
        child = subprocess.Popen(list(command), preexec_fn=_own_group_dying_with_parent)  # noqa: PLW1509 - single-threaded here
        code = child.wait()
        if stopping:
            return 0 if code in (0, 1) or code < 0 else code
        if code == DRAMATIQ_IMPORT_FAILED:
            return ExitCode.USAGE
        now = time.monotonic()
        exits.append(now)
        while exits and now - exits[0] > window_s:
            exits.popleft()
        if len(exits) > max_restarts:
            log.error("dramatiq dừng bất thường %d lần trong %.0f s: thôi khởi động lại",
                      len(exits), window_s)
            return ExitCode.FAILED
        log.warning("dramatiq dừng bất thường (mã %s: một tiến trình xử lý đã chết); khởi "
                    "động lại sau %.0f s", code, restart_delay_s)
        time.sleep(restart_delay_s)
        if stopping:
            return 0


def _own_group_dying_with_parent() -> None:
    """In the dramatiq master, before it runs: a process group of its own (a Ctrl+C in the
    terminal reaches it once, through :func:`supervise`, not twice — twice makes dramatiq
    abandon the pages in flight), and SIGTERM when the supervisor itself dies."""
    os.setpgid(0, 0)
    with contextlib.suppress(AttributeError, OSError):  # Linux only; elsewhere systemd's job
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def parse_lanes(text: str) -> list[str]:
    """``counter,backlog`` → the lanes named; an unknown or empty list is refused."""
    lanes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = set(lanes) - {lane.value for lane in Lane}
    if unknown or not lanes:
        raise ConfigurationError(f"Hàng đợi không hợp lệ: {text!r} (counter, backlog).")
    return lanes


def prepare_workers(settings: Settings, recover_work: bool = True) -> int | None:
    """Everything before the workers start: a broker is configured and answers, production
    settings hold, the catalog is migrated once (not by every process at once), and — with
    ``recover_work`` — unfinished idle batches are sent again. Returns how many messages were
    re-sent (None when not asked)."""
    if settings.queue.broker_url is None:
        raise ConfigurationError("sohoa worker cần hàng đợi: đặt SOHOA_BROKER_URL "
                                 "(redis://... hoặc amqp://...).")
    check_production(settings)
    dispatcher = connect(settings.queue)
    with open_context(settings) as ctx:
        if not recover_work:
            return None
        messages = recover(ctx, timedelta(seconds=settings.queue.requeue_after_s))
        dispatcher.send(messages)
        return len(messages)
