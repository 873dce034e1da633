"""The analysis step's work: a batch's pages, in the clerk's order and with their
corrections, become a plan — documents to build and the checklist verdict — and each page
its type. Runs on the pages already read (no OCR): again after every correction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sohoa.domain.corrections import Corrections
from sohoa.domain.doctypes import type_name
from sohoa.domain.pages import PageText
from sohoa.domain.plan import BatchPlan, PlannedDocument
from sohoa.domain.procedures import Procedure
from sohoa.pipeline.classify.analysis import Analysis, StreamPage, analyse
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.processing.context import WorkContext
from sohoa.storage.records import BatchRecord, PageState, PageWork


def analyse_pages(ctx: WorkContext, batch: BatchRecord, pages: Sequence[PageWork],
                  corrections: Corrections
                  ) -> tuple[BatchPlan, dict[int, tuple[str, float] | None]]:
    """The plan (documents, verdict) and each page's type, for the arranged pages."""
    chosen, translated = corrections.arranged(len(pages))
    stream = [StreamPage(n, 0, pages[i].source_page_index, _result(pages[i]), pages[i].failure)
              for n, i in enumerate(chosen)]
    procedure = ctx.procedures().get(batch.procedure_code)
    earlier = [DocumentSpan(d.doc_type, (), 1.0, d.item_id, earlier=True)
               for d in ctx.catalog.batches.earlier_documents(batch.dossier_code, batch.number)]
    analysis = analyse(procedure, stream, ctx.model(), translated, earlier)
    plan = plan_of(analysis, [pages[i] for i in chosen], procedure).model_copy(update={
        "page_count": len(pages),  # a plan from fewer pages than the batch has is stale
        # dossier page index of each stream position: the verdict's page numbers refer to it
        "arranged": [pages[i].index for i in chosen]})
    types: dict[int, tuple[str, float] | None] = {p.index: None for p in pages}
    for n, i in enumerate(chosen):
        types[pages[i].index] = (analysis.pages[n].doc_type, analysis.pages[n].confidence)
    return plan, types


def _result(page: PageWork) -> PageText | None:
    stored = page.stored if page.state == PageState.DONE else None
    return stored.page_text(page.text) if stored else None


def plan_of(analysis: Analysis, pages: Sequence[PageWork],
            procedure: Procedure | None = None) -> BatchPlan:
    """What to build: documents with at least one processed page (dossier page indexes),
    the checklist item each fills, and the verdict. Ordinals are given by the catalog."""
    documents = []
    for n, span in enumerate(analysis.documents):
        good = [pages[i].index for i in span.pages if pages[i].state == PageState.DONE]
        if good:
            documents.append(PlannedDocument(
                doc_type=span.doc_type, item_id=analysis.item_of(n),
                title=procedure.type_name(span.doc_type) if procedure else type_name(
                    span.doc_type), pages=good, confidence=span.confidence))
    return BatchPlan(documents=documents, verdict=analysis.verdict)
