"""PDF/A-2b assembly: image kept as chosen, invisible text aligned, metadata recorded."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime, timedelta, timezone

import numpy as np
import pikepdf
import pikepdf.pdfa
import pytest
from PIL import Image

from sohoa.errors import PdfaError
from sohoa.pipeline import imaging, ocr
from sohoa.pipeline.assemble import DocumentMetadata, PageLayer, assemble_pdfa, decode_image
from sohoa.settings import OcrSettings
from sohoa_dev.synth import Scan, character_error_rate, make_page
from tests.support import require_program

VN = timezone(timedelta(hours=7))
META = DocumentMetadata(title="Tờ khai đăng ký khai sinh",
                        digitized_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=VN),
                        digitized_by="Nguyễn Thị Hạnh", dossier_code="000.00.14.H56-261121-0007",
                        procedure_code="1.001193")


@pytest.fixture(scope="module")
def two_pages(request: pytest.FixtureRequest) -> tuple[list, list[str], bytes]:
    """A colour page with a seal and a plain text page, OCR'd, assembled."""
    request.getfixturevalue("tesseract_vie")
    pages = [make_page(11, Scan(dpi=200, seal=True), size_in=(4.1, 5.8), sentences=6),
             make_page(12, Scan(dpi=300), size_in=(4.1, 5.8), sentences=6)]
    layers = []
    for page in pages:
        px = np.asarray(page.image)
        result = ocr.recognize(px, page.scan.dpi, OcrSettings(languages="vie"))
        enc = imaging.encode(px, imaging.choose_mode(px, page.scan.dpi))
        layers.append(PageLayer(enc, page.scan.dpi, result.text_layer_pdf))
    return pages, [p.text for p in pages], assemble_pdfa(layers, META)


@pytest.mark.ocr
def test_passes_pdfa_2b_check(two_pages: tuple) -> None:
    _, _, pdf = two_pages
    report = pikepdf.pdfa.validate_written(io.BytesIO(pdf), "2b", {})
    assert report.passed, report.findings


@pytest.mark.ocr
def test_page_sizes_and_images(two_pages: tuple) -> None:
    pages, _, pdf = two_pages
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        for page, synth in zip(doc.pages, pages, strict=True):
            w, h = synth.image.size
            box = [float(v) for v in page.mediabox]
            assert box[2] == pytest.approx(w * 72 / synth.scan.dpi, abs=0.01)
            assert box[3] == pytest.approx(h * 72 / synth.scan.dpi, abs=0.01)
        first = doc.pages[0].Resources.XObject.Im0
        second = doc.pages[1].Resources.XObject.Im0
        assert first.ColorSpace == "/DeviceRGB" and first.Filter == "/DCTDecode"
        assert second.BitsPerComponent == 1 and second.Filter == "/CCITTFaxDecode"


@pytest.mark.ocr
def test_invisible_text_is_extractable_and_aligned(two_pages: tuple, tmp_path) -> None:
    require_program("pdftotext")
    _, truths, pdf = two_pages
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    for n, truth in enumerate(truths, start=1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), path, "-"],
                              capture_output=True, text=True, check=True).stdout
        assert character_error_rate(truth, text) < 0.03
    # Alignment: the bounding box pdftotext reports for the title word lies on dark pixels.
    html = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", path, "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "HÒA" in html
    rendered = subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-r", "72", "-gray", path],
                              capture_output=True, check=True).stdout
    img = np.asarray(Image.open(io.BytesIO(rendered)))
    line = next(row for row in html.splitlines() if ">HÒA<" in row)
    coords = dict(re.findall(r'(\w+)="([\d.]+)"', line))
    x0, y0, x1, y1 = (round(float(coords[k])) for k in ("xMin", "yMin", "xMax", "yMax"))
    assert img[y0:y1 + 1, x0:x1 + 1].mean() < img.mean() - 30  # the word box covers ink


@pytest.mark.ocr
def test_metadata_records_dossier_and_digitizer(two_pages: tuple) -> None:
    _, _, pdf = two_pages
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert meta["dc:identifier"] == "000.00.14.H56-261121-0007"
        assert meta["dc:title"] == "Tờ khai đăng ký khai sinh"
        assert meta["dc:creator"] == ["Nguyễn Thị Hạnh"]
        assert meta["xmp:CreateDate"].startswith("2026-11-21T09:30:05")
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        keywords = meta["pdf:Keywords"]
        for part in ("dossier=000.00.14.H56-261121-0007", "procedure=1.001193", "pages=2"):
            assert part in keywords


def test_no_pages_is_refused() -> None:
    with pytest.raises(PdfaError):
        assemble_pdfa([], META)


@pytest.mark.parametrize("mode", list(imaging.ImageMode))
def test_the_screen_decodes_the_image_the_pdf_embeds(mode: imaging.ImageMode) -> None:
    """The counter's thumbnails and viewer show the stored page image (JPEG or raw G4):
    black stays black, white stays white, the size is kept."""
    pixels = np.full((120, 200), 255, np.uint8)
    pixels[10:40, 20:80] = 0
    shown = decode_image(imaging.encode(pixels, mode))
    gray = shown if shown.ndim == 2 else shown.mean(axis=2)
    assert gray.shape == (120, 200)
    assert gray[20, 30] < 30 and gray[100, 150] > 225
    assert abs(float(gray.mean()) - float(pixels.mean())) < 4
