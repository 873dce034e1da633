"""Cover and separator sheets: what the printed PDF says, and that its QR codes survive a
real print-and-scan (poppler renders the PDF, then skew, noise, JPEG and a 180° turn)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from sohoa.domain.procedures import Procedure, load_catalog
from sohoa.errors import InvalidDossierCodeError
from sohoa.pipeline.classify.qr import decode_qr, parse_sheet, sheet_payload
from sohoa.pipeline.classify.types import SheetInfo
from sohoa.pipeline.cover import cover_sheets_pdf
from sohoa_dev.synth import Scan, degrade
from tests.support import require_program

DOSSIER = "000.00.14.H56-261121-0001"


@pytest.fixture(scope="module")
def birth_registration() -> Procedure:
    """1.001193 Đăng ký khai sinh: two scanned items and one shown-only (the ID card)."""
    return load_catalog().get("1.001193")


@pytest.fixture(scope="module")
def birth_pdf(birth_registration: Procedure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cover") / "bia.pdf"
    path.write_bytes(cover_sheets_pdf(birth_registration, DOSSIER))
    return path


def _text(pdf: Path, page: int) -> str:
    pdftotext = require_program("pdftotext")
    return subprocess.run([pdftotext, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def _render(pdf: Path, page: int, dpi: int) -> Image.Image:
    pdftoppm = require_program("pdftoppm")
    png = subprocess.run([pdftoppm, "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray",
                          "-png", str(pdf)], check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png))


def test_cover_then_one_separator_per_scanned_item(birth_pdf: Path,
                                                   birth_registration: Procedure) -> None:
    with pikepdf.open(birth_pdf) as pdf:
        assert len(pdf.pages) == 1 + 2  # the shown-only ID card gets no separator
        box = [float(v) for v in pdf.pages[0].mediabox]
        assert box == pytest.approx([0, 0, 595.28, 841.89], abs=0.1)  # A4 portrait
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert fonts and all("/FontFile2" in f.DescendantFonts[0].FontDescriptor
                             for f in fonts)  # TrueType embedded: prints the same anywhere


def test_cover_page_says_dossier_procedure_and_checklist(birth_pdf: Path) -> None:
    text = " ".join(_text(birth_pdf, 1).split())
    for expected in ("BÌA HỒ SƠ", f"Mã hồ sơ: {DOSSIER}", "1.001193 — Đăng ký khai sinh",
                     "Cơ quan giải quyết: UBND cấp xã", "Thời hạn giải quyết: trong ngày",
                     "Tờ khai đăng ký khai sinh theo mẫu", "1 bản chính", "bắt buộc",
                     "Giấy tờ tùy thân của người yêu cầu đăng ký khai sinh", "xuất trình",
                     "Đặt tờ này lên đầu xấp giấy khi quét"):
        assert expected in text


def test_separator_pages_name_their_item(birth_pdf: Path) -> None:
    first, second = (" ".join(_text(birth_pdf, page).split()) for page in (2, 3))
    assert "TỜ PHÂN CÁCH" in first and "Tờ khai đăng ký khai sinh theo mẫu" in first
    assert "Thành phần hồ sơ 1/2" in first and f"Mã hồ sơ: {DOSSIER}" in first
    assert "Giấy chứng sinh hoặc văn bản của người làm chứng" in second
    assert "1.001193 — Đăng ký khai sinh" in second


def test_every_sheet_qr_reads_back_from_the_printed_page(birth_pdf: Path) -> None:
    sheets = []
    for page in (1, 2, 3):
        (payload,) = decode_qr(np.asarray(_render(birth_pdf, page, dpi=100)), dpi=100)
        sheets.append(parse_sheet(payload))
    assert sheets == [
        SheetInfo("cover", "1.001193", DOSSIER, None),
        SheetInfo("separator", "1.001193", DOSSIER, "to_khai"),
        SheetInfo("separator", "1.001193", DOSSIER, "giay_chung_sinh"),
    ]


def test_cover_qr_survives_a_skewed_noisy_upside_down_200_dpi_scan(birth_pdf: Path) -> None:
    clean = _render(birth_pdf, 1, dpi=200)
    scan = Scan(dpi=200, skew=4.0, turn=180, blur=0.6, noise=10, jpeg_quality=60)
    scanned = np.asarray(degrade(clean, scan, seed=4))
    assert decode_qr(scanned, dpi=200) == (sheet_payload("cover", "1.001193", DOSSIER),)


def test_without_dossier_code_the_cover_has_a_line_to_write_it(
        birth_registration: Procedure, tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(cover_sheets_pdf(birth_registration, None))
    assert "Mã hồ sơ: ____" in _text(pdf, 1)
    (payload,) = decode_qr(np.asarray(_render(pdf, 1, dpi=100)), dpi=100)
    assert parse_sheet(payload) == SheetInfo("cover", "1.001193", None, None)


def test_every_catalog_procedure_prints() -> None:
    for procedure in load_catalog().procedures.values():
        scanned = sum(item.requirement != "xuat_trinh" for item in procedure.items)
        with pikepdf.open(io.BytesIO(cover_sheets_pdf(procedure, DOSSIER))) as pdf:
            assert len(pdf.pages) == 1 + scanned, procedure.code


def test_a_long_checklist_repeats_the_cover_qr_on_its_second_page(
        birth_registration: Procedure, tmp_path: Path) -> None:
    item = birth_registration.items[0].model_dump()
    items = [{**item, "id": f"muc_{n}", "name": f"Giấy tờ số {n} " + "rất dài " * 12}
             for n in range(30)]
    long = Procedure.model_validate({**birth_registration.model_dump(), "items": items})
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(cover_sheets_pdf(long, DOSSIER))
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) > 30 + 1  # the cover took more than one page
    (payload,) = decode_qr(np.asarray(_render(pdf, 2, dpi=100)), dpi=100)
    assert parse_sheet(payload) == SheetInfo("cover", "1.001193", DOSSIER, None)
    assert "muc_" not in _text(pdf, 2) and "Giấy tờ số" in _text(pdf, 2)


def test_a_malformed_dossier_code_is_refused(birth_registration: Procedure) -> None:
    with pytest.raises(InvalidDossierCodeError):
        cover_sheets_pdf(birth_registration, "HS-17")
