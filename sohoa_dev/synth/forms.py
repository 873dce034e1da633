"""Render a form-like document type from its :class:`~sohoa_dev.synth.templates.Template`.

The first page carries the form number, the header (national motto, or the issuing agency
beside it), the title and the addressee; the content then flows over as many pages as asked,
continuation pages starting straight with text (no title), and the signature block closes
the last page. Wording, fake data and layout are drawn from one seeded generator, so a seed
always gives the same document.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sohoa_dev.synth.fake import fake_values
from sohoa_dev.synth.layout import Sheet, Style, random_style
from sohoa_dev.synth.pages import HEADER
from sohoa_dev.synth.templates import DATE_LINE, SIGN_NOTE, Template

ALTERNATIVES = re.compile(r"\[\[(.+?)\]\]")


@dataclass(frozen=True)
class Op:
    """One laid-out element: a paragraph, heading, right-aligned line or table."""

    kind: str
    """"p" paragraph, "h" heading, "hc" centred heading, "i" italic, "r" right, "table"."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class Filled:
    """A rendered page of a document and whether it carries the title."""

    sheet: Sheet
    is_title_page: bool
    title: str = ""
    """The document's printed title (on its first page), one line."""

    kind: str = ""
    """Which sort of paper, where a type has several (a "khac" news page, a 2024 ID card)."""


def expand(text: str, rng: random.Random, values: dict[str, str], counter: Iterator[int]
           ) -> str:
    """Choose among ``[[a|b]]`` wordings, number ``{n}`` articles, fill ``{key}`` data."""
    text = ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    while "{n}" in text:
        text = text.replace("{n}", str(next(counter)), 1)
    return text.format_map(values)


def parse(line: str, rng: random.Random, values: dict[str, str], counter: Iterator[int]
          ) -> Op | None:
    """The op for one template line (None: an optional line left out of this copy)."""
    if line.startswith("? "):
        if rng.random() < 0.5:
            return None
        line = line[2:]
    text = expand(line, rng, values, counter)
    if text.startswith("|"):
        rows = tuple(tuple(c.strip() for c in row.strip().strip("|").split("|"))
                     for row in text.split("\n"))
        return Op("table", rows=rows)
    for prefix, kind in (("## ", "hc"), ("# ", "h"), ("~ ", "i"), ("> ", "r")):
        if text.startswith(prefix):
            return Op(kind, text[len(prefix):])
    return Op("p", text)


def height(sheet: Sheet, op: Op) -> int:
    if op.kind == "table":
        return sheet.table_height([list(r) for r in op.rows])
    fnt = sheet.font(bold=op.kind in {"h", "hc"}, italic=op.kind in {"i", "r"})
    extra = sheet.advance(fnt) // 3 if op.kind in {"h", "hc"} else 0
    return sheet.paragraph_height(op.text, fnt) + extra


def draw(sheet: Sheet, op: Op) -> None:
    if op.kind == "table":
        sheet.table([list(r) for r in op.rows])
        return
    bold, italic = op.kind in {"h", "hc"}, op.kind in {"i", "r"}
    fnt = sheet.font(bold=bold, italic=italic)
    if bold:
        sheet.gap(0.3)
    align = {"hc": "center", "r": "right"}.get(op.kind, "left")
    sheet.paragraph(op.text, fnt, align=align)


# -- the first page's top ----------------------------------------------------------------


def fit(sheet: Sheet, text: str, span: tuple[int, int], scale: float, bold: bool = False,
        italic: bool = False):
    """The largest font at most ``scale`` in which ``text`` fits the span on one line."""
    while True:
        fnt = sheet.font(scale, bold=bold, italic=italic)
        if fnt.getlength(text) <= span[1] - span[0] or scale < 0.5:
            return fnt
        scale *= 0.94


def national_header(sheet: Sheet, span: tuple[int, int], scale: float) -> None:
    motto = fit(sheet, HEADER[0], span, scale, bold=True)
    sheet.line(HEADER[0], motto, "center", span)
    second = fit(sheet, HEADER[1], span, scale * 1.05, bold=True)
    sheet.line(HEADER[1], second, "center", span)
    sheet.rule(round(second.getlength(HEADER[1]) * 0.8), (span[0] + span[1]) / 2)


def agency_header(sheet: Sheet, t: Template, rng: random.Random, values: dict[str, str],
                  counter: Iterator[int]) -> None:
    """Issuing agency and number on the left, motto and date on the right."""
    split = sheet.left + round(sheet.width * rng.uniform(0.38, 0.44))
    left, right = (sheet.left, split), (split, sheet.right)
    top = sheet.y
    agency = [expand(a, rng, values, counter) for a in rng.choice(t.agencies)]
    for k, text in enumerate(agency):
        last = k == len(agency) - 1
        sheet.line(text, fit(sheet, text, left, 0.85, bold=last), "center", left)
    sheet.rule(sheet.px(1.0), sum(left) / 2)
    if t.number:
        sheet.line(expand(t.number, rng, values, counter), sheet.font(0.9), "center", left)
    bottom, sheet.y = sheet.y, top
    national_header(sheet, right, 0.85)
    if not t.dated:  # dated under the motto instead of above the signature
        date = expand(DATE_LINE, rng, values, counter)
        sheet.line(date, fit(sheet, date, right, 0.9, italic=True), "center", right)
    sheet.y = max(sheet.y, bottom)


def title_lines(t: Template, style: Style, rng: random.Random, values: dict[str, str],
                counter: Iterator[int]) -> list[str]:
    title = expand(rng.choice(t.titles), rng, values, counter)
    lines = title.split("\n")
    if not style.title_upper and "{" not in t.titles[0]:  # "Giấy ủy quyền": sentence case
        lines = [lines[0][:1] + lines[0][1:].lower()] + [line.lower() for line in lines[1:]]
    return lines


