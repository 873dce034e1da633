"""The quick look: text lines found, title read, QR decoded, on generated pages."""

from __future__ import annotations

import numpy as np
import pytest

from sohoa.pipeline.classify.text import fold
from sohoa.pipeline.fastpass import HEAD_LINES, TAIL_LINES, head_and_tail, quick_look, text_lines
from sohoa.pipeline.model import RasterPage
from sohoa.settings import OcrSettings
from sohoa_dev.synth import Scan, make_page


@pytest.mark.parametrize("dpi", [200, 300])
def test_text_lines_counts_lines_not_accent_rows(dpi: int) -> None:
    page = make_page(4, Scan(dpi=dpi, noise=4), sentences=10,
                     title="GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH")
    lines = text_lines(np.asarray(page.image), dpi)
    assert len(lines) == len(page.lines)
    assert all(top < bottom for top, bottom in lines)
    assert all(a[1] < b[0] for a, b in zip(lines, lines[1:], strict=False))


def test_head_and_tail_keeps_only_the_title_area_and_the_bottom() -> None:
    page = make_page(5, Scan(dpi=200), sentences=20)
    gray = np.asarray(page.image)
    lines = text_lines(gray, 200)
    assert len(lines) > HEAD_LINES + TAIL_LINES
    cut = head_and_tail(gray, 200)
    pad, gap = 200 // 25, int(200 / 6)
    head_rows = lines[HEAD_LINES - 1][1] + pad
    tail_rows = gray.shape[0] - (lines[-TAIL_LINES][0] - pad)
    assert cut.shape == (head_rows + gap + tail_rows, gray.shape[1])
    assert (cut[head_rows:head_rows + gap] == 255).all()  # the white gap between the parts


def test_blank_page_has_no_lines() -> None:
    assert text_lines(np.full((800, 600), 250, np.uint8), 100) == []


@pytest.mark.ocr
def test_quick_look_reads_the_title_of_a_turned_page(tesseract_vie: str) -> None:
    page = make_page(6, Scan(dpi=300, skew=3.0, turn=180, noise=6, jpeg_quality=75),
                     sentences=18, title="VĂN BẢN ỦY QUYỀN")
    look = quick_look(RasterPage(np.asarray(page.image), 300, "x", 0), OcrSettings())
    assert look.rotation == 180
    assert "van ban uy quyen" in fold(look.text)
    assert "cong hoa xa hoi chu nghia viet nam" in fold(look.text)
    assert look.qr_payloads == ()
