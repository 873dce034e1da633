"""The visible signature block finds blank paper top-right, and leaves the page untouched.

Forms come from the synthetic generators (sohoa_dev.synth): their headers put the national
motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" where a fixed top-right block would cover it.
"""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from sohoa.pipeline.assemble import DocumentMetadata, PageLayer, assemble_pdfa
from sohoa.pipeline.devca import ensure_dev_signer
from sohoa.pipeline.imaging import ImageMode, encode
from sohoa.pipeline.ocr import recognize
from sohoa.pipeline.sign import STAMP_MARGIN, sign_pdf, stamp_rect
from sohoa.pipeline.signers import load_signer
from sohoa.pipeline.stamp_space import CLEARANCE, TIGHT_MARGIN, Size, find_spot
from sohoa.settings import OcrSettings, SigningSettings
from sohoa_dev.synth.documents import render_document
from tests.helpers import pki
from tests.support import require_program

SIGNED_AT = datetime(2026, 11, 21, 7, 5, 9, tzinfo=UTC)
SIZES = [[Size(198, 62), Size(196, 32)], [Size(137, 22)], [Size(118, 19)]]
A4 = (842, 596)

# --- placement on ink masks ----------------------------------------------------------------


def test_blank_page_gets_the_full_block_in_the_corner() -> None:
    spot = find_spot(np.zeros(A4, bool), 595.3, SIZES, STAMP_MARGIN)
    assert spot.blank is True
    assert spot.rect == pytest.approx((595.3 - STAMP_MARGIN - 198, STAMP_MARGIN,
                                       595.3 - STAMP_MARGIN, STAMP_MARGIN + 62), abs=1e-6)


def test_block_goes_below_a_header_in_the_corner_when_there_is_room() -> None:
    ink = np.zeros(A4, bool)
    ink[40:75, 320:560] = True  # the motto, two lines
    ink[160:, 60:540] = True  # the body
    left, top, right, bottom = find_spot(ink, 596, SIZES, STAMP_MARGIN).rect
    assert (right - left, bottom - top) == pytest.approx((198, 62))
    assert top >= 75 + CLEARANCE and bottom <= 160 - CLEARANCE


def test_block_shrinks_when_only_a_small_gap_is_blank() -> None:
    ink = np.zeros(A4, bool)
    ink[55:, :] = True  # ink from 55 pt down, a 2 cm blank band above it
    ink[:55, :300] = True  # and the left half of the band
    spot = find_spot(ink, 596, SIZES, STAMP_MARGIN)
    left, top, right, bottom = spot.rect
    assert spot.blank is True
    assert (right - left, bottom - top) == pytest.approx((137, 22))  # 9 pt would need 32 + margin
    assert bottom <= 55 - CLEARANCE and right == pytest.approx(596 - STAMP_MARGIN)


def test_no_blank_paper_puts_the_smallest_block_at_the_top_of_the_margin_band() -> None:
    ink = np.zeros(A4, bool)
    ink[20:, :] = True
    spot = find_spot(ink, 596, SIZES, STAMP_MARGIN)
    assert spot.blank is False
    assert spot.rect == pytest.approx((596 - TIGHT_MARGIN - 118, TIGHT_MARGIN,
                                       596 - TIGHT_MARGIN, TIGHT_MARGIN + 19))


def test_a_page_narrower_than_the_block_gets_a_narrower_block() -> None:
    spot = find_spot(np.zeros((80, 100), bool), 100, SIZES, STAMP_MARGIN)
    left, top, right, bottom = spot.rect
    assert left == pytest.approx(TIGHT_MARGIN) and right == pytest.approx(100 - TIGHT_MARGIN)
    assert (bottom - top) / (right - left) == pytest.approx(19 / 118)  # text shrinks with it


# --- signing generated forms ---------------------------------------------------------------


