"""The clerk's review of a held batch: correct, see the verdict again, accept.

At the counter a batch is received with ``hold``: once its pages are read it is analysed
and stops (state ``review``) so the clerk can check the verdict while the citizen waits.
Corrections — a page's type, a split, a join, a page removed (a blank sheet, a paper that
belongs elsewhere: its raw scan is kept), the pages' order — name pages by their position in
the batch *as scanned* (:mod:`sohoa.domain.corrections`), so they stay meaningful whatever the
order shown; each correction re-runs the analysis on the pages already read (no OCR again).
Accepting starts building and signing the documents.
"""

from __future__ import annotations

from sohoa.domain.corrections import Corrections
from sohoa.processing.analysis import analyse_pages
from sohoa.processing.context import WorkContext
from sohoa.processing.documents import next_documents
from sohoa.processing.messages import Message
from sohoa.storage.records import BatchRecord


def review(ctx: WorkContext, code: str, number: int, corrections: Corrections) -> BatchRecord:
    """Apply the clerk's corrections (all of them, as they now stand) to a held batch;
    returns it with the new verdict."""
    ledger = ctx.catalog.batches
    batch = ledger.batch(code, number)
    plan, types = analyse_pages(ctx, batch, ledger.pages(code, number), corrections)
    return ledger.replan(code, number, corrections, plan, types)


def accept(ctx: WorkContext, code: str, number: int) -> list[Message]:
    """The clerk accepts: the messages that build, sign and store the documents."""
    return next_documents(ctx, ctx.catalog.batches.accept(code, number))
