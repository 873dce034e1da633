"""What the papers say about a stored dossier: the clerk who signs for it, each missing item
named once with what to hand in, the parent agency, the place of return without "Tại"."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sohoa.domain.procedures import Requirement
from sohoa.domain.verdict import ItemStatus, ItemVerdict, Verdict
from sohoa.processing.context import WorkContext, open_context
from sohoa.services.receipts import clerk_name, dossier_paper, needed_text
from sohoa.storage.accounts import Accounts
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
