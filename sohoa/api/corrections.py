"""The clerk's corrections on the counter screen, as changes to the held batch's overrides.

Each button names one page by its position *as scanned*; the change is merged into the
batch's earlier corrections and the verdict is computed again on the pages already read
(:func:`sohoa.processing.review.review`, no OCR again).
"""

from __future__ import annotations

from sohoa.commands import merge_overrides
from sohoa.domain.doctypes import BY_CODE
from sohoa.errors import OverrideError
from sohoa.processing import review as reviewing
from sohoa.processing.context import WorkContext
from sohoa.storage.records import BatchRecord

ACTIONS = ("type", "remove", "restore", "up", "down", "split", "join")


def correct(ctx: WorkContext, code: str, position: int, action: str,
            doc_type: str | None = None) -> BatchRecord:
    """Apply one correction to the dossier's latest batch; returns it with the new plan."""
    from sohoa.api.views import batches_of

    batches = batches_of(ctx, code)
    if not batches:
        raise OverrideError("Hồ sơ chưa có trang nào để sửa")
    batch, number = batches[-1], batches[-1].number
    if not 0 <= position < batch.page_count:
        raise OverrideError(f"Không có trang {position + 1} trong lô quét")
    overrides = changed(batch.overrides or {}, batch.page_count, position, action, doc_type)
    return reviewing.review(ctx, code, number, overrides)


def changed(current: dict, count: int, position: int, action: str,
            doc_type: str | None) -> dict:
    """``current`` overrides with one correction applied."""
    if action == "type":
        if doc_type not in BY_CODE:
            raise OverrideError(f"Không có loại giấy tờ {doc_type!r}")
        return merge_overrides(current, {"types": {str(position): doc_type}})
    if action in ("up", "down"):
        return merge_overrides(current, {"order": moved(current, count, position, action)})
    if action == "restore":
        return _without(current, "removed", position)
    if action in ("remove", "split", "join"):
        key = {"remove": "removed", "split": "split_before", "join": "join"}[action]
        opposite = {"split_before": "join", "join": "split_before"}.get(key)
        base = _without(current, opposite, position) if opposite else current
        return merge_overrides(base, {key: [position]})
    raise OverrideError(f"Không hiểu thao tác {action!r}")


def moved(current: dict, count: int, position: int, direction: str) -> list[int]:
    """The order with ``position`` one place earlier or later among the pages kept."""
    order = [int(i) for i in current.get("order") or range(count)]
    removed = {int(i) for i in current.get("removed", ())}
    kept = [i for i in order if i not in removed]
    at = kept.index(position) if position in kept else -1
    other = at - 1 if direction == "up" else at + 1
    if at < 0 or not 0 <= other < len(kept):
        return order
    kept[at], kept[other] = kept[other], kept[at]
    return kept + [i for i in order if i in removed]


def _without(current: dict, key: str, position: int) -> dict:
    values = [int(i) for i in current.get(key, ()) if int(i) != position]
    result = {k: v for k, v in current.items() if k != key}
    return {**result, key: values} if values else result
