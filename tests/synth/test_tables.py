"""The archive look-alikes: each kind renders what real archive scans showed, with its truth.

No OCR: pages at 100 dpi, checked through their ground-truth lines and their pixels (ruling
lines, the red seal, the photocopy grey, the turn).
"""

from __future__ import annotations

import numpy as np
import pytest

from sohoa_dev.synth import Scan
from sohoa_dev.synth.tables import (
    BUDGET_HEADERS,
    PAGE_KINDS,
    STAFF_HEADERS,
    make_archive_page,
    render_archive_page,
)

DPI = 100


def _red(rgb: np.ndarray) -> int:
    r, g, b = (rgb[..., k].astype(int) for k in range(3))
    return int(np.count_nonzero((r > 150) & (g < 90) & (b < 90)))


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_kind_renders_with_its_letterhead_and_signer(kind: str) -> None:
    img, lines = render_archive_page(1, kind, DPI)
    landscape = kind in ("budget", "staff")
    assert (img.width > img.height) == landscape
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines and "CHI CỤC TRƯỞNG" in lines
    assert _red(np.asarray(img)) > 500  # the seal stamped over the signer


def test_tables_are_ruled_and_carry_vietnamese_headers() -> None:
    img, lines = render_archive_page(2, "staff", DPI, seal=False, signature=False)
    assert set(STAFF_HEADERS) <= set(lines)
    gray = np.asarray(img.convert("L"))
    long_rows = np.count_nonzero((gray < 100).sum(axis=1) > 0.8 * gray.shape[1])
    assert long_rows >= 8  # a horizontal rule under every row
    _, budget = render_archive_page(3, "budget", DPI, seal=False, signature=False)
    assert "Stt" in budget and "Nội dung chi" in budget
    assert any(line.endswith(".000") for line in budget)  # amounts in dong, dot-grouped
    assert set(budget) & set(BUDGET_HEADERS[3:])


def test_photocopy_greys_the_paper_but_not_the_ink() -> None:
    clean, _ = render_archive_page(4, "checklist", DPI, seal=False, signature=False)
    copy, _ = render_archive_page(4, "checklist", DPI, seal=False, signature=False,
                                  photocopy=True)
    clean_gray, copy_gray = (np.asarray(i.convert("L")).astype(int) for i in (clean, copy))
    paper = clean_gray == 255
    assert 170 < np.median(copy_gray[paper]) < 225
    assert np.median(copy_gray[clean_gray < 60]) < 60


def test_the_turn_and_the_truth_follow_the_scan() -> None:
    page = make_archive_page(5, "boxes", Scan(dpi=DPI, turn=90, noise=4))
    upright, lines = render_archive_page(5, "boxes", DPI)
    assert page.expected_rotation == 270
    assert page.image.size == (upright.height, upright.width)
    assert page.text.splitlines() == lines
