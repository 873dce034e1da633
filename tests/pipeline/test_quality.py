"""The quality stage on synthetic scans whose defects are known (sohoa_dev.synth)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sohoa.pipeline.model import QualityFlag
from sohoa.pipeline.quality import (
    BLUR_MAX_MM,
    assess,
    blur_mm,
    dark_borders,
    downscale,
    ink_mask,
    is_low_resolution,
    to_gray,
)
from sohoa_dev.synth import Scan, degrade, make_page

SMALL = (4.1, 5.8)  # A6: fast, and still a full form layout
B, D, L, C, U = (QualityFlag.BLANK, QualityFlag.DARK_BORDER, QualityFlag.LOW_RESOLUTION,
                 QualityFlag.CUT_OFF, QualityFlag.BLURRED)


def scan(seed: int = 1, **defects: object) -> np.ndarray:
    return np.asarray(make_page(seed, Scan(**defects), size_in=SMALL).image)  # type: ignore[arg-type]


def blank_sheet(dpi: int = 300, **defects: object) -> np.ndarray:
    """The blank back of a sheet, put through the same scanner defects as a page."""
    paper = Image.new("L", (int(SMALL[0] * dpi), int(SMALL[1] * dpi)), 250)
    return np.asarray(degrade(paper, Scan(dpi=dpi, **defects), seed=3))  # type: ignore[arg-type]


def text_line_rows(pixels: np.ndarray, join_px: int = 10) -> list[tuple[int, int]]:
    """(first, last) row of each text line; diacritics a few rows above a line belong to it."""
    inked = np.concatenate(([False], (pixels < 128).any(axis=1), [False])).astype(np.int8)
    steps = np.diff(inked)
    runs = zip(np.flatnonzero(steps == 1), np.flatnonzero(steps == -1) - 1, strict=True)
    lines: list[tuple[int, int]] = []
    for first, last in runs:
        if lines and first - lines[-1][1] <= join_px:
            lines[-1] = (lines[-1][0], int(last))
        else:
            lines.append((int(first), int(last)))
    return lines


def middle_of_line(pixels: np.ndarray, number: int) -> int:
    first, last = text_line_rows(pixels)[number]
    return (first + last) // 2


def with_dark_border(pixels: np.ndarray, width: int) -> np.ndarray:
    return np.asarray(degrade(Image.fromarray(pixels), Scan(dark_border=width)))


# --- clean pages --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("dpi", [300, 200])
def test_clean_page_has_no_flags(seed: int, dpi: int) -> None:
    assert assess(scan(seed, dpi=dpi), dpi) == ()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_noisy_skewed_jpeg_page_has_no_flags(seed: int) -> None:
    page = scan(seed, dpi=300, skew=3, noise=8, jpeg_quality=70)
    assert assess(page, 300) == ()
    assert assess(scan(seed, dpi=300, skew=-3, noise=8, jpeg_quality=70), 300) == ()


def test_colour_page_with_a_seal_has_no_flags() -> None:
    page = scan(5, seal=True, noise=5, jpeg_quality=80)
    assert page.ndim == 3
    assert assess(page, 300) == ()


# --- blank --------------------------------------------------------------------------------


def test_blank_sheet_is_blank_only() -> None:
    assert assess(blank_sheet(), 300) == (B,)
    assert assess(blank_sheet(noise=12, jpeg_quality=50), 300) == (B,)
    assert assess(blank_sheet(dpi=200, noise=8, jpeg_quality=60), 200) == (B,)


def test_blank_sheet_with_a_lid_border_is_blank_not_cut_off() -> None:
    assert assess(blank_sheet(noise=8, jpeg_quality=60, dark_border=60), 300) == (B, D)


def test_blank_sheet_with_dust_is_still_blank() -> None:
    sheet = blank_sheet(noise=8).copy()
    rng = np.random.default_rng(4)
    for y, x in rng.integers(100, 1100, size=(15, 2)):
        sheet[y:y + 3, x:x + 3] = 30  # 15 specks of 0.25 mm
    assert assess(sheet, 300) == (B,)


def test_one_line_of_text_is_not_blank() -> None:
    page = scan(6)
    first, last = text_line_rows(page)[2]
    sheet = np.full_like(page, 250)
    sheet[first:last + 1] = page[first:last + 1]
    assert assess(sheet, 300) == ()


# --- blur ---------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [2.5, 3.0])
def test_blurred_page_is_flagged(radius: float) -> None:
    assert assess(scan(7, blur=radius), 300) == (U,)
    assert U in assess(scan(8, blur=radius, noise=8, jpeg_quality=70), 300)


@pytest.mark.parametrize("radius", [0.0, 0.8, 1.0])
def test_slightly_soft_page_is_not_blurred(radius: float) -> None:
    assert assess(scan(7, blur=radius, noise=8, jpeg_quality=70), 300) == ()


def test_blur_measure_is_in_millimetres_of_paper() -> None:
    """Same sheet, same optics at 300 and 200 dpi: about the same spread in mm."""
    measured = {}
    for dpi, radius in ((300, 0.0), (300, 1.0), (300, 2.5), (200, 0.0), (200, 1.7)):
        gray = to_gray(scan(9, dpi=dpi, blur=radius))
        small = downscale(gray, dpi)
        work_dpi = dpi * small.shape[1] / gray.shape[1]
        measured[dpi, radius] = blur_mm(gray, ink_mask(small), dark_borders(small), dpi,
                                        work_dpi)
    assert measured[300, 0.0] < 0.03 and measured[200, 0.0] < 0.03
    assert measured[300, 1.0] < BLUR_MAX_MM < measured[300, 2.5]
    # 1.7 px at 200 dpi is the same 0.22 mm of optical blur as 2.5 px at 300 dpi
    assert measured[200, 1.7] == pytest.approx(measured[300, 2.5], rel=0.15)


# --- resolution ---------------------------------------------------------------------------


def test_150_dpi_page_is_low_resolution_only() -> None:
    assert assess(scan(10, dpi=150), 150) == (L,)


def test_low_resolution_threshold_allows_pdf_rounding() -> None:
    assert not is_low_resolution(200.0) and not is_low_resolution(199.6)
    assert is_low_resolution(190.0) and is_low_resolution(72.0)


# --- dark border --------------------------------------------------------------------------


def test_lid_border_is_flagged() -> None:
    assert assess(scan(11, dark_border=60), 300) == (D,)
    noisy = scan(11, dark_border=60, skew=2, noise=8, jpeg_quality=70)
    assert assess(noisy, 300) == (D,)


def test_border_on_the_bottom_and_right_is_flagged_too() -> None:
    page = scan(12, dark_border=45)
    assert assess(page[::-1, ::-1].copy(), 300) == (D,)
    borders = dark_borders(downscale(page[::-1, ::-1].copy(), 300))
    assert borders.top == borders.left == 0
    assert borders.bottom == borders.right == 15  # 45 px at 300 dpi = 15 px at 100 dpi


def test_thin_shadow_line_is_not_a_border() -> None:
    page = scan(13).copy()
    page[:, :4] = 40  # 0.3 mm: the sheet edge's shadow, not the lid
    assert assess(page, 300) == ()


# --- cut off ------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [3, 8])
def test_page_cut_through_a_text_line_is_flagged(line: int) -> None:
    page = scan(14)
    y = middle_of_line(page, line)
    assert assess(page[:y], 300) == (C,)  # bottom edge
    assert assess(page[y:], 300) == (C,)  # top edge


def test_page_cropped_in_its_margin_is_not_cut_off() -> None:
    page = scan(14)
    _, last = text_line_rows(page)[-1]
    assert assess(page[:last + 40], 300) == ()  # 3.4 mm of paper below the last line


@pytest.mark.parametrize("x", [400, 700])
def test_page_cut_through_the_text_block_sideways_is_flagged(x: int) -> None:
    page = scan(15)
    assert assess(page[:, x:], 300) == (C,)  # left edge
    assert assess(page[:, :x], 300) == (C,)  # right edge


def test_text_touching_the_lid_border_is_cut_off() -> None:
    page = scan(16)
    y = middle_of_line(page, 4)
    assert assess(with_dark_border(page[y:], 60), 300) == (D, C)
    assert assess(with_dark_border(page[:, 500:], 60), 300) == (D, C)


def test_untouched_page_inside_a_lid_border_is_not_cut_off() -> None:
    assert C not in assess(with_dark_border(scan(16), 60), 300)


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (10, 10, 3)])
def test_tiny_pages_do_not_break_the_checks(shape: tuple[int, ...]) -> None:
    assert assess(np.full(shape, 255, dtype=np.uint8), 300) == (B,)


def test_rgb_and_gray_give_the_same_verdict() -> None:
    page = scan(17, dark_border=50)
    rgb = np.repeat(page[:, :, None], 3, axis=2)
    assert assess(rgb, 300) == assess(page, 300) == (D,)
