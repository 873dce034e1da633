"""Page orientation: which quarter turn makes a scanned page upright, and how sure we are.

Clerks feed sheets sideways and upside down; archive scans come upright but full of ruled
tables, check-box forms, seals and signatures. Turning an upright page is the worse mistake:
the OCR text becomes garbage and the signed PDF/A shows the record upside down. So the page
is judged in two steps:

1. **Lines** (:func:`detect_rotation`, ~45 ms a 150 dpi A4 page): from the glyph pixels the
   deskew stage measures anyway (see :mod:`sohoa.pipeline.deskew`), on a 100-150 dpi copy,
   with table rules and box borders erased first (text touching them comes loose, and their long
   strokes no longer dominate the profiles).

   - Sideways or not: glyphs are closed horizontally into *line blobs* (several letters
     wide, one text line tall). Text lines give many such blobs in the right frame and
     almost none in the quarter-turned one, where they stand as vertical stripes; aligned
     columns of check boxes or numbers, which fool a projection profile, do not. The
     projection-profile sharpness along and across the lines (swept over +-8 degrees, so a
     crooked page is judged at its own skew) adds its log-ratio.
   - Upright or upside down: in Latin script, and far more in Vietnamese, more ink sits
     above the x-height band (capitals, ascenders, tone and vowel marks) than below the
     baseline (descenders, the dot below). Measured per line blob, so the cells of a table,
     whose lines do not line up across columns, are each judged on their own: the blobs'
     votes (weighted by their ink) plus the overall above/below balance.

2. **Readability** (:func:`decide_rotation`, ~0.3-1 s a reading, only when the lines are weak
   evidence: below STRONG_EVIDENCE to keep the page as it is, short of certainty to turn it):
   a band of text is OCR'd in each candidate reading (as is, the detector's choice, its
   half turn...) and the reading with the best mean word confidence and dictionary-word
   rate (Tesseract's own Vietnamese word list) wins. A turn needs a clear margin over the
   page as scanned: without one the page stays as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from sohoa.pipeline import readability
from sohoa.pipeline.deskew import (
    MIN_SHARPNESS,
    GlyphPoints,
    coarse_angle,
    glyph_points,
    refine_angle,
)
from sohoa.settings import OcrSettings

CORE_SHARE = 0.5
"""Rows of a line blob with at least this share of its densest row form its x-height band."""

CONFIDENT_UPRIGHTNESS = 0.65
"""Blob vote + above/below balance (each -1..1) at which upright-vs-upside-down is certain.
Plain text pages score 0.55-1.6; real archive pages -0.54 (!) to 1.5: the few under ~0.65
either way are read (see TURN_EVIDENCE)."""

CONFIDENT_SIDEWAYS = 2.0
"""Log-ratio (line-blob share + profile sharpness) at which sideways-or-not is certain.
Real archive pages score 2.8-5.4 in the right frame, generated ones 3.4 and up."""

STRONG_EVIDENCE = 0.9
"""Confidence from the lines alone at or above which a page is left as scanned without
reading it; below it, :func:`decide_rotation` reads the candidate turns. Two real pages
turned upside down lean the wrong way at 0.71 and 0.82 (see TURN_EVIDENCE); at 0.9, 11 of
239 real pages and few generated ones (harsh blur and noise) are read."""

TURN_EVIDENCE = 1.0
"""Confidence from the lines alone needed to *turn* a page without reading it: full. On real
archive tables (dates, reference numbers, faint MRC text) the above/below balance can lean
the wrong way by up to 0.54 (certainty is 0.65), so any turn short of it is read first.
Pages really fed turned mostly score full confidence and cost nothing more."""

READABILITY_MARGIN = 0.08
"""How much better (score 0..1, see :mod:`readability`) a turned reading must read than the
page as scanned for the turn to be applied."""

MIN_WORDS = 4
"""A reading with fewer words than this says nothing about which way is up."""

_CV2_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
              270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class Orientation:
    """The quarter turn that makes a page upright, how sure we are, and what decided it."""

    rotation: int
    """Clockwise degrees (0, 90, 180, 270) to apply to make the page upright."""

    confidence: float
    """0 (no text to judge: blank or a picture) .. 1 (unambiguous)."""

    skew: float = 0.0
    """Deskew angle measured on the way, as :func:`deskew.estimate_skew` would return it for
    the page after :func:`apply_rotation`; lets a caller skip that second measurement."""

    evidence: str = "none"
    """What decided: "lines" (the glyph geometry, confident), "readability" (OCR of the
    candidate readings), "none" (no text lines: left as scanned)."""

    candidates: tuple[int, ...] = ()
    """Turns worth reading, best first (0 always in), when the lines are weak evidence (below
    STRONG_EVIDENCE to keep the page, below TURN_EVIDENCE to turn it); empty when they are
    strong or there is no text."""


@dataclass(frozen=True)
class _Frame:
    """The glyphs measured as lying in one frame (as scanned, or after a quarter turn)."""

    points: GlyphPoints
    sharpness: float
    angle: float
    """Skew of the lines to the coarse sweep's 0.5 degrees."""

    line_share: float
    """Share of the glyph pixels that belong to line blobs in this frame."""

    uprightness: float
    """Blob vote + above/below balance: > 0 upright in this frame, < 0 upside down."""


