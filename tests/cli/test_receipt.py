"""``sohoa receipt``: a complete dossier gets the receipt with its appointment, an incomplete
one the request to complete it, a refused one the refusal slip with its reason."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.domain.calendar import appointment, load_calendar
from sohoa.errors import ExitCode
from sohoa.processing.context import open_context
from sohoa.services.intake import register_dossier
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.support import require_program

pytestmark = pytest.mark.ocr
CODE = re.compile(r"Mã hồ sơ: (\S+)")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tesseract_vie: str) -> Path:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOHOA_AGENCY_NAME", "UBND phường Cửa Nam")
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_BROKER_URL",
                 "SOHOA_DATABASE_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "data"


def _text(path: Path) -> str:
    out = subprocess.run([require_program("pdftotext"), str(path), "-"], capture_output=True,
                         check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _scan(tmp_path: Path, title: str, seed: int) -> Path:
    page = make_page(seed, Scan(dpi=200), size_in=(5.8, 8.3), sentences=5, title=title)
    return save_scan(page, tmp_path / f"{seed}.png")


def test_complete_dossier_gets_the_receipt(data_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture) -> None:
    files = [_scan(tmp_path, "TỜ KHAI ĐĂNG KÝ KHAI SINH", 81),
             _scan(tmp_path, "GIẤY CHỨNG SINH", 82)]
    assert main(["intake", "--procedure", "1.001193", "--quiet", *map(str, files)]) == 0
    code = CODE.search(capsys.readouterr().out).group(1)
    out = tmp_path / "giay.pdf"
    assert main(["receipt", code, "--out", str(out), "--name", "Lê Văn Tám",
                 "--contact", "0987 654 321", "--receiver", "Phạm Thu Trang"]) == 0
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in capsys.readouterr().out
    text = _text(out)
    ctx = open_context(Settings.from_env())
    try:
        record = ctx.catalog.dossier(code)
    finally:
        ctx.close()
    received = record.received_at
    assert (record.applicant.name, record.applicant.contact) == ("Lê Văn Tám", "0987 654 321")
    due = appointment(load_calendar(), received, 0)  # 1.001193: trong ngày
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", code, "UBND PHƯỜNG CỬA NAM",
                     "Lê Văn Tám", "0987 654 321", "Đăng ký khai sinh",
                     "Tờ khai đăng ký khai sinh theo mẫu", "Phạm Thu Trang", "trong ngày",
                     f"{due:%H} giờ {due:%M} phút, ngày {due:%d/%m/%Y}"):
        assert expected in text, expected


def test_incomplete_dossier_gets_the_supplement_notice(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the notice is written to the current folder by default
    form = _scan(tmp_path, "TỜ KHAI ĐĂNG KÝ KHAI SINH", 83)
    assert main(["intake", "--procedure", "1.001193", "--quiet", str(form)]) == 0
    code = CODE.search(capsys.readouterr().out).group(1)
    with open_context(Settings.from_env()) as ctx:
        Accounts(ctx.catalog).create_user("trang", "clerk", "mat-khau-dai-du-12",
                                          full_name="Phạm Thu Trang")
    assert main(["receipt", code, "--clerk", "trang"]) == 0
    text = _text(tmp_path / f"yeu-cau-bo-sung-{code}.pdf")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert text.count("Giấy chứng sinh") == 1  # the missing item, named once
    assert "GIẤY TIẾP NHẬN" not in text
    assert "Phạm Thu Trang" in text  # the clerk's full name, not "Cán bộ số hóa"
    capsys.readouterr()
    assert main(["receipt", code, "--clerk", "ai-do"]) == 0  # unknown: the default, said so
    assert "ai-do" in capsys.readouterr().err
    assert "Cán bộ số hóa" in _text(tmp_path / f"yeu-cau-bo-sung-{code}.pdf")


def test_a_refused_dossier_gets_the_refusal_slip(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the slip is written to the current folder by default
    with open_context(Settings.from_env()) as ctx:
        code = register_dossier(ctx, "1.001193")  # as for a cover, nothing scanned yet
    with pytest.raises(SystemExit) as exited:  # the reason is what the slip says
        main(["refuse", code])
    assert exited.value.code == ExitCode.USAGE
    assert "thiếu tham số bắt buộc: --reason" in capsys.readouterr().err
    assert main(["refuse", code, "--reason", " "]) == ExitCode.USAGE
    assert "Nhập lý do từ chối" in capsys.readouterr().err
    reason = "Công dân đề nghị đăng ký khai sinh cho trẻ không cư trú tại địa bàn"
    assert main(["refuse", code, "--reason", reason]) == 0
    assert f"sohoa receipt {code}" in capsys.readouterr().out  # says how to print the slip
    assert main(["receipt", code, "--name", "Lê Văn Tám", "--receiver", "Phạm Thu Trang"]) == 0
    assert "Phiếu từ chối tiếp nhận, giải quyết hồ sơ" in capsys.readouterr().out
    text = _text(tmp_path / f"tu-choi-{code}.pdf")
    for expected in ("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", code, f"như sau: {reason}",
                     "Ông/Bà: Lê Văn Tám", "Đăng ký khai sinh", "Phạm Thu Trang"):
        assert expected in text, expected


def test_unknown_dossier_is_refused(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["receipt", "000.00.14.H56-261123-9999"]) == 7
    assert "9999" in capsys.readouterr().err


def test_a_procedure_of_the_national_catalog_end_to_end(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Issue 14: a procedure no one curated (1.002693, from the shipped national catalog) is
    classified against its own checklist, stored, and gets its receipt with its 10 working
    days."""
    files = [_scan(tmp_path, "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP CHẶT HẠ, DỊCH CHUYỂN CÂY XANH", 91),
             _scan(tmp_path, "ẢNH CHỤP HIỆN TRẠNG CÂY XANH ĐÔ THỊ", 92)]
    assert main(["intake", "--procedure", "1.002693", "--quiet", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert "Kết luận: Hồ sơ đầy đủ" in out
    assert ("Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh "
            "[1.002693/don_de_nghi_cap_giay_phep] — trang 1") in out
    code = CODE.search(out).group(1)
    receipt = tmp_path / "giay-cay.pdf"
    assert main(["receipt", code, "--out", str(receipt)]) == 0
    text = _text(receipt)
    ctx = open_context(Settings.from_env())
    try:
        received = ctx.catalog.dossier(code).received_at
        titles = [d.title for d in ctx.catalog.dossier(code).documents]
    finally:
        ctx.close()
    assert titles == ["Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh",
                      "Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển"]
    due = appointment(load_calendar(), received, 10)
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Cấp giấy phép chặt hạ, dịch "
                     "chuyển cây xanh", "10 ngày làm việc", f"ngày {due:%d/%m/%Y}"):
        assert expected in text, expected
