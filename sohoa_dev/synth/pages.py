"""Synthetic scanned pages with known ground truth, for tests, benchmarks and the demo.

A page is rendered from Vietnamese administrative text at a chosen resolution, then put
through what a counter scanner does to paper: skew, a quarter turn, dark borders outside
the sheet, blur, noise and JPEG artefacts. The caller gets the image and the truth (text,
applied angles) so a test can measure what the pipeline recovered.
"""

from __future__ import annotations

import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
)
FONT_FILES = {
    "serif": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf", "NotoSerif-Regular.ttf"),
    "serif-bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "NotoSerif-Bold.ttf"),
    "sans": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf"),
}

HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TITLES = (
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
    "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
    "VĂN BẢN ỦY QUYỀN",
    "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
    "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hạnh", "Hương", "Khánh", "Lan", "Long",
         "Mai", "Nam", "Phúc", "Quỳnh", "Sơn", "Thảo", "Trung", "Tuấn", "Vy", "Yến")
PLACES = ("phường Hưng Dũng, tỉnh Nghệ An", "xã Nghi Phú, tỉnh Nghệ An",
          "phường Bến Thành, Thành phố Hồ Chí Minh", "phường Hoàn Kiếm, thành phố Hà Nội",
          "xã Diễn Châu, tỉnh Nghệ An", "phường Thủy Xuân, thành phố Huế")
SENTENCES = (
    "Kính gửi: Ủy ban nhân dân {place}.",
    "Họ, chữ đệm, tên người yêu cầu: {name}.",
    "Nơi cư trú: số {num} đường Lê Lợi, {place}.",
    "Số định danh cá nhân: {id12}, cấp ngày {date}.",
    "Quan hệ với người được khai sinh: cha đẻ của trẻ.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết hồ sơ theo quy định của pháp luật.",
    "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật.",
    "Ngày, tháng, năm sinh: {date}; giới tính: {sex}; dân tộc: Kinh; quốc tịch: Việt Nam.",
    "Nơi đăng ký thường trú: {place}.",
    "Tên hộ kinh doanh dự kiến: Cửa hàng tạp hóa {given}, ngành nghề bán lẻ lương thực.",
    "Địa điểm kinh doanh: số {num}, tổ dân phố {small}, {place}.",
    "Vốn kinh doanh: {money} đồng (bằng chữ: {money_words}).",
    "Số lượng lao động dự kiến sử dụng: {small} người.",
    "Diện tích xây dựng tầng một là {small}0 mét vuông, tổng diện tích sàn {num} mét vuông.",
    "Chiều cao công trình {small} tầng, cốt nền cao hơn mặt đường 0,{small} mét.",
    "Thời gian dự kiến hoàn thành công trình: tháng {month} năm 2026.",
    "Người được ủy quyền có trách nhiệm thực hiện đúng nội dung được ủy quyền.",
    "Phạm vi ủy quyền: nộp hồ sơ, nhận kết quả và thực hiện các thủ tục liên quan.",
    "Mục đích yêu cầu cấp phiếu: bổ sung hồ sơ xin việc làm tại doanh nghiệp.",
    "Hạng giấy phép lái xe đề nghị đổi: hạng B, số {id12}, có giá trị đến ngày {date}.",
    "Giấy tờ kèm theo gồm bản sao giấy khám sức khỏe và bản sao giấy phép lái xe.",
    "Điện thoại liên hệ: 09{phone}; thư điện tử: {email}@gmail.com.",
    "Trường hợp hồ sơ chưa đầy đủ, đề nghị hướng dẫn bổ sung trong thời hạn quy định.",
    "Kết quả giải quyết thủ tục hành chính xin nhận trực tiếp tại Bộ phận một cửa.",
)
MONEY_WORDS = ("năm mươi triệu", "một trăm triệu", "hai trăm năm mươi triệu", "ba mươi triệu")


@dataclass(frozen=True)
class Scan:
    """How a page went through the scanner; every field defaults to a perfect scan."""

    dpi: int = 300
    skew: float = 0.0
    """Degrees the sheet lay rotated clockwise on the glass (the pipeline's deskew_angle)."""

    turn: int = 0
    """Clockwise quarter turns of the sheet, in degrees (0/90/180/270)."""

    blur: float = 0.0
    """Gaussian blur radius in pixels."""

    noise: float = 0.0
    """Standard deviation of added Gaussian noise, in gray levels."""

    jpeg_quality: int | None = None
    """Re-encode through JPEG at this quality (None: lossless)."""

    dark_border: int = 0
    """Width in pixels of the dark band the lid leaves outside the sheet (left and top)."""

    seal: bool = False
    """Add a red round seal (a page whose colour must be kept)."""


@dataclass(frozen=True)
class SynthPage:
    """A generated page and the truth about it."""

    image: Image.Image
    text: str
    scan: Scan
    lines: tuple[str, ...] = field(default=())

    @property
    def expected_rotation(self) -> int:
        """Clockwise degrees the pipeline must apply to make this page upright."""
        return (360 - self.scan.turn) % 360


