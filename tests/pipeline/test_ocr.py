"""One Tesseract pass: text, word boxes, confidences and the text layer, on generated pages."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
import pytest

from sohoa.errors import OcrError
from sohoa.pipeline import ocr, tesseract
from sohoa.settings import OcrSettings
from sohoa_dev.synth import Scan, character_error_rate, make_page

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t10\t20\t50\t18\t96.5\tHọ\n"
    "5\t1\t1\t1\t1\t2\t70\t20\t80\t18\t80.0\tNguyễn\n"
    "5\t1\t1\t1\t1\t3\t160\t20\t5\t18\t-1\t \n"
)


def test_parse_tsv_keeps_words_only() -> None:
    words = ocr.parse_tsv(TSV)
    assert [w.text for w in words] == ["Họ", "Nguyễn"]
    assert (words[1].left, words[1].top, words[1].width, words[1].height) == (70, 20, 80, 18)
    # length-weighted: (96.5*2 + 80*6) / 8
    assert ocr.mean_confidence(words) == pytest.approx(84.12, abs=0.01)


def test_mean_confidence_of_nothing_is_zero() -> None:
    assert ocr.mean_confidence(()) == 0.0


@pytest.mark.ocr
def test_recognize_vietnamese_page(tesseract_vie: str) -> None:
    page = make_page(7, Scan(dpi=300, noise=5), size_in=(4.1, 5.8), sentences=6)
    pixels = np.asarray(page.image)
    result = ocr.recognize(pixels, 300, OcrSettings(languages="vie"))
    assert character_error_rate(page.text, result.text) < 0.02
    assert result.mean_confidence > 85
    h, w = pixels.shape
    assert len(result.words) > 40
    for word in result.words:
        assert word.left >= 0 and word.left + word.width <= w
        assert word.top >= 0 and word.top + word.height <= h
        assert 0 <= word.confidence <= 100
    layer = pikepdf.open(io.BytesIO(result.text_layer_pdf))
    box = [float(v) for v in layer.pages[0].mediabox]
    assert box[2] == pytest.approx(w * 72 / 300, abs=0.5)
    assert box[3] == pytest.approx(h * 72 / 300, abs=0.5)


@pytest.mark.ocr
def test_blank_page_gives_empty_text(tesseract_vie: str) -> None:
    blank = np.full((600, 400), 250, dtype=np.uint8)
    result = ocr.recognize(blank, 200, OcrSettings(languages="vie"))
    assert result.text == "" and result.words == () and result.mean_confidence == 0.0
    assert result.text_layer_pdf.startswith(b"%PDF")


def test_missing_language_model_is_named() -> None:
    with pytest.raises(OcrError, match="klingon"):
        tesseract.check_languages("vie+klingon")


def test_missing_program_is_an_ocr_error() -> None:
    with pytest.raises(OcrError):
        tesseract.run(__import__("pathlib").Path("/nonexistent.pgm"), 300, "vie",
                      cmd="/nonexistent/tesseract")


@pytest.mark.parametrize(("font_pt", "dpi", "expected"), [
    (12.5, 300, 200 / 300),  # big print: shrunk, but never below 200 dpi
    (7, 300, 1.0),           # small print keeps full resolution
    (12.5, 200, 1.0),        # already at the floor
])
def test_ocr_scale_follows_print_size(font_pt: float, dpi: int, expected: float) -> None:
    page = make_page(3, Scan(dpi=dpi, noise=4), size_in=(6, 4), sentences=8, font_pt=font_pt)
    scale = ocr.ocr_scale(np.asarray(page.image), dpi, OcrSettings())
    assert scale == pytest.approx(expected, abs=0.06)


def test_middle_print_sizes_shrink_less() -> None:
    scales = [ocr.ocr_scale(np.asarray(make_page(3, Scan(dpi=300), size_in=(6, 4), sentences=8,
                                                 font_pt=pt).image), 300, OcrSettings())
              for pt in (7, 10, 12.5)]
    assert scales[0] == 1.0 > scales[1] > scales[2]


def test_blank_page_is_not_scaled() -> None:
    assert ocr.ocr_scale(np.full((900, 700), 245, np.uint8), 300, OcrSettings()) == 1.0


@pytest.mark.ocr
def test_word_boxes_are_in_page_pixels_when_ocr_shrinks(tesseract_vie: str) -> None:
    page = make_page(8, Scan(dpi=300), size_in=(4.1, 5.8), sentences=5)
    pixels = np.asarray(page.image)
    assert ocr.ocr_scale(pixels, 300, OcrSettings()) < 0.8
    result = ocr.recognize(pixels, 300, OcrSettings())
    assert character_error_rate(page.text, result.text) < 0.02
    ink = [pixels[w.top:w.top + w.height, w.left:w.left + w.width].mean()
           for w in result.words if len(w.text) >= 4]
    assert len(ink) > 20
    assert np.median(ink) < pixels.mean() - 25  # the boxes sit on words, not beside them
    assert max(w.left + w.width for w in result.words) > pixels.shape[1] * 0.6
