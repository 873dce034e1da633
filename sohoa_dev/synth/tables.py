"""Pages like the real archive scans that fooled the orientation detector.

Real dossiers (see ``../shared/real-scans/README.md``) are full of landscape budget tables and
staff lists whose long ruling lines dominate a page's ink profile, check-box forms whose
aligned columns look like text lines turned sideways, red seals stamped over the signer's
name, signatures, and photocopies with a grey, speckled background. The plain pages of
:mod:`sohoa_dev.synth.pages` have none of these, so the generated corpus never showed the
failure; these generators do, with the truth known.

Every page is one seeded draw: ``make_archive_page(seed, kind, scan)`` renders a clean page of
the given kind and puts it through :func:`~sohoa_dev.synth.pages.degrade` (skew, quarter turn,
blur, noise, JPEG), so ``SynthPage.expected_rotation`` holds as for the plain pages.
"""

from __future__ import annotations

import math
import random
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa_dev.synth.pages import (
    GIVEN,
    HEADER,
    MIDDLE,
    SURNAMES,
    Scan,
    SynthPage,
    degrade,
    font,
)

PageKind = Literal["budget", "staff", "checklist", "boxes"]
PAGE_KINDS: tuple[PageKind, ...] = ("budget", "staff", "checklist", "boxes")

A4_LANDSCAPE = (11.69, 8.27)
A4_PORTRAIT = (8.27, 11.69)
A5_LANDSCAPE = (8.27, 5.83)
A5_PORTRAIT = (5.83, 8.27)

AGENCY = ("SỞ Y TẾ TỈNH HẬU GIANG", "CHI CỤC AN TOÀN VỆ SINH", "THỰC PHẨM")
BUDGET_TITLES = ("KẾ HOẠCH", "DỰ TOÁN KINH PHÍ", "BÁO CÁO QUYẾT TOÁN")
BUDGET_SUBTITLES = (
    "Dự chi kinh phí hoạt động Dự án nâng cao năng lực quản lý chất lượng vệ sinh thực phẩm",
    "Kinh phí thực hiện chương trình mục tiêu quốc gia về vệ sinh an toàn thực phẩm năm 2010",
    "Chi tiết các khoản chi tập huấn, tuyên truyền và kiểm tra liên ngành",
)
BUDGET_HEADERS = ("Stt", "Nội dung chi", "Mục", "Tổng số tiền", "Chi cục", "Thị xã Vị Thanh",
                  "Huyện Vị Thủy", "Huyện Long Mỹ", "H. Phụng Hiệp", "H. Châu Thành")
BUDGET_ITEMS = (
    "Hội nghị, tập huấn công tác đảm bảo chất lượng vệ sinh an toàn thực phẩm",
    "Hội trường, ánh sáng, âm thanh, khẩu hiệu",
    "Báo cáo viên: 125.000đ/buổi",
    "Tài liệu: 6.000đ/bộ x 38 bộ",
    "Nước uống: 2.500đ/buổi x 38 người",
    "Kiểm tra liên ngành dịp Tết Nguyên đán",
    "In ấn tờ rơi, áp phích tuyên truyền",
    "Công tác phí cho cán bộ đi kiểm tra cơ sở",
    "Xét nghiệm mẫu thực phẩm tại phòng thí nghiệm",
)
STAFF_TITLES = ("DANH SÁCH CÁN BỘ CÔNG NHÂN VIÊN", "DANH SÁCH CÁN BỘ, VIÊN CHỨC",
                "BẢNG PHÂN CÔNG NHIỆM VỤ")
STAFF_HEADERS = ("Số TT", "Họ và tên", "Năm sinh", "Chức vụ", "Trình độ chuyên môn",
                 "Ngày vào ngành", "Ghi chú")
POSTS = ("Chi cục trưởng", "Phó Chi cục trưởng", "Kế toán", "Chuyên viên", "Văn thư",
         "Thanh tra viên", "Cán bộ hợp đồng")
