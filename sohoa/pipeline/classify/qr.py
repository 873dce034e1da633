"""QR codes on scanned pages: read every QR, write QR images, parse the two payloads we meet.

Two kinds of QR reach the classifier: the project's own cover and separator sheets (a big QR,
modules of ~1 mm) and the QR of a Vietnamese chip ID card (CCCD) on a photocopy (~1.5-2 cm
for ~130 bytes: modules of ~0.3 mm, i.e. 2-3 px at 200 dpi, softened by the copier).

Decoder choice, measured on generated A4 pages (one thread on the shared 2-core machine;
sweep: skew ±6°, 0/180° turn, blur 0-1 px, noise σ 0-12, JPEG 60-100, CCCD QR 1.5/1.8/2 cm):

=========================  ==========  ==========  ==========  ==========  ===============
reader (30 pages a cell)   cover 200   cover 300   CCCD 200    CCCD 300    ms, A4 300 dpi
=========================  ==========  ==========  ==========  ==========  ===============
OpenCV QRCodeDetector      19/30       20/30       0/30        7/30        240-640
OpenCV QRCodeDetectorAruco 30/30       30/30       11/30       27/30       150-710
zxing-cpp, one pass        30/30       30/30       23/30       30/30       5-20
=========================  ==========  ==========  ==========  ==========  ===============

So zxing-cpp reads, with one retry: when the page's resolution gives a CCCD QR's modules fewer
than ~3 px, or zxing saw a QR it could not decode, the page is sharpened (unsharp mask) and
enlarged so such modules get ~4.8 px, and read again. :func:`decode_qr` then reads 100/100
cover sheets and 100/100 CCCD photocopies at both 200 and 300 dpi, and nothing on 200 text
pages; with heavy blur (0.8-1.2 px at 200 dpi) 34/40 CCCD QRs, the misses all at 1.2 px blur.
A 300 dpi A4 page without QR takes 10-20 ms (gray; RGB adds ~15 ms of conversion); a 200 dpi
one 45-70 ms because the retry always runs there; a page with a QR mostly 5-20 ms.

Writing uses OpenCV's ``QRCodeEncoder`` in byte mode without an ECI header — how the CCCD
QR itself is written (UTF-8 bytes) — which both OpenCV and zxing-cpp read back as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
import zxingcpp

from sohoa.domain.dossier_code import parse_dossier_code
from sohoa.errors import InvalidDossierCodeError
from sohoa.pipeline.classify.types import SheetInfo

# --- reading --------------------------------------------------------------------------------

CCCD_MODULE_MM = 0.3
"""Module size of the smallest QR we must read: a CCCD QR of ~1.5 cm (45 modules + margin)."""
MIN_MODULE_PX = 3.2
"""Below this many pixels per CCCD module, a blurred copy is often unreadable as scanned."""
RETRY_MODULE_PX = 4.8
"""Module size the retry enlarges to."""
_ROW_BAND_IN = 0.5
"""QRs whose centres are within half an inch vertically are on one line (reading order)."""


def decode_qr(pixels: np.ndarray, dpi: float) -> tuple[str, ...]:
    """The payloads of every QR on a page (gray or RGB uint8), UTF-8, in reading order.

    Reading order is of the image as given: top to bottom, then left to right. Duplicates (a
    payload printed twice) are reported once.
    """
    gray = _gray(pixels)
    found, suspect = _read(gray)
    module_px = CCCD_MODULE_MM * (dpi if dpi > 0 else 200) / 25.4
    if not found and (suspect or module_px < MIN_MODULE_PX):
        scale = min(2.5, max(1.25, RETRY_MODULE_PX / module_px))
        found, _ = _read(_sharpen_enlarge(gray, scale))
        found = [(x / scale, y / scale, text) for x, y, text in found]
    return _reading_order(found, band=_ROW_BAND_IN * (dpi if dpi > 0 else 200))


def _gray(pixels: np.ndarray) -> np.ndarray:
    if pixels.ndim == 3:
        return cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(pixels)


def _read(gray: np.ndarray) -> tuple[list[tuple[float, float, str]], bool]:
    """Decoded QRs as (centre x, centre y, text), and whether a QR was seen but not decoded.

    Rotation and inversion retries are off: a QR is read in any orientation anyway, and
    printed pages are never white-on-black.
    """
    results = zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormat.QRCode, try_rotate=False, try_invert=False,
        try_downscale=False, return_errors=True)
    found = []
    for barcode in results:
        if barcode.valid:
            pos = barcode.position
            corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            found.append((sum(p.x for p in corners) / 4, sum(p.y for p in corners) / 4,
                          _payload_text(barcode)))
    return found, len(found) < len(results)


def _payload_text(barcode: zxingcpp.Barcode) -> str:
    """UTF-8 unless the symbol declares its character set (ECI).

    Without ECI a QR's byte segment has no declared charset; zxing would guess, and a short
    Vietnamese payload can be mistaken for another charset. The CCCD and our sheets use UTF-8.
    """
    if barcode.symbology_identifier in ("]Q0", "]Q1"):
        try:
            return barcode.bytes.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return barcode.text


def _sharpen_enlarge(gray: np.ndarray, scale: float) -> np.ndarray:
    """Undo part of the copier's and scanner's blur, then give each module more pixels."""
    soft = cv2.GaussianBlur(gray, (0, 0), 1.2)
    sharp = cv2.addWeighted(gray, 3.0, soft, -2.0, 0)
    return cv2.resize(sharp, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)


def _reading_order(found: list[tuple[float, float, str]], band: float) -> tuple[str, ...]:
    rows: list[list[tuple[float, float, str]]] = []
    for item in sorted(found, key=lambda f: f[1]):
        if rows and item[1] - rows[-1][0][1] <= band:
            rows[-1].append(item)
        else:
            rows.append([item])
    ordered = [text for row in rows for _, _, text in sorted(row)]
    return tuple(dict.fromkeys(ordered))


# --- writing --------------------------------------------------------------------------------

QUIET_ZONE = 4
"""White modules around the symbol, as ISO/IEC 18004 asks."""
_LEVELS = {"L": cv2.QRCODE_ENCODER_CORRECT_LEVEL_L, "M": cv2.QRCODE_ENCODER_CORRECT_LEVEL_M,
           "Q": cv2.QRCODE_ENCODER_CORRECT_LEVEL_Q, "H": cv2.QRCODE_ENCODER_CORRECT_LEVEL_H}


def qr_modules(text: str, error_correction: str = "M") -> np.ndarray:
    """The symbol as a bool matrix (True = dark module), without quiet zone.

    For vector drawing (cover sheets, receipts); :func:`encode_qr` makes the raster image.
    Written by zxing-cpp: OpenCV's QRCodeEncoder (used before) produced symbols no reader
    could decode for many lengths (e.g. 20 or 25 bytes at level M) — found when a receipt's
    dossier-code QR would not read back; tests/pipeline/classify/test_qr.py sweeps lengths.
    """
    try:
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                         ec_level=error_correction)
    except (ValueError, RuntimeError) as exc:
        raise ValueError(f"{len(text.encode())} bytes do not fit in one QR code: {exc}") \
            from None
    return np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) < 128


def encode_qr(text: str, module_px: int = 8, error_correction: str = "M") -> np.ndarray:
    """A QR image of ``text`` (UTF-8, byte mode): uint8 gray, 0 dark / 255 light, with a
    white quiet zone of 4 modules; each module is ``module_px`` × ``module_px`` pixels."""
    if module_px < 1:
        raise ValueError("module_px must be at least 1")
    modules = np.pad(qr_modules(text, error_correction), QUIET_ZONE)
    image = np.where(modules, 0, 255).astype(np.uint8)
    return np.repeat(np.repeat(image, module_px, axis=0), module_px, axis=1)


# --- CCCD (chip ID card) payload ------------------------------------------------------------


@dataclass(frozen=True)
class CccdRecord:
    """What the QR of a Vietnamese chip ID card (CCCD / thẻ căn cước) says."""

    id_number: str
    """Số định danh cá nhân, 12 digits."""
    old_id: str | None
    """The old CMND number (9 digits, 12 on some records), None when the field is empty."""
    full_name: str
    birth_date: date
    sex: str
    """"Nam" or "Nữ"."""
    residence: str
    """Nơi thường trú / nơi cư trú as printed."""
    issued_date: date
    extra: tuple[str, ...] = ()
    """Trailing fields newer cards add (e.g. expiry), as read."""


_ID12 = re.compile(r"\d{12}", re.ASCII)
_OLD_ID = re.compile(r"\d{9}|\d{12}", re.ASCII)
_SEXES = {"nam": "Nam", "nữ": "Nữ", "nu": "Nữ"}


def parse_cccd(payload: str) -> CccdRecord | None:
    """The CCCD fields of ``payload``, or None when it is not CCCD data.

    Layout (docs/domain.md): ``id12|old_id9|full name|DDMMYYYY|Nam/Nữ|residence|DDMMYYYY``.
    Tolerated: an empty old-id field, trailing fields, blanks around fields, NFD text, a BOM.
    """
    text = unicodedata.normalize("NFC", payload).strip().lstrip("\ufeff").strip()
    fields = [field.strip() for field in text.split("|")]
    if len(fields) < 7:
        return None
    id12, old_id, name, born, sex, residence, issued, *extra = fields
    birth_date, issued_date = _ddmmyyyy(born), _ddmmyyyy(issued)
    if (not _ID12.fullmatch(id12) or (old_id and not _OLD_ID.fullmatch(old_id))
            or not name or any(ch.isdigit() for ch in name) or sex.lower() not in _SEXES
            or birth_date is None or issued_date is None or issued_date < birth_date):
        return None
    while extra and not extra[-1]:
        extra.pop()
    return CccdRecord(id12, old_id or None, " ".join(name.split()), birth_date,
                      _SEXES[sex.lower()], residence, issued_date, tuple(extra))


def _ddmmyyyy(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text, re.ASCII):
        return None
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None


# --- the project's own cover and separator sheets -------------------------------------------

SHEET_MAGIC = "SOHOA1"
"""Project tag and payload version: a future layout gets SOHOA2, old sheets still parse."""
_KIND_CODES = {"cover": "BIA", "separator": "TACH"}
_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
_PROCEDURE = re.compile(r"\d\.\d{6}", re.ASCII)
_ITEM = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)


def sheet_payload(kind: str, procedure_code: str, dossier_code: str | None = None,
                  item_id: str | None = None) -> str:
    """The QR text of a cover ("cover") or separator ("separator") sheet.

    ``SOHOA1|BIA|<procedure>|<dossier or empty>`` for a cover,
    ``SOHOA1|TACH|<procedure>|<dossier or empty>|<item id>`` for a separator: ASCII only (the
    smallest QR), one fixed field count per kind, so nothing can be read two ways.
    """
    if kind not in _KIND_CODES:
        raise ValueError(f"sheet kind must be 'cover' or 'separator', not {kind!r}")
    if not _PROCEDURE.fullmatch(procedure_code):
        raise ValueError(f"{procedure_code!r} is not a procedure code like '1.001193'")
    dossier = str(parse_dossier_code(dossier_code)) if dossier_code else ""
    fields = [SHEET_MAGIC, _KIND_CODES[kind], procedure_code, dossier]
    if kind == "separator":
        if not item_id or not _ITEM.fullmatch(item_id):
            raise ValueError(f"a separator needs a checklist item id, not {item_id!r}")
        fields.append(item_id)
    elif item_id is not None:
        raise ValueError("a cover sheet has no checklist item")
    return "|".join(fields)


def parse_sheet(payload: str) -> SheetInfo | None:
    """The sheet a QR payload describes, or None for anything that is not a valid sheet QR."""
    fields = payload.strip().split("|")
    if len(fields) < 4 or fields[0] != SHEET_MAGIC or fields[1] not in _KINDS:
        return None
    kind = _KINDS[fields[1]]
    if len(fields) != (5 if kind == "separator" else 4):
        return None
    procedure, dossier = fields[2], fields[3]
    item_id = fields[4] if kind == "separator" else None
    if not _PROCEDURE.fullmatch(procedure) or (item_id is not None
                                                and not _ITEM.fullmatch(item_id)):
        return None
    try:
        dossier_code = str(parse_dossier_code(dossier)) if dossier else None
    except InvalidDossierCodeError:
        return None
    return SheetInfo(kind, procedure, dossier_code, item_id)
