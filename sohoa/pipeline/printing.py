"""What every printed sheet shares: A4 margins, a Vietnamese font, paragraphs, vector QR codes.

Cover and separator sheets, receipts and notices are written by fpdf2 with an embedded
Unicode TrueType font (DejaVu Sans covers Vietnamese); QR codes are vector paths of their
dark modules, sharp at any printer resolution.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fpdf import FPDF

from sohoa.errors import ProcessingError
from sohoa.pipeline.classify.qr import qr_modules

FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
)
"""Regular and bold faces with Vietnamese glyphs (Debian fonts-dejavu-core, -noto-core, ...)."""

MARGIN = 15.0
"""mm; inside every office printer's printable area."""


def add_fonts(pdf: FPDF) -> None:
    """Register the "Sans" family (regular and bold) on ``pdf``."""
    regular, bold = font_files()
    pdf.add_font("Sans", "", regular)
    pdf.add_font("Sans", "B", bold)


def paragraph(pdf: FPDF, text: str, size: float, bold: bool = False, width: float = 0) -> None:
    """A wrapped paragraph at the left margin; ``width`` 0 = up to the right margin."""
    pdf.set_font("Sans", "B" if bold else "", size)
    pdf.set_x(MARGIN)
    pdf.multi_cell(width, size * 0.5, text, align="LEFT", new_x="LMARGIN", new_y="NEXT")



def draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    """The QR's dark modules as one filled path: one fill, so no seams between modules."""
    modules = qr_modules(text, error_correction="Q")
    module = size / modules.shape[0]
    with pdf.new_path() as path:
        path.style.fill_color = "#000000"
        path.style.stroke_color = None
        for row, line in enumerate(modules):
            for start, length in _dark_runs(line):
                path.rectangle(x + start * module, y + row * module, length * module, module)


def _dark_runs(line: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row: fewer, longer rectangles."""
    runs, start = [], None
    for col, dark in enumerate(list(line) + [False]):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            runs.append((start, col - start))
            start = None
    return runs


def font_files() -> tuple[str, str]:
    for regular, bold in FONTS:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    raise ProcessingError("Không tìm thấy phông chữ tiếng Việt để in "
                          "(cài gói fonts-dejavu-core).")
