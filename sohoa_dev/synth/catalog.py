"""Papers for any checklist item of the national catalog, printed as real forms print them.

For procedures no one wrote a template for: the item's name becomes the paper's title the way
offices print it — upper case, qualifiers and "theo mẫu …" already dropped by the catalog
parser, parentheses left out, long titles wrapped on two lines, and for some papers shortened
("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP" for a long name) or reworded ("VĂN BẢN ĐỀ NGHỊ" for "Đơn đề
nghị") — under the national motto, with a form number at the top when the item has one,
personal fields, a declaration and a signature. Layout and text come from the same form
renderer as the hand-written templates (:mod:`sohoa_dev.synth.forms`).
"""

from __future__ import annotations

import random
import re

from sohoa.domain.procedures import ChecklistItem
from sohoa.search.textfold import fold
from sohoa_dev.synth.forms import Filled, render_form
from sohoa_dev.synth.templates import Template

SHORT_CUTS = (",", " của ", " về ", " đối với ", " cho ", " do ", " theo ", " trong ",
              " kèm theo ", " tại ")
SYNONYMS = (("văn bản đề nghị", "đơn đề nghị"), ("đơn đề nghị", "văn bản đề nghị"),
            ("giấy đề nghị", "đơn đề nghị"), ("tờ khai", "bản khai"),
            ("báo cáo", "bản báo cáo"), ("danh sách", "bảng danh sách"),
            ("bản sao", ""), ("văn bản", "công văn"), ("đơn", "đơn xin"))
WRAP = 48
BODY = (
    "Họ và tên: {NAME}    Giới tính: {sex}",
    "Sinh ngày: {birth}    Số định danh cá nhân: {id12}",
    "Nơi cư trú: {residence}",
    "Số điện thoại liên hệ: {phone}",
    "Nội dung: [[đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định|kê khai các "
    "thông tin theo yêu cầu của thủ tục|trình bày các nội dung có liên quan như sau]].",
    "1. Thông tin chung: [[đầy đủ, chính xác|theo hồ sơ kèm theo]]; ngày {date}.",
    "2. Địa chỉ liên hệ: {residence}.",
    "Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật và chịu trách nhiệm trước "
    "pháp luật.",
)
MORE = (
    "3. Các nội dung khác có liên quan: [[không có|như phụ lục kèm theo]].",
    "4. Hồ sơ gửi kèm theo gồm các giấy tờ theo quy định của thủ tục.",
    "5. Thời gian thực hiện: từ ngày {date}.",
)
SIGNERS = ("NGƯỜI ĐỀ NGHỊ", "NGƯỜI KHAI", "NGƯỜI LÀM ĐƠN", "ĐẠI DIỆN TỔ CHỨC", "NGƯỜI LẬP")


def printed_title(name: str, rng: random.Random, avoid: frozenset[str] | set[str] = frozenset()
                  ) -> tuple[str, str]:
    """(the title as printed, how it was made: "full", "short" or "reworded"); a shortened or
    reworded title that would be the name of another paper (``avoid``, folded) stays full."""
    base = re.sub(r"\s*\([^)]*\)", "", name).strip(" .;:,")
    how, roll = "full", rng.random()
    if roll < 0.2:
        cut = min((base.find(c) for c in SHORT_CUTS if base.find(c) > 0), default=-1)
        if cut > 0 and len(base[:cut].split()) >= 3:
            base, how = base[:cut], "short"
    elif roll < 0.35:
        lowered = base[0].lower() + base[1:]
        for old, new in SYNONYMS:
            if lowered.lower().startswith(old):
                base, how = (new + lowered[len(old):]).strip(), "reworded"
                break
    if how != "full" and any(fold(base) in other or fold(base).startswith(other)
                             for other in avoid):
        base, how = re.sub(r"\s*\([^)]*\)", "", name).strip(" .;:,"), "full"
    return _wrap(base.upper()), how


def _wrap(title: str) -> str:
    """Long titles go on two centred lines, as printed."""
    if len(title) <= WRAP:
        return title
    cut = title.rfind(" ", 0, len(title) // 2 + 8)
    return f"{title[:cut]}\n{title[cut + 1:]}" if cut > 0 else title


def item_template(item: ChecklistItem, rng: random.Random,
                  avoid: frozenset[str] | set[str] = frozenset()) -> tuple[Template, str]:
    """A one-off template for the item's paper, and how its title was made."""
    title, how = printed_title(item.name, rng, avoid)
    form = item.form if item.form and item.form.startswith("Mẫu số") else ""
    template = Template(code="khac", titles=(title,), forms=(form,), header="national",
                        body=BODY, more=MORE, pages=(1, 2), sign=(rng.choice(SIGNERS),))
    return template, how


def render_item(item: ChecklistItem, seed: int, dpi: int = 150, pages: int | None = None,
                avoid: frozenset[str] | set[str] = frozenset()
                ) -> tuple[list[Filled], str, str]:
    """The pages of a paper for ``item`` (its text is ``page.sheet.lines``; the image is
    drawn only when asked for), its printed title (one line) and how it was made."""
    rng = random.Random(f"catalog/{item.id}/{seed}")
    template, how = item_template(item, rng, avoid)
    count = pages or rng.choice((1, 1, 1, 2))
    filled = render_form(template, rng, dpi, count)
    return filled, template.titles[0].replace("\n", " "), how
