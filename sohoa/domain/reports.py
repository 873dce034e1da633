"""The JSON written beside each digitized file (``<stem>.json``), as pydantic models.

Consumers (agencies' scripts, the later web UI) can validate what they read with the same
models that wrote it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

QualityFlagName = Literal["blank", "blurred", "low_resolution", "dark_border", "cut_off"]
RotationEvidence = Literal["lines", "readability", "none"]
ImageModeName = Literal["colour", "gray", "bitonal"]


class PageReport(BaseModel):
    """One page as it was digitized."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int = Field(ge=0, description="0-based page number in the input file")
    rotation: Literal[0, 90, 180, 270] = Field(
        description="clockwise degrees applied to make the page upright")
    rotation_confidence: float = Field(
        default=0.0, ge=0, le=1,
        description="how sure the rotation is: 0 (no text to judge, left as scanned) .. 1 "
                    "(unambiguous); a page is only turned on strong evidence")
    rotation_evidence: RotationEvidence = Field(
        default="none",
        description="what decided the rotation: 'lines' (the text lines' geometry was "
                    "clear), 'readability' (the geometry was weak, so the candidate turns "
                    "were OCR'd and the one that read best, by word confidence and "
                    "dictionary words, was kept; the page as scanned unless a turn read "
                    "clearly better), 'none' (no text lines: left as scanned)")
    deskew_angle: float = Field(
        ge=-45, le=45,
        description="degrees the page was rotated counter-clockwise to straighten it")
    dpi: float = Field(gt=0)
    flags: list[QualityFlagName] = Field(description="problems the clerk can act on")
    confidence: float = Field(ge=0, le=100, description="mean OCR word confidence")
    image_mode: ImageModeName
    input_text_layer: bool = Field(
        default=False,
        description="the input page already carried a text layer (e.g. the scanner software's "
                    "own OCR); sohoa's text layer replaced it — the output has only sohoa's")


class FailedPage(BaseModel):
    """A page that could not be digitized; the others were."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int = Field(ge=0)
    reason: str


class FileReport(BaseModel):
    """Everything ``<stem>.json`` says about one input file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    pages: list[PageReport]
    failed_pages: list[FailedPage] = []
