"""A dossier in the national sync format, and ``sohoa portal payload|status|retry``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sohoa.cli.main import main
from sohoa.domain.portal import portal_time
from sohoa.processing.context import open_context
from sohoa.services import portal
from sohoa.services.links import read_link
from sohoa.settings import Settings
from sohoa.storage import routing
from sohoa.storage.applicants import record_applicant
from sohoa.storage.outbox import PortalOutbox
from sohoa.storage.papers import set_owner
from sohoa.storage.records import DossierApplicant
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))
RECEIVED = datetime(2026, 12, 1, 9, 30, tzinfo=VN)
SECRET = "k" * 40


def test_time_is_vietnam_time_in_the_portal_form() -> None:
    assert portal_time(datetime(2026, 12, 1, 17, 5, 9, tzinfo=UTC)) == "20261202000509"
    assert portal_time(None) is None


def test_a_dossier_in_the_national_format_with_fresh_signed_links(tmp_path: Path) -> None:
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data"),
           "SOHOA_PUBLIC_URL": "https://sohoa.example.gov.vn/"}
    with open_context(Settings.from_env(env)) as ctx:
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"]),
                                               ("giay_chung_sinh", ["Giấy chứng sinh"])],
                             RECEIVED)
        ctx.catalog.set_status(code, 2, by="can_bo_mot_cua")  # announced with its documents
        for status in (4, 9):
            routing.change_status(ctx.catalog, code, status, by="can_bo_tu_phap")
        ctx.catalog.set_status(code, 10, by="can_bo_tu_phap")  # as the hand-over writes it
        dossier = portal.national_dossier(ctx, code, SECRET)

    assert (dossier.MaHoSo, dossier.MaTTHC, dossier.TenTTHC) == (code, "1.001193",
                                                                 "Đăng ký khai sinh")
    assert dossier.NgayTiepNhan == "20261201093000"
    assert dossier.NgayHenTra is not None and dossier.NgayHenTra.startswith("20261201")
    assert (dossier.TrangThaiHoSo, dossier.KenhThucHien, dossier.HoSoCoThanhPhanSoHoa) == (
        10, 1, 1)
    assert dossier.NgayTra is not None and len(dossier.NgayTra) == 14
    assert [(f.TepDinhKemId, f.TenTepDinhKem, f.DuocSoHoa, f.DuocTaiSuDung)
            for f in dossier.TaiLieuNop] == [
        (f"{code}.01", "Tờ khai đăng ký khai sinh", 1, 0),
        (f"{code}.02", "Giấy chứng sinh", 1, 0)]
    link = dossier.TaiLieuNop[1].DuongDanTaiTepTin
    assert link is not None and link.startswith("https://sohoa.example.gov.vn/api/v1/links/")
    target = read_link(SECRET, urlsplit(link).path.rsplit("/", 1)[1])
    assert (target.dossier_code, target.ordinal, target.issued_to) == (code, 2, "portal")
    assert [(h.TrangThai, h.NguoiXuLy, h.NoiDungXuLy) for h in dossier.QuaTrinhXuLy] == [
        (2, "Bộ phận Tiếp nhận và Trả kết quả", "Tiếp nhận hồ sơ"),
        (4, "can_bo_tu_phap", "Chuyển xử lý"),
        (9, "can_bo_tu_phap", "Đã xử lý xong"), (10, "can_bo_tu_phap", "Đã trả kết quả")]
    assert all(len(h.ThoiDiemXuLy) == 14 for h in dossier.QuaTrinhXuLy)


def test_without_a_card_the_owner_is_the_applicant_the_clerk_typed(tmp_path: Path) -> None:
    """ChuHoSo falls back to the applicant kept with the dossier; no personal id is known
    from a typed name, so SoGiayToChuHoSo and DinhDanhCHS stay empty until the clerk sets the
    owner's personal id (as for reuse), which they then carry."""
    with open_context(Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})) as ctx:
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])], RECEIVED)
        assert portal.national_dossier(ctx, code, SECRET).ChuHoSo == ""
        record_applicant(ctx.catalog, code, DossierApplicant("Trần Văn Bình", "Huế"),
                         typed=True)
        dossier = portal.national_dossier(ctx, code, SECRET)
        assert (dossier.ChuHoSo, dossier.SoGiayToChuHoSo, dossier.DinhDanhCHS) == (
            "Trần Văn Bình", "", [])
        set_owner(ctx.catalog, code, "046090001234")
        owned = portal.national_dossier(ctx, code, SECRET)
    assert (owned.ChuHoSo, owned.SoGiayToChuHoSo) == ("Trần Văn Bình", "046090001234")
    assert [(i.LoaiDinhDanh, i.SoDinhDanh) for i in owned.DinhDanhCHS] == [(1, "046090001234")]


def test_the_portal_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture) -> None:
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with open_context(Settings.from_env(env)) as ctx:
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])], RECEIVED)
        ctx.catalog.set_status(code, 2)
        outbox = PortalOutbox(ctx.catalog)
        record = outbox.claim_next(datetime.now(UTC) + timedelta(seconds=1),
                                   timedelta(seconds=30))
        assert record is not None
        outbox.failed(record, "HTTP 400: sai định dạng", datetime.now(UTC), dead=True)

    assert main(["portal", "payload", code]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["MaHoSo"] == code and printed["TrangThaiHoSo"] == 2
    assert printed["TaiLieuNop"][0]["DuongDanTaiTepTin"] is None  # no SOHOA_PUBLIC_URL

    assert main(["portal", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["counts"] == {"pending": 1, "delivered": 0, "dead": 1}
    assert [(d["dossier"], d["sequence"], d["last_error"]) for d in status["dead"]] == [
        (code, 1, "HTTP 400: sai định dạng")]
    assert main(["portal", "status"]) == 0
    assert "lỗi, đã dừng gửi: 1" in capsys.readouterr().out

    assert main(["portal", "retry", code]) == 0
    assert capsys.readouterr().out == f"{code}: 1 bản ghi được gửi lại.\n"
    assert main(["portal", "send", "--once"]) == 2  # no SOHOA_PORTAL_URL: refused
