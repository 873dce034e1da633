"""OCR stage: one Tesseract pass per page → text, word boxes, confidences, text layer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np

from sohoa.pipeline import tesseract
from sohoa.pipeline.model import OcrResult, Word
from sohoa.settings import OcrSettings


def recognize(pixels: np.ndarray, dpi: float, settings: OcrSettings) -> OcrResult:
    """Recognise an upright, straightened page (gray or RGB) in a single Tesseract pass."""
    gray = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        # PGM is written and read without compression: the cheapest hand-over there is.
        image = Path(tmp) / "page.pgm"
        cv2.imwrite(str(image), gray)
        run = tesseract.run(image, dpi, settings.languages, settings.tesseract_cmd,
                            settings.timeout_s)
    words = parse_tsv(run.tsv)
    return OcrResult(
        text=tidy_text(run.text),
        words=words,
        mean_confidence=mean_confidence(words),
        text_layer_pdf=run.pdf,
    )


def parse_tsv(tsv: str) -> tuple[Word, ...]:
    """Word rows (level 5) of Tesseract's TSV output."""
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
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
