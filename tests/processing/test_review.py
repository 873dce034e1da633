"""A batch held for the clerk: analysed, corrected (types, removal, order), then accepted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sohoa.errors import OverrideError, StorageError
from sohoa.processing.context import WorkContext
from sohoa.processing.embedded import run_embedded
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.processing.recovery import recover
from sohoa.processing.review import accept, review
from sohoa.storage.records import BatchRecord, BatchState

pytestmark = pytest.mark.ocr


def _held(ctx: WorkContext, scans: list[Path]) -> BatchRecord:
    received, _ = survey(scans, ctx)
    batch = receive_batch(ctx, "1.001193", scans, received, hold=True)
    run_embedded(ctx, first_messages(ctx, batch))
    return ctx.catalog.batches.batch(batch.dossier_code, batch.number)


def test_held_batch_waits_for_the_clerk_then_builds_on_acceptance(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _held(ctx, scans)
    code = batch.dossier_code
    assert batch.state == BatchState.REVIEW and batch.plan["verdict"]["complete"] is True
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
    assert removed.plan["verdict"]["complete"] is False
    missing = [i["item_id"] for i in removed.plan["verdict"]["items"] if i["status"] == "missing"]
    assert missing == ["giay_chung_sinh"]
    assert ctx.catalog.dossier(code).pages[1].doc_type is None

    # put back, third page first, typed by the clerk as the form's first sheet, and the
    # form's titled page joined to it (positions as scanned, whatever the order shown)
    fixed = review(ctx, code, 1, {"order": [2, 0, 1], "types": {"2": "to_khai_khai_sinh"},
                                  "join": [0]})
    assert fixed.plan["arranged"] == [2, 0, 1]
    assert [d["pages"] for d in fixed.plan["documents"]] == [[2, 0], [1]]
    assert fixed.plan["verdict"]["complete"] is True
    assert [p.text for p in ctx.catalog.dossier(code).pages] == texts  # not read again

    run_embedded(ctx, accept(ctx, code, 1))
    record = ctx.catalog.dossier(code)
    assert [(d.doc_type, d.page_count) for d in record.documents] == [
        ("to_khai_khai_sinh", 2), ("giay_chung_sinh", 1)]
    assert [p.document_ordinal for p in record.pages] == [1, 2, 1]
    with pytest.raises(StorageError, match="không ở bước chờ"):
        review(ctx, code, 1, None)  # accepted: no more corrections


@pytest.mark.parametrize(("overrides", "message"), [
    ({"order": [0, 1]}, "Thứ tự trang"),
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
