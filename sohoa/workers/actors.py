"""dramatiq actors: one thin actor per step and lane, all calling :mod:`sohoa.processing`.

An actor takes the message's JSON payload, runs the step with its process's
:class:`~sohoa.processing.context.WorkContext`, and sends the follow-up messages. Each step
exists twice, on the ``counter`` queue (priority 0) and the ``backlog`` queue (priority 10):
dramatiq hands a worker's prefetched messages to its threads by actor priority, so a page
of a dossier whose citizen is waiting overtakes archive digitization on every worker.

Follow-ups that are quick or that a waiting citizen needs at once run in the same actor
instead of making another trip through the queue (each trip costs a poll interval and the
wait for whatever page the next worker is busy with): analysing and closing a batch always,
building its documents on the counter lane. The message that led to them is acknowledged
only after they are done, so a crash re-runs them — the steps are idempotent. Backlog
documents are sent as messages, to be built in parallel across workers.

A page step that keeps raising (a crash in a library, a server that never comes back) is
retried with backoff; once the retries are exhausted, ``page_exhausted`` records the page as
failed with the last error, and the rest of the dossier completes without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import dramatiq

from sohoa.processing.context import WorkContext
from sohoa.processing.messages import (
    ANALYSE_BATCH,
    BUILD_DOCUMENT,
    FINISH_BATCH,
    PROCESS_PAGE,
    STEP_NAMES,
    Message,
    exhausted_reason,
    page_failed_message,
)
from sohoa.settings import QueueSettings
from sohoa.storage.records import Lane
from sohoa.workers import portal
from sohoa.workers.broker import check_broker, make_broker

LANE_PRIORITY = {Lane.COUNTER: 0, Lane.BACKLOG: 10}
INLINE_STEPS = {Lane.COUNTER: frozenset({ANALYSE_BATCH, BUILD_DOCUMENT, FINISH_BATCH}),
                Lane.BACKLOG: frozenset({ANALYSE_BATCH, FINISH_BATCH})}
"""Follow-ups run in the actor that produced them (see the module docstring)."""
EXHAUSTED = "page_exhausted"


def actor_name(step: str, lane: str) -> str:
    return f"{step}_{lane}"


def queue_name(queue: QueueSettings, lane: str) -> str:
    return f"{queue.namespace}-{lane}"


class Dispatcher:
    """The actors declared on one broker, and how to send messages to them."""

    def __init__(self, broker: dramatiq.Broker, queue: QueueSettings,
                 context: Callable[[], WorkContext] | None) -> None:
        self.broker = broker
        self._context = context
        self.actors: dict[str, dramatiq.Actor] = {}
        for lane in Lane:
            for step in STEP_NAMES:
                self._declare(step, lane, queue)
            self.actors[actor_name(EXHAUSTED, lane)] = dramatiq.actor(
                self._exhausted, actor_name=actor_name(EXHAUSTED, lane), broker=broker,
                queue_name=queue_name(queue, lane), priority=LANE_PRIORITY[lane])
        self.actors[portal.PORTAL_DELIVER] = portal.declare(broker, queue, self.context)

    def _declare(self, step: str, lane: Lane, queue: QueueSettings) -> None:
        options = {}
        if step == PROCESS_PAGE:
            options = {"on_retry_exhausted": actor_name(EXHAUSTED, lane),
                       "time_limit": round(queue.page_time_limit_s * 1000)}

        def run(payload: dict) -> None:
            self.follow(self.run(Message(step, payload)))

        name = actor_name(step, lane)
        self.actors[name] = dramatiq.actor(run, actor_name=name, broker=self.broker,
                                           queue_name=queue_name(queue, lane),
                                           priority=LANE_PRIORITY[lane], **options)

    def run(self, message: Message) -> list[Message]:
        """Run one step here (the pipeline is imported on first use: a process that only
        sends messages — a counter, the sweeper — never loads OCR, classifier or signer)."""
        from sohoa.processing.steps import run_step  # senders never load the pipeline

        return run_step(self.context(), message)

    def context(self) -> WorkContext:
        if self._context is None:
            raise RuntimeError("This process only sends messages; it runs no steps.")
        return self._context()

    def _exhausted(self, message: dict, retry_info: dict) -> None:
        """Retries of a page step are used up: the page fails, the dossier goes on."""
        payload = message["args"][0]
        reason = exhausted_reason(retry_info.get("retries", "?"), _last_error(message))
        failed = page_failed_message(payload["dossier"], payload["page"], payload["lane"],
                                     reason)
        self.follow(self.run(failed))

    def follow(self, messages: Iterable[Message]) -> None:
        """Run the inline follow-ups here (and theirs, in turn); send the others."""
        pending = list(messages)
        while pending:
            message = pending.pop(0)
            if message.step in INLINE_STEPS[message.lane]:
                pending += self.run(message)
            else:
                self.send([message])

    def send(self, messages: Iterable[Message]) -> None:
        for message in messages:
            self.actors[actor_name(message.step, message.lane)].send(message.payload)


def _last_error(message: dict) -> str:
    """The exception line of the traceback the Retries middleware kept in the options."""
    lines = [line for line in message.get("options", {}).get("traceback", "").splitlines()
             if line.strip()]
    return lines[-1].strip() if lines else "không rõ lỗi"


_connected: dict[str | None, Dispatcher] = {}


def connect(queue: QueueSettings) -> Dispatcher:
    """A sender for this process (CLI, API): the broker checked, actors declared once."""
    if queue.broker_url not in _connected:
        broker = make_broker(queue)
        check_broker(broker)
        _connected[queue.broker_url] = Dispatcher(broker, queue, context=None)
    return _connected[queue.broker_url]
