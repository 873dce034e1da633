"""What the papers say about a stored dossier: the clerk who signs for it, each missing item
named once with what to hand in, the parent agency, the place of return without "Tại", and
the reason a refused dossier was refused."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sohoa.clock import VIETNAM
from sohoa.domain.procedures import Requirement
from sohoa.domain.verdict import ItemStatus, ItemVerdict, Verdict
from sohoa.errors import UsageError
from sohoa.pipeline.receipt import Applicant
from sohoa.processing.context import WorkContext, open_context
from sohoa.services import worklist as worklist_service
from sohoa.services.intake import refuse_dossier
from sohoa.services.receipts import clerk_name, dossier_paper, needed_text, paper_file_name
from sohoa.services.worklist import WorklistQuery, worklist
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import ReceivedFile
from tests.processing.conftest import work_settings
from tests.support import require_program

RECEIVED = datetime(2026, 11, 23, 2, 5, tzinfo=UTC)
PARENT = "Ủy ban nhân dân phường Cửa Nam"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[WorkContext]:
    settings = replace(work_settings(tmp_path / "data"), parent_agency_name=PARENT,
                       agency_name="Bộ phận Một cửa phường Cửa Nam")
    context = open_context(settings)
    Accounts(context.catalog).create_user("trang", "clerk", "mat-khau-dai-du-12",
                                          full_name="Phạm Thu Trang")
    Accounts(context.catalog).create_user("khongten", "clerk", "mat-khau-dai-du-12")
    yield context
    context.close()


def _birth_dossier(ctx: WorkContext, certificate: bool) -> str:
    """A birth registration with its form; the birth certificate only when asked."""
    code = ctx.catalog.batches.receive(
        procedure_code="1.001193", agency_code=ctx.settings.agency_code, received_at=RECEIVED,
        files=[ReceivedFile("to-khai.png", "a" * 64, 10, 1)]).dossier_code
    procedure = ctx.procedures().get("1.001193")
    items = [ItemVerdict(item_id=i.id, name=i.name, requirement=i.requirement,
                         status=ItemStatus.MISSING if i.id == "giay_chung_sinh"
                         and not certificate else ItemStatus.PRESENT,
                         reason=f"thiếu: không tìm thấy {i.name}")
             for i in procedure.items if i.requirement is Requirement.REQUIRED]
    verdict = Verdict(procedure_code=procedure.code, procedure_name=procedure.name,
                      complete=certificate, items=items, summary="")
    ctx.catalog.set_verdict(code, verdict.model_dump(mode="json"), certificate)
    return code


def _text(pdf: bytes) -> str:
    out = subprocess.run([require_program("pdftotext"), "-", "-"], input=pdf,
                         capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_clerk_name_is_the_accounts_full_name(ctx: WorkContext) -> None:
    assert clerk_name(ctx, "trang") == "Phạm Thu Trang"
    assert clerk_name(ctx, "khongten") is None  # no full name: the caller's default
    assert clerk_name(ctx, "nobody") is None
    assert clerk_name(ctx, None) is None


def test_notice_names_the_missing_item_once_and_the_clerk(ctx: WorkContext) -> None:
    code = _birth_dossier(ctx, certificate=False)
    kind, pdf = dossier_paper(ctx, code, receiver=clerk_name(ctx, "trang"))
    text = _text(pdf)
    assert kind == "supplement"
    certificate = "Giấy chứng sinh hoặc văn bản của người làm chứng / giấy cam đoan về việc sinh"
    assert f"1. {certificate}: 01 bản chính." in text
    assert text.count("Giấy chứng sinh") == 1 and "không tìm thấy" not in text
    assert "Phạm Thu Trang" in text and "Cán bộ số hóa" not in text
    assert PARENT.upper() in text


def test_receipt_defaults_to_the_digitizer_and_says_where_once(ctx: WorkContext) -> None:
    code = _birth_dossier(ctx, certificate=True)
    kind, pdf = dossier_paper(ctx, code, receiver=clerk_name(ctx, "khongten"))
    text = _text(pdf)
    assert kind == "receipt"
    assert "Nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ." in text
    assert ctx.settings.digitizer in text  # unknown name: the default stays


def test_needed_text_counts_without_the_name(ctx: WorkContext) -> None:
    hkd = ctx.procedures().get("1.001612")
    texts = {i.id: needed_text(i) for i in hkd.items}
    assert texts["giay_de_nghi"] == "01 bản chính"
    assert all(i.name not in t for i, t in zip(hkd.items, texts.values(), strict=True))


REASON = "Giấy chứng sinh không phải bản chính, công dân không bổ sung được"


def test_a_refused_dossier_gets_the_refusal_slip_with_its_stored_reason(
        ctx: WorkContext) -> None:
    code = _birth_dossier(ctx, certificate=False)
    assert refuse_dossier(ctx, code, f"  {REASON} ") == REASON  # trimmed as stored
    record = ctx.catalog.dossier(code)
    assert (record.status, record.refusal_reason) == (3, REASON)
    assert record.refused_at is not None
    kind, pdf = dossier_paper(ctx, code, receiver=clerk_name(ctx, "trang"))
    text = _text(pdf)
    assert kind == "refusal" and paper_file_name(kind, code) == f"tu-choi-{code}.pdf"
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and code in text
    assert f"lý do cụ thể như sau: {REASON}" in text
    assert "Đăng ký khai sinh" in text and "Phạm Thu Trang" in text
    assert "BỔ SUNG, HOÀN THIỆN" not in text  # refused: no longer asked to complete it
    local = record.refused_at.astimezone(VIETNAM)
    assert f"Ngày {local:%d} tháng {local:%m} năm {local:%Y}" in text


def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(ctx: WorkContext) -> None:
    code = _birth_dossier(ctx, certificate=False)
    with pytest.raises(UsageError, match="Nhập lý do từ chối"):
        refuse_dossier(ctx, code, "   ")
    with pytest.raises(UsageError, match="tối đa 500"):
        refuse_dossier(ctx, code, "x" * 501)
    assert ctx.catalog.dossier(code).status == 1
    assert dossier_paper(ctx, code)[0] == "supplement"


def test_a_refusal_without_a_stored_reason_reads_the_audit_log_or_leaves_lines(
        ctx: WorkContext) -> None:
    """Dossiers refused before 0014, or moved to 3 by an agency, have no stored reason."""
    logged, blank = (_birth_dossier(ctx, certificate=False) for _ in range(2))
    for code in (logged, blank):
        ctx.catalog.set_status(code, 3)  # as before 0014: the status only
    AuditLog(ctx.catalog).record("trang", "dossier.refuse", dossier_code=logged,
                                 detail={"reason": "không bổ sung trong thời hạn"})
    assert "như sau: không bổ sung trong thời hạn" in _text(dossier_paper(ctx, logged)[1])
    text = _text(dossier_paper(ctx, blank)[1])
    assert "như sau: ....." in text and "PHIẾU TỪ CHỐI" in text


HOA = Applicant("Đặng Thị Hoà", "12 Phố Huế, Hà Nội", "0912 345 678")


def test_what_the_clerk_types_is_kept_listed_found_and_reprinted(ctx: WorkContext) -> None:
    code, other = _birth_dossier(ctx, certificate=False), _birth_dossier(ctx, certificate=True)
    assert "Đặng Thị Hoà" in _text(dossier_paper(ctx, code, HOA)[1])
    kept = ctx.catalog.dossier(code).applicant
    assert (kept.name, kept.address, kept.contact) == (HOA.name, HOA.address, HOA.contact)
    dossier_paper(ctx, other)  # nothing typed: nothing kept
    assert ctx.catalog.dossier(other).applicant.name == ""
    reprint = _text(dossier_paper(ctx, code, Applicant(contact="0987 000 111"))[1])
    assert "Đặng Thị Hoà" in reprint and "0987 000 111" in reprint  # blank fields: the kept
    listed = worklist(ctx, WorklistQuery())
    assert [(r.summary.code, r.applicant) for r in listed.rows] == [
        (other, ""), (code, "Đặng Thị Hoà")]  # same time: the newer number first
    for typed in ("dang thi hoa", "  DANG   thi  ", "Hoà"):
        found = worklist(ctx, WorklistQuery(typed))
        assert (found.total, [r.summary.code for r in found.rows]) == (1, [code]), typed
    assert worklist(ctx, WorklistQuery("khai sinh")).total == 2  # the procedure's name
    assert worklist(ctx, WorklistQuery("chat ha")).total == 0


def test_a_refusal_slip_keeps_the_typed_applicant_too(ctx: WorkContext) -> None:
    code = _birth_dossier(ctx, certificate=False)
    refuse_dossier(ctx, code, REASON)
    assert "Đặng Thị Hoà" in _text(dossier_paper(ctx, code, HOA)[1])
    assert worklist(ctx, WorklistQuery("hoa")).rows[0].applicant == "Đặng Thị Hoà"


def test_a_dossier_analysed_before_0015_is_filled_from_its_card_when_listed(
        ctx: WorkContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """No applicant stored, a card among the scans (read here by a stand-in): the row reads
    it once and keeps it, so the name is found in SQL from then on; typed stays typed."""
    code, typed = _birth_dossier(ctx, certificate=False), _birth_dossier(ctx, certificate=True)
    dossier_paper(ctx, typed, Applicant("Trần Văn Bình"))
    card = Applicant("LÊ VĂN CẢNH", "Thôn 3, Huế")
    monkeypatch.setattr(worklist_service, "applicant_from_scans", lambda *_: card)
    assert worklist(ctx, WorklistQuery("le van canh")).total == 0  # not stored yet
    rows = {r.summary.code: r.applicant for r in worklist(ctx, WorklistQuery()).rows}
    assert rows == {code: "LÊ VĂN CẢNH", typed: "Trần Văn Bình"}
    assert ctx.catalog.dossier(code).applicant.address == "Thôn 3, Huế"
    assert [r.summary.code for r in worklist(ctx, WorklistQuery("le van canh")).rows] == [code]
