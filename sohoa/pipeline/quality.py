"""Second stage: tell the clerk, while the citizen still waits, which pages need a rescan.

Everything is measured in physical units (millimetres of paper), not pixels, so a 200 dpi
and a 300 dpi scan of the same sheet get the same verdict. The page-wide checks (blank, dark
border, cut-off) run on a copy downscaled to :data:`WORK_DPI`; only the blur check looks at
full resolution, and only at a few of the inkiest tiles, which keeps a 300 dpi A4 page well
under 60 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from sohoa.pipeline.imaging import to_gray
from sohoa.pipeline.model import QualityFlag

WORK_DPI = 100.0
"""Resolution of the copy the page-wide checks run on (A4 ≈ 1 Mpx)."""

MIN_DPI = 200.0
"""Below this the guidance (Công văn 7197/BKHCN-CĐSQG) does not accept a scan."""

DPI_TOLERANCE = 0.01
"""A PDF page computed at 199.6 dpi is a 200 dpi scan: rounding, not a low resolution."""

INK_RATIO = 0.6
"""A pixel darker than this share of the paper's brightness is ink."""

DARK_RATIO = 0.5
"""Darker than this share of the paper's brightness is the scanner lid, not paper."""

DARK_ROW_SHARE = 0.5
"""A row (or column) this dark along its length belongs to a border band."""

DARK_BORDER_MIN_MM = 1.5
"""Thinner dark edges are the sheet's shadow line, which deskew and crop handle anyway."""

BLANK_MAX_INK_MM2 = 10.0
"""Less ink than this (a few dust specks) on the whole sheet is a blank side."""

EDGE_GUARD_MM = 0.6
"""Skipped next to a border: the blend of lid and paper at the transition is not ink."""

EDGE_STRIP_MM = 1.5
"""Depth of the strip along each edge where text must not be."""

CORNER_MM = 3.0
"""Ignored at each end of an edge: corners collect shadows from two sides."""

CUT_MIN_RUNS = 4
"""Separate ink runs along an edge that make a cut text line (a ruled line is one run)."""

CUT_MAX_RUN_MM = 25.0
"""Longer ink runs along an edge are rules, folds or lid wedges, not letters."""

BLUR_MAX_MM = 0.13
"""Largest edge spread (Gaussian sigma) OCR still reads well: 1 px at 300 dpi ≈ 0.08 mm
measures as sharp, 2.5 px ≈ 0.18 mm as blurred (calibrated on :mod:`sohoa_dev.synth` pages)."""

SOBEL_SIGMA_PX = 0.8
"""Spread the measurement itself adds (Sobel's smoothing): removed in quadrature."""

BLUR_TILE_IN = 0.5
BLUR_TILES = 8


@dataclass(frozen=True)
class Borders:
    """Depth in work pixels of the dark band along each edge."""

    top: int
    bottom: int
    left: int
    right: int


def assess(pixels: np.ndarray, dpi: float) -> tuple[QualityFlag, ...]:
    """Problems of a page as loaded (before deskew and crop), in QualityFlag order."""
    gray = to_gray(pixels)
    small = downscale(gray, dpi)
    work_dpi = dpi * small.shape[1] / gray.shape[1]
    paper = paper_level(small)
    borders = dark_borders(small, paper)
    inside = small[borders.top:small.shape[0] - borders.bottom,
                   borders.left:small.shape[1] - borders.right]
    ink = ink_mask(inside, paper)
    flags = {
        QualityFlag.LOW_RESOLUTION: is_low_resolution(dpi),
        QualityFlag.DARK_BORDER: max(borders.top, borders.bottom, borders.left, borders.right)
        >= pixels_for(DARK_BORDER_MIN_MM, work_dpi),
        QualityFlag.BLANK: is_blank(ink, work_dpi),
    }
    if not flags[QualityFlag.BLANK]:
        flags[QualityFlag.CUT_OFF] = is_cut_off(ink, borders, work_dpi)
        flags[QualityFlag.BLURRED] = blur_mm(gray, ink, borders, dpi, work_dpi) > BLUR_MAX_MM
    return tuple(flag for flag in QualityFlag if flags.get(flag))


def downscale(gray: np.ndarray, dpi: float) -> np.ndarray:
    """Area-averaged copy at about WORK_DPI, by a whole factor (never upscaled).

    A whole factor takes OpenCV's fast box-averaging path and keeps work pixels aligned
    with full-resolution pixels, so tiles found on the copy map back exactly.
    """
    factor = max(1, round(dpi / WORK_DPI))
    if factor == 1:
        return gray
    height, width = gray.shape[0] // factor, gray.shape[1] // factor
    if height == 0 or width == 0:
        return gray
    cropped = gray[:height * factor, :width * factor]
    return cv2.resize(cropped, (width, height), interpolation=cv2.INTER_AREA)


def pixels_for(millimetres: float, dpi: float) -> int:
    """Pixels spanning ``millimetres`` at ``dpi`` (at least 1)."""
    return max(1, round(millimetres * dpi / 25.4))


def is_low_resolution(dpi: float) -> bool:
    """Below the accepted minimum, allowing for PDF rounding."""
    return dpi < MIN_DPI * (1 - DPI_TOLERANCE)


def paper_level(gray: np.ndarray) -> float:
    """Brightness of the paper: a high percentile, since ink rarely covers 10% of a page."""
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()
    cumulative = np.cumsum(hist)
    return float(np.searchsorted(cumulative, 0.9 * cumulative[-1]))


