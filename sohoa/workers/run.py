"""Starting ``sohoa worker``: check the settings, migrate, resume unfinished work, and the
dramatiq command line the workers run under.

The command (:mod:`sohoa.cli.commands.worker`) then becomes dramatiq's master process
(``exec``, so SIGTERM from a supervisor reaches dramatiq directly and in-flight pages are
finished before the processes exit).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta

from sohoa.errors import ConfigurationError
from sohoa.processing.context import open_context
from sohoa.processing.recovery import recover
from sohoa.settings import Settings, check_production
from sohoa.storage.records import Lane
from sohoa.workers.actors import connect, queue_name


def dramatiq_command(settings: Settings, processes: int, lanes: list[str],
                     plugins: Sequence[str] = ()) -> list[str]:
    """The dramatiq master command line: one thread per process (OCR is CPU-bound), the
    sweeper beside the workers, and any plugin modules imported after the actors."""
    queues = [queue_name(settings.queue, lane) for lane in lanes]
    return [sys.executable, "-m", "dramatiq", "sohoa.workers.entry", *plugins, "--processes",
            str(processes), "--threads", "1", "--queues", *queues,
            "--fork-function", "sohoa.workers.sweeper:run"]


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
