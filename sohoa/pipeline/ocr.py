"""OCR stage: one Tesseract pass per page → text, word boxes, confidences, text layer."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from sohoa.pipeline import tesseract
from sohoa.pipeline.imaging import to_gray
from sohoa.pipeline.model import OcrResult, Word
from sohoa.settings import OcrSettings


def recognize(pixels: np.ndarray, dpi: float, settings: OcrSettings) -> OcrResult:
    """Recognise an upright, straightened page (gray or RGB) in a single Tesseract pass.

    Word boxes are in the given page's pixels; the text layer has the page's size in points,
    whatever resolution OCR read it at (see :func:`ocr_scale`).
    """
    gray, scale = _for_ocr(pixels, dpi, settings)
    with _pgm(gray) as image:
        run = tesseract.run(image, dpi * scale, settings.languages, settings.tesseract_cmd,
                            settings.timeout_s)
    words = parse_tsv(run.tsv, 1.0 / scale)
    return OcrResult(
        text=tidy_text(run.text),
        words=words,
        mean_confidence=mean_confidence(words),
        text_layer_pdf=run.pdf,
    )


def recognize_text(pixels: np.ndarray, dpi: float, settings: OcrSettings) -> str:
    """Text alone, for a quick look (no boxes, no text layer)."""
    gray, scale = _for_ocr(pixels, dpi, settings)
    with _pgm(gray) as image:
        text = tesseract.run_text(image, dpi * scale, settings.languages,
                                  settings.tesseract_cmd, settings.timeout_s)
    return tidy_text(text)


def _for_ocr(pixels: np.ndarray, dpi: float, settings: OcrSettings) -> tuple[np.ndarray, float]:
    """The gray page at the resolution OCR reads it, and the scale applied."""
    gray = to_gray(pixels)
    scale = ocr_scale(gray, dpi, settings)
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return gray, scale


@contextmanager
def _pgm(gray: np.ndarray) -> Iterator[Path]:
    """The page as a PGM file: written and read without compression, the cheapest hand-over."""
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        image = Path(tmp) / "page.pgm"
        cv2.imwrite(str(image), gray)
        yield image


def text_height(gray: np.ndarray, dpi: float) -> float:
    """Median height in page pixels of glyph-sized marks (0.0 when there are none).

    Measured on a 150 dpi binarized copy in a few milliseconds; connected components that
    are too big, too small or too wide to be letters (lines, photos, specks) are ignored.
    """
    factor = min(1.0, 150.0 / max(dpi, 1.0))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    letters = (heights >= 4) & (heights <= 60) & (widths <= 3 * heights)
    return float(np.median(heights[letters])) / factor if letters.sum() >= 20 else 0.0


def ocr_scale(gray: np.ndarray, dpi: float, settings: OcrSettings) -> float:
    """How much to shrink the page before OCR: glyphs to ``settings.glyph_px``, never below
    ``settings.min_dpi``, never enlarged."""
    if dpi <= settings.min_dpi:
        return 1.0
    height = text_height(gray, dpi)
    if height <= settings.glyph_px:
        return 1.0
    return max(settings.glyph_px / height, settings.min_dpi / dpi)


def parse_tsv(tsv: str, scale: float = 1.0) -> tuple[Word, ...]:
    """Word rows (level 5) of Tesseract's TSV output, boxes multiplied by ``scale``."""
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (round(int(c) * scale) for c in cols[6:10])
        words.append(Word(cols[11], left, top, width, height, float(cols[10])))
    return tuple(words)


def mean_confidence(words: tuple[Word, ...]) -> float:
    """Mean word confidence (0–100), weighting each word by its length."""
    scored = [(w.confidence, len(w.text)) for w in words if w.confidence >= 0]
    total = sum(n for _, n in scored)
    return round(sum(c * n for c, n in scored) / total, 2) if total else 0.0


def tidy_text(text: str) -> str:
    """Tesseract's text without the trailing form feed and blank-line runs at the end."""
    return text.replace("\f", "").rstrip() + "\n" if text.strip() else ""
