"""A batch held for the clerk: analysed, corrected (types, removal, order), then accepted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sohoa.domain.corrections import Corrections
from sohoa.errors import OverrideError, StorageError
from sohoa.processing.context import WorkContext
from sohoa.processing.embedded import run_embedded
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.processing.recovery import recover
from sohoa.processing.review import accept
from sohoa.processing.review import review as review_batch
from sohoa.storage.records import BatchRecord, BatchState

pytestmark = pytest.mark.ocr


def _held(ctx: WorkContext, scans: list[Path], code: str | None = None,
          replace: int | None = None) -> BatchRecord:
    received, _ = survey(scans, ctx)
    batch = receive_batch(ctx, "1.001193", scans, received, hold=True, dossier_code=code,
                          replace=replace)
    run_embedded(ctx, first_messages(ctx, batch))
    return ctx.catalog.batches.batch(batch.dossier_code, batch.number)


def review(ctx: WorkContext, code: str, number: int, corrections: dict | None) -> BatchRecord:
    """The clerk's corrections as stored (JSON), applied to the held batch."""
    return review_batch(ctx, code, number, Corrections.from_json(corrections))


def _plan(batch: BatchRecord) -> dict:
    """The batch's plan as stored."""
    return batch.plan.to_json()


def _statuses(batch: BatchRecord) -> dict[str, str]:
    return {i["item_id"]: i["status"] for i in _plan(batch)["verdict"]["items"]}


