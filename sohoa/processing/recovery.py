"""Find unfinished work in the catalog and say what to run again.

Queues only carry work; the catalog knows what is done. After a crash (a worker, a broker
that lost its queue, the whole machine) every batch that has not moved for a while is
picked up again from where the catalog says it is. Steps are idempotent, so re-running
something that was in fact still queued costs time, never correctness. Batches are
*claimed* (:meth:`~sohoa.storage.batches.BatchLedger.claim_unfinished`): with a sweeper on
every worker machine, exactly one of them resumes a given batch — two resuming the same
page would read it twice and leave the loser's page artefacts behind.
"""

from __future__ import annotations

from datetime import timedelta

from sohoa.errors import ObjectNotFoundError
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import ANALYSE_BATCH, Message, batch_message
from sohoa.processing.receive import first_messages, unstage_raw_scan
from sohoa.storage.records import BatchRecord, BatchState


def recover(ctx: WorkContext, idle_for: timedelta) -> list[Message]:
    """Messages that resume every batch idle for at least ``idle_for`` (claimed by this
    caller: another sweeper running at the same time gets none of them)."""
    messages: list[Message] = []
    for batch in ctx.catalog.batches.claim_unfinished(idle_for):
        messages.extend(_resume(ctx, batch))
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
    """An intake interrupted while uploading: resume only if every raw scan arrived, or
    can be stored now from its staged copy (a new dossier keeps the number it was given)."""
    for page in ctx.catalog.batches.pages(batch.dossier_code, batch.number):
        try:
            ctx.objects.stat(page.raw_scan_key)
        except ObjectNotFoundError:
            if not unstage_raw_scan(ctx, page.raw_scan_key, page.raw_scan_sha256,
                                    page.raw_scan_name):
                return False
    return True
