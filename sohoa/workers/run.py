"""``sohoa worker`` and ``sohoa recover``: start workers, resume unfinished work.

``sohoa worker`` migrates the catalog, checks the broker, re-enqueues what the catalog
says is unfinished and idle (a crashed machine's batches), then becomes dramatiq's master
process (``exec``, so SIGTERM from a supervisor reaches dramatiq directly and in-flight
pages are finished before the processes exit).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import timedelta

from sohoa.errors import ConfigurationError
from sohoa.processing.context import open_context
from sohoa.processing.embedded import run_embedded
from sohoa.processing.recovery import recover
from sohoa.settings import Settings, check_production
from sohoa.storage.records import Lane
from sohoa.workers.actors import connect, queue_name
from sohoa.workers.broker import broker_label


def dramatiq_command(settings: Settings, processes: int, lanes: list[str],
                     plugins: Sequence[str] = ()) -> list[str]:
    """The dramatiq master command line: one thread per process (OCR is CPU-bound), the
    sweeper beside the workers, and any plugin modules imported after the actors."""
    queues = [queue_name(settings.queue, lane) for lane in lanes]
    return [sys.executable, "-m", "dramatiq", "sohoa.workers.entry", *plugins, "--processes",
            str(processes), "--threads", "1", "--queues", *queues,
            "--fork-function", "sohoa.workers.sweeper:run"]


def _lanes(text: str) -> list[str]:
    lanes = [part.strip() for part in text.split(",") if part.strip()]
    unknown = set(lanes) - {lane.value for lane in Lane}
    if unknown or not lanes:
        raise ConfigurationError(f"Hàng đợi không hợp lệ: {text!r} (counter, backlog).")
    return lanes


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    if settings.queue.broker_url is None:
        raise ConfigurationError("sohoa worker cần hàng đợi: đặt SOHOA_BROKER_URL "
                                 "(redis://... hoặc amqp://...).")
    check_production(settings)
    lanes = _lanes(args.lanes)
    dispatcher = connect(settings.queue)
    ctx = open_context(settings)  # migrates the catalog once, before the processes start
    try:
        if not args.no_recover:
            messages = recover(ctx, timedelta(seconds=settings.queue.requeue_after_s))
            dispatcher.send(messages)
            print(f"Đưa lại vào hàng đợi {len(messages)} việc dở dang.", flush=True)
    finally:
        ctx.close()
    processes = args.processes or os.cpu_count() or 1
    print(f"Máy xử lý: {processes} tiến trình, hàng đợi {', '.join(lanes)} tại "
          f"{broker_label(settings.queue.broker_url)}", flush=True)
    command = dramatiq_command(settings, processes, lanes, args.plugin)
    os.execv(command[0], command)
    return 0  # not reached


def run_recover(args: argparse.Namespace, settings: Settings) -> int:
    """Resume idle unfinished batches: here (embedded) or through the queue."""
    from sohoa.commands import progress

    ctx = open_context(settings)
    try:
        messages = recover(ctx, timedelta(seconds=args.idle))
        if settings.queue.broker_url is not None:
            connect(settings.queue).send(messages)
            print(f"Đã đưa {len(messages)} việc dở dang vào hàng đợi.")
            return 0
        pages = sum(m.step == "process_page" for m in messages)
        with progress(pages, args.quiet, desc="Làm tiếp") as bar:
            run_embedded(ctx, messages, bar.update)
        left = ctx.catalog.batches.unfinished()
        print(f"Đã làm tiếp {len(messages)} việc; còn {len(left)} lô chưa xong.")
        return 0 if not left else 1
    finally:
        ctx.close()
