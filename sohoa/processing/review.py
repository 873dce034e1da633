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

from collections.abc import Sequence

from sohoa.domain.corrections import Corrections
from sohoa.domain.plan import BatchPlan
from sohoa.pipeline.classify.analysis import StreamPage, analyse
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import Message
from sohoa.storage.records import BatchRecord, PageState, PageWork


def analyse_pages(ctx: WorkContext, batch: BatchRecord, pages: Sequence[PageWork],
                  corrections: Corrections
                  ) -> tuple[BatchPlan, dict[int, tuple[str, float] | None]]:
    """The plan (documents, verdict) and each page's type, for the arranged pages."""
    from sohoa.processing.documents import plan_of

    chosen, translated = corrections.arranged(len(pages))
    stream = [StreamPage(n, 0, pages[i].source_page_index, _result(pages[i]), pages[i].failure)
              for n, i in enumerate(chosen)]
    procedure = ctx.procedures().get(batch.procedure_code)
    earlier = [DocumentSpan(d.doc_type, (), 1.0, d.item_id, earlier=True)
               for d in ctx.catalog.batches.earlier_documents(batch.dossier_code, batch.number)]
    analysis = analyse(procedure, stream, ctx.model(), translated, earlier)
    plan = plan_of(analysis, [pages[i] for i in chosen]).model_copy(update={
        "page_count": len(pages),  # a plan from fewer pages than the batch has is stale
        # dossier page index of each stream position: the verdict's page numbers refer to it
        "arranged": [pages[i].index for i in chosen]})
    types: dict[int, tuple[str, float] | None] = {p.index: None for p in pages}
    for n, i in enumerate(chosen):
        types[pages[i].index] = (analysis.pages[n].doc_type, analysis.pages[n].confidence)
    return plan, types


def _result(page: PageWork) -> dict | None:
    return {**page.result, "text": page.text} if page.state == PageState.DONE else None


def review(ctx: WorkContext, code: str, number: int, corrections: Corrections) -> BatchRecord:
    """Apply the clerk's corrections (all of them, as they now stand) to a held batch;
    returns it with the new verdict."""
    ledger = ctx.catalog.batches
    batch = ledger.batch(code, number)
    plan, types = analyse_pages(ctx, batch, ledger.pages(code, number), corrections)
    return ledger.replan(code, number, corrections, plan, types)


def accept(ctx: WorkContext, code: str, number: int) -> list[Message]:
    """The clerk accepts: the messages that build, sign and store the documents."""
    from sohoa.processing.documents import next_documents

    return next_documents(ctx, ctx.catalog.batches.accept(code, number))
