"""QR codes: write → read round trips, the CCCD and sheet payload parsers, and reading the
small QR of an ID-card photocopy on a scanned A4 page."""

from __future__ import annotations

import unicodedata
from datetime import date

import numpy as np
import pytest
from PIL import Image, ImageDraw

from sohoa.domain.dossier_code import parse_dossier_code
from sohoa.errors import InvalidDossierCodeError
from sohoa.pipeline.classify.qr import (
    CccdRecord,
    decode_qr,
    encode_qr,
    parse_cccd,
    parse_sheet,
    sheet_payload,
)
from sohoa.pipeline.classify.types import SheetInfo
from sohoa_dev.synth import Scan, degrade, font, make_page

CCCD = ("079195012345|025123456|Nguyễn Thị Hương Giang|01021995|Nữ|"
        "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh|15082021")
DOSSIER = "000.00.14.H56-261121-0001"


# --- encode → decode -----------------------------------------------------------------------


def _on_page(symbol: np.ndarray, margin: int = 40) -> np.ndarray:
    return np.pad(symbol, margin, constant_values=255)


@pytest.mark.parametrize("text", [
    "SOHOA1|BIA|1.001193|",
    "Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc",
    CCCD,
    "ữ",
])
def test_encode_then_decode_round_trips_utf8(text: str) -> None:
    assert decode_qr(_on_page(encode_qr(text, module_px=4)), dpi=300) == (text,)


def test_encoded_image_is_gray_with_white_quiet_zone() -> None:
    image = encode_qr("SOHOA1|BIA|1.001193|", module_px=5)
    assert image.dtype == np.uint8 and image.ndim == 2
    assert image.shape[0] == image.shape[1] and image.shape[0] % 5 == 0
    modules = image.shape[0] // 5
    assert modules in {21 + 8, 25 + 8}  # version 1 or 2 plus 4 quiet modules each side
    assert set(np.unique(image)) == {0, 255}
    quiet = 4 * 5
    assert image[:quiet].min() == 255 and image[:, -quiet:].min() == 255
    assert image[quiet, quiet] == 0  # the top-left finder pattern starts right after it


def test_encode_refuses_text_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        encode_qr("x" * 4000)


def test_several_qr_codes_come_in_reading_order_rgb_page() -> None:
    page = np.full((900, 1200), 255, np.uint8)
    symbols = {"B": (60, 700), "A": (80, 100), "C": (520, 300)}  # (top, left), B a bit higher
    for text, (top, left) in symbols.items():
        symbol = encode_qr(text * 3, module_px=6)
        page[top:top + symbol.shape[0], left:left + symbol.shape[1]] = symbol
    rgb = np.dstack([page] * 3)
    assert decode_qr(rgb, dpi=150) == ("AAA", "BBB", "CCC")


def test_text_page_without_qr_gives_nothing() -> None:
    for dpi in (200, 300):
        page = make_page(3, Scan(dpi=dpi, skew=2.0, noise=6, jpeg_quality=80), size_in=(4.1, 5.8))
        assert decode_qr(np.asarray(page.image), dpi=dpi) == ()


# --- an ID-card photocopy on an A4 page ----------------------------------------------------