def top_of_first_page(sheet: Sheet, t: Template, rng: random.Random, values: dict[str, str],
                      counter: Iterator[int]) -> str:
    """Form number, header, title, subtitle, addressee; returns the title as one line."""
    form = expand(rng.choice(t.forms), rng, values, counter)
    if form:
        sheet.line(form, sheet.font(0.85, bold=rng.random() < 0.5, italic=True),
                   rng.choice(("right", "right", "left")))
    if t.header == "agency":
        agency_header(sheet, t, rng, values, counter)
    elif t.header == "national" and rng.random() < 0.95:
        national_header(sheet, (sheet.left, sheet.right), rng.uniform(0.9, 1.05))
    sheet.gap(rng.uniform(0.6, 1.6))
    style = sheet.style
    title = title_lines(t, style, rng, values, counter)
    for line in title:
        sheet.paragraph(line, sheet.font(style.title_scale, bold=True), align=style.title_align)
    subtitle = expand(rng.choice(t.subtitles), rng, values, counter)
    if subtitle:
        sheet.paragraph(subtitle, sheet.font(0.95, bold=subtitle.isupper(),
                                             italic=not subtitle.isupper()), align="center")
    sheet.gap(rng.uniform(0.4, 1.0))
    to = expand(rng.choice(t.to), rng, values, counter)
    if to:
        sheet.paragraph(to, sheet.font(), align=rng.choice(("center", "left")),
                        indent=sheet.px(rng.choice((0.0, 0.8))))
        sheet.gap(0.4)
    return " ".join(title)


# -- the signature block ----------------------------------------------------------------


def signature_height(sheet: Sheet) -> int:
    return sheet.advance(sheet.font()) * 9


def signature(sheet: Sheet, t: Template, rng: random.Random, values: dict[str, str],
              counter: Iterator[int]) -> None:
    """Date line, then one or two signers: caption, note, pen signature, name; a seal."""
    captions = rng.choice(t.sign).split("|")
    names = expand(t.signer, rng, values, counter).split("|")
    half = sheet.left + sheet.width // 2
    spans = [(sheet.left, half), (half, sheet.right)] if len(captions) == 2 else [
        (sheet.left + round(sheet.width * 0.42), sheet.right)]
    sheet.gap(0.6)
    if t.dated:
        date = expand(DATE_LINE, rng, values, counter)
        sheet.line(date, fit(sheet, date, spans[-1], 1.0, italic=True), "center", spans[-1])
    top, bottom = sheet.y, sheet.y
    note = rng.choice(SIGN_NOTE)
    for caption, name, span in zip(captions, names, spans, strict=False):
        sheet.y = top
        for part in caption.split("\n"):
            sheet.line(part, fit(sheet, part, span, 1.0, bold=True), "center", span)
        sheet.line(note, fit(sheet, note, span, 0.9, italic=True), "center", span)
        mid = (round(sum(span) / 2), sheet.y + sheet.px(0.35))
        sheet.scribble(mid, rng)
        if t.seal and span is spans[-1]:
            sheet.seal((mid[0] - sheet.px(0.5), mid[1]))
        sheet.y += sheet.px(0.85)
        sheet.line(name, fit(sheet, name, span, 1.0, bold=True), "center", span)
        bottom = max(bottom, sheet.y)
    sheet.y = bottom


# -- the flow over pages ------------------------------------------------------------------


def render_form(t: Template, rng: random.Random, dpi: int, pages: int) -> list[Filled]:
    """Lay the template out on exactly ``pages`` sheets (optional content dropped to fit)."""
    values = fake_values(rng)
    style = random_style(rng, dpi)
    counter = itertools.count(1)
    filled = [Filled(Sheet(style), True)]
    title = top_of_first_page(filled[0].sheet, t, rng, values, counter)
    reserve = signature_height(filled[0].sheet)

    def place(op: Op) -> bool:
        sheet = filled[-1].sheet
        last = len(filled) == pages
        if height(sheet, op) <= sheet.room() - (reserve if last else 0):
            draw(sheet, op)
            return True
        if last:
            return False
        filled.append(Filled(Sheet(style), False))
        draw(filled[-1].sheet, op)
        return True

    ops = [op for op in (parse(line, rng, values, counter) for line in t.body) if op]
    breaks = set() if t.more else {round(len(ops) * k / pages) for k in range(1, pages)}
    for k, op in enumerate(ops):
        if k in breaks and len(filled) < pages:  # the form's own fields go on over the page
            filled.append(Filled(Sheet(style), False))
        place(op)
    if pages > 1 and t.more:
        _fill(filled, pages, place, t, rng, values, counter)
    signature(filled[-1].sheet, t, rng, values, counter)
    _number(filled, style)
    for page in filled:
        page.title = title
    return filled


def _fill(filled: list[Filled], pages: int, place: Callable[[Op], bool], t: Template,
          rng: random.Random, values: dict[str, str], counter: Iterator[int]) -> None:
    """Continuation material until the last page is filled to a random share."""
    target = rng.uniform(0.3, 0.75)
    pool = itertools.cycle(t.more)
    for _ in range(400):
        sheet = filled[-1].sheet
        used = (sheet.y - sheet.top) / (sheet.bottom - sheet.top)
        if len(filled) == pages and used >= target:
            return
        op = parse(next(pool), rng, values, counter)
        if op and not place(op):
            return


def _number(filled: list[Filled], style: Style) -> None:
    if style.numbering == "none" or len(filled) < 2:
        return
    for k, page in enumerate(filled):
        if k or style.number_title_page:
            page.sheet.page_number(k + 1, len(filled), style.numbering,
                                   "center" if k % 3 else "right")
