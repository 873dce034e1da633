"""The sweeper: every few minutes, resume batches that stopped moving.

Runs beside the workers (``sohoa worker`` forks it through dramatiq's ``--fork-function``).
Queues carry work but may lose it — a Redis without persistence that restarts, a message
dead-lettered by a flaky dependency, a worker killed during a step whose message was
already acknowledged. The catalog knows what is unfinished; a batch idle for longer than
``requeue_after_s`` is re-enqueued from where the catalog says it is. Several sweepers (one
per machine) are harmless: a batch is claimed in one conditional UPDATE, so exactly one
sweeper resumes it, and every step is idempotent anyway.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sohoa.errors import SohoaError
from sohoa.processing.context import open_context
from sohoa.processing.recovery import recover
from sohoa.settings import Settings
from sohoa.workers.actors import connect

log = logging.getLogger("sohoa.sweeper")


def sweep_forever(settings: Settings) -> None:
    """Resume idle batches every ``requeue_after_s / 2`` seconds, until killed."""
    idle = timedelta(seconds=settings.queue.requeue_after_s)
    ctx = open_context(settings, migrate_catalog=False)
    try:
        while True:
            time.sleep(settings.queue.requeue_after_s / 2)
            try:
                messages = recover(ctx, idle)
                connect(settings.queue).send(messages)
            except (SohoaError, OSError, ConnectionError) as exc:
                log.warning("sweep failed, will retry: %s", exc)
                continue
            if messages:
                log.info("resumed %d idle messages", len(messages))
    finally:
        ctx.close()


def run() -> None:
    """dramatiq ``--fork-function`` entry point (reads the environment: an entry point)."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [PID %(process)d] "
                        "[%(name)s] [%(levelname)s] %(message)s")
    sweep_forever(Settings.from_env())
