"""Background processing for the counter: the page returns at once, polling shows progress.

One worker thread per app runs every batch's steps (the embedded runner itself spreads the
pages over a process pool; with a broker the steps go to the workers). The thread is single
so a dossier's steps never race each other; what failed is kept per dossier for the screen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sohoa.errors import SohoaError

log = logging.getLogger(__name__)


class Processor:
    """Runs work for dossiers in the background and remembers what is running or failed."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sohoa-counter")
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._errors: dict[str, str] = {}

    def submit(self, code: str, work: Callable[[], None]) -> Future:
        with self._lock:
            self._running[code] = self._running.get(code, 0) + 1
            self._errors.pop(code, None)
        return self._pool.submit(self._run, code, work)

    def _run(self, code: str, work: Callable[[], None]) -> None:
        try:
            work()
        except SohoaError as exc:
            self._fail(code, exc.message)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk, logged in full
            log.exception("processing dossier %s failed", code)
            self._fail(code, f"{type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._running[code] -= 1

    def _fail(self, code: str, message: str) -> None:
        with self._lock:
            self._errors[code] = message

    def busy(self, code: str) -> bool:
        with self._lock:
            return self._running.get(code, 0) > 0

    def error(self, code: str) -> str | None:
        with self._lock:
            return self._errors.get(code)

    def shutdown(self) -> None:
        """Finish what was started (a batch half-processed would wait for recovery)."""
        self._pool.shutdown(wait=True, cancel_futures=False)
