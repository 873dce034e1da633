"""Results (kết quả giải quyết): added by the officer, the agency's signature kept valid
(checked by poppler's pdfsig), a paper result signed like an intake document, 4 → 9 → 10
with the hand-over recorded, and the result in the portal's format."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.domain.access import Principal, Role
from sohoa.domain.portal import EventKind
from sohoa.domain.results import ResultMetadata
from sohoa.errors import PermissionDeniedError, StorageError, UsageError
from sohoa.pipeline.devca import DEV_CA_FILE
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext, open_context
from sohoa.services import portal, results
from sohoa.storage import routing
from sohoa.storage.outbox import PortalOutbox
from sohoa.storage.results import handover
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.helpers import pki
from tests.helpers.pdfs import append_page_edit
from tests.helpers.stored import store_dossier, tiny_pdf
from tests.processing.conftest import work_settings

VN = timezone(timedelta(hours=7))
RECEIVED = datetime(2026, 12, 1, 9, 30, tzinfo=VN)
OFFICER = Principal("can_bo_tu_phap", Role.AGENCY, agency_codes=frozenset({"000.00.14.H56"}))
CLERK = Principal("canbo1", Role.CLERK)
BIRTH_CERTIFICATE = ResultMetadata(
    code="KQ.G17.000123", name="Giấy khai sinh", number="123/2026/GKS",
    issued_on=date(2026, 12, 2), issuing_agency="UBND phường Ba Đình",
    signer="Nguyễn Văn Chủ Tịch")


@pytest.fixture
def ctx(tmp_path: Path) -> WorkContext:
    with open_context(work_settings(tmp_path / "center")) as context:
        yield context


@pytest.fixture
def agency_signed(tmp_path: Path) -> tuple[bytes, Path]:
    """A result PDF signed by the agency (its own CA, not the center's), and that CA."""
    with open_context(work_settings(tmp_path / "agency")) as agency:
        pdf = sign_pdf(tiny_pdf("Giấy khai sinh"), agency.signer(), agency.settings.signing,
                       reason="Ký ban hành")
        return pdf, agency.settings.signing.dev_ca_dir / DEV_CA_FILE


def _in_processing(ctx: WorkContext) -> str:
    code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])], RECEIVED)
    routing.route(ctx.catalog, code, ["000.00.14.H56"])
    routing.change_status(ctx.catalog, code, 4, by=OFFICER.actor)
    return code


