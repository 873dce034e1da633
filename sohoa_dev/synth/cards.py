"""Photocopies of ID cards and driving licences: front and back of a card on one A4 sheet.

What a citizen hands in as "bản sao căn cước": both sides of a credit-card-sized card
(85.6 × 54 mm) copied in gray onto A4, often enlarged, sometimes certified with a stamp. The
chip ID card's QR carries ``id12|old_id9|name|DDMMYYYY|sex|residence|DDMMYYYY`` (the 2021
CCCD prints it on the front, the 2024 "căn cước" on the back) — the strongest evidence the
classifier gets, so it is drawn as a real, decodable QR.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw

from sohoa.pipeline.classify.qr import encode_qr
from sohoa_dev.synth.fake import fake_values
from sohoa_dev.synth.layout import A4_IN, INK, face

CARD_MM = (85.6, 53.98)
SANS = ("LiberationSans", "DejaVuSans", "NotoSans")


@dataclass
class Card:
    """One side of a card being drawn, in millimetres of the card, at the page's resolution."""

    img: Image.Image
    draw: ImageDraw.ImageDraw
    px_per_mm: float
    family: str
    lines: list[str]

    @classmethod
    def new(cls, dpi: int, scale: float, family: str, tone: int) -> Card:
        ppm = dpi * scale / 25.4
        img = Image.new("L", (round(CARD_MM[0] * ppm), round(CARD_MM[1] * ppm)), tone)
        draw = ImageDraw.Draw(img)
        draw.rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius=round(3 * ppm),
                               outline=70, width=max(2, round(0.3 * ppm)))
        return cls(img, draw, ppm, family, [])

    def text(self, x: float, y: float, text: str, pt: float, bold: bool = False,
             centre: bool = False, fill: int = 25) -> None:
        fnt = face(self.family, round(pt * self.px_per_mm * 25.4 / 72), bold)
        width = fnt.getlength(text)
        left = x * self.px_per_mm - (width / 2 if centre else 0)
        self.draw.text((left, y * self.px_per_mm), text, font=fnt, fill=fill)
        self.lines.append(text)

    def box(self, x0: float, y0: float, x1: float, y1: float, fill: int | None = None) -> None:
        p = self.px_per_mm
        self.draw.rectangle((x0 * p, y0 * p, x1 * p, y1 * p), outline=60, fill=fill,
                            width=max(1, round(0.25 * p)))

    def photo(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A portrait as a copier renders it: a dark head and shoulders on a light ground."""
        p = self.px_per_mm
        self.box(x0, y0, x1, y1, fill=200)
        cx, w = (x0 + x1) / 2, x1 - x0
        self.draw.ellipse(((cx - w * 0.22) * p, (y0 + 3) * p, (cx + w * 0.22) * p,
                           (y0 + 3 + w * 0.6) * p), fill=95)
        self.draw.ellipse(((x0 + 1) * p, (y1 - w * 0.45) * p, (x1 - 1) * p, (y1 + w * 0.3) * p),
                          fill=80)

    def qr(self, x: float, y: float, side_mm: float, payload: str) -> None:
        tile = Image.fromarray(encode_qr(payload, module_px=1))
        side = round(side_mm * self.px_per_mm)
        self.img.paste(tile.resize((side, side), Image.Resampling.NEAREST),
                       (round(x * self.px_per_mm), round(y * self.px_per_mm)))

    def emblem(self, x: float, y: float, r: float) -> None:
        p = self.px_per_mm
        self.draw.ellipse(((x - r) * p, (y - r) * p, (x + r) * p, (y + r) * p), fill=120,
                          outline=60)

    def scribble(self, x: float, y: float, rng: random.Random) -> None:
        p = self.px_per_mm
        points = [((x + k * 0.6) * p, (y + rng.uniform(-1.5, 1.5)) * p) for k in range(18)]
        self.draw.line(points, fill=40, width=max(1, round(0.3 * p)))


def cccd_payload(v: dict[str, str], extra: bool = False) -> str:
    """The QR text of a chip ID card; newer cards may add trailing fields."""
    fields = [v["id12"], v["old_id9"], v["name"], v["birth_compact"], v["sex"], v["residence"],
              v["issued"].replace("/", "")]
    if extra:
        fields.append(v["expiry"].replace("/", ""))
    return "|".join(fields)


def _header(card: Card, centre: float, english: bool) -> None:
    card.text(centre, 2.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5.6, True, True)
    card.text(centre, 5.4, "Độc lập - Tự do - Hạnh phúc", 5.6, True, True)
    if english:
        card.text(centre, 8.3, "SOCIALIST REPUBLIC OF VIET NAM", 4.6, False, True)
        card.text(centre, 10.5, "Independence - Freedom - Happiness", 4.6, False, True)


def _mrz(card: Card, v: dict[str, str], y: float) -> None:
    """The three machine-readable lines at the bottom of the back (ICAO 9303 TD1 shape)."""
    surname, *rest = _ascii(v["NAME"]).split()
    sex = "M" if v["sex"] == "Nam" else "F"
    born = v["birth"][-2:] + v["birth"][3:5] + v["birth"][:2]
    lines = (f"IDVNM{v['id12'][3:]}{v['id12'][-1]}{v['id12']}<<4",
             f"{born}1{sex}3512316VNM<<<<<<<<<<<8",
             f"{surname}<<{'<'.join(rest)}".ljust(30, "<")[:30])
    for k, line in enumerate(lines):
        card.text(3, y + k * 4.2, line, 7.2, False, fill=30)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c)
                   != "Mn")


# A card side is data: drawing steps in card millimetres. ("t", x, y, text, pt, bold,
# centred) prints a line (``{key}`` from fake_values, ``{mark}`` an identifying mark);
# ("photo"|"box", x0, y0, x1, y1), ("qr", x, y, smallest, largest side mm), ("emblem", x, y,
# r), ("header", centre x, english?), ("sign", x, y), ("mrz", y); a box may end with a fill.
Side = tuple[tuple, ...]

CCCD_2021: tuple[Side, Side] = ((
    ("emblem", 9, 9, 6), ("header", 42, True), ("qr", 67, 2.5, 15, 17),
    ("t", 42, 14.5, "CĂN CƯỚC CÔNG DÂN", 9.5, True, True),
    ("t", 42, 19, "Citizen Identity Card", 5, False, True), ("photo", 3, 22, 21, 45),
    ("t", 3, 47.5, "Có giá trị đến: {expiry}", 4.4, False, False),
    ("t", 23, 23, "Số / No.: {id12}", 8, True, False),
    ("t", 23, 27.5, "Họ và tên / Full name:", 5, False, False),
    ("t", 23, 30.3, "{NAME}", 7.5, True, False),
    ("t", 23, 34.3, "Ngày sinh / Date of birth: {birth}", 5, False, False),
    ("t", 23, 37.3, "Giới tính / Sex: {sex}   Quốc tịch / Nationality: Việt Nam", 5, False,
     False),
    ("t", 23, 40.3, "Quê quán / Place of origin:", 5, False, False),
    ("t", 23, 42.8, "{origin}", 5.5, True, False),
    ("t", 23, 45.8, "Nơi thường trú / Place of residence:", 5, False, False),
    ("t", 23, 48.6, "{residence}", 5.2, True, False),
), (
    ("box", 5, 6, 17, 16, 150),
    ("t", 21, 3, "Đặc điểm nhân dạng / Personal identification:", 4.4, False, False),
    ("t", 21, 6.3, "{mark}", 5, True, False),
    ("t", 21, 10.5, "Ngày, tháng, năm / Date, month, year: {issued}", 4.4, False, False),
    ("t", 38, 14.5, "CỤC TRƯỞNG CỤC CẢNH SÁT", 5.2, True, True),
    ("t", 38, 17.3, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 5.2, True, True),
    ("sign", 30, 23), ("t", 38, 26.5, "{b_name}", 5.5, True, True),
    ("box", 64, 4, 73, 20, 190), ("t", 68.5, 20.8, "Ngón trỏ trái", 3.6, False, True),
    ("box", 74.5, 4, 83.5, 20, 190), ("t", 79, 20.8, "Ngón trỏ phải", 3.6, False, True),
    ("mrz", 36),
))
"""The 2021 chip "CĂN CƯỚC CÔNG DÂN": QR on the front, top right."""

CCCD_2024: tuple[Side, Side] = ((
    ("emblem", 9, 9, 6), ("header", 48, True),
    ("t", 48, 14, "CĂN CƯỚC", 11, True, True), ("t", 48, 19, "IDENTITY CARD", 5.5, False, True),
    ("photo", 3, 22, 21, 47),
    ("t", 24, 23, "Số định danh cá nhân / Personal identification number:", 4.6, False, False),
    ("t", 24, 26, "{id12}", 8, True, False),
    ("t", 24, 30.5, "Họ, chữ đệm và tên khai sinh / Full name:", 4.6, False, False),
    ("t", 24, 33.2, "{NAME}", 7.5, True, False),
    ("t", 24, 37.5, "Ngày, tháng, năm sinh / Date of birth: {birth}", 5, False, False),
    ("t", 24, 41, "Giới tính / Sex: {sex}   Quốc tịch / Nationality: Việt Nam", 5, False,
     False),
), (
    ("qr", 2.5, 2.5, 16, 19),
    ("t", 23, 3, "Nơi cư trú / Place of residence:", 4.8, False, False),
    ("t", 23, 6, "{residence}", 5.2, True, False),
    ("t", 23, 10, "Nơi đăng ký khai sinh / Place of birth:", 4.8, False, False),
    ("t", 23, 13, "{origin}", 5.2, True, False),
    ("t", 23, 17, "Ngày, tháng, năm cấp / Date of issue: {issued}", 4.8, False, False),
    ("t", 23, 20, "Ngày, tháng, năm hết hạn / Date of expiry: {expiry}", 4.8, False, False),
    ("t", 60, 24.5, "BỘ CÔNG AN", 5.5, True, True),
    ("t", 60, 27.5, "MINISTRY OF PUBLIC SECURITY", 4.5, False, True), ("mrz", 36),
))
"""The 2024 "CĂN CƯỚC": QR and residence on the back."""

CLASSES = (("A1", "Xe mô tô hai bánh có dung tích xi-lanh từ 50 cm3 đến dưới 175 cm3"),
           ("A2", "Xe mô tô hai bánh có dung tích xi-lanh từ 175 cm3 trở lên"),
           ("B1", "Ô tô chở người đến 9 chỗ ngồi, không kinh doanh vận tải"),
           ("B2", "Ô tô chở người đến 9 chỗ ngồi, ô tô tải dưới 3.500 kg"),
           ("C", "Ô tô tải, máy kéo có trọng tải từ 3.500 kg trở lên"),
           ("D", "Ô tô chở người từ 10 đến 30 chỗ ngồi"))

LICENCE: tuple[Side, Side] = ((
    ("emblem", 8, 8, 5), ("header", 46, False),
    ("t", 46, 9, "GIẤY PHÉP LÁI XE / DRIVER'S LICENSE", 7.5, True, True),
    ("t", 46, 13, "Số/No: {licence_no}", 6.5, True, True), ("photo", 3, 17, 20, 40),
    ("t", 22, 17, "Họ tên/Full name: {NAME}", 5.5, True, False),
    ("t", 22, 21, "Ngày sinh/Date of Birth: {birth}", 5, False, False),
    ("t", 22, 24.5, "Quốc tịch/Nationality: VIỆT NAM", 5, False, False),
    ("t", 22, 28, "Nơi cư trú/Address: {residence}", 4.4, False, False),
    ("t", 22, 32, "Hạng/Class: {licence_class}", 6.5, True, False),
    ("t", 22, 36, "Có giá trị đến/Expires: {expiry}", 5, False, False),
    ("t", 58, 40, "{city}, ngày {issued}", 4.6, False, True),
    ("t", 58, 43, "GIÁM ĐỐC SỞ GIAO THÔNG VẬN TẢI", 4.8, True, True),
    ("sign", 52, 47), ("t", 58, 49.5, "{b_name}", 5, True, True),
), (
    ("t", 43, 2.5, "CÁC LOẠI XE CƠ GIỚI ĐƯỜNG BỘ ĐƯỢC ĐIỀU KHIỂN", 5.6, True, True),
    ("t", 43, 5.5, "CLASS OF MOTOR VEHICLES", 4.6, False, True),
    *((step for k, (code, text) in enumerate(CLASSES) for step in (
        ("box", 3, 8.7 + k * 5.4, 82, 14.1 + k * 5.4),
        ("t", 4.5, 9.5 + k * 5.4, code, 6, True, False),
        ("t", 13, 10 + k * 5.4, text, 4.6, False, False)))),
    ("t", 4, 43, "Ngày trúng tuyển/Beginning date: {issued}", 5, False, False),
    ("t", 4, 47, "Hạng/Class: {licence_class}   Có giá trị đến/Expires: {expiry}", 5, False,
     False),
))
"""The PET card driving licence: holder on the front, the class table on the back."""

MARKS = ("Nốt ruồi C:1cm trên sau mép phải", "Sẹo chấm C:2cm dưới trước đuôi mắt trái")


def draw_side(side: Side, card: Card, v: dict[str, str], rng: random.Random,
              payload: str) -> Card:
    """Carry out a side's drawing steps on a blank card."""
    for kind, *a in side:
        if kind == "t":
            x, y, text, pt, bold, centre = a
            card.text(x, y, text.format(**v), pt, bold, centre, fill=10 if pt > 9 else 25)
        elif kind == "qr":
            card.qr(a[0], a[1], rng.uniform(a[2], a[3]), payload)
        elif kind == "header":
            _header(card, *a)
        elif kind == "sign":
            card.scribble(a[0], a[1], rng)
        elif kind == "mrz":
            _mrz(card, v, a[0])
        else:
            {"emblem": card.emblem, "photo": card.photo, "box": card.box}[kind](*a)
    return card


CERTIFY = ("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH", "Số chứng thực: {num}   Quyển số: 0{small}/"
           "{y}-SCT/BS", "Ngày {day} tháng {month} năm {y}")


@dataclass(frozen=True)
class CardCopy:
    image: Image.Image
    lines: list[str]
    payloads: tuple[str, ...]
    """QR payloads printed on the copy."""

    title: str
    kind: str
    """"cccd_2021", "cccd_2024" or "gplx_pet"."""


def copy_page(doc_type: str, seed: int, dpi: int) -> CardCopy:
    """An A4 photocopy of both sides of a card, with its text lines and QR payloads."""
    rng = random.Random(seed)
    v = fake_values(rng)
    scale = rng.choice((1.0, 1.0, 1.2, 1.4))
    family = rng.choice(SANS)
    payloads: tuple[str, ...] = ()
    if doc_type == "can_cuoc":
        newer = rng.random() < 0.4
        payloads = (cccd_payload(v, extra=newer and rng.random() < 0.5),)
        sides, kind, title = ((CCCD_2024, "cccd_2024", "CĂN CƯỚC") if newer
                              else (CCCD_2021, "cccd_2021", "CĂN CƯỚC CÔNG DÂN"))
    else:
        sides, kind, title = LICENCE, "gplx_pet", "GIẤY PHÉP LÁI XE"
    v = {**v, "mark": rng.choice(MARKS)}
    front, back = (draw_side(side, Card.new(dpi, scale, family, rng.randint(222, 242)), v, rng,
                             payloads[0] if payloads else "") for side in sides)
    page = Image.new("RGB", tuple(round(x * dpi) for x in A4_IN), "white")
    x = round(rng.uniform(0.8, page.width / dpi - front.img.width / dpi - 0.6) * dpi)
    y = round(rng.uniform(0.6, 1.4) * dpi)
    for card in (front, back):
        page.paste(card.img.convert("RGB"), (x, y))
        y += card.img.height + round(rng.uniform(0.3, 1.0) * dpi)
    lines = front.lines + back.lines
    if rng.random() < 0.4:
        lines += _certify(page, rng, v, dpi, y)
        return CardCopy(page, lines, payloads, title, kind)
    return CardCopy(page.convert("L"), lines, payloads, title, kind)


def _certify(page: Image.Image, rng: random.Random, v: dict[str, str], dpi: int, y: int
             ) -> list[str]:
    """The commune's "certified true copy" stamp in violet ink, with a signature and seal."""
    from sohoa_dev.synth.pages import _draw_seal

    draw = ImageDraw.Draw(page)
    ink = (90, 40, 140)
    fnt = face("LiberationSerif", round(11 * dpi / 72), bold=True)
    x0 = round(rng.uniform(0.9, 3.5) * dpi)
    y = min(y, page.height - round(2.6 * dpi))
    lines = [t.format(**v) for t in CERTIFY]
    draw.rectangle((x0 - 10, y - 10, x0 + round(4.2 * dpi), y + round(0.75 * dpi)),
                   outline=ink, width=max(2, dpi // 100))
    for k, text in enumerate(lines):
        draw.text((x0, y + k * round(0.24 * dpi)), text, font=fnt, fill=ink)
    _draw_seal(draw, (x0 + round(3 * dpi), y + round(1.5 * dpi)), dpi)
    draw.text((x0 + round(2.4 * dpi), y + round(2.2 * dpi)), v["b_name"], font=fnt, fill=INK)
    return lines + [v["b_name"]]