def _id_card_photocopy(payload: str, dpi: int, qr_mm: float, scan: Scan) -> np.ndarray:
    """A4 page with a photocopied CCCD front: gray card, text, photo box, QR of ~qr_mm."""
    mm = dpi / 25.4
    page = Image.new("L", (round(210 * mm), round(297 * mm)), 255)
    draw = ImageDraw.Draw(page)
    left, top = round(30 * mm), round(40 * mm)
    card = (left, top, left + round(85.6 * mm), top + round(54 * mm))
    draw.rounded_rectangle(card, radius=round(3 * mm), fill=212, outline=60, width=2)
    small, big = font("sans", round(2.2 * mm)), font("sans", round(3.2 * mm))
    draw.text((left + 16 * mm, top + 3 * mm), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small,
              fill=25)
    draw.text((left + 24 * mm, top + 8 * mm), "CĂN CƯỚC CÔNG DÂN", font=big, fill=25)
    fields = payload.split("|")
    for row, line in enumerate((f"Số: {fields[0]}", f"Họ và tên: {fields[2]}",
                                f"Ngày sinh: {fields[3]}", f"Giới tính: {fields[4]}")):
        draw.text((left + 28 * mm, top + (17 + 6 * row) * mm), line, font=small, fill=25)
    draw.rectangle((left + 3 * mm, top + 16 * mm, left + 23 * mm, top + 42 * mm), fill=120)
    symbol = encode_qr(payload, module_px=1)  # resampled to the card's QR size, like a copier
    side = round(qr_mm * mm)
    symbol = Image.fromarray(symbol).resize((side, side), Image.Resampling.BOX)
    toner = Image.fromarray((25 + np.asarray(symbol) / 255 * (212 - 25)).astype(np.uint8))
    page.paste(toner, (card[2] - round(3 * mm) - side, top + round(2 * mm)))
    return np.asarray(degrade(page, scan, seed=dpi))


@pytest.mark.parametrize("dpi", [200, 300])
def test_reads_cccd_qr_on_id_card_photocopy(dpi: int) -> None:
    scan = Scan(dpi=dpi, skew=-3.5, blur=0.7, noise=8, jpeg_quality=75)
    page = _id_card_photocopy(CCCD, dpi, qr_mm=18, scan=scan)
    payloads = decode_qr(page, dpi=dpi)
    assert payloads == (CCCD,)
    record = parse_cccd(payloads[0])
    assert record == CccdRecord(
        id_number="079195012345", old_id="025123456", full_name="Nguyễn Thị Hương Giang",
        birth_date=date(1995, 2, 1), sex="Nữ",
        residence="Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
        issued_date=date(2021, 8, 15), extra=())


def test_reads_small_cccd_qr_turned_upside_down_at_200_dpi() -> None:
    payload = CCCD.replace("|025123456|", "||")
    scan = Scan(dpi=200, skew=5.5, turn=180, blur=0.5, noise=6, jpeg_quality=85)
    page = _id_card_photocopy(payload, 200, qr_mm=15, scan=scan)
    assert decode_qr(page, dpi=200) == (payload,)


# --- CCCD payload ---------------------------------------------------------------------------


def test_parse_cccd_empty_old_id_and_extra_trailing_fields() -> None:
    record = parse_cccd("  001099012345||Trần Văn An|31121999|Nam|Xã Nghi Phú, tỉnh Nghệ An|"
                        "02012024|31122039|  \n")
    assert record is not None
    assert (record.id_number, record.old_id, record.full_name) == ("001099012345", None,
                                                                   "Trần Văn An")
    assert (record.birth_date, record.sex, record.issued_date) == (
        date(1999, 12, 31), "Nam", date(2024, 1, 2))
    assert record.residence == "Xã Nghi Phú, tỉnh Nghệ An"
    assert record.extra == ("31122039",)


def test_parse_cccd_accepts_nfd_and_blanks_around_fields() -> None:
    nfd = unicodedata.normalize("NFD", CCCD).replace("|", " | ")
    record = parse_cccd("\ufeff" + nfd)
    assert record is not None
    assert record.full_name == "Nguyễn Thị Hương Giang"
    assert unicodedata.is_normalized("NFC", record.full_name)
    assert record.sex == "Nữ"


@pytest.mark.parametrize("payload", [
    "",
    "hello world",
    "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1",
    "SOHOA1|BIA|1.001193|",
    CCCD.replace("079195012345", "07919501234"),  # 11 digits
    CCCD.replace("|025123456|", "|02512345x|"),  # old id not digits
    CCCD.replace("01021995", "31021995"),  # 31 February
    CCCD.replace("15082021", "2021-08-15"),  # wrong date format
    CCCD.replace("|Nữ|", "|X|"),
    CCCD.replace("Nguyễn Thị Hương Giang", ""),
    "|".join(CCCD.split("|")[:6]),  # issued date missing
])
def test_parse_cccd_refuses_what_is_not_cccd_data(payload: str) -> None:
    assert parse_cccd(payload) is None