FORMS = [("giay_chung_sinh", 1), ("giay_kham_suc_khoe", 0)]
"""An agency header (agency left, motto right): one form with room under the motto, one
where only a smaller block fits above it."""


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> SigningSettings:
    return SigningSettings(dev_ca_dir=tmp_path_factory.mktemp("dev-ca"))


@pytest.fixture(scope="module")
def nss_dir(tmp_path_factory: pytest.TempPathFactory, settings: SigningSettings) -> Path:
    ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    return pki.nss_store(tmp_path_factory.mktemp("nss"), [ca])


def _form_pdf(doc_type: str, seed: int) -> bytes:
    """Page 1 of a generated form as the pipeline makes it: image + Tesseract text layer."""
    require_program("tesseract")
    page = render_document(doc_type, seed, 200, pages=1)[0]
    pixels = np.asarray(page.image.convert("L"))
    ocr = recognize(pixels, 200, OcrSettings())
    layer = PageLayer(encode(pixels, ImageMode.GRAY), 200, ocr.text_layer_pdf)
    meta = DocumentMetadata(title=doc_type, digitized_at=SIGNED_AT, digitized_by="Thử")
    return assemble_pdfa([layer], meta)


def _render(pdf: bytes, dpi: int) -> np.ndarray:
    done = subprocess.run([require_program("pdftoppm"), "-r", str(dpi), "-gray", "-f", "1",
                           "-l", "1", "-"], input=pdf, capture_output=True, check=True)
    with Image.open(io.BytesIO(done.stdout)) as img:
        return np.asarray(img.convert("L"))


def _ink_in(gray: np.ndarray, rect: tuple[float, float, float, float], dpi: int) -> int:
    """Dark pixels of the page inside a rectangle given in points, origin top-left."""
    k = dpi / 72
    left, top, right, bottom = (round(v * k) for v in rect)
    return int((gray[top:bottom, left:right] < 160).sum())


def _page_bytes(pdf: bytes) -> dict[str, bytes]:
    """The page's own content: its content stream and every XObject (image, text layer)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        out = {"/Contents": page.Contents.read_raw_bytes()}
        for name, xobj in page.Resources.XObject.items():
            out[name] = xobj.read_raw_bytes()
        return out


@pytest.mark.parametrize(("doc_type", "seed"), FORMS)
def test_stamp_sits_on_blank_paper_and_the_page_is_untouched(
    doc_type: str, seed: int, settings: SigningSettings, nss_dir: Path, tmp_path: Path
) -> None:
    original = _form_pdf(doc_type, seed)
    with pikepdf.open(io.BytesIO(original)) as doc:
        width, height = (float(v) for v in doc.pages[0].MediaBox[2:])
    gray = _render(original, 150)
    llx, lly, urx, ury = stamp_rect((0, 0, width, height), 0)
    fixed = (llx, height - ury, urx, height - lly)
    assert _ink_in(gray, fixed, 150) > 200  # the old fixed corner covered the motto

    with load_signer(settings) as signer:
        signed = sign_pdf(original, signer, settings, now=SIGNED_AT)

    with pikepdf.open(io.BytesIO(signed)) as doc:
        (widget,) = doc.pages[0].Annots
        llx, lly, urx, ury = (float(v) for v in widget.Rect)
    shown = (llx, height - ury, urx, height - lly)
    assert _ink_in(gray, shown, 150) == 0
    assert shown[0] + shown[2] > width  # right half
    assert shown[3] < height * 0.2  # top of the page
    assert urx - llx >= 118 and ury - lly >= 19  # at least 6 pt text
    assert _page_bytes(signed) == _page_bytes(original)  # image and text layer untouched
    assert signed.startswith(original)

    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    assert "Signature is Valid." in pki.pdfsig(path, nss_dir)
    text = subprocess.run([require_program("pdftotext"), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "VIỆT NAM" in text  # the text layer still reads the motto
    stamped = _render(signed, 150)
    assert _ink_in(stamped, shown, 150) > 300  # and the block is drawn where it was placed