def test_held_batch_waits_for_the_clerk_then_builds_on_acceptance(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _held(ctx, scans)
    code = batch.dossier_code
    assert batch.state == BatchState.REVIEW and _plan(batch)["verdict"]["complete"] is True
    assert ctx.catalog.dossier(code).documents == ()  # nothing signed before acceptance
    assert ctx.catalog.dossier(code).status == 1  # mới đăng ký until the clerk accepts
    assert recover(ctx, timedelta(0)) == []  # waiting for the clerk is not being stuck
    run_embedded(ctx, accept(ctx, code, batch.number))
    record = ctx.catalog.dossier(code)
    assert record.status == 2  # được tiếp nhận
    assert ctx.catalog.batches.batch(code, 1).state == BatchState.DONE
    assert [d.doc_type for d in record.documents][:2] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert run_embedded(ctx, accept(ctx, code, batch.number)) is None  # twice: harmless
    assert len(ctx.catalog.dossier(code).documents) == len(record.documents)


def test_corrections_rerun_the_verdict_without_ocr(ctx: WorkContext, scans: list[Path]) -> None:
    batch = _held(ctx, scans)
    code = batch.dossier_code
    texts = [p.text for p in ctx.catalog.dossier(code).pages]

    # the certificate removed: the verdict now says it is missing
    removed = review(ctx, code, 1, {"removed": [1]})
    assert _plan(removed)["verdict"]["complete"] is False
    missing = [i["item_id"] for i in _plan(removed)["verdict"]["items"] if i["status"] == "missing"]
    assert missing == ["giay_chung_sinh"]
    assert ctx.catalog.dossier(code).pages[1].doc_type is None

    # put back, third page first, typed by the clerk as the form's first sheet, and the
    # form's titled page joined to it (positions as scanned, whatever the order shown)
    fixed = review(ctx, code, 1, {"order": [2, 0, 1], "types": {"2": "to_khai_khai_sinh"},
                                  "join": [0]})
    assert _plan(fixed)["arranged"] == [2, 0, 1]
    assert [d["pages"] for d in _plan(fixed)["documents"]] == [[2, 0], [1]]
    assert _plan(fixed)["verdict"]["complete"] is True
    assert [p.text for p in ctx.catalog.dossier(code).pages] == texts  # not read again

    run_embedded(ctx, accept(ctx, code, 1))
    record = ctx.catalog.dossier(code)
    assert [(d.doc_type, d.page_count) for d in record.documents] == [
        ("to_khai_khai_sinh", 2), ("giay_chung_sinh", 1)]
    assert [p.document_ordinal for p in record.pages] == [1, 2, 1]
    with pytest.raises(StorageError, match="không ở bước chờ"):
        review(ctx, code, 1, None)  # accepted: no more corrections


@pytest.mark.parametrize(("overrides", "message"), [
    ({"order": [0, 0, 1]}, "Thứ tự trang"),
    ({"order": [0, 5]}, "Thứ tự trang"),
    ({"removed": [7]}, "Không có trang 8"),
    ({"types": {"0": "khong_co"}}, "không phải mã loại giấy tờ"),
    ({"rotate": [1]}, "Không hiểu chỉnh sửa"),
])
def test_bad_corrections_are_refused_and_change_nothing(
        ctx: WorkContext, scans: list[Path], overrides: dict, message: str) -> None:
    batch = _held(ctx, scans)
    with pytest.raises(OverrideError, match=message):
        review(ctx, batch.dossier_code, 1, overrides)
    assert ctx.catalog.batches.batch(batch.dossier_code, 1).plan == batch.plan


def test_a_second_scan_joins_the_held_batch_and_one_verdict_covers_both(
        ctx: WorkContext, scans: list[Path]) -> None:
    first = _held(ctx, scans[:1])  # the form only: the certificate is missing
    code = first.dossier_code
    assert _statuses(first)["giay_chung_sinh"] == "missing"
    review(ctx, code, 1, {"order": [0]})  # an order set before the next scan

    second = _held(ctx, scans[1:], code)  # the certificate, found in the citizen's bag
    assert (second.number, second.page_count, second.state) == (1, 3, BatchState.REVIEW)
    assert ctx.catalog.batches.latest_number(code) == 1  # the same batch, not a new one
    assert _statuses(second)["giay_chung_sinh"] == "present"
    assert _plan(second)["verdict"]["complete"] is True
    assert _plan(second)["arranged"] == [0, 1, 2]  # new pages after the clerk's order

    run_embedded(ctx, accept(ctx, code, 1))
    assert [d.doc_type for d in ctx.catalog.dossier(code).documents][:2] == [
        "to_khai_khai_sinh", "giay_chung_sinh"]


def test_a_page_scanned_again_takes_the_old_ones_place(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _held(ctx, [scans[0], scans[2]])
    code = batch.dossier_code
    review(ctx, code, 1, {"types": {"1": "khac"}, "split_before": [1]})
    replaced = _held(ctx, [scans[1]], code, replace=1)  # page 2 scanned again
    assert replaced.corrections.to_json() == {"order": [0, 1, 2], "removed": [1],
                                              "types": {"1": "khac", "2": "khac"},
                                              "split_before": [1, 2]}
    assert _plan(replaced)["arranged"] == [0, 2]  # the new page stands where the old one was
    assert [d["doc_type"] for d in _plan(replaced)["documents"]] == ["to_khai_khai_sinh", "khac"]
    with pytest.raises(StorageError, match="không có trang 9"):
        _held(ctx, [scans[1]], code, replace=8)
    assert ctx.catalog.batches.batch(code, 1).page_count == 3  # the refused scan added nothing


def test_documents_accepted_earlier_count_in_a_later_batchs_verdict(
        ctx: WorkContext, scans: list[Path]) -> None:
    first = _held(ctx, scans[:1])
    code = first.dossier_code
    run_embedded(ctx, accept(ctx, code, 1))
    assert ctx.catalog.dossier(code).complete is False  # the certificate is missing

    later = _held(ctx, scans[1:2], code)  # the citizen comes back with it
    assert later.number == 2  # batch 1 was accepted: a new batch
    items = {i["item_id"]: i for i in _plan(later)["verdict"]["items"]}
    assert items["to_khai"]["status"] == "present"
    assert "đã nhận lần trước" in items["to_khai"]["reason"]
    assert _plan(later)["verdict"]["complete"] is True
    assert [d["ordinal"] for d in _plan(later)["documents"]] == [2]
    assert _plan(later)["documents"][0]["item_id"] == "giay_chung_sinh"
    run_embedded(ctx, accept(ctx, code, 2))
    assert ctx.catalog.dossier(code).complete is True