DEGREES = ("Bác sĩ đa khoa", "Cử nhân kinh tế", "Dược sĩ đại học", "Kỹ sư thực phẩm",
           "Trung cấp y", "Cử nhân luật")
CHECK_SECTIONS = (
    ("Bếp:", ("Một chiều", "Nơi chế biến trên mặt đất", "Sạch sẽ")),
    ("Dụng cụ, thiết bị:", ("Có dụng cụ, thiết bị chuyên dùng",
                            "Có dụng cụ riêng biệt cho thực phẩm sống và chín",
                            "Thiết bị phòng chống côn trùng, chuột", "Sạch sẽ")),
    ("Người chế biến:", ("Có rửa tay khi bắt đầu làm việc", "Trang phục bảo hộ", "Khẩu trang",
                         "Móng tay cắt ngắn", "Khám sức khỏe định kỳ")),
    ("Mẫu xét nghiệm:", ("Hàn the", "Phẩm màu", "Độ ôi", "Độ sạch", "Khác")),
)
FORM_FIELDS = ("Tên cơ sở", "Địa chỉ", "Họ tên chủ cơ sở", "Số điện thoại", "Loại hình kinh doanh",
               "Số giấy chứng nhận", "Ngày cấp", "Nơi cấp")
RED = (200, 30, 35)
ARCHIVE_SCAN = Scan(dpi=150)
"""What the real archive scans are: 150 dpi, upright."""
SIGN_BLUE = (30, 40, 140)


def make_archive_page(seed: int, kind: PageKind, scan: Scan = ARCHIVE_SCAN,
                      size_in: tuple[float, float] | None = None, seal: bool = True,
                      signature: bool = True, photocopy: bool = False) -> SynthPage:
    """One degraded page of ``kind`` and its text lines (budget and staff tables are
    landscape unless ``size_in`` says otherwise)."""
    clean, lines = render_archive_page(seed, kind, scan.dpi, size_in, seal=seal,
                                       signature=signature, photocopy=photocopy)
    img = degrade(clean, Scan(**{**scan.__dict__, "seal": False}), seed)
    img.info["dpi"] = (scan.dpi, scan.dpi)
    return SynthPage(image=img, text="\n".join(lines), scan=scan, lines=tuple(lines))


def render_archive_page(seed: int, kind: PageKind, dpi: int = 150,
                        size_in: tuple[float, float] | None = None, seal: bool = True,
                        signature: bool = True, photocopy: bool = False
                        ) -> tuple[Image.Image, list[str]]:
    """A clean upright RGB page of ``kind`` (see :data:`PAGE_KINDS`) and its text lines."""
    rng = random.Random(seed)
    if size_in is None:
        size_in = A4_LANDSCAPE if kind in ("budget", "staff") else A4_PORTRAIT
    w, h = int(size_in[0] * dpi), int(size_in[1] * dpi)
    img = Image.new("RGB", (w, h), "white")
    # On a sheet narrower than A4 the layout shrinks with it and the type less (an A5 test
    # page keeps 8-9 pt text, as a real A5 form would).
    shrink = min(1.0, min(size_in) / A4_PORTRAIT[0])
    pen = _Pen(ImageDraw.Draw(img), dpi * shrink, w, h, rng, type_dpi=dpi * math.sqrt(shrink))
    pen.letterhead()
    if kind == "budget":
        pen.budget_table()
    elif kind == "staff":
        pen.staff_table()
    elif kind == "checklist":
        pen.checklist()
    else:
        pen.boxed_form()
    if signature or seal:
        pen.sign_off(signature=signature, seal=seal)
    if photocopy:
        img = _photocopy(img, rng)
    return img, pen.lines


