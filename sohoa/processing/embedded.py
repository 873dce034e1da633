"""The embedded default's runner: the same steps, in this process, no server.

Page steps go to a pool of worker processes (OCR is CPU-bound, Tesseract runs with one
thread per process), everything else runs here while the pool keeps working — so a
document is signed while the next pages are being read. Counter work runs before backlog
work, like on the queues. A page step that fails transiently (a crashed or timed-out
Tesseract, a server that did not answer) is tried again in place with the queue's backoff
(``SOHOA_MAX_RETRIES``, ``SOHOA_MIN_BACKOFF_S``/``_MAX_BACKOFF_S``), as dramatiq would on the
workers; a page step that still fails, or raises anything else, is recorded as a failed page
(the other pages go on); any other step's error stops the run and leaves the batch in the
catalog, where ``sohoa recover`` picks it up again.
"""

from __future__ import annotations

import heapq
import itertools
import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from sohoa.errors import SohoaError
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.messages import (
    PAGE_STEPS,
    PROCESS_PAGE,
    Message,
    exhausted_reason,
    page_failed_message,
)
from sohoa.processing.steps import run_step
from sohoa.settings import QueueSettings, Settings
from sohoa.storage.records import Lane

_LANE_ORDER = {Lane.COUNTER: 0, Lane.BACKLOG: 1}


class LaneQueue:
    """Messages by lane, then arrival order."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Message]] = []
        self._count = itertools.count()

    def push(self, messages: Iterable[Message]) -> None:
        for message in messages:
            heapq.heappush(self._heap, (_LANE_ORDER[message.lane], next(self._count), message))

    def pop_where(self, accept: Callable[[Message], bool]) -> Message | None:
        """The first message (in priority order) that ``accept`` takes, removed."""
        for item in sorted(self._heap):
            if accept(item[2]):
                self._heap.remove(item)
                heapq.heapify(self._heap)
                return item[2]
        return None

    def __bool__(self) -> bool:
        return bool(self._heap)


def run_embedded(ctx: WorkContext, messages: Iterable[Message],
                 on_page: Callable[[], None] = lambda: None) -> None:
    """Run ``messages`` and everything they lead to, until no work is left."""
    queue = LaneQueue()
    queue.push(messages)
    jobs = max(1, ctx.settings.jobs)
    if jobs == 1:
        while queue:
            message = queue.pop_where(lambda m: True)
            queue.push(_run_page_or_step(ctx, message, on_page))
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_child,
                             initargs=(ctx.settings, str(ctx.scratch)),
                             mp_context=_process_context()) as pool:
        _drive(ctx, queue, pool, jobs, on_page)


def _process_context() -> multiprocessing.context.BaseContext:
    """``fork`` (fast) in a single-threaded process such as the CLI; ``forkserver`` when
    other threads run (the counter web app): a child forked while another thread holds a
    lock (logging, SQLite, the event loop) waits on it forever — seen in the web app: both
    pool processes asleep on a futex, the batch never read."""
    method = "fork" if threading.active_count() == 1 else "forkserver"
    return multiprocessing.get_context(method)


def _drive(ctx: WorkContext, queue: LaneQueue, pool: ProcessPoolExecutor, jobs: int,
           on_page: Callable[[], None]) -> None:
    running: dict[Future, Message] = {}
    while queue or running:
        while len(running) < jobs + 1:
            message = queue.pop_where(lambda m: m.step == PROCESS_PAGE)
            if message is None:
                break
            running[pool.submit(_child_step, message)] = message
        local = queue.pop_where(lambda m: m.step != PROCESS_PAGE)
        if local is not None:
            queue.push(_run_page_or_step(ctx, local, on_page))
            continue
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            message = running.pop(future)
            queue.push(_page_outcome(message, future))
            on_page()


def _page_outcome(message: Message, future: Future) -> list[Message]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - the page is failed, the others go on
        return [_failed(message, exc)]


def _run_page_or_step(ctx: WorkContext, message: Message,
                      on_page: Callable[[], None]) -> list[Message]:
    if message.step not in PAGE_STEPS:
        return run_step(ctx, message)
    try:
        follow = run_with_retries(ctx, message)
    except Exception as exc:  # noqa: BLE001 - as in _page_outcome
        if message.step != PROCESS_PAGE:
            raise
        follow = [_failed(message, exc)]
    if message.step == PROCESS_PAGE:
        on_page()
    return follow


def run_with_retries(ctx: WorkContext, message: Message,
                     sleep: Callable[[float], None] = time.sleep) -> list[Message]:
    """Run a page step, trying it again after a transient failure (backoff as on the
    queues); once the retries are used up the page is failed with the last error."""
    retries = 0
    while True:
        try:
            return run_step(ctx, message)
        except SohoaError as exc:
            if not exc.transient or message.step != PROCESS_PAGE:
                raise
            if retries >= ctx.settings.queue.max_retries:
                return [_failed(message, exc, retries)]
            sleep(backoff_s(retries, ctx.settings.queue))
            retries += 1


def backoff_s(retries: int, queue: QueueSettings) -> float:
    """Seconds to wait before retry number ``retries + 1``: doubling from the minimum,
    capped at the maximum (dramatiq's schedule, without its jitter)."""
    return min(queue.min_backoff_s * 2 ** retries, queue.max_backoff_s)


def _failed(message: Message, exc: Exception, retries: int = 0) -> Message:
    reason = exc.message if isinstance(exc, SohoaError) else f"{type(exc).__name__}: {exc}"
    if retries:
        reason = exhausted_reason(retries, reason)
    payload = message.payload
    return page_failed_message(payload["dossier"], payload["page"], payload["lane"], reason)


# --- pool processes ----------------------------------------------------------------------------

_child: WorkContext | None = None


def _start_child(settings: Settings, scratch_root: str) -> None:
    """Each pool process opens its own catalog connection and store (never shared)."""
    global _child
    _child = open_context(settings, migrate_catalog=False)
    _child.scratch.rmdir()
    _child.scratch = Path(tempfile.mkdtemp(prefix="page-", dir=scratch_root))


def _child_step(message: Message) -> list[Message]:
    assert _child is not None
    return run_with_retries(_child, message)
