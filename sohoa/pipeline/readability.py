"""How well a page reads in a given orientation: the orientation check of last resort.

When the glyph geometry cannot tell which way is up (:mod:`sohoa.pipeline.orient`: ruled
tables, sparse forms, a page of numbers), the candidate readings are simply read. Upside down
or sideways, Tesseract still returns "words", but with low confidence and hardly any real
Vietnamese syllables among them: on real archive tables, 24-42 mean word confidence and 7-21 %
dictionary words turned, against 55-94 and 43-94 % upright. One band of the densest text
(about seven lines, table rules erased) at <= 200 dpi is enough and costs ~0.5-1 s per
reading, which is why it only runs on pages whose geometry is weak evidence.
"""

from __future__ import annotations

import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from sohoa.pipeline import tesseract
from sohoa.pipeline.deskew import rule_mask
from sohoa.pipeline.ocr import mean_confidence, parse_tsv
from sohoa.settings import OcrSettings

BAND_INCHES = 1.4
"""Height of the band read: six or seven lines of 12-13 pt text."""

MAX_READ_DPI = 200.0
"""The band is shrunk by a whole factor to at most this: enough for 10 pt text."""

_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
_STRIP = "\"'.,;:!?()[]{}<>«»“”‘’-–—_/\\|*+=%…"


@dataclass(frozen=True)
class Reading:
    """What OCR made of one band of the page in one orientation."""

    words: int
    confidence: float
    """Mean word confidence, 0-100 (Tesseract's, weighted by word length)."""

    dictionary_rate: float
    """Share of the words that are dictionary words of the OCR language (two letters or
    more, case and punctuation ignored)."""

    @property
    def score(self) -> float:
        """0..1: the mean of confidence/100 and the dictionary-word rate."""
        return 0.5 * self.confidence / 100 + 0.5 * self.dictionary_rate


def read(gray: np.ndarray, dpi: float, rotation: int, settings: OcrSettings) -> Reading:
    """OCR the densest band of text of ``gray`` turned clockwise by ``rotation`` degrees."""
    factor = max(1, int(np.ceil(dpi / MAX_READ_DPI - 1e-6)))
    small = gray if factor == 1 else cv2.resize(
        gray, (gray.shape[1] // factor, gray.shape[0] // factor), interpolation=cv2.INTER_AREA)
    if rotation % 360:
        small = cv2.rotate(small, _TURNS[rotation % 360])
    band = text_band(small, dpi / factor)
    with tempfile.TemporaryDirectory(prefix="sohoa-read-") as tmp:
        image = Path(tmp) / "band.pgm"
        cv2.imwrite(str(image), band)
        tsv = tesseract.run_tsv(image, dpi / factor, settings.languages,
                                settings.tesseract_cmd, settings.timeout_s)
    return score_words(parse_tsv(tsv), tesseract.word_list(settings.languages,
                                                           settings.tesseract_cmd))


def text_band(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The BAND_INCHES-tall, full-width band with the most ink, table rules painted out."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    rules = rule_mask(ink, dpi)
    text = cv2.bitwise_and(ink, cv2.bitwise_not(rules))
    height = min(gray.shape[0], max(1, round(BAND_INCHES * dpi)))
    sums = np.concatenate(([0], np.cumsum(np.count_nonzero(text, axis=1))))
    top = int(np.argmax(sums[height:] - sums[:-height]))
    band = gray[top: top + height].copy()
    band[rules[top: top + height] > 0] = np.uint8(np.percentile(gray[::4, ::4], 90))
    return band


def score_words(words: tuple, dictionary: frozenset[str]) -> Reading:
    """Word count, mean confidence and dictionary-word rate of OCR'd words."""
    if not words:
        return Reading(0, 0.0, 0.0)
    known = 0
    for word in words:
        token = unicodedata.normalize("NFC", word.text).strip(_STRIP).lower()
        if len(token) >= 2 and token.isalpha() and token in dictionary:
            known += 1
    return Reading(len(words), mean_confidence(words), known / len(words))
