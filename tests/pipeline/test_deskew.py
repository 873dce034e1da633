"""Deskew and border removal on generated scans whose true skew and border are known."""

from __future__ import annotations

import numpy as np
import pytest

from sohoa.pipeline.deskew import crop, estimate_skew, sheet_box, straighten
from sohoa_dev.synth import Scan, make_page, render_page

SMALL = (4.1, 5.8)

# (skew, dpi, blur, noise, jpeg quality, dark border): every defect, both resolutions.
CONDITIONS = [
    (-6.0, 300, 0.0, 0.0, None, 0),
    (-4.7, 200, 1.0, 8.0, 75, 60),
    (-3.1, 300, 2.0, 16.0, 40, 0),
    (-1.8, 200, 0.0, 16.0, None, 60),
    (-0.6, 300, 1.0, 0.0, 40, 60),
    (-0.15, 200, 2.0, 8.0, None, 0),
    (0.0, 300, 1.0, 8.0, 75, 0),
    (0.3, 200, 0.0, 0.0, 40, 0),
    (1.2, 300, 2.0, 8.0, None, 60),
    (2.5, 200, 1.0, 16.0, 75, 0),
    (3.9, 300, 0.0, 8.0, 40, 60),
    (5.2, 200, 2.0, 0.0, None, 60),
    (6.0, 300, 1.0, 16.0, 75, 0),
]


def _gray(page) -> np.ndarray:
    return np.asarray(page.image.convert("L"))


@pytest.mark.parametrize(("skew", "dpi", "blur", "noise", "jpeg", "border"), CONDITIONS)
def test_skew_is_recovered_within_a_fifth_of_a_degree(skew, dpi, blur, noise, jpeg, border):
    scan = Scan(dpi=dpi, skew=skew, blur=blur, noise=noise, jpeg_quality=jpeg,
                dark_border=border)
    page = make_page(int(abs(skew) * 10) + dpi, scan, size_in=SMALL)
    assert estimate_skew(_gray(page), dpi) == pytest.approx(skew, abs=0.2)


def test_full_a4_page_skew_is_recovered_within_a_tenth():
    page = make_page(7, Scan(dpi=300, skew=-2.35, noise=8, jpeg_quality=60, dark_border=60))
    assert estimate_skew(_gray(page), 300) == pytest.approx(-2.35, abs=0.1)


def test_upside_down_page_has_the_same_skew():
    page = make_page(8, Scan(dpi=300, skew=3.3, turn=180, noise=8), size_in=SMALL)
    assert estimate_skew(_gray(page), 300) == pytest.approx(3.3, abs=0.2)


def test_straighten_round_trip_leaves_no_skew():
    page = make_page(11, Scan(dpi=300, skew=4.4, noise=8, blur=1), size_in=SMALL)
    gray = _gray(page)
    angle = estimate_skew(gray, 300)
    straight = straighten(gray, angle)
    assert abs(estimate_skew(straight, 300)) < 0.1
    assert straight.shape[0] > gray.shape[0] and straight.shape[1] > gray.shape[1]
    # New corners are paper, not black wedges.
    assert straight[0, 0] > 230 and straight[-1, -1] > 230


def test_straighten_keeps_content_at_the_corners():
    gray = np.full((400, 300), 255, np.uint8)
    gray[:20, :20] = 0
    gray[-20:, -20:] = 0
    straight = straighten(gray, 5.0)
    assert np.count_nonzero(straight < 128) == pytest.approx(800, rel=0.05)


def test_straighten_colour_page_fills_with_paper_colour():
    rgb = np.zeros((300, 200, 3), np.uint8)
    rgb[:] = (250, 240, 220)
    rgb[100:200, 50:150] = (200, 30, 35)
    straight = straighten(rgb, -3.0)
    assert straight.shape[2] == 3
    assert tuple(straight[0, 0]) == (250, 240, 220)
    assert np.count_nonzero((straight == (200, 30, 35)).all(axis=2)) > 9000


def test_straightening_keeps_one_pixel_tone_marks_dark():
    """A 150 dpi tone mark over a circumflex is one pixel; a half-degree turn must not smear
    it to light gray (found on a real scan: "kế" read "kê" after bilinear straightening)."""
    page = np.full((200, 200), 255, np.uint8)
    columns = range(20, 180, 12)
    for x in columns:
        page[100, x:x + 3] = 0  # the circumflex stroke
        page[96, x + 1] = 0  # the tone mark above it
    turned = straighten(page, 0.49)
    dy, dx = (turned.shape[0] - 200) // 2, (turned.shape[1] - 200) // 2
    darkest = [int(turned[dy + 90: dy + 99, dx + x - 2: dx + x + 5].min()) for x in columns]
    assert max(darkest) < 100 and np.mean(darkest) < 60, darkest


def test_tiny_angle_is_a_no_op():
    gray = np.full((50, 40), 255, np.uint8)
    assert straighten(gray, 0.04) is gray


def test_blank_pages_have_no_skew():
    white = np.full((1740, 1230), 255, np.uint8)
    rng = np.random.default_rng(1)
    noisy = np.clip(235 + rng.normal(0, 16, white.shape), 0, 255).astype(np.uint8)
    bordered = noisy.copy()
    bordered[:60] = 40
    bordered[:, :60] = 40
    for blank in (white, noisy, bordered):
        assert estimate_skew(blank, 300) == 0.0


# turn -> the sides the 60-px band (laid left and top before turning) ends up on.
BORDER_SIDES = {0: "left top", 90: "top right", 180: "right bottom", 270: "bottom left"}


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_sheet_box_removes_the_dark_border(turn):
    scan = Scan(dpi=300, skew=2, turn=turn, noise=16, blur=1, jpeg_quality=50, dark_border=60)
    gray = _gray(make_page(turn, scan, size_in=SMALL))
    h, w = gray.shape
    sides = BORDER_SIDES[turn]
    expected = (60 * ("left" in sides), 60 * ("top" in sides),
                w - 60 * ("right" in sides), h - 60 * ("bottom" in sides))
    box = sheet_box(gray)
    assert np.abs(np.subtract(box, expected)).max() <= 3
    sheet = crop(gray, box)
    assert sheet.flags.c_contiguous and sheet.shape == (box[3] - box[1], box[2] - box[0])
    # No dark band left along any edge of the cropped sheet.
    assert min(sheet[:3].mean(), sheet[-3:].mean(), sheet[:, :3].mean(),
               sheet[:, -3:].mean()) > 200


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sheet_box_keeps_the_whole_page_without_border(seed):
    gray = _gray(make_page(seed, Scan(dpi=200, skew=seed - 2, noise=8), size_in=SMALL))
    assert sheet_box(gray) == (0, 0, gray.shape[1], gray.shape[0])


def test_sheet_box_keeps_a_table_rule_and_a_photo_near_the_edge():
    clean, _ = render_page(5, dpi=200, size_in=SMALL)
    gray = np.array(clean)
    h, w = gray.shape
    gray[:, 12:18] = 0  # table rule 12 px from the left edge, full height
    gray[h - 25:h - 20, :] = 0  # table rule near the bottom, full width
    gray[0:300, w - 250:w] = 30  # dark photo touching the top-right corner
    assert sheet_box(gray) == (0, 0, w, h)


def test_all_dark_page_is_not_cropped_away():
    dark = np.full((600, 400), 30, np.uint8)
    assert sheet_box(dark) == (0, 0, 400, 600)