def dark_borders(small: np.ndarray, paper: float | None = None) -> Borders:
    """Depth of the band of lid-dark rows/columns running in from each edge."""
    level = paper_level(small) if paper is None else paper
    dark = (small < DARK_RATIO * max(level, 64.0)).view(np.uint8)
    rows = cv2.reduce(dark, 1, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    cols = cv2.reduce(dark, 0, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    return Borders(top=_run_in(rows), bottom=_run_in(rows[::-1]),
                   left=_run_in(cols), right=_run_in(cols[::-1]))


def _run_in(share: np.ndarray) -> int:
    """How many leading entries are dark along at least DARK_ROW_SHARE of their length."""
    light = np.flatnonzero(share < DARK_ROW_SHARE)
    return int(light[0]) if light.size else int(share.size)


def ink_mask(paper_area: np.ndarray, paper: float | None = None) -> np.ndarray:
    """Pixels clearly darker than the paper around them."""
    if paper_area.size == 0:
        return np.zeros(paper_area.shape, dtype=bool)
    level = paper_level(paper_area) if paper is None else paper
    return paper_area < INK_RATIO * level


def is_blank(ink: np.ndarray, work_dpi: float) -> bool:
    """No more ink than dust: the blank back of a sheet, whatever the scanner noise."""
    margin = pixels_for(EDGE_STRIP_MM + EDGE_GUARD_MM, work_dpi)
    inner = ink[margin:-margin, margin:-margin]
    mm2_per_px = (25.4 / work_dpi) ** 2
    return float(np.count_nonzero(inner)) * mm2_per_px < BLANK_MAX_INK_MM2


def is_cut_off(ink: np.ndarray, borders: Borders, work_dpi: float) -> bool:
    """True when letters run into an edge of the sheet (or of the dark band beside it)."""
    for edge, band in (("top", borders.top), ("bottom", borders.bottom),
                       ("left", borders.left), ("right", borders.right)):
        strip = _edge_strip(ink, edge, pixels_for(EDGE_GUARD_MM, work_dpi) if band else 0,
                            pixels_for(EDGE_STRIP_MM, work_dpi))
        corner = pixels_for(CORNER_MM, work_dpi)
        profile = strip.any(axis=0)[corner:-corner]
        if _letter_runs(profile, pixels_for(CUT_MAX_RUN_MM, work_dpi)) >= CUT_MIN_RUNS:
            return True
    return False


def _edge_strip(ink: np.ndarray, edge: str, guard: int, depth: int) -> np.ndarray:
    """The strip along ``edge``, turned so axis 0 runs inward and axis 1 along the edge."""
    turned = {"top": ink, "bottom": ink[::-1], "left": ink.T, "right": ink.T[::-1]}[edge]
    return turned[guard:guard + depth]


def _letter_runs(profile: np.ndarray, max_run: int) -> int:
    """Number of ink runs along an edge short enough to be letters."""
    if profile.size == 0:
        return 0
    padded = np.concatenate(([False], profile, [False])).astype(np.int8)
    steps = np.diff(padded)
    lengths = np.flatnonzero(steps == -1) - np.flatnonzero(steps == 1)
    return int(np.count_nonzero(lengths <= max_run))


def blur_mm(gray: np.ndarray, ink: np.ndarray, borders: Borders, dpi: float,
            work_dpi: float) -> float:
    """Gaussian spread of ink edges in millimetres, measured on the inkiest tiles."""
    tiles = _inky_tiles(gray, ink, borders, dpi / work_dpi, dpi)
    if not tiles:
        return 0.0
    spread_px = float(np.median([edge_spread_px(tile) for tile in tiles]))
    blur_px = np.sqrt(max(spread_px**2 - SOBEL_SIGMA_PX**2, 0.0))
    return float(blur_px) / dpi * 25.4


def edge_spread_px(tile: np.ndarray) -> float:
    """Sigma of a Gaussian-blurred step with this tile's contrast and steepest gradient.

    For a step of height C blurred by sigma, the steepest gradient is C / (sqrt(2 pi) sigma);
    contrast-free, so faint and bold text measure alike.
    """
    f = tile.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3) / 8
    steepest = _quantile(cv2.magnitude(gx, gy).ravel(), 0.99)
    flat = f.ravel()
    contrast = _quantile(flat, 0.98) - _quantile(flat, 0.02)
    return contrast / (np.sqrt(2 * np.pi) * max(steepest, 1e-3))


def _quantile(values: np.ndarray, q: float) -> float:
    """Order statistic by partial sort (np.percentile sorts and interpolates: 5x slower)."""
    k = min(values.size - 1, int(q * values.size))
    return float(np.partition(values, k)[k])


def _inky_tiles(gray: np.ndarray, ink: np.ndarray, borders: Borders, scale: float,
                dpi: float) -> list[np.ndarray]:
    """Full-resolution crops of the BLUR_TILES work tiles holding the most ink."""
    side = max(4, round(BLUR_TILE_IN * dpi / scale))
    rows, cols = ink.shape[0] // side, ink.shape[1] // side
    if rows == 0 or cols == 0:
        return []
    inked = ink[:rows * side, :cols * side].view(np.uint8) * np.uint8(255)
    density = cv2.resize(inked, (cols, rows), interpolation=cv2.INTER_AREA)
    best = np.argsort(density, axis=None)[::-1][:BLUR_TILES]
    full = round(side * scale)
    tiles = []
    for flat in best:
        if int(density.flat[flat]) * side < 255:  # less than a stroke's worth of ink
            break
        r, c = divmod(int(flat), cols)
        y0 = round((borders.top + r * side) * scale)
        x0 = round((borders.left + c * side) * scale)
        tiles.append(gray[y0:y0 + full, x0:x0 + full])
    return tiles
