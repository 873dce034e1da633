"""Deskew and black-border removal: measure how far the sheet lay crooked, straighten it, crop.

Counter scanners feed sheets a few degrees off and leave a dark band where the lid did not
cover the glass; both hurt OCR and look sloppy in the archived PDF/A. The whole geometry budget
is a small fraction of one Tesseract pass, so every measurement runs on a binarized copy
shrunk to 100-150 dpi, and on the coordinates of its glyph pixels rather than on images:
turning a point cloud and histogramming it costs ~0.1 ms, rotating an A4 image ~25 ms.

Skew is the angle whose horizontal projection profile of glyph pixels is sharpest (text lines
become narrow, dense peaks): a 0.5-degree sweep over +-8 degrees on a subsample, then a
0.05-degree sweep around the best angle and a parabola fitted to the top of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_DPI = 125
"""Resolution the measurements aim at (whole-factor shrinks: 300 dpi -> 150, 200 -> 100):
x-height ~8-12 px, enough to see accents, small enough to cost a few milliseconds."""

MAX_SKEW = 8.0
"""Largest skew searched for, in degrees; a sheet fed further off needs a rescan anyway."""

MIN_CONTRAST = 60
"""Gray levels between paper and the darkest marks below which a page is treated as blank."""

MIN_GLYPHS = 12
"""Fewer glyph-sized marks than this and there is no text line to measure."""

MIN_SHARPNESS = 1.15
"""Profile sharpness (see :func:`coarse_angle`) below which marks form no lines (specks,
a stamp, a photo): no skew is reported rather than noise. Text pages score 1.6-2.5."""

BAND_DARK_FRACTION = 0.8
"""A row or column belongs to a scanner border when this share of it is dark."""

BAND_MAX_SHARE = 0.25
"""A dark band wider than this share of the page is content (or a dark page), never a border."""

RULE_LENGTH = 0.2
"""Inches: a straight stroke at least this long is a rule or a box border, not a letter
(the longest straight stroke of a 14 pt capital is about half of it)."""

NO_OP_ANGLE = 0.05
"""Skews smaller than this (degrees) are not worth a resampling pass."""


@dataclass(frozen=True)
class GlyphPoints:
    """Pixels of glyph-sized marks on a downscaled, binarized copy of the sheet."""

    xs: np.ndarray
    """float32 column of each ink pixel, in the downscaled image."""

    ys: np.ndarray
    """float32 row of each ink pixel."""

    width: int
    height: int
    dpi: float
    """Resolution of the downscaled copy."""

    glyphs: int
    """How many glyph-sized connected components the pixels come from."""


def estimate_skew(gray: np.ndarray, dpi: float) -> float:
    """Degrees to rotate the page counter-clockwise to straighten it; 0.0 without text.

    Expects text lines roughly horizontal (upright or upside down): run after orientation.
    """
    points = glyph_points(gray, dpi)
    if points is None:
        return 0.0
    coarse, sharpness = coarse_angle(points.xs, points.ys, points.width)
    if sharpness < MIN_SHARPNESS:
        return 0.0
    angle = refine_angle(points.xs, points.ys, points.width, coarse)
    rounded = round(angle, 3)
    return 0.0 if rounded == 0 else rounded


def straighten(pixels: np.ndarray, angle: float) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees onto a canvas large enough for all of it.

    Uncovered corners take the colour of the image's own edges (the paper margin), so the
    straightened page shows no wedges to OCR or to the archivist.

    Bicubic, not bilinear: at 150 dpi a Vietnamese tone mark over a circumflex ("ế", "ẩ") is
    a one-pixel dot, and bilinear interpolation of a sub-degree turn smears it to light gray
    that Tesseract drops ("kế" read "kê", "phẩm" read "phâm" on a real scan straightened by
    0.49°). On the 169 skewed real MRC pages of ``../shared/real-scans/`` (median skew
    0.2°), bicubic and bilinear read alike on average (agreement with the scanner's own
    layer 92.4 vs 92.3; 82 pages better, 70 worse): the gain is on pages like that one.
    """
    if abs(angle) < NO_OP_ANGLE:
        return pixels
    h, w = pixels.shape[:2]
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    new_w, new_h = math.ceil(w * cos + h * sin), math.ceil(w * sin + h * cos)
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    return cv2.warpAffine(
        pixels, matrix, (new_w, new_h), flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT, borderValue=_edge_colour(pixels),
    )