def detect_rotation(gray: np.ndarray, dpi: float) -> Orientation:
    """The clockwise quarter turn that makes this (possibly crooked) page upright, judged from
    its text lines alone (fast); non-empty ``candidates`` mean "not sure enough: read it"."""
    points = glyph_points(gray, dpi, drop_rules=True)
    if points is None:
        return Orientation(0, 0.0)
    frames = {base: _frame(p) for base, p in ((0, points), (90, _quarter_turned(points)))}
    if max(f.sharpness for f in frames.values()) < MIN_SHARPNESS:
        return Orientation(0, 0.0)  # marks, but no lines of text in either direction
    if max(f.line_share for f in frames.values()) == 0:
        return Orientation(0, 0.0)
    sideways = (math.log((frames[90].line_share + 0.01) / (frames[0].line_share + 0.01))
                + math.log(frames[90].sharpness / frames[0].sharpness))
    base = 90 if sideways > 0 else 0
    other = 90 - base
    chosen = frames[base]
    rotation = base if chosen.uprightness >= 0 else base + 180
    sideways_conf = min(1.0, abs(sideways) / CONFIDENT_SIDEWAYS)
    upright_conf = min(1.0, abs(chosen.uprightness) / CONFIDENT_UPRIGHTNESS)
    confidence = round(min(sideways_conf, upright_conf), 3)
    # Keeping the page as scanned takes STRONG_EVIDENCE; turning it takes certainty, because
    # turning an upright page is the mistake that damages the record.
    weak = confidence < (STRONG_EVIDENCE if rotation == 0 else TURN_EVIDENCE)
    candidates = [rotation]
    if upright_conf < TURN_EVIDENCE:
        candidates.append((rotation + 180) % 360)
    if sideways_conf < TURN_EVIDENCE:
        candidates.append(other if frames[other].uprightness >= 0 else other + 180)
    if 0 not in candidates:
        candidates.append(0)
    skew = refine_angle(chosen.points.xs, chosen.points.ys, chosen.points.width, chosen.angle)
    return Orientation(rotation, confidence, round(skew, 3) or 0.0, "lines",
                       tuple(dict.fromkeys(candidates)) if weak else ())


def decide_rotation(gray: np.ndarray, dpi: float, settings: OcrSettings) -> Orientation:
    """:func:`detect_rotation`, and when its evidence is weak, the reading that reads best.

    The candidate turns are OCR'd on one band of text each; the page is turned only when a
    turned reading beats the page as scanned by READABILITY_MARGIN. The skew reported is the
    one measured in the chosen reading's frame.
    """
    found = detect_rotation(gray, dpi)
    if not found.candidates:
        return found
    readings = {turn: readability.read(gray, dpi, turn, settings) for turn in found.candidates}
    best = max(readings, key=lambda turn: readings[turn].score)
    margin = readings[best].score - readings[0].score
    if best != 0 and (margin < READABILITY_MARGIN or readings[best].words < MIN_WORDS):
        best = 0  # no clear winner: the page stays as it was scanned
    if max(r.words for r in readings.values()) < MIN_WORDS:
        return Orientation(0, 0.0, _skew_for(gray, dpi, found, 0), "none")
    others = [r.score for turn, r in readings.items() if turn != best]
    lead = readings[best].score - max(others) if others else readings[best].score
    confidence = round(min(1.0, max(0.0, lead) / (2 * READABILITY_MARGIN)), 3)
    return Orientation(best, confidence, _skew_for(gray, dpi, found, best), "readability")


def _skew_for(gray: np.ndarray, dpi: float, found: Orientation, rotation: int) -> float:
    """The skew in ``rotation``'s frame: the detector's when the frames agree (a half turn
    does not change the skew), else measured again in the other frame."""
    if (rotation - found.rotation) % 180 == 0:
        return found.skew
    points = glyph_points(gray, dpi, drop_rules=True)
    if points is None:
        return 0.0
    if rotation % 180:
        points = _quarter_turned(points)
    angle, sharpness = coarse_angle(points.xs, points.ys, points.width)
    if sharpness < MIN_SHARPNESS:
        return 0.0
    return round(refine_angle(points.xs, points.ys, points.width, angle), 3) or 0.0


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


