"""The clerk's corrections on the counter screen, as changes to the held batch's corrections.

Each button names one page by its position *as scanned*; the change is merged into the
batch's earlier corrections (:meth:`Corrections.with_action`) and the verdict is computed
again on the pages already read (:func:`sohoa.processing.review.review`, no OCR again).
"""

from __future__ import annotations

from sohoa.errors import OverrideError
from sohoa.processing import review as reviewing
from sohoa.processing.context import WorkContext
from sohoa.services.intake import batches_of
from sohoa.storage.records import BatchRecord


def correct(ctx: WorkContext, code: str, position: int, action: str,
            doc_type: str | None = None) -> BatchRecord:
    """Apply one correction to the dossier's latest batch; returns it with the new plan."""
    batches = batches_of(ctx, code)
    if not batches:
        raise OverrideError("Hồ sơ chưa có trang nào để sửa")
    batch, number = batches[-1], batches[-1].number
    if not 0 <= position < batch.page_count:
        raise OverrideError(f"Không có trang {position + 1} trong lô quét")
    corrections = batch.corrections.with_action(action, batch.page_count, position, doc_type)
    return reviewing.review(ctx, code, number, corrections)
