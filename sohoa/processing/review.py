"""The clerk's review of a held batch: correct, see the verdict again, accept.

At the counter a batch is received with ``hold``: once its pages are read it is analysed
and stops (state ``review``) so the clerk can check the verdict while the citizen waits.
Corrections — a page's type, a split, a join, a page removed (a blank sheet, a paper that
belongs elsewhere: its raw scan is kept), the pages' order — are recorded as overrides by
the page's position in the batch *as scanned*, so they stay meaningful whatever the order
shown; each correction re-runs the analysis on the pages already read (no OCR again).
Accepting starts building and signing the documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from sohoa.classification import Overrides, StreamPage, analyse
from sohoa.errors import OverrideError
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import Message
from sohoa.storage.records import BatchRecord, PageState, PageWork

OVERRIDE_KEYS = frozenset({"types", "split_before", "join", "removed", "order"})


def arranged(pages: Sequence[PageWork], overrides: dict | None) -> tuple[list[int], Overrides]:
    """Positions (as scanned) of the pages to analyse, in the clerk's order, and the
    overrides translated to positions in that arranged stream."""
    data = overrides or {}
    unknown = set(data) - OVERRIDE_KEYS
    if unknown:
        raise OverrideError(f"Không hiểu chỉnh sửa: {', '.join(sorted(unknown))}")
    order = page_order(data, len(pages))
    removed = {int(i) for i in data.get("removed", ())}
    if not removed <= set(order):
        raise OverrideError(f"Không có trang {max(removed) + 1} trong lô")
    chosen = [i for i in order if i not in removed]
    position = {scan: n for n, scan in enumerate(chosen)}

    def moved(indexes: Sequence[int]) -> tuple[int, ...]:
        return tuple(position[int(i)] for i in indexes if int(i) in position)

    types = {position[int(k)]: v for k, v in data.get("types", {}).items()
             if int(k) in position}
    return chosen, Overrides(types=types, split_before=moved(data.get("split_before", ())),
                             join=moved(data.get("join", ())))


def page_order(overrides: dict | None, count: int) -> list[int]:
    """Positions (as scanned) in the clerk's order; pages scanned after the order was set
    (appended to the held batch) follow at the end."""
    order = [int(i) for i in (overrides or {}).get("order") or ()]
    if len(set(order)) != len(order) or not set(order) <= set(range(count)):
        raise OverrideError("Thứ tự trang phải liệt kê mỗi trang của lô đúng một lần")
    listed = set(order)
    return order + [i for i in range(count) if i not in listed]


def analyse_pages(ctx: WorkContext, batch: BatchRecord, pages: Sequence[PageWork],
                  overrides: dict | None) -> tuple[dict, dict[int, tuple[str, float] | None]]:
    """The plan (documents, verdict) and each page's type, for the arranged pages."""
    from sohoa.processing.documents import plan_of

    chosen, translated = arranged(pages, overrides)
    stream = [StreamPage(n, 0, pages[i].source_page_index, _result(pages[i]), pages[i].failure)
              for n, i in enumerate(chosen)]
    procedure = ctx.procedures().get(batch.procedure_code)
    earlier = [DocumentSpan(d["doc_type"], (), 1.0, d["item_id"], earlier=True)
               for d in ctx.catalog.batches.earlier_documents(batch.dossier_code, batch.number)]
    analysis = analyse(procedure, stream, ctx.model(), translated, earlier)
    plan = plan_of(analysis, [pages[i] for i in chosen])
    plan["page_count"] = len(pages)  # a plan from fewer pages than the batch has is stale
    # dossier page index of each stream position: the verdict's page numbers refer to it
    plan["arranged"] = [pages[i].index for i in chosen]
    types: dict[int, tuple[str, float] | None] = {p.index: None for p in pages}
    for n, i in enumerate(chosen):
        types[pages[i].index] = (analysis.pages[n].doc_type, analysis.pages[n].confidence)
    return plan, types


def _result(page: PageWork) -> dict | None:
    return {**page.result, "text": page.text} if page.state == PageState.DONE else None


def review(ctx: WorkContext, code: str, number: int, overrides: dict | None) -> BatchRecord:
    """Apply the clerk's corrections to a held batch; returns it with the new verdict."""
    ledger = ctx.catalog.batches
    batch = ledger.batch(code, number)
    plan, types = analyse_pages(ctx, batch, ledger.pages(code, number), overrides)
    return ledger.replan(code, number, overrides, plan, types)


def accept(ctx: WorkContext, code: str, number: int) -> list[Message]:
    """The clerk accepts: the messages that build, sign and store the documents."""
    from sohoa.processing.documents import next_documents

    return next_documents(ctx, ctx.catalog.batches.accept(code, number))