class _Pen:
    """Lays elements out top to bottom on one page, remembering the text it drew."""

    def __init__(self, draw: ImageDraw.ImageDraw, dpi: float, w: int, h: int,
                 rng: random.Random, type_dpi: float) -> None:
        # dpi: pixels per layout inch (the page's dpi, less on a sheet narrower than A4)
        self.draw, self.dpi, self.w, self.h, self.rng = draw, dpi, w, h, rng
        pt = type_dpi / 72
        self.body = font("serif", round(11 * pt))
        self.small = font("serif", round(9.5 * pt))
        self.bold = font("serif-bold", round(11.5 * pt))
        self.title_font = font("serif-bold", round(14 * pt))
        self.margin = int(0.6 * dpi)
        self.y = int(0.45 * dpi)
        self.lines: list[str] = []
        self.rule = max(1, round(dpi / 100))

    def text(self, x: float, y: float, text: str, fnt: ImageFont.FreeTypeFont,
             fill: object = "black") -> None:
        self.draw.text((x, y), text, font=fnt, fill=fill)
        self.lines.append(text)

    def centred(self, text: str, fnt: ImageFont.FreeTypeFont, cx: float | None = None) -> None:
        cx = self.w / 2 if cx is None else cx
        self.text(cx - fnt.getlength(text) / 2, self.y, text, fnt)
        self.y += int(fnt.size * 1.4)

    def letterhead(self) -> None:
        """Agency on the left, national motto on the right, number and date under them."""
        top = self.y
        left_cx, right_cx = self.margin + 1.4 * self.dpi, self.w - self.margin - 1.9 * self.dpi
        for line in AGENCY:
            self.centred(line, self.small, left_cx)
        self.y = top
        for line in HEADER:
            self.centred(line, self.bold, right_cx)
        self.y = top + int(3.2 * self.small.size * 1.4)
        number = f"Số: {self.rng.randint(2, 99)}/KH-ATTP"
        self.text(left_cx - self.body.getlength(number) / 2, self.y, number, self.body)
        date = (f"Vị Thanh, ngày {self.rng.randint(1, 28):02d} tháng "
                f"{self.rng.randint(1, 12):02d} năm 2010")
        self.text(right_cx - self.body.getlength(date) / 2, self.y, date, self.body)
        self.y += int(self.body.size * 1.8)

    def wrap(self, text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
        out, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if fnt.getlength(trial) <= width or not line:
                line = trial
            else:
                out.append(line)
                line = word
        return [*out, line] if line else out

    def table(self, widths: list[float], header: tuple[str, ...], rows: list[list[str]],
              numeric: set[int]) -> None:
        """A fully ruled table: header row in bold, cells wrapped, numbers right-aligned."""
        x0 = self.margin
        xs = [x0]
        for share in widths:
            xs.append(xs[-1] + share * (self.w - 2 * self.margin))
        pad = int(0.04 * self.dpi)
        line_h = int(self.small.size * 1.25)
        top = self.y
        bottom_limit = self.h - int(1.9 * self.dpi)
        ys = [top]
        for r, row in enumerate([list(header), *rows]):
            fnt = self.small
            cells = [self.wrap(c, fnt, xs[i + 1] - xs[i] - 2 * pad) for i, c in enumerate(row)]
            height = max(len(c) for c in cells) * line_h + 2 * pad
            if ys[-1] + height > bottom_limit and r > 1:
                break
            for i, cell in enumerate(cells):
                for k, line in enumerate(cell):
                    width = fnt.getlength(line)
                    if r == 0 or i not in numeric:
                        x = (xs[i] + xs[i + 1] - width) / 2 if r == 0 else xs[i] + pad
                    else:
                        x = xs[i + 1] - pad - width
                    self.text(x, ys[-1] + pad + k * line_h, line, fnt)
            ys.append(ys[-1] + height)
        for y in ys:
            self.draw.line((xs[0], y, xs[-1], y), fill="black", width=self.rule)
        for x in xs:
            self.draw.line((x, ys[0], x, ys[-1]), fill="black", width=self.rule)
        self.y = ys[-1] + int(0.15 * self.dpi)

    def money(self) -> str:
        return f"{self.rng.randint(95, 31_800) * 1000:,}".replace(",", ".")

    def budget_table(self) -> None:
        self.centred(self.rng.choice(BUDGET_TITLES), self.title_font)
        self.centred(self.rng.choice(BUDGET_SUBTITLES), self.bold)
        columns = self.rng.randint(7, len(BUDGET_HEADERS))
        header = BUDGET_HEADERS[:columns]
        rows = []
        for n in range(12):
            item = self.rng.choice(BUDGET_ITEMS)
            amounts = [self.money() if self.rng.random() < 0.8 else ""
                       for _ in range(columns - 3)]
            rows.append([str(n + 1), item, str(self.rng.choice((6651, 6652, 6655, 6699))),
                         *amounts])
        rest = (1 - 0.05 - 0.25 - 0.06) / (columns - 3)
        self.table([0.05, 0.25, 0.06] + [rest] * (columns - 3), header, rows,
                   numeric=set(range(3, columns)))

    def staff_table(self) -> None:
        self.centred(self.rng.choice(STAFF_TITLES), self.title_font)
        rows = []
        for n in range(14):
            name = (f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE)} "
                    f"{self.rng.choice(GIVEN)}")
            rows.append([str(n + 1), name, str(self.rng.randint(1955, 1988)),
                         self.rng.choice(POSTS), self.rng.choice(DEGREES),
                         f"{self.rng.randint(1, 28):02d}/{self.rng.randint(1, 12):02d}/"
                         f"{self.rng.randint(1978, 2009)}", ""])
        self.table([0.06, 0.22, 0.09, 0.17, 0.2, 0.13, 0.13], STAFF_HEADERS, rows, numeric=set())

    def checklist(self) -> None:
        """Sections of short items with aligned columns of [ ] boxes (an inspection form)."""
        self.centred("PHIẾU ĐIỀU TRA CƠ SỞ DỊCH VỤ ĂN UỐNG", self.title_font)
        left = self.margin + int(0.3 * self.dpi)
        columns = (self.w * 0.62, self.w * 0.82)
        box = int(0.1 * self.dpi)
        line_h = int(self.body.size * 1.35)
        for k, (heading, items) in enumerate(CHECK_SECTIONS):
            if self.y + line_h * (len(items) + 2) > self.h - 1.6 * self.dpi:
                break
            self.text(self.margin, self.y, f"{k + 9}. {heading}", self.bold)
            for cx, word in zip(columns, ("Có", "Không"), strict=True):
                self.text(cx - self.body.getlength(word) / 2, self.y, word, self.body)
            self.y += line_h
            for n, item in enumerate(items):
                self.text(left, self.y, f"({n + 1})  {item}", self.body)
                for cx in columns:
                    top = self.y + (self.body.size - box) // 2 + 2
                    self.draw.rectangle((cx - box / 2, top, cx + box / 2, top + box),
                                        outline="black", width=self.rule)
                self.y += line_h

    def boxed_form(self) -> None:
        """A form of labelled fields, each in its own rectangle, and a grid of small boxes."""
        self.centred("GIẤY ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN", self.title_font)
        self.centred("AN TOÀN THỰC PHẨM", self.title_font)
        self.y += int(0.1 * self.dpi)
        field_h = int(self.body.size * 2.0)
        x0, x1 = self.margin, self.w - self.margin
        for name in FORM_FIELDS:
            if self.y + field_h > self.h - 2.6 * self.dpi:
                break
            self.draw.rectangle((x0, self.y, x1, self.y + field_h), outline="black",
                                width=self.rule)
            label = f"{name}: {self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"
            self.text(x0 + int(0.06 * self.dpi), self.y + field_h // 4, label, self.body)
            self.y += field_h + int(0.06 * self.dpi)
        # a row of single-digit boxes (an identity number written one digit per box)
        self.text(x0, self.y + int(0.05 * self.dpi), "Số định danh cá nhân:", self.body)
        cell = int(0.22 * self.dpi)
        start = x0 + int(self.body.getlength("Số định danh cá nhân:")) + int(0.15 * self.dpi)
        for k in range(12):
            left = start + k * cell
            self.draw.rectangle((left, self.y, left + cell, self.y + cell), outline="black",
                                width=self.rule)
            digit = str(self.rng.randint(0, 9))
            self.draw.text((left + cell * 0.3, self.y + cell * 0.1), digit, font=self.body,
                           fill="black")
        self.y += cell + int(0.2 * self.dpi)

    def sign_off(self, signature: bool, seal: bool) -> None:
        """The signer's block on the right: title, signature scrawl, red seal over the name."""
        cx = self.w - self.margin - 1.6 * self.dpi
        self.y = max(self.y, int(self.h - 1.75 * self.dpi))
        top = self.y
        self.centred("CHI CỤC TRƯỞNG", self.bold, cx)
        name_y = top + int(1.15 * self.dpi)
        name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
        self.y = name_y
        self.centred(name, self.bold, cx)
        if signature:
            _scrawl(self.draw, (int(cx), top + int(0.65 * self.dpi)), self.dpi, self.rng)
        if seal:
            _seal(self.draw, (int(cx - 0.55 * self.dpi), top + int(0.55 * self.dpi)), self.dpi)


def _scrawl(draw: ImageDraw.ImageDraw, centre: tuple[int, int], dpi: float,
            rng: random.Random) -> None:
    """A handwritten-looking signature: a few loops and a long flourish in blue ink."""
    cx, cy = centre
    points = []
    for k in range(60):
        t = k / 59
        x = cx - 0.7 * dpi + 1.4 * dpi * t
        y = cy + 0.18 * dpi * math.sin(t * rng.uniform(14, 20)) * (1 - t / 2)
        points.append((x, y + rng.uniform(-0.02, 0.02) * dpi))
    draw.line(points, fill=SIGN_BLUE, width=max(2, round(dpi / 70)), joint="curve")
    draw.line((cx - 0.8 * dpi, cy + 0.25 * dpi, cx + 0.5 * dpi, cy + 0.1 * dpi),
              fill=SIGN_BLUE, width=max(2, round(dpi / 70)))


def _seal(draw: ImageDraw.ImageDraw, centre: tuple[int, int], dpi: float) -> None:
    """A round red seal with a ring of lettering and a star, stamped over the signer."""
    r = int(0.7 * dpi)
    cx, cy = centre
    for k in range(2):
        rr = r - k * int(0.1 * dpi)
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=RED,
                     width=max(2, round(dpi / 60)))
    letter = font("sans", max(8, int(0.1 * dpi)))
    ring = "CHI CỤC AN TOÀN VỆ SINH THỰC PHẨM * HẬU GIANG *"
    for k, ch in enumerate(ring):
        angle = 2 * math.pi * k / len(ring)
        x = cx + (r - 0.19 * dpi) * math.sin(angle)
        y = cy - (r - 0.19 * dpi) * math.cos(angle)
        draw.text((x, y), ch, font=letter, fill=RED, anchor="mm")
    outer, inner = 0.2 * dpi, 0.08 * dpi
    star = [(cx + (outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
             cy - (outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5))
            for k in range(10)]
    draw.polygon(star, fill=RED)


def _photocopy(img: Image.Image, rng: random.Random) -> Image.Image:
    """A photocopier's grey, uneven background with toner specks, ink kept dark."""
    arr = np.asarray(img, dtype=np.float32)
    h, w = arr.shape[:2]
    across = np.sin(np.arange(w, dtype=np.float32) / w * math.pi * rng.uniform(0.5, 1.5))
    down = np.cos(np.arange(h, dtype=np.float32) / h * 2)
    shade = (195 + 25 * np.outer(down, across)) / 255  # uneven grey, darker at the edges
    paper = arr.min(axis=2, keepdims=True) / 255  # 1 on white paper, 0 under black ink
    out = arr * (1 - paper * (1 - shade[..., None]))
    seeds = np.random.default_rng(rng.randint(0, 2**31))
    count = int(h * w * 0.002)
    out[seeds.integers(0, h, count), seeds.integers(0, w, count)] = 60  # toner specks
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")
