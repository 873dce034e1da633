"""Where the visible signature block goes: blank paper in the top-right of page 1.

Circular 01/2023 Art. 8 wants the signer and the time shown top-right of page 1, but the
top-right corner of a Vietnamese form is where the national motto is printed; a block pasted
at a fixed place hid "…VIỆT NAM" on every form. So page 1 is rendered at 72 dpi (one pixel
per point, as a viewer shows it, /Rotate applied), the ink is found (darker than the paper,
grown by a clearance so the block never touches a letter) and a summed-area table tells, for
every position at once, whether a block of a given size would cover ink.

The order: the block with 9 pt text on blank paper near the corner; else smaller blocks (the
text shrinks with the box); else the same with a tighter page margin; else the smallest
block at the top of the blank band above the first ink. Only the annotation is
placed: the page's image and text layer are not touched.

Measured on the first pages of the 84 real scans of ``../shared/real-scans/``: the old fixed
corner covered ink on 69; the placed block is on blank paper on all 84 (52 with 9 pt text, 32
shrunk to 85/70/60%: 19/10/3), none needed the tight margin. Rendering and search take
0.05-0.2 s a signature.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

Rect = tuple[float, float, float, float]
"""(left, top, right, bottom) in points, as the viewer shows the page (origin top-left)."""

CM = 72 / 2.54
CLEARANCE = 0.2 * CM
"""Blank paper kept between the block and the nearest ink."""

TIGHT_MARGIN = 0.3 * CM
"""Closest the block may come to the page edge when the usual margin has no room."""

TOP_SHARE = 0.2
"""The block stays in the top fifth of the page ("top-right of page 1"): a smaller block high
up reads as the page's signature block, a big one beside the body text does not."""

PAPER_PERCENTILE = 90
INK_SHARE = 0.8
"""A pixel darker than 80% of the paper's brightness is ink (stroke edges included at 72 dpi)."""

RENDER_TIMEOUT_S = 60


@dataclass(frozen=True)
class Size:
    """A block's width and height in points."""

    width: float
    height: float


@dataclass(frozen=True)
class Spot:
    """Where the block goes and whether the paper there is blank."""

    rect: Rect
    blank: bool


def page_ink(pdf: bytes) -> np.ndarray | None:
    """Page 1 as a boolean ink mask, one pixel per point; None when it cannot be rendered
    (no pdftoppm, or poppler fails): the caller then keeps the fixed corner."""
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    command = [program, "-r", "72", "-gray", "-f", "1", "-l", "1", "-"]
    try:
        done = subprocess.run(command, input=pdf, capture_output=True,
                              timeout=RENDER_TIMEOUT_S, check=False)
        if done.returncode != 0:
            return None
        with Image.open(io.BytesIO(done.stdout)) as img:
            gray = np.asarray(img.convert("L"))
    except (subprocess.TimeoutExpired, OSError, UnidentifiedImageError):
        return None
    return ink_mask(gray)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels clearly darker than the paper (the paper is the bright 90th percentile)."""
    paper = float(np.percentile(gray, PAPER_PERCENTILE))
    return gray < paper * INK_SHARE


def find_spot(ink: np.ndarray, page_width: float, levels: Sequence[Sequence[Size]],
              margin: float) -> Spot:
    """Blank paper near the top-right corner for the first level of sizes that finds any,
    ``margin`` from the edges, then with a tight margin; else the last size at the top of
    the blank band above the first ink (``blank`` says whether that band was enough).

    A level holds sizes showing the text equally large (the usual 7 x 2.2 cm block and the
    block that just holds the text): the one that comes nearest the corner wins. Later
    levels are smaller. ``page_width`` is the shown width in points (the mask has it rounded
    up to whole pixels); the block is placed from the right edge, so on blank paper it is
    exactly ``margin`` from it.
    """
    grown = _grow(ink, CLEARANCE)
    table = cv2.integral(grown.astype(np.uint8), sdepth=cv2.CV_32S)
    for edge in (margin, min(margin, TIGHT_MARGIN)):
        for level in levels:
            found = [(sum(shift), k, size, shift) for k, size in enumerate(level)
                     if (shift := _blank_near_corner(table, size, edge)) is not None]
            if found:
                _, _, size, (down, left) = min(found, key=lambda f: f[:2])
                right, top = page_width - edge - left, edge + down
                return Spot((right - size.width, top, right, top + size.height), blank=True)
    return _top_band(ink, page_width, levels[-1][-1])


def _grow(ink: np.ndarray, by: float) -> np.ndarray:
    radius = max(1, round(by))
    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    return cv2.dilate(ink.astype(np.uint8), kernel) > 0


def _blank_near_corner(table: np.ndarray, size: Size, edge: float) -> tuple[int, int] | None:
    """How far down and left of the corner position (points) a block of ``size`` finds
    blank paper, the least distance first; inside the top share and the right half."""
    page_h, page_w = table.shape[0] - 1, table.shape[1] - 1
    w, h, e = int(np.ceil(size.width)), int(np.ceil(size.height)), int(np.ceil(edge))
    lowest = max(int(page_h * TOP_SHARE), e + h)  # a small page still gets one row
    left_min = max(e, int(np.ceil(page_w / 2 - w / 2)))  # centre in the right half
    top_max, left_max = min(lowest, page_h - e) - h, page_w - e - w
    if top_max < e or left_max < left_min:
        return None
    tops = np.arange(e, top_max + 1)[:, None]
    lefts = np.arange(left_min, left_max + 1)[None, :]
    inked = (table[tops + h, lefts + w] - table[tops, lefts + w]
             - table[tops + h, lefts] + table[tops, lefts])
    free = np.argwhere(inked == 0)
    if free.size == 0:
        return None
    shifts = np.column_stack((free[:, 0], left_max - left_min - free[:, 1]))
    down, left = shifts[int(np.argmin(shifts.sum(axis=1)))]
    return int(down), int(left)


def _top_band(ink: np.ndarray, page_width: float, size: Size) -> Spot:
    """The block at the right, as high as the blank band above the first ink lets it be
    (narrowed, text and all, to the page's width on a page smaller than the block)."""
    page_h = ink.shape[0]
    fit = min(1.0, (page_width - 2 * TIGHT_MARGIN) / size.width)
    size = Size(size.width * fit, size.height * fit)
    rows = np.flatnonzero(ink.any(axis=1))
    band = int(rows[0]) if rows.size else page_h
    top = max(TIGHT_MARGIN, min(band - CLEARANCE - size.height, TIGHT_MARGIN * 2))
    right = page_width - TIGHT_MARGIN
    blank = top + size.height + CLEARANCE <= band
    return Spot((right - size.width, top, right, top + size.height), blank=blank)
