"""Page orientation: which quarter turn makes a scanned page upright.

Clerks feed sheets sideways and upside down; Tesseract's own detector (OSD) costs as much as
the OCR pass itself, so the page is judged from the glyph pixels the deskew stage measures
anyway (see :mod:`sohoa.pipeline.deskew`), on a 100-150 dpi copy:

1. Sideways or not: text lines give a sharply peaked projection profile along the lines and a
   flat one across them. Both directions are swept over +-8 degrees, so a crooked page (the
   detector runs before deskew) is judged at its own skew.
2. Upright or upside down: in Latin script, and far more in Vietnamese, more ink sits above
   the x-height band (capitals, ascenders, the tone and vowel marks) than below the baseline
   (descenders, the dot below). Each text line's profile is split at its dense core band and
   the ink above is compared with the ink below.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from sohoa.pipeline.deskew import (
    MIN_SHARPNESS,
    GlyphPoints,
    coarse_angle,
    glyph_points,
    refine_angle,
)

CORE_SHARE = 0.5
"""Rows of a text line with at least this share of its densest row form its x-height band."""

CONFIDENT_ASYMMETRY = 0.25
"""(above - below) / (above + below) ink at which upright-vs-upside-down is certain."""

CONFIDENT_SHARPNESS = 1.5
"""Ratio of along-line to across-line profile sharpness at which sideways-or-not is certain."""

_CV2_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
              270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class Orientation:
    """The quarter turn that makes a page upright, and how sure the detector is."""

    rotation: int
    """Clockwise degrees (0, 90, 180, 270) to apply to make the page upright."""

    confidence: float
    """0 (no text to judge: blank or a picture) .. 1 (unambiguous)."""

    skew: float = 0.0
    """Deskew angle measured on the way, as :func:`deskew.estimate_skew` would return it for
    the page after :func:`apply_rotation`; lets a caller skip that second measurement."""


def detect_rotation(gray: np.ndarray, dpi: float) -> Orientation:
    """The clockwise quarter turn that makes this (possibly crooked) page upright."""
    points = glyph_points(gray, dpi)
    if points is None:
        return Orientation(0, 0.0)
    lying = _quarter_turned(points)
    upright_angle, upright_sharpness = coarse_angle(points.xs, points.ys, points.width)
    lying_angle, lying_sharpness = coarse_angle(lying.xs, lying.ys, lying.width)
    if lying_sharpness > upright_sharpness:
        base, chosen, angle = 90, lying, lying_angle
        ratio = lying_sharpness / upright_sharpness
    else:
        base, chosen, angle = 0, points, upright_angle
        ratio = upright_sharpness / lying_sharpness
    if max(upright_sharpness, lying_sharpness) < MIN_SHARPNESS:
        return Orientation(0, 0.0)  # marks, but no lines of text in either direction
    angle = refine_angle(chosen.xs, chosen.ys, chosen.width, angle)
    asymmetry = line_asymmetry(chosen, angle)
    rotation = base if asymmetry >= 0 else (base + 180) % 360
    confidence = min(
        1.0,
        (ratio - 1) / (CONFIDENT_SHARPNESS - 1),
        abs(asymmetry) / CONFIDENT_ASYMMETRY,
    )
    return Orientation(rotation, round(max(0.0, confidence), 3), round(angle, 3) or 0.0)


def apply_rotation(pixels: np.ndarray, rotation: int) -> np.ndarray:
    """``pixels`` turned clockwise by ``rotation`` degrees (a multiple of 90), losslessly.

    Same result as ``np.rot90(pixels, -rotation // 90)`` but as a contiguous array made by
    OpenCV, several times faster than copying numpy's strided view.
    """
    turn = rotation % 360
    if turn % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, not {rotation}")
    if turn == 0:
        return pixels
    if pixels.dtype == np.uint8 and pixels.ndim in (2, 3):
        return cv2.rotate(pixels, _CV2_TURNS[turn])
    return np.ascontiguousarray(np.rot90(pixels, -turn // 90))


def line_asymmetry(points: GlyphPoints, angle: float) -> float:
    """(above - below) / (above + below): ink over the x-height band vs under the baseline.

    Positive for upright Latin/Vietnamese text, negative upside down, ~0 without text lines.
    ``angle`` is the clockwise tilt of the lines (from :func:`deskew.refine_angle`).
    """
    rad = np.radians(angle)
    rows = points.ys * np.float32(np.cos(rad)) - points.xs * np.float32(np.sin(rad))
    rows -= rows.min()
    profile = np.bincount(rows.astype(np.int32)).astype(np.float64)
    above = below = 0.0
    for start, stop in _line_spans(profile, points.dpi):
        line = profile[start:stop]
        core = np.flatnonzero(line >= CORE_SHARE * line.max())
        above += float(line[: core[0]].sum())
        below += float(line[core[-1] + 1:].sum())
    total = above + below
    return (above - below) / total if total else 0.0


def _line_spans(profile: np.ndarray, dpi: float) -> list[tuple[int, int]]:
    """[start, stop) row ranges of the text lines in a projection profile.

    A line is a run of rows with ink (after closing one-row gaps, e.g. between a letter and
    its accent); runs too short to be text, or too tall (merged lines, pictures), are left out
    because their split into above/below would be meaningless.
    """
    smooth = np.convolve(profile, np.ones(3), mode="same")
    inked = np.concatenate(([0], (smooth > 0.02 * smooth.max()).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(inked))
    spans = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    shortest = 0.04 * dpi
    heights = [b - a for a, b in spans if b - a >= shortest]
    if not heights:
        return []
    tallest = 2 * float(np.median(heights))
    return [(a, b) for a, b in spans if shortest <= b - a <= tallest]


def _quarter_turned(points: GlyphPoints) -> GlyphPoints:
    """The same glyph pixels as they would lie after a clockwise quarter turn of the page."""
    return GlyphPoints(
        xs=(points.height - 1) - points.ys, ys=points.xs.copy(),
        width=points.height, height=points.width, dpi=points.dpi, glyphs=points.glyphs,
    )
