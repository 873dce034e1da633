"""Receipt and supplement notice PDFs: every field printed, the dossier code in the QR."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from PIL import Image

from sohoa.pipeline.classify.qr import decode_qr
from sohoa.pipeline.receipt import (
    Applicant,
    ComponentLine,
    MissingItem,
    Receipt,
    SupplementNotice,
    clock_and_day,
    receipt_pdf,
    supplement_pdf,
)
from tests.support import require_program

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.14.H56-261123-0007"
APPLICANT = Applicant("Nguyễn Thị Hạnh", "Số 12 phố Lý Thường Kiệt, phường Cửa Nam, Hà Nội",
                      "0912 345 678")


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_program("pdftotext"), "-layout", str(path), "-"],
                         capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _qr(pdf: bytes, tmp_path: Path) -> tuple[str, ...]:
    path = tmp_path / "q.pdf"
    path.write_bytes(pdf)
    subprocess.run([require_program("pdftoppm"), "-r", "150", "-gray", "-png", "-f", "1", "-l",
                    "1", str(path), str(tmp_path / "q")], check=True)
    image = np.asarray(Image.open(next(tmp_path.glob("q*.png"))).convert("L"))
    return decode_qr(image, 150)


def test_receipt_prints_every_field(tmp_path: Path) -> None:
    receipt = Receipt(
        agency_name="Trung tâm Phục vụ hành chính công phường Cửa Nam", dossier_code=CODE,
        procedure_code="1.001612", procedure_name="Đăng ký thành lập hộ kinh doanh",
        applicant=APPLICANT,
        components=[ComponentLine("Giấy đề nghị đăng ký hộ kinh doanh", "Bản chính", 1),
                    ComponentLine("Bản sao giấy tờ pháp lý của cá nhân", "Bản sao", 2)],
        processing_time="3 ngày làm việc",
        received_at=datetime(2026, 11, 23, 9, 5, tzinfo=VN),
        appointment=datetime(2026, 11, 26, 9, 5, tzinfo=VN),
        result_place="Tại Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ",
        receiver="Trần Văn Bình", fees="100.000 đồng")
    pdf = receipt_pdf(receipt)
    text = " ".join(_text(pdf, tmp_path).split())
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {CODE}",
                     "Nguyễn Thị Hạnh", "Lý Thường Kiệt", "0912 345 678",
                     "Đăng ký thành lập hộ kinh doanh", "Giấy đề nghị đăng ký hộ kinh doanh",
                     "Bản sao giấy tờ pháp lý", "Số lượng hồ sơ: 01 bộ", "3 ngày làm việc",
                     "09 giờ 05 phút, ngày 23/11/2026", "09 giờ 05 phút, ngày 26/11/2026",
                     "100.000 đồng", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
                     "Trần Văn Bình", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text, expected
    assert _qr(pdf, tmp_path) == (CODE,)


def test_supplement_notice_lists_what_is_missing(tmp_path: Path) -> None:
    notice = SupplementNotice(
        agency_name="UBND phường Cửa Nam", dossier_code=CODE, procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant=Applicant(),
        missing=[MissingItem("Giấy chứng sinh", "thiếu: không tìm thấy Giấy chứng sinh")],
        received_at=datetime(2026, 11, 23, 15, 40, tzinfo=VN), receiver="Trần Văn Bình",
        rescan_pages=[3])
    text = " ".join(_text(supplement_pdf(notice), tmp_path).split())
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Giấy chứng sinh — thiếu: không tìm thấy Giấy chứng sinh" in text
    assert "trang 3" in text and "15 giờ 40 phút, ngày 23/11/2026" in text
    assert "GIẤY TIẾP NHẬN" not in text
    assert "Ông/Bà: ....." in text  # a line to write the name by hand


def test_clock_and_day_is_vietnam_time() -> None:
    utc = datetime(2026, 11, 23, 2, 5, tzinfo=ZoneInfo("UTC"))
    assert clock_and_day(utc) == "09 giờ 05 phút, ngày 23/11/2026"