def _frame(points: GlyphPoints) -> _Frame:
    """Profile sharpness, skew to 0.5 degrees (enough to find the line blobs), line blobs
    and their uprightness, with the lines horizontal."""
    angle, sharpness = coarse_angle(points.xs, points.ys, points.width)
    share, uprightness = line_blobs(points, angle)
    return _Frame(points, sharpness, angle, share, uprightness)


def line_blobs(points: GlyphPoints, angle: float) -> tuple[float, float]:
    """(share of glyph pixels in line blobs, uprightness) with the lines tilted by ``angle``.

    The points are turned level and drawn into a small image; a horizontal closing over
    word gaps (and a vertical one over the 1-2 px between a letter and its accent) merges
    each text line into one blob. A blob one text line tall and at least 3 times as wide
    is a line blob. Per blob, rows holding at least CORE_SHARE of its densest row are the
    x-height band; ink above it minus ink below it, over both, is the blob's asymmetry.
    Uprightness is the ink-weighted vote of the blobs' signs plus the overall asymmetry:
    positive for upright text, negative upside down, ~0 without text lines.
    """
    dpi = points.dpi
    # Back to the pixel lattice (the points carry a +-0.5 px jitter for the skew sweep), and
    # rounded, not truncated, after levelling: truncation would split each pixel row over
    # two profile rows by chance, and shift the x-height band a row up or down with it.
    xs, ys = np.rint(points.xs), np.rint(points.ys)
    rad = np.radians(angle)
    rows = ys * np.float32(np.cos(rad)) - xs * np.float32(np.sin(rad))
    cols = xs * np.float32(np.cos(rad)) + ys * np.float32(np.sin(rad))
    r = np.rint(rows - rows.min()).astype(np.int32)
    c = np.rint(cols - cols.min()).astype(np.int32)
    canvas = np.zeros((int(r.max()) + 1, int(c.max()) + 1), np.uint8)
    canvas[r, c] = 255
    word_gap = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(0.08 * dpi)), 1))
    accent_gap = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(2, round(0.02 * dpi))))
    merged = cv2.morphologyEx(cv2.morphologyEx(canvas, cv2.MORPH_CLOSE, word_gap),
                              cv2.MORPH_CLOSE, accent_gap)
    count, labels = cv2.connectedComponents(merged, connectivity=8)
    label = labels[r, c]
    # Blob extents from its points (OpenCV's per-component statistics cost 6x the labelling).
    top, bottom = np.full(count, r.max(), np.int32), np.zeros(count, np.int32)
    left, right = np.full(count, c.max(), np.int32), np.zeros(count, np.int32)
    np.minimum.at(top, label, r)
    np.maximum.at(bottom, label, r)
    np.minimum.at(left, label, c)
    np.maximum.at(right, label, c)
    height, width = bottom - top + 1, right - left + 1
    is_line = (height >= 0.05 * dpi) & (height <= 0.3 * dpi) & (width >= 3 * height)
    is_line[0] = False
    inside = is_line[label]
    share = float(inside.mean())
    lines = np.flatnonzero(is_line)
    if not lines.size:
        return share, 0.0
    index = np.full(count, -1)
    index[lines] = np.arange(lines.size)
    tall = int(height[lines].max()) + 1
    label = label[inside]
    offset = r[inside] - top[label]
    profile = np.bincount(index[label] * tall + offset, minlength=lines.size * tall)
    profile = profile.reshape(lines.size, tall).astype(np.float64)
    core = profile >= CORE_SHARE * profile.max(axis=1, keepdims=True)
    first = core.argmax(axis=1)
    last = tall - 1 - core[:, ::-1].argmax(axis=1)
    row = np.arange(tall)[None, :]
    above = (profile * (row < first[:, None])).sum(axis=1)
    below = (profile * (row > last[:, None])).sum(axis=1)
    total = above + below
    if total.sum() == 0:
        return share, 0.0
    weight = np.sqrt(total)
    vote = float((np.sign(above - below) * weight).sum() / weight.sum())
    balance = float((above.sum() - below.sum()) / total.sum())
    return share, vote + balance


def _quarter_turned(points: GlyphPoints) -> GlyphPoints:
    """The same glyph pixels as they would lie after a clockwise quarter turn of the page."""
    return GlyphPoints(
        xs=(points.height - 1) - points.ys, ys=points.xs.copy(),
        width=points.height, height=points.width, dpi=points.dpi, glyphs=points.glyphs,
    )
