"""Construction drawings (bản vẽ thiết kế): plans, elevations and sections with a title block.

A drawing set is 1–3 sheets. The first sheet names the set ("BẢN VẼ MẶT BẰNG TẦNG 1");
later sheets carry only their own view name (mặt đứng, mặt cắt, móng) in the title block —
little text, lots of lines, which is what makes drawings hard for a text classifier.
"""

from __future__ import annotations

import random

from sohoa_dev.synth.fake import fake_values
from sohoa_dev.synth.forms import Filled
from sohoa_dev.synth.layout import A4_IN, Sheet, Style

FIRST_VIEWS = ("BẢN VẼ MẶT BẰNG TẦNG 1", "BẢN VẼ MẶT BẰNG TẦNG TRỆT",
               "BẢN VẼ MẶT BẰNG TỔNG THỂ", "BẢN VẼ MẶT BẰNG TẦNG 1 - KIẾN TRÚC")
SET_HEADINGS = ("", "", "BẢN VẼ THIẾT KẾ XIN PHÉP XÂY DỰNG", "HỒ SƠ THIẾT KẾ XÂY DỰNG")
NEXT_VIEWS = (("MẶT ĐỨNG CHÍNH", "elevation"), ("MẶT CẮT A-A", "elevation"),
              ("MẶT BẰNG TẦNG 2", "plan"), ("MẶT BẰNG MÓNG", "footings"),
              ("MẶT BẰNG MÁI", "plan"))
ROOMS = ("PHÒNG KHÁCH", "PHÒNG NGỦ 1", "PHÒNG NGỦ 2", "BẾP + ĂN", "WC", "SÂN TRƯỚC",
         "CẦU THANG", "KHO", "PHÒNG THỜ", "GARA")
LINE = (30, 30, 30)


def render_drawings(rng: random.Random, dpi: int, pages: int) -> list[Filled]:
    """``pages`` drawing sheets of one set, the first one naming the set."""
    v = fake_values(rng)
    landscape = rng.random() < 0.6
    size = (A4_IN[1], A4_IN[0]) if landscape else A4_IN
    style = Style(dpi=dpi, family=rng.choice(("LiberationSans", "DejaVuSans")),
                  body_pt=rng.choice((9, 10, 11)), margins_in=(0.45, 0.45, 0.45, 0.45),
                  leading=1.3, size_in=size)
    views = [(rng.choice(FIRST_VIEWS), "plan")] + rng.sample(NEXT_VIEWS, k=pages - 1)
    out = []
    for k, (view, kind) in enumerate(views):
        sheet = Sheet(style)
        frame(sheet)
        if k == 0 and (heading := rng.choice(SET_HEADINGS)):
            sheet.y = sheet.top + sheet.px(0.15)
            sheet.line(heading, sheet.font(1.6, bold=True), "center")
        block_top = title_block(sheet, v, view, k + 1, pages, rng)
        area = (sheet.left + sheet.px(0.6), sheet.y + sheet.px(1.0),
                sheet.right - sheet.px(0.6), block_top - sheet.px(0.7))
        {"plan": plan, "elevation": elevation, "footings": footings}[kind](sheet, area, rng)
        label(sheet, f"{view.removeprefix('BẢN VẼ ')} - TL 1/100", area)
        out.append(Filled(sheet, k == 0, title=views[0][0]))
    return out