def sheet_box(gray: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the paper sheet, without the dark bands the scanner lid leaves.

    A band must start at the image edge and be dark across nearly the whole row or column,
    so a table rule or photo near the edge (paper between it and the edge) is never cut.
    Run it before :func:`straighten`: once rotated, a band no longer lines up with the edge.
    """
    h, w = gray.shape[:2]
    paper = float(np.percentile(gray[::8, ::8], 90))
    cap_h, cap_w = int(h * BAND_MAX_SHARE), int(w * BAND_MAX_SHARE)
    top = _band(gray[:cap_h, ::4], paper)
    bottom = _band(gray[h - cap_h:, ::4][::-1], paper)
    left = _band(gray[::4, :cap_w].T, paper)
    right = _band(gray[::4, w - cap_w:].T[::-1], paper)
    return left, top, w - right, h - bottom


def crop(pixels: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The part of ``pixels`` inside ``box`` (from :func:`sheet_box`), as its own array."""
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(pixels[y0:y1, x0:x1])


# --- shared measurement helpers (also used by orient) ---------------------------------------


def glyph_points(gray: np.ndarray, dpi: float, drop_rules: bool = False) -> GlyphPoints | None:
    """Ink pixels of glyph-sized marks, or None when the page has no text to measure.

    Marks too large for a glyph (table rules, photos, seals, leftover border) are dropped:
    they would blur the line profiles the skew and orientation come from. With
    ``drop_rules``, long straight strokes (table rules, box borders, underlines) are erased
    first, so the text written against them comes loose and counts as glyphs instead of
    going out with the grid it touches.
    """
    small, small_dpi = _downscale(gray, dpi)
    x0, y0, x1, y1 = sheet_box(small)
    inset = 2 if (x0, y0, x1, y1) != (0, 0, small.shape[1], small.shape[0]) else 0
    sheet = small[y0 + inset: y1 - inset, x0 + inset: x1 - inset]
    if sheet.size == 0:
        return None
    paper = float(np.percentile(sheet[::4, ::4], 90))
    if paper - float(sheet.min()) < MIN_CONTRAST:
        return None
    level, ink = cv2.threshold(sheet, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if paper - level < MIN_CONTRAST / 2:
        return None
    if drop_rules:
        ink = cv2.bitwise_and(ink, cv2.bitwise_not(rule_mask(ink, small_dpi)))
    found = cv2.findNonZero(ink)
    if found is None:
        return None  # only rules and borders: a grid or an empty form, no text to measure
    count, labels = cv2.connectedComponents(ink, connectivity=8)
    xy = found.reshape(-1, 2)
    component = labels[xy[:, 1], xy[:, 0]]
    glyph = _glyph_components(component, xy, count, small_dpi)
    glyphs = int(np.count_nonzero(glyph))
    if glyphs < MIN_GLYPHS:
        return None
    xy = xy[glyph[component]]
    # Spread each pixel over its square: on the bare integer lattice a profile at exactly 0
    # degrees is spuriously sharp and pulls small skews to zero.
    jitter = np.random.default_rng(0).random((len(xy), 2), dtype=np.float32) - 0.5
    spread = xy.astype(np.float32) + jitter
    return GlyphPoints(
        xs=spread[:, 0], ys=spread[:, 1],
        width=sheet.shape[1], height=sheet.shape[0], dpi=small_dpi, glyphs=glyphs,
    )


def rule_mask(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Long horizontal and vertical strokes of a binary ink image, grown by a pixel.

    A morphological opening with a RULE_LENGTH-long line keeps only straight runs at least
    that long; no letter has one, table rules and box borders do. A 2-pixel rule stays
    found up to ~3 degrees of skew; beyond, its pieces stay joined to the grid, which is too
    large to pass for a glyph and goes out whole.
    """
    length = max(9, round(RULE_LENGTH * dpi))
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return cv2.dilate(lines, np.ones((3, 3), np.uint8))


def coarse_angle(xs: np.ndarray, ys: np.ndarray, width: int) -> tuple[float, float]:
    """(angle, sharpness) from a 0.5-degree sweep over +-MAX_SKEW on a subsample.

    Sharpness is the best score over the median one: how much better the lines line up at
    the best angle than at a typical wrong one; ~1 means no line structure in this direction.
    """
    step = max(1, len(xs) // 12_000)
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 1e-6, 0.5)
    scores = _sharpness(xs[::step], ys[::step], angles, width)
    baseline = float(np.median(scores))
    best = int(scores.argmax())
    return float(angles[best]), float(scores[best] / baseline) if baseline else 1.0


def refine_angle(xs: np.ndarray, ys: np.ndarray, width: int, centre: float) -> float:
    """The tilt to ~0.02 degrees: a 0.05-degree sweep around ``centre`` and a fitted vertex."""
    step = max(1, len(xs) // 40_000)
    angles = centre + np.arange(-0.5, 0.5 + 1e-6, 0.05)
    scores = _sharpness(xs[::step], ys[::step], angles, width)
    return _fitted_peak(angles, scores)


def _sharpness(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray, width: int) -> np.ndarray:
    """Per angle, the sum of squared counts of the points' rows after turning them by it.

    A plain loop: one angle's arrays stay in cache, which beats one big (angles x points)
    histogram by 2x here.
    """
    scores = np.empty(len(angles))
    for i, angle in enumerate(angles):
        rad = math.radians(float(angle))
        rows = ys * np.float32(math.cos(rad)) - xs * np.float32(math.sin(rad))
        rows += np.float32(width * abs(math.sin(rad)) + 1)
        counts = np.bincount(rows.astype(np.int32)).astype(np.float64)
        scores[i] = counts @ counts
    return scores


def _fitted_peak(angles: np.ndarray, scores: np.ndarray) -> float:
    """Vertex of a parabola fitted to the scores within 0.25 degrees of the best one.

    Binning makes the score jagged at the 0.05-degree scale; a least-squares fit over a
    window averages that out where a three-point vertex would chase it.
    """
    best = int(scores.argmax())
    near = np.abs(angles - angles[best]) <= 0.25 + 1e-6
    a, b, _ = np.polyfit(angles[near] - angles[best], scores[near] / scores[best], 2)
    if a >= 0:
        return float(angles[best])
    return float(angles[best] + np.clip(-b / (2 * a), -0.25, 0.25))


def _downscale(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """Average whole blocks of pixels down to about ANALYSIS_DPI.

    Whole factors only: OpenCV's area resize has a fast path for halving, and a box filter
    sampled every ``factor`` pixels is the same block average for any other factor, at a
    third of the cost of the general area resize.
    """
    factor = max(1, round(dpi / ANALYSIS_DPI))
    if factor == 1:
        return gray, dpi
    h, w = gray.shape[:2]
    whole = gray[: h - h % factor, : w - w % factor]
    if factor == 2:
        small = cv2.resize(whole, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    else:
        blurred = cv2.boxFilter(whole, -1, (factor, factor))
        small = np.ascontiguousarray(blurred[factor // 2:: factor, factor // 2:: factor])
    return small, dpi / factor


def _glyph_components(component: np.ndarray, xy: np.ndarray, count: int,
                      dpi: float) -> np.ndarray:
    """Which connected components are glyph-sized (a letter, a word, an accent, a digit).

    Extents come from each component's pixel spread (sqrt(12 * variance), exact for a bar),
    taken with a few bincounts over the ink pixels: OpenCV's per-component statistics cost
    five times the labelling itself.
    """
    pixels = np.bincount(component, minlength=count).astype(np.float64)
    safe = np.maximum(pixels, 1)
    extents = []
    for axis in (0, 1):
        coord = xy[:, axis].astype(np.float64)
        mean = np.bincount(component, coord, count) / safe
        var = np.bincount(component, coord * coord, count) / safe - mean * mean
        extents.append(np.sqrt(12 * np.maximum(var, 0) + 1))
    short, long = np.minimum(*extents), np.maximum(*extents)
    glyph = (short <= 0.4 * dpi) & (long <= 2.5 * dpi) & (pixels >= 2)
    glyph[0] = False
    return glyph


def _band(strip: np.ndarray, paper: float) -> int:
    """Rows of a dark band starting at row 0 of ``strip`` (0 if the band fills it all).

    Dark means nearer the edge row's own level than the paper's, so a grey lid or a noisy
    black one is measured alike; the boundary lands where the blurred edge is half-way.
    """
    if strip.size == 0:
        return 0
    edge = float(np.median(strip[0]))
    if edge > paper * 0.6:
        return 0
    dark = strip < (edge + paper) / 2
    dark_rows = np.count_nonzero(dark, axis=1) >= BAND_DARK_FRACTION * strip.shape[1]
    light = np.flatnonzero(~dark_rows)
    return int(light[0]) if light.size else 0


def _edge_colour(pixels: np.ndarray) -> float | tuple[float, ...]:
    """Paper colour at the image's outermost rows and columns (their upper quartile).

    The upper quartile rather than the median, so a leftover dark band on one or two edges
    does not paint the new corners black.
    """
    edges = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colour = np.percentile(edges.reshape(edges.shape[0], -1), 75, axis=0)
    if pixels.ndim == 2:
        return float(colour[0])
    return tuple(float(c) for c in colour)
