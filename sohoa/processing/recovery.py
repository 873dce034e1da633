"""Find unfinished work in the catalog and say what to run again.

Queues only carry work; the catalog knows what is done. After a crash (a worker, a broker
that lost its queue, the whole machine) every batch that has not moved for a while is
picked up again from where the catalog says it is. Steps are idempotent, so re-running
something that was in fact still queued costs time, never correctness.
"""

from __future__ import annotations

from datetime import timedelta

from sohoa.errors import ObjectNotFoundError
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import ANALYSE_BATCH, Message, batch_message
from sohoa.processing.receive import first_messages
from sohoa.storage.records import BatchRecord, BatchState


def recover(ctx: WorkContext, idle_for: timedelta) -> list[Message]:
    """Messages that resume every batch idle for at least ``idle_for``."""
    messages: list[Message] = []
    for batch in ctx.catalog.batches.unfinished(idle_for):
        resumed = _resume(ctx, batch)
        if resumed:
            ctx.catalog.batches.touch(batch.dossier_code, batch.number)
        messages.extend(resumed)
    return messages


def _resume(ctx: WorkContext, batch: BatchRecord) -> list[Message]:
    ledger = ctx.catalog.batches
    if batch.state == BatchState.RECEIVING:
        if not _raw_scans_stored(ctx, batch):
            ledger.discard(batch.dossier_code, batch.number)
            return []
        batch = ledger.mark_stored(batch.dossier_code, batch.number)
    if batch.state == BatchState.PAGES:
        return first_messages(ctx, batch)
    return [batch_message(ANALYSE_BATCH, batch.dossier_code, batch.number, batch.lane)]


def _raw_scans_stored(ctx: WorkContext, batch: BatchRecord) -> bool:
    """An intake interrupted while uploading: resume only if every raw scan arrived."""
    for page in ctx.catalog.batches.pages(batch.dossier_code, batch.number):
        try:
            ctx.objects.stat(page.raw_scan_key)
        except ObjectNotFoundError:
            return False
    return True
