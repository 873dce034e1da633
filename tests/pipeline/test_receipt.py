"""Receipt, supplement notice and refusal slip PDFs: every field printed, the dossier code in
the QR, and a layout that looks like an official paper, checked by measuring word boxes and
rendered pixels."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image

from sohoa.pipeline.classify.qr import decode_qr
from sohoa.pipeline.printing import MARGIN
from sohoa.pipeline.receipt import (
    AGENCY_BLOCK,
    MOTTO,
    NOTICE_TITLE,
    QR_SIZE,
    RECEIPT_TITLE,
    REFUSAL_TITLE,
    Applicant,
    ComponentLine,
    MissingItem,
    Receipt,
    RefusalSlip,
    SupplementNotice,
    clock_and_day,
    receipt_pdf,
    refusal_pdf,
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
        missing=[MissingItem("Giấy chứng sinh", "01 bản chính")],
        received_at=datetime(2026, 11, 23, 15, 40, tzinfo=VN), receiver="Trần Văn Bình",
        rescan_pages=[3])
    text = " ".join(_text(supplement_pdf(notice), tmp_path).split())
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "1. Giấy chứng sinh: 01 bản chính." in text
    assert text.count("Giấy chứng sinh") == 1  # named once
    assert "đã nhận hồ sơ của" in text and "tiếp nhận hồ sơ của" not in text  # not received
    assert "trang 3" in text and "15 giờ 40 phút, ngày 23/11/2026" in text
    assert "GIẤY TIẾP NHẬN" not in text
    assert "Ông/Bà: ....." in text  # a line to write the name by hand


REASON = ("Hồ sơ thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã nơi cư trú của "
          "người mẹ, không thuộc thẩm quyền của cơ quan này")


def _refusal(reason: str = REASON) -> bytes:
    return refusal_pdf(RefusalSlip(
        agency_name=AGENCY, dossier_code=CODE, procedure_name="Đăng ký khai sinh",
        applicant=APPLICANT, reason=reason,
        refused_at=datetime(2026, 11, 24, 10, 15, tzinfo=VN), receiver="Trần Văn Bình",
        parent_agency=PARENT))


def test_refusal_slip_says_what_was_asked_and_why_not_on_one_page(tmp_path: Path) -> None:
    raw = _text(_refusal(), tmp_path)
    assert raw.count("\f") == 1  # pdftotext ends each page with a form feed: one page
    text = " ".join(raw.split())
    for expected in (REFUSAL_TITLE, f"Mã hồ sơ: {CODE}", "Bộ phận Tiếp nhận và Trả kết quả "
                     f"{AGENCY} tiếp nhận hồ sơ của:", "Ông/Bà: Nguyễn Thị Hạnh",
                     "Lý Thường Kiệt", "0912 345 678",
                     "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
                     "thông báo từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như "
                     f"sau: {REASON}", "Xin thông báo để Ông/Bà được biết và thực hiện",
                     "Ngày 24 tháng 11 năm 2026", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Bình"):
        assert expected in text, expected
    assert "NGƯỜI NỘP HỒ SƠ" not in text and text.count("(Ký và ghi rõ họ tên)") == 1
    assert "GIẤY TIẾP NHẬN" not in text and "BỔ SUNG" not in text
    assert _qr(_refusal(), tmp_path) == (CODE,)


def test_refusal_slip_without_a_recorded_reason_leaves_lines_to_write_on(
        tmp_path: Path) -> None:
    text = " ".join(_text(_refusal(reason="  "), tmp_path).split())
    grounds = "với lý do cụ thể như sau:"
    after = text[text.index(grounds) + len(grounds):text.index("Xin thông báo")]
    assert after.count("." * 80) == 3 and not after.replace(".", "").strip()


def test_clock_and_day_is_vietnam_time() -> None:
    utc = datetime(2026, 11, 23, 2, 5, tzinfo=ZoneInfo("UTC"))
    assert clock_and_day(utc) == "09 giờ 05 phút, ngày 23/11/2026"


# --- layout, measured ----------------------------------------------------------------------

MM = 72 / 25.4
PARENT = "Ủy ban nhân dân thành phố Hà Nội"
AGENCY = "Trung tâm Phục vụ hành chính công phường Cửa Nam"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")
PAGE_BOX = re.compile(r'<page width="([\d.]+)" height="([\d.]+)"')


def _receipt(receiver: str = "Trần Văn Bình") -> bytes:
    return receipt_pdf(Receipt(
        agency_name=AGENCY, dossier_code=CODE, procedure_code="1.001612",
        procedure_name="Đăng ký thành lập hộ kinh doanh", applicant=APPLICANT,
        components=[ComponentLine("Giấy đề nghị đăng ký hộ kinh doanh", "Bản chính", 1)],
        processing_time="3 ngày làm việc", received_at=datetime(2026, 11, 23, 9, 5, tzinfo=VN),
        appointment=datetime(2026, 11, 26, 9, 5, tzinfo=VN),
        result_place="Tại Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ",
        receiver=receiver, parent_agency=PARENT))


def _notice() -> bytes:
    return supplement_pdf(SupplementNotice(
        agency_name=AGENCY, dossier_code=CODE, procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant=APPLICANT,
        missing=[MissingItem("Giấy chứng sinh", "01 bản chính"),
                 MissingItem("Tờ khai đăng ký khai sinh", "01 bản chính")],
        received_at=datetime(2026, 11, 23, 15, 40, tzinfo=VN), receiver="Trần Văn Bình",
        parent_agency=PARENT))


Word = tuple[float, float, float, float, str]


def _words(pdf: bytes, tmp_path: Path) -> tuple[float, list[Word]]:
    """Page width and the word boxes of page 1 (points, origin top-left), in reading order."""
    path = tmp_path / "w.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_program("pdftotext"), "-bbox", "-f", "1", "-l", "1",
                          str(path), "-"], capture_output=True, check=True)
    html = out.stdout.decode("utf-8")
    width = float(PAGE_BOX.search(html).group(1))
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(html)]
    return width, words


def _line(words: list[Word], text: str) -> list[Word]:
    """The first run of consecutive words that spells ``text``."""
    wanted = text.split()
    for start in range(len(words)):
        run = words[start:start + len(wanted)]
        if [w[4] for w in run] == wanted:
            return run
    raise AssertionError(f"{text!r} not found as consecutive words")


def _one_line(run: list[Word]) -> bool:
    return max(w[1] for w in run) - min(w[1] for w in run) < 1.0


def _render(pdf: bytes, tmp_path: Path, dpi: int) -> np.ndarray:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run([require_program("pdftoppm"), "-r", str(dpi), "-gray", "-png", "-f", "1",
                    "-l", "1", "-singlefile", str(path), str(tmp_path / "r")], check=True)
    return np.asarray(Image.open(tmp_path / "r.png").convert("L"))


@pytest.mark.parametrize(("make", "title"), [(_receipt, RECEIPT_TITLE), (_notice, NOTICE_TITLE),
                                            (_refusal, REFUSAL_TITLE)])
def test_heading_lines_do_not_wrap_and_the_title_is_centred(make, title: str,
                                                            tmp_path: Path) -> None:
    pdf = make()
    width, words = _words(pdf, tmp_path)
    motto, motto2, heading = _line(words, MOTTO[0]), _line(words, MOTTO[1]), _line(words, title)
    assert _one_line(motto) and _one_line(motto2) and _one_line(heading)
    assert heading[-1][4] == ("QUẢ" if title == RECEIPT_TITLE else "SƠ")
    # the motto is right of the agency block, over "Độc lập - Tự do - Hạnh phúc"
    assert motto[0][0] > (MARGIN + AGENCY_BLOCK) * MM - 1
    assert motto2[0][1] > motto[0][3]
    # the parent agency above the agency, both in the left block
    parent, agency = _line(words, PARENT.upper()), _line(words, "TRUNG TÂM PHỤC VỤ")
    assert parent[0][3] <= agency[0][1] and parent[0][1] == pytest.approx(motto[0][1], abs=2)
    assert max(w[2] for w in parent + agency) < (MARGIN + AGENCY_BLOCK) * MM
    # the title centred on the page, by its word boxes and by its rendered ink
    left, right = heading[0][0], heading[-1][2]
    assert (left + right) / 2 == pytest.approx(width / 2, abs=1.5)
    dpi = 100
    gray = _render(pdf, tmp_path, dpi)
    k = dpi / 72
    band = gray[round(heading[0][1] * k):round(heading[0][3] * k),
                :round((width - (MARGIN + QR_SIZE) * MM) * k)]  # left of the QR
    ink = np.flatnonzero((band < 128).any(axis=0))
    assert (ink[0] + ink[-1]) / 2 / k == pytest.approx(width / 2, abs=2)
    assert ink[-1] / k < width - (MARGIN + QR_SIZE) * MM - 2  # the title stays clear of the QR


def test_receipt_says_where_once_and_names_the_clerk(tmp_path: Path) -> None:
    text = " ".join(_text(_receipt("Phạm Thu Trang"), tmp_path).split())
    assert "Nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả, nơi nộp hồ sơ." in text
    assert "tại: Tại" not in text
    assert "Phạm Thu Trang" in text and "Cán bộ số hóa" not in text


def test_notice_names_each_missing_item_once(tmp_path: Path) -> None:
    text = " ".join(_text(_notice(), tmp_path).split())
    assert "1. Giấy chứng sinh: 01 bản chính. 2. Tờ khai đăng ký khai sinh: 01 bản chính." in text
    assert text.count("Giấy chứng sinh") == 1 and text.count("Tờ khai đăng ký khai sinh") == 1


def test_a_long_agency_name_wraps_in_its_block_but_the_motto_does_not(tmp_path: Path) -> None:
    long_name = "Trung tâm Phục vụ hành chính công tỉnh Thừa Thiên Huế, chi nhánh số 2"
    pdf = supplement_pdf(SupplementNotice(
        agency_name=long_name, dossier_code=CODE, procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", applicant=APPLICANT, missing=[],
        received_at=datetime(2026, 11, 23, 15, 40, tzinfo=VN), receiver="Trần Văn Bình"))
    _, words = _words(pdf, tmp_path)
    assert _one_line(_line(words, MOTTO[0])) and _one_line(_line(words, NOTICE_TITLE))
    tops = {round(w[1]) for w in words if w[2] < (MARGIN + AGENCY_BLOCK) * MM
            and w[4] in long_name.upper().split()}
    assert len(tops) >= 2  # the agency itself may take two lines of its block