def test_a_signed_result_is_kept_as_received_and_its_signature_stays_valid(
        ctx: WorkContext, agency_signed: tuple[bytes, Path], tmp_path: Path) -> None:
    pdf, agency_ca = agency_signed
    code = _in_processing(ctx)
    result = results.add_result(ctx, OFFICER, code, pdf, BIRTH_CERTIFICATE)

    assert (result.ordinal, result.kept_as_received, result.added_by) == (
        2, True, "can_bo_tu_phap")
    record = ctx.catalog.dossier(code)
    assert record.status == 9
    stored = record.documents[-1]
    kept = ctx.objects.get(stored.key, stored.sha256, version_id=stored.version_id)
    assert kept == pdf  # byte for byte: nothing signed over the agency's signature
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(kept)
    out = pki.pdfsig(path, pki.nss_store(tmp_path / "nss", [agency_ca]))
    assert out.count("Signature is Valid.") == 1 and "Certificate is Trusted." in out
    assert (stored.doc_type, stored.title) == ("ket_qua", "Giấy khai sinh")

    done = results.hand_over(ctx, CLERK, code, "Trần Thị Mẹ", "001190012345")
    assert (done.recipient, done.recipient_id, done.handed_by, done.receipt_number) == (
        "Trần Thị Mẹ", "001190012345", "canbo1", f"{code}/TKQ")
    assert ctx.catalog.dossier(code).status == 10
    assert handover(ctx.catalog, code) == done
    assert results.hand_over(ctx, CLERK, code, "Người khác") == done  # recorded once
    (tmp_path / "phieu.pdf").write_bytes(results.handover_slip(ctx, code))
    slip = subprocess.run(["pdftotext", str(tmp_path / "phieu.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for text in ("PHIẾU TRẢ KẾT QUẢ", f"{code}/TKQ", "Trần Thị Mẹ", "001190012345",
                 "Giấy khai sinh số 123/2026/GKS", "UBND phường Ba Đình", "canbo1"):
        assert text in slip

    events = [(e.kind, e.status, e.by) for e, _ in PortalOutbox(ctx.catalog).events(code)]
    assert events[-4:] == [(EventKind.STATUS, 4, "can_bo_tu_phap"),
                           (EventKind.DOCUMENT, 4, "can_bo_tu_phap"),
                           (EventKind.STATUS, 9, "can_bo_tu_phap"),
                           (EventKind.STATUS, 10, "canbo1")]
    national = portal.national_dossier(ctx, code)
    assert [f.TenTepDinhKem for f in national.TaiLieuNop] == ["Tờ khai đăng ký khai sinh"]
    assert [(r.TenGiayTo, r.MaGiayToKetQua, r.GiayToId) for r in
            national.DanhSachGiayToKetQua] == [("Giấy khai sinh", "KQ.G17.000123",
                                                f"{code}.02")]
    assert (national.TrangThaiHoSo, national.NgayTra is not None) == (10, True)


def test_a_paper_result_is_digitized_like_an_intake_document(
        ctx: WorkContext, tmp_path: Path, tesseract_vie: str) -> None:
    code = _in_processing(ctx)
    scan = save_scan(make_page(16, Scan(dpi=300), title="GIẤY KHAI SINH", sentences=3),
                     tmp_path / "ket-qua.png")
    result = results.add_result(ctx, CLERK, code, scan.read_bytes(),
                                BIRTH_CERTIFICATE.model_copy(update={"valid_until":
                                                                     date(2031, 12, 2)}))
    assert result.kept_as_received is False
    stored = ctx.catalog.dossier(code).documents[-1]
    signed = ctx.objects.get(stored.key, stored.sha256)
    report = verify_pdf(signed, trust_roots_for(ctx.settings.signing))
    assert report.valid and len(report.signatures) == 1
    assert stored.page_count == 1
    (tmp_path / "kq.pdf").write_bytes(signed)
    text = subprocess.run(["pdftotext", str(tmp_path / "kq.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "KHAI SINH" in text  # OCRed: a text layer under the image
    assert result.metadata.valid_until == date(2031, 12, 2)
    assert [r.ordinal for r in results.store.results(ctx.catalog, code)] == [2]


def test_a_result_changed_after_signing_or_out_of_turn_is_refused(
        ctx: WorkContext, agency_signed: tuple[bytes, Path]) -> None:
    pdf, _ = agency_signed
    code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])], RECEIVED)
    with pytest.raises(StorageError, match="chỉ thêm kết quả khi hồ sơ đang xử lý"):
        results.add_result(ctx, CLERK, code, pdf, BIRTH_CERTIFICATE)  # still status 2
    routing.change_status(ctx.catalog, code, 4)
    with pytest.raises(UsageError, match="không còn nguyên vẹn"):
        results.add_result(ctx, CLERK, code, append_page_edit(pdf), BIRTH_CERTIFICATE)
    with pytest.raises(UsageError, match="không đọc được"):
        results.add_result(ctx, CLERK, code, b"not a pdf", BIRTH_CERTIFICATE)
    with pytest.raises(PermissionDeniedError):
        results.add_result(ctx, Principal("luutru1", Role.ARCHIVIST), code, pdf,
                           BIRTH_CERTIFICATE)
    with pytest.raises(PermissionDeniedError):  # an agency the dossier is not routed to
        results.add_result(ctx, Principal("khac", Role.AGENCY,
                                          agency_codes=frozenset({"000.99.14.H56"})),
                           code, pdf, BIRTH_CERTIFICATE)
    with pytest.raises(StorageError, match="chỉ trả kết quả cho hồ sơ đã xử lý xong"):
        results.hand_over(ctx, CLERK, code, "Trần Thị Mẹ")
    assert ctx.catalog.dossier(code).status == 4
    assert [d.doc_type for d in ctx.catalog.dossier(code).documents] == ["to_khai_khai_sinh"]