# --- sheet payloads -------------------------------------------------------------------------


def test_sheet_payload_round_trips() -> None:
    cover = sheet_payload("cover", "1.001193", DOSSIER)
    assert cover == f"SOHOA1|BIA|1.001193|{DOSSIER}"
    assert parse_sheet(cover) == SheetInfo("cover", "1.001193", DOSSIER, None)
    blank = sheet_payload("cover", "2.000488")
    assert parse_sheet(blank) == SheetInfo("cover", "2.000488", None, None)
    separator = sheet_payload("separator", "1.001193", DOSSIER, "giay_chung_sinh")
    assert separator == f"SOHOA1|TACH|1.001193|{DOSSIER}|giay_chung_sinh"
    assert parse_sheet(separator) == SheetInfo("separator", "1.001193", DOSSIER,
                                               "giay_chung_sinh")
    assert parse_sheet(" SOHOA1|TACH|1.001193||to_khai\n") == SheetInfo(
        "separator", "1.001193", None, "to_khai")


def test_sheet_payload_normalises_a_central_format_dossier_code() -> None:
    payload = sheet_payload("cover", "1.001193", " m01.123.45-250315-ab0012 ")
    info = parse_sheet(payload)
    assert info is not None and info.dossier_code == "M01.123.45-250315-AB0012"
    assert str(parse_dossier_code(info.dossier_code)) == info.dossier_code


@pytest.mark.parametrize("payload", [
    "",
    CCCD,
    "SOHOA1|BIA|1.001193",  # field missing
    "SOHOA1|BIA|1.001193||giay_chung_sinh",  # a cover with an item
    "SOHOA1|TACH|1.001193|",  # a separator without item
    "SOHOA1|TACH|1.001193||",  # empty item
    "SOHOA1|TACH|1.001193||Giấy chứng sinh",  # not a slug
    "SOHOA2|BIA|1.001193|",  # unknown version
    "sohoa1|BIA|1.001193|",
    "SOHOA1|XYZ|1.001193|",
    "SOHOA1|BIA|1001193|",  # not a procedure code
    "SOHOA1|BIA|1.001193|000.00.14.H56-261131-0001",  # 31 November
    "SOHOA1|BIA|1.001193|not-a-code",
    f"SOHOA1|TACH|1.001193|{DOSSIER}|to_khai|x",
])
def test_parse_sheet_refuses_malformed_payloads(payload: str) -> None:
    assert parse_sheet(payload) is None


def test_sheet_payload_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError):
        sheet_payload("bia", "1.001193")
    with pytest.raises(ValueError):
        sheet_payload("separator", "1.001193", DOSSIER)
    with pytest.raises(ValueError):
        sheet_payload("separator", "1.001193", item_id="a|b")
    with pytest.raises(ValueError):
        sheet_payload("cover", "1.001193", item_id="to_khai")
    with pytest.raises(ValueError):
        sheet_payload("cover", "x|y")


def test_sheet_payload_refuses_a_malformed_dossier_code() -> None:
    with pytest.raises(InvalidDossierCodeError):
        sheet_payload("cover", "1.001193", "HS-2025-17")


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_every_length_and_level_reads_back(level: str) -> None:
    """OpenCV's encoder (used before) wrote unreadable symbols for many lengths."""
    from sohoa.pipeline.classify.qr import qr_modules

    for length in range(1, 120, 7):
        text = "000.00.14.H56-261123-0007|Nguyễn"[:length] + "x" * max(0, length - 32)
        modules = qr_modules(text, error_correction=level)
        image = np.pad(np.where(modules, 0, 255).astype(np.uint8).repeat(5, 0).repeat(5, 1),
                       40, constant_values=255)
        assert decode_qr(image, 300) == (text,), (level, length)