def font(kind: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A Vietnamese-capable TrueType font of the given kind from the Debian font packages."""
    for name in FONT_FILES[kind]:
        for folder in FONT_DIRS:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size_px)
    raise FileNotFoundError(f"no {kind} font with Vietnamese glyphs in {FONT_DIRS}")


def vietnamese_lines(rng: random.Random, count: int) -> list[str]:
    """``count`` sentences of plausible form-filling Vietnamese with fake personal data."""
    out = []
    for _ in range(count):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        values = {
            "place": rng.choice(PLACES), "name": name, "given": rng.choice(GIVEN),
            "num": rng.randint(12, 480), "small": rng.randint(2, 9), "month": rng.randint(1, 12),
            "id12": "".join(rng.choice("0123456789") for _ in range(12)),
            "date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2024)}",
            "sex": rng.choice(("Nam", "Nữ")), "money": f"{rng.randint(30, 250)}.000.000",
            "money_words": rng.choice(MONEY_WORDS),
            "phone": "".join(rng.choice("0123456789") for _ in range(8)),
            "email": rng.choice(GIVEN).lower().replace("ơ", "o") + str(rng.randint(10, 99)),
        }
        out.append(rng.choice(SENTENCES).format(**values))
    return out


def _wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if fnt.getlength(trial) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def render_page(seed: int, dpi: int = 300, size_in: tuple[float, float] = (8.27, 11.69),
                sentences: int = 14, title: str | None = None,
                seal: bool = False, font_pt: float = 12.5) -> tuple[Image.Image, tuple[str, ...]]:
    """A clean upright page (mode L, or RGB with a seal) and its text lines in reading order."""
    rng = random.Random(seed)
    w, h = int(size_in[0] * dpi), int(size_in[1] * dpi)
    img = Image.new("RGB" if seal else "L", (w, h), "white")
    draw = ImageDraw.Draw(img)
    pt = dpi / 72
    margin = int(0.8 * dpi)
    body, bold = font("serif", int(font_pt * pt)), font("serif-bold", int((font_pt + 0.5) * pt))
    y = int(0.6 * dpi)
    lines: list[str] = []

    def centred(text: str, fnt: ImageFont.FreeTypeFont) -> None:
        nonlocal y
        draw.text(((w - fnt.getlength(text)) / 2, y), text, font=fnt, fill="black")
        lines.append(text)
        y += int(fnt.size * 1.5)

    for line in HEADER:
        centred(line, bold)
    y += int(0.4 * pt * 12)
    centred(title or rng.choice(TITLES), bold)
    y += int(0.4 * pt * 12)
    bottom = h - margin // 2 - (int(1.4 * dpi) if seal else 0)  # room for the seal
    for sentence in vietnamese_lines(rng, sentences):
        for line in _wrap(sentence, body, w - 2 * margin):
            if y + body.size * 2 > bottom:
                break
            draw.text((margin, y), line, font=body, fill="black")
            lines.append(line)
            y += int(body.size * 1.45)
    if seal:
        _draw_seal(draw, (int(w * 0.7), min(y + int(0.7 * dpi), h - int(0.8 * dpi))), dpi)
    return img, tuple(lines)


def _draw_seal(draw: ImageDraw.ImageDraw, centre: tuple[int, int], dpi: int) -> None:
    r = int(0.6 * dpi)
    cx, cy = centre
    red = (200, 30, 35)
    for k in range(3):
        rr = r - k * int(0.08 * dpi)
        draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=red, width=max(2, dpi // 60))
    outer, inner = 0.22 * dpi, 0.09 * dpi
    points = [(cx + (outer if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
               cy - (outer if k % 2 == 0 else inner) * math.cos(k * math.pi / 5))
              for k in range(10)]
    draw.polygon(points, fill=red)


def degrade(img: Image.Image, scan: Scan, seed: int = 0) -> Image.Image:
    """Put a clean page through the scanner defects described by ``scan``."""
    rng = np.random.default_rng(seed)
    fill = (255, 255, 255) if img.mode == "RGB" else 255
    if scan.skew:
        img = img.rotate(-scan.skew, resample=Image.Resampling.BICUBIC, expand=True,
                         fillcolor=fill)
    if scan.dark_border:
        b = scan.dark_border
        dark = (40, 40, 40) if img.mode == "RGB" else 40
        framed = Image.new(img.mode, (img.width + b, img.height + b), dark)
        framed.paste(img, (b, b))
        img = framed
    if scan.blur:
        img = img.filter(ImageFilter.GaussianBlur(scan.blur))
    if scan.noise:
        arr = np.asarray(img, dtype=np.float32)
        arr = arr + rng.normal(0, scan.noise, arr.shape).astype(np.float32)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), img.mode)
    if scan.turn:
        img = img.rotate(-scan.turn, expand=True)
    if scan.jpeg_quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=scan.jpeg_quality)
        img = Image.open(io.BytesIO(buf.getvalue()))
        img.load()
    return img


def make_page(seed: int, scan: Scan = Scan(), size_in: tuple[float, float] = (8.27, 11.69),
              sentences: int = 14, title: str | None = None, font_pt: float = 12.5) -> SynthPage:
    """Render and degrade one page; ``text`` is the ground truth in reading order."""
    clean, lines = render_page(seed, scan.dpi, size_in, sentences, title, seal=scan.seal,
                               font_pt=font_pt)
    img = degrade(clean, scan, seed)
    img.info["dpi"] = (scan.dpi, scan.dpi)
    return SynthPage(image=img, text="\n".join(lines), scan=scan, lines=lines)


def normalise_text(text: str) -> str:
    """NFC with all whitespace runs folded to one space: the form CER is measured on."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def character_error_rate(truth: str, recognised: str) -> float:
    """Levenshtein distance over the truth's length, after :func:`normalise_text`."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = normalise_text(truth), normalise_text(recognised)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def save_scan(page: SynthPage, path: Path, quality: int = 90) -> Path:
    """Write the page as the scanner would (JPEG/PNG/TIFF by suffix), recording its dpi."""
    kwargs: dict = {"dpi": (page.scan.dpi, page.scan.dpi)}
    if path.suffix.lower() in {".jpg", ".jpeg"}:
        kwargs["quality"] = quality
    page.image.save(path, **kwargs)
    return path
