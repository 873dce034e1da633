"""Values that flow between pipeline stages.

Pixels are numpy ``uint8`` arrays: 2-D for gray, 3-D ``(h, w, 3)`` RGB for colour. Stages
never keep state; each takes one of these and returns a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


@dataclass(frozen=True)
class RasterPage:
    """One page image as it came off the scanner or out of the input file."""

    pixels: np.ndarray
    """uint8, (h, w) gray or (h, w, 3) RGB."""

    dpi: float
    """Resolution the file records (or the configured default when it records none)."""

    source: str
    """Name of the file the page came from (for messages; never a path to open)."""

    index: int
    """0-based page number within that file."""

    input_text_layer: bool = False
    """The input page already carried text (a scanner's invisible OCR layer, or born-digital
    text). Only its visible marks reach the pixels: sohoa's text layer replaces it."""


@dataclass(frozen=True)
class PageLoadFailure:
    """A page that could not be decoded; the other pages of the file go on."""

    source: str
    index: int
    reason: str


class QualityFlag(StrEnum):
    """Problems the clerk can act on (rescan, clean the glass, flatten the page)."""

    BLANK = "blank"
    BLURRED = "blurred"
    LOW_RESOLUTION = "low_resolution"
    DARK_BORDER = "dark_border"
    CUT_OFF = "cut_off"


@dataclass(frozen=True)
class Word:
    """One recognised word, box in pixels of the processed page image."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    """0–100 as Tesseract reports it."""


@dataclass(frozen=True)
class OcrResult:
    """The single recognition pass of one page."""

    text: str
    words: tuple[Word, ...]
    mean_confidence: float
    """Mean word confidence 0–100; 0 when no words were found."""

    text_layer_pdf: bytes
    """Tesseract's text-only PDF of the page (invisible text, same size as the image)."""


@dataclass(frozen=True)
class ProcessedPage:
    """A page after orient, deskew, crop and OCR: ready to be assembled."""

    index: int
    pixels: np.ndarray
    dpi: float
    rotation: int
    """Clockwise degrees (0/90/180/270) applied to make the page upright."""

    deskew_angle: float
    """Degrees the page was rotated counter-clockwise to straighten it."""

    flags: tuple[QualityFlag, ...]
    ocr: OcrResult
    qr_payloads: tuple[str, ...] = ()
    rotation_confidence: float = 0.0
    """0..1, how sure the orientation decision is (see :mod:`sohoa.pipeline.orient`)."""

    rotation_evidence: str = "none"
    """What decided the rotation: "lines", "readability" or "none"."""
    """QR codes on the page (ID cards, sohoa's cover and separator sheets)."""

    input_text_layer: bool = False
    """The input page carried a text layer of its own, now replaced by sohoa's."""
