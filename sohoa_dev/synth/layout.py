"""Drawing primitives for synthetic paper: a sheet with a cursor, fonts, paragraphs, tables,
signature blocks, seals and page numbers, recording the printed lines in reading order.

Real Vietnamese papers vary in font (Times-like serif or a sans), size (11–14 pt), margins
and line spacing; a :class:`Style` holds one such choice so that every page of a document
looks alike while documents differ from each other.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from sohoa_dev.synth.pages import _draw_seal, font

A4_IN = (8.27, 11.69)
FONT_ROOT = Path("/usr/share/fonts/truetype")
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    # regular, bold, italic, bold italic
    "LiberationSerif": tuple(f"liberation2/LiberationSerif-{w}.ttf"
                             for w in ("Regular", "Bold", "Italic", "BoldItalic")),
    "DejaVuSerif": tuple(f"dejavu/DejaVuSerif{w}.ttf"
                         for w in ("", "-Bold", "-Italic", "-BoldItalic")),
    "NotoSerif": tuple(f"noto/NotoSerif-{w}.ttf"
                       for w in ("Regular", "Bold", "Italic", "BoldItalic")),
    "LiberationSans": tuple(f"liberation2/LiberationSans-{w}.ttf"
                            for w in ("Regular", "Bold", "Italic", "BoldItalic")),
    "DejaVuSans": tuple(f"dejavu/DejaVuSans{w}.ttf"
                        for w in ("", "-Bold", "-Oblique", "-BoldOblique")),
    "NotoSans": tuple(f"noto/NotoSans-{w}.ttf"
                      for w in ("Regular", "Bold", "Italic", "BoldItalic")),
}
SERIFS = ("LiberationSerif", "LiberationSerif", "DejaVuSerif", "NotoSerif")
"""Times New Roman (Liberation Serif's metrics) dominates Vietnamese administrative print."""
SANS = ("LiberationSans", "DejaVuSans", "NotoSans")
NUMBERING = ("Trang {n}/{t}", "Trang {n}/{t}", "{n}/{t}", "- {n} -", "Trang {n}", "{n}")
INK = (20, 20, 20)
BLUE = (25, 45, 150)
RED = (200, 30, 35)


@lru_cache(maxsize=256)
def face(family: str, px: int, bold: bool = False, italic: bool = False
         ) -> ImageFont.FreeTypeFont:
    """A font of the family; falls back to synth's serif when the family's file is absent."""
    path = FONT_ROOT / FAMILIES[family][int(bold) + 2 * int(italic)]
    if path.exists():
        return ImageFont.truetype(str(path), max(6, px))
    return font("serif-bold" if bold else "serif", max(6, px))


@lru_cache(maxsize=65536)
def word_length(fnt: ImageFont.FreeTypeFont, word: str) -> float:
    return fnt.getlength(word)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking on word widths (cached): measuring every growing trial line, as
    synth's page wrapper does, costs most of the rendering time of a long document."""
    space = word_length(fnt, " ")
    lines, line, used = [], [], 0.0
    for word in text.split():
        size = word_length(fnt, word)
        if line and used + space + size > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += size + (space if line else 0.0)
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


@dataclass(frozen=True)
class Style:
    """One document's look: the same on all its pages."""

    dpi: int
    family: str = "LiberationSerif"
    body_pt: float = 13.0
    margins_in: tuple[float, float, float, float] = (1.1, 0.8, 0.75, 0.8)
    """Left, top, right, bottom."""

    leading: float = 1.45
    """Line advance over the font size."""

    title_scale: float = 1.15
    title_upper: bool = True
    title_align: str = "center"
    numbering: str = "none"
    """Where continuation numbering is printed: "none", "bottom" or "top"."""

    numbering_fmt: str = "Trang {n}/{t}"
    number_title_page: bool = False
    size_in: tuple[float, float] = A4_IN


def random_style(rng: random.Random, dpi: int, size_in: tuple[float, float] = A4_IN,
                 sans_share: float = 0.25) -> Style:
    """A plausible look: mostly Times-like serif, 11–14 pt, margins 0.6–1.2 in."""
    family = rng.choice(SANS if rng.random() < sans_share else SERIFS)
    return Style(
        dpi=dpi, family=family, body_pt=rng.choice((11, 11.5, 12, 12.5, 13, 13, 13.5, 14)),
        margins_in=(rng.uniform(0.8, 1.2), rng.uniform(0.55, 0.9), rng.uniform(0.55, 0.85),
                    rng.uniform(0.6, 0.9)),
        leading=rng.uniform(1.3, 1.6), title_scale=rng.uniform(1.05, 1.35),
        title_upper=rng.random() < 0.92, title_align="center" if rng.random() < 0.93 else "left",
        numbering=rng.choice(("none", "bottom", "bottom", "top")),
        numbering_fmt=rng.choice(NUMBERING), number_title_page=rng.random() < 0.4,
        size_in=size_in,
    )


def _spans(cols: list[int], cells: int) -> list[int]:
    return cols[:cells - 1] + [sum(cols[cells - 1:])]


class Sheet:
    """One page being drawn: a cursor going down the sheet and the lines printed so far."""

    def __init__(self, style: Style) -> None:
        self.style = style
        w, h = (round(v * style.dpi) for v in style.size_in)
        self.img = Image.new("RGB", (w, h), "white")
        self.draw = ImageDraw.Draw(self.img)
        left, top, right, bottom = (self.px(v) for v in style.margins_in)
        self.left, self.top, self.right, self.bottom = left, top, w - right, h - bottom
        self.y = self.top
        self.lines: list[str] = []
        self.coloured = False

    # -- measures ------------------------------------------------------------------------
    @property
    def width(self) -> int:
        return self.right - self.left

    def px(self, inches: float) -> int:
        return round(inches * self.style.dpi)

    def font(self, scale: float = 1.0, bold: bool = False, italic: bool = False
             ) -> ImageFont.FreeTypeFont:
        return face(self.style.family, round(self.style.body_pt * scale * self.style.dpi / 72),
                    bold, italic)

    def advance(self, fnt: ImageFont.FreeTypeFont) -> int:
        return round(fnt.size * self.style.leading)

    def room(self) -> int:
        return self.bottom - self.y

    def wrapped(self, text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
        return wrap(text, fnt, width) or [""]

    # -- text ----------------------------------------------------------------------------
    def line(self, text: str, fnt: ImageFont.FreeTypeFont, align: str = "left",
             span: tuple[int, int] | None = None, fill: tuple[int, int, int] = INK) -> None:
        """Print one line at the cursor within ``span`` (x0, x1) and move down."""
        x0, x1 = span or (self.left, self.right)
        length = fnt.getlength(text)
        x = {"left": x0, "center": (x0 + x1 - length) / 2, "right": x1 - length}[align]
        self.draw.text((x, self.y), text, font=fnt, fill=fill)
        if text.strip():
            self.lines.append(text)
        self.y += self.advance(fnt)

    def paragraph(self, text: str, fnt: ImageFont.FreeTypeFont, indent: int = 0,
                  align: str = "left", span: tuple[int, int] | None = None) -> None:
        x0, x1 = span or (self.left, self.right)
        for k, part in enumerate(self.wrapped(text, fnt, x1 - x0 - indent)):
            self.line(part, fnt, align, (x0 + (indent if k == 0 else 0), x1))

    def paragraph_height(self, text: str, fnt: ImageFont.FreeTypeFont, indent: int = 0) -> int:
        return len(self.wrapped(text, fnt, self.width - indent)) * self.advance(fnt)

    def gap(self, lines: float = 0.5) -> None:
        self.y += round(self.font().size * self.style.leading * lines)

    def rule(self, length: int, centre: float, width: int = 2) -> None:
        size = self.font().size
        y = self.y - max(1, self.advance(self.font()) - round(size * 1.25))
        self.draw.line((centre - length / 2, y, centre + length / 2, y), fill=INK, width=width)
        self.y += max(2, self.px(0.04))

    # -- tables --------------------------------------------------------------------------
    def table_height(self, rows: list[list[str]]) -> int:
        cols = self._columns(rows)
        return sum(self._row_height(r, _spans(cols, len(r)), bold=k == 0)
                   for k, r in enumerate(rows)) + self.px(0.1)

    def table(self, rows: list[list[str]]) -> None:
        """A ruled table; the first row is the header (bold). Cells wrap inside columns; a
        row with fewer cells lets its last cell span the remaining columns."""
        cols = self._columns(rows)
        for k, row in enumerate(rows):
            fnt = self.font(0.9, bold=k == 0)
            widths = _spans(cols, len(row))
            height = self._row_height(row, widths, bold=k == 0)
            x = self.left
            for cell, width in zip(row, widths, strict=False):
                self.draw.rectangle((x, self.y, x + width, self.y + height), outline=INK,
                                    width=max(1, self.style.dpi // 150))
                y = self.y + self.px(0.04)
                for part in self.wrapped(cell, fnt, width - self.px(0.1)):
                    self.draw.text((x + self.px(0.05), y), part, font=fnt, fill=INK)
                    y += self.advance(fnt)
                x += width
            self.lines.append(" ".join(c for c in row if c.strip()))
            self.y += height
        self.y += self.px(0.1)

    def _columns(self, rows: list[list[str]]) -> list[int]:
        n = max(len(r) for r in rows)
        full = [r for r in rows if len(r) == n]  # spanning rows say nothing about widths
        weights = [max(4, max(len(r[i]) for r in full)) ** 0.8 for i in range(n)]
        total = sum(weights)
        return [round(self.width * w / total) for w in weights]

    def _row_height(self, row: list[str], cols: list[int], bold: bool = False) -> int:
        fnt = self.font(0.9, bold=bold)
        lines = max(len(self.wrapped(c, fnt, w - self.px(0.1)))
                    for c, w in zip(row, cols, strict=False))
        return lines * self.advance(fnt) + self.px(0.08)

    # -- marks ---------------------------------------------------------------------------
    def scribble(self, centre: tuple[int, int], rng: random.Random, colour=BLUE) -> None:
        """A handwritten signature: a few looping pen strokes."""
        cx, cy = centre
        w, h = self.px(0.9), self.px(0.25)
        points = []
        for k in range(40):
            t = k / 39
            points.append((cx - w / 2 + w * t + rng.uniform(-3, 3),
                           cy + h * math.sin(t * rng.uniform(9, 16)) * (1 - 0.5 * t)))
        self.draw.line(points, fill=colour, width=max(2, self.style.dpi // 100))
        self.coloured = True

    def seal(self, centre: tuple[int, int]) -> None:
        _draw_seal(self.draw, centre, self.style.dpi)
        self.coloured = True

    def page_number(self, n: int, total: int, place: str, align: str = "center") -> None:
        """Print "Trang n/total"-style numbering in the top or bottom margin."""
        text = self.style.numbering_fmt.format(n=n, t=total)
        fnt = self.font(0.9, italic=self.style.numbering_fmt.startswith("Trang"))
        y = self.top // 2 - fnt.size // 2 if place == "top" else (
            self.bottom + (self.img.height - self.bottom) // 2 - fnt.size // 2)
        length = fnt.getlength(text)
        x = {"center": (self.left + self.right - length) / 2, "right": self.right - length}[align]
        self.draw.text((x, y), text, font=fnt, fill=INK)
        if place == "top":
            self.lines.insert(0, text)
        else:
            self.lines.append(text)

    def image(self) -> Image.Image:
        """The page: RGB when something coloured was drawn (seal, ink), else gray."""
        return self.img if self.coloured else self.img.convert("L")