def frame(sheet: Sheet) -> None:
    width = max(2, sheet.style.dpi // 60)
    sheet.draw.rectangle((sheet.left, sheet.top, sheet.right, sheet.bottom), outline=LINE,
                         width=width)


def plan(sheet: Sheet, area: tuple[int, int, int, int], rng: random.Random) -> None:
    """A floor plan: outer walls, rooms split off, labels, dimension figures, axes."""
    x0, y0, x1, y1 = area
    wall = max(3, sheet.style.dpi // 40)
    sheet.draw.rectangle(area, outline=LINE, width=wall)
    cuts = sorted(rng.sample(range(1, 8), k=rng.randint(2, 3)))
    xs = [x0] + [x0 + (x1 - x0) * c // 8 for c in cuts] + [x1]
    names = rng.sample(ROOMS, k=2 * (len(xs) - 1))
    fnt = sheet.font(0.9, bold=True)
    for k in range(len(xs) - 1):
        sheet.draw.line((xs[k], y0, xs[k], y1), fill=LINE, width=wall)
        mid = (y0 + y1) // 2 if rng.random() < 0.5 else y0 + (y1 - y0) // 3
        sheet.draw.line((xs[k], mid, xs[k + 1], mid), fill=LINE, width=wall // 2 + 1)
        for name, y in ((names[2 * k], (y0 + mid) // 2), (names[2 * k + 1], (mid + y1) // 2)):
            sheet.draw.text(((xs[k] + xs[k + 1] - fnt.getlength(name)) / 2, y), name, font=fnt,
                            fill=LINE)
            sheet.lines.append(name)
        dim = str(rng.randint(25, 60) * 100)
        sheet.draw.text(((xs[k] + xs[k + 1]) / 2 - fnt.getlength(dim) / 2, y0 - sheet.px(0.4)),
                        dim, font=sheet.font(0.8), fill=LINE)
        sheet.lines.append(dim)
    axes(sheet, xs, y0)


def axes(sheet: Sheet, xs: list[int], y0: int) -> None:
    r = sheet.px(0.13)
    fnt = sheet.font(0.8)
    for k, x in enumerate(xs):
        cy = y0 - sheet.px(0.7)
        sheet.draw.ellipse((x - r, cy - r, x + r, cy + r), outline=LINE, width=2)
        sheet.draw.text((x - fnt.getlength(str(k + 1)) / 2, cy - fnt.size / 2), str(k + 1),
                        font=fnt, fill=LINE)


def elevation(sheet: Sheet, area: tuple[int, int, int, int], rng: random.Random) -> None:
    """A façade or section: floors stacked, windows, roof, level marks."""
    x0, y0, x1, y1 = area
    floors = rng.randint(2, 4)
    storey = (y1 - y0) * 0.8 / floors
    width = max(2, sheet.style.dpi // 80)
    sheet.draw.line((x0 - sheet.px(0.3), y1, x1 + sheet.px(0.3), y1), fill=LINE, width=width * 2)
    fnt = sheet.font(0.8)
    for f in range(floors):
        top = y1 - (f + 1) * storey
        sheet.draw.rectangle((x0, top, x1, top + storey), outline=LINE, width=width)
        for w in range(3):
            wx = x0 + (x1 - x0) * (0.15 + 0.3 * w)
            sheet.draw.rectangle((wx, top + storey * 0.3, wx + (x1 - x0) * 0.12,
                                  top + storey * 0.75), outline=LINE, width=width)
        mark = f"+{(f + 1) * 3.6:.3f}".replace(".", ",")
        sheet.draw.text((x1 + sheet.px(0.1), top - fnt.size), mark, font=fnt, fill=LINE)
        sheet.lines.append(mark)
    roof = y1 - floors * storey
    sheet.draw.polygon([(x0, roof), ((x0 + x1) / 2, y0), (x1, roof)], outline=LINE,
                       width=width)
    sheet.draw.text((x1 + sheet.px(0.1), y1 - fnt.size), "±0,000", font=fnt, fill=LINE)
    sheet.lines.append("±0,000")


def footings(sheet: Sheet, area: tuple[int, int, int, int], rng: random.Random) -> None:
    """Pad footings at the axis crossings, joined by ground beams."""
    x0, y0, x1, y1 = area
    cols, rows = rng.randint(3, 5), rng.randint(2, 4)
    xs = [x0 + (x1 - x0) * k // (cols - 1) for k in range(cols)]
    ys = [y0 + (y1 - y0) * k // (rows - 1) for k in range(rows)]
    half = sheet.px(0.18)
    fnt = sheet.font(0.75)
    for y in ys:
        sheet.draw.line((x0, y, x1, y), fill=LINE, width=3)
    for x in xs:
        sheet.draw.line((x, y0, x, y1), fill=LINE, width=3)
        for y in ys:
            sheet.draw.rectangle((x - half, y - half, x + half, y + half), outline=LINE, width=3)
            sheet.draw.text((x + half + 4, y + half), "M1", font=fnt, fill=LINE)
    sheet.lines.append("M1")
    axes(sheet, xs, y0)


def label(sheet: Sheet, text: str, area: tuple[int, int, int, int]) -> None:
    fnt = sheet.font(1.3, bold=True)
    y = area[3] + sheet.px(0.25)
    sheet.draw.text(((area[0] + area[2] - fnt.getlength(text)) / 2, y), text, font=fnt,
                    fill=LINE)
    sheet.lines.append(text)


def title_block(sheet: Sheet, v: dict[str, str], view: str, n: int, total: int,
                rng: random.Random) -> int:
    """The ruled box at the bottom right (firm, owner, project, sheet name, scale, number);
    returns its top edge, so the drawing stays above it."""
    rows = [[v["designer"].upper()], [f"CHỦ ĐẦU TƯ: {v['ong_ba'].upper()} {v['NAME']}"],
            [f"CÔNG TRÌNH: NHÀ Ở RIÊNG LẺ {v['floors']} TẦNG"],
            [f"ĐỊA ĐIỂM: {v['land_address']}"],
            ["TÊN BẢN VẼ:", view],
            ["TỶ LỆ: 1/100", f"KÝ HIỆU: KT-0{n}", f"TỜ: {n}/{total}"],
            ["CHỦ TRÌ", "THIẾT KẾ", "KIỂM TRA"], [v["b_name"], v["name"], v["mother"]]]
    width = round(sheet.width * (0.6 if sheet.img.width < sheet.img.height else 0.45))
    saved = (sheet.left, sheet.y)
    sheet.left = sheet.right - width
    top = sheet.bottom - sheet.table_height(rows) - sheet.px(0.05)
    sheet.y = top
    sheet.table(rows)
    sheet.left, sheet.y = saved
    if rng.random() < 0.5:
        sheet.scribble((sheet.right - width // 3, sheet.bottom - sheet.px(0.3)), rng)
    return top
