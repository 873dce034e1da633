"""Text normalisation for classification: fold Vietnamese to plain ASCII-ish lowercase and
undo the OCR confusions that matter for titles; plus the plain-text cues of a page (its
printed page number, how its first line reads).

Titles are matched on folded text so that a scan OCR'd without diacritics, a clerk typing
"to khai khai sinh" and Tesseract's "TỜ KHAl ĐĂNG KÝ KHAl SINH" all meet the same pattern.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛`´′"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹣－"} | {c: "/" for c in "⁄∕／"})
_D = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ɖ": "d", "Ɖ": "D"})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_DIGIT_AS_LETTER = str.maketrans({"0": "o", "1": "i", "5": "s"})


def fold(text: str) -> str:
    """Lowercase, no diacritics, đ→d, one space between words, quotes, dashes and slashes
    unified (Tesseract reads "Trang 3/3" as "Trang 3⁄3" with a fraction slash).

    Glyph confusions typical of Tesseract on uppercase titles are undone first ("KHAl" →
    "KHAI", "SlNH" → "SINH", "G1AY" → "GIAY"), because they would otherwise cost a title
    match a whole letter.
    """
    return _SPACES.sub(" ", _strip_marks(repair_ocr(text)).lower()).strip()


def fold_lines(text: str) -> list[str]:
    """:func:`fold` per line, keeping the line structure that title matching relies on."""
    return [fold(line) for line in text.splitlines()]


def head(text: str, lines: int = 15) -> str:
    """The first ``lines`` non-blank lines, unfolded: the part of a page where titles are."""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(kept[:lines])


def repair_ocr(text: str) -> str:
    """Undo letter/digit confusions inside words, keeping everything else as it is."""
    return _WORD.sub(lambda m: _repair_word(m.group()), text)


def uppercase_share(text: str) -> float:
    """Share of cased letters that are uppercase (0 when there are none): titles are ~1."""
    cased = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    if not cased:
        return 0.0
    return sum(c.isupper() for c in cased) / len(cased)


def _repair_word(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return word
    upper = sum(c.isupper() for c in letters)
    if "l" in word and upper == len(letters) - word.count("l") and upper >= 2:
        word = word.replace("l", "I")  # "KHAl": a lowercase l inside an uppercase word
    if any(c.isdigit() for c in word) and all(c in "015" for c in word if c.isdigit()):
        digits = sum(c.isdigit() for c in word)
        if digits == 1 and len(word) >= 4:  # "G1AY", "CH0NG"; never "B2", "11", "0912"
            word = word.translate(_DIGIT_AS_LETTER)
            word = word.upper() if upper else word
    return word


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_QUOTES).translate(_DASHES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_D)


# --- page-level cues --------------------------------------------------------------------

_PAGE_OF = re.compile(r"\b(?:trang|page|tr\.)\s*(\d{1,3})\s*(?:/|tren|of|trong)\s*(\d{1,3})\b")
_PAGE_DASHED = re.compile(r"^-\s*(\d{1,3})\s*-$")
_PAGE_FRACTION = re.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})$")
_SHEET_OF = re.compile(r"\bto\s*:\s*(\d{1,3})\s*/\s*(\d{1,3})\b")
_PAGE_ALONE = re.compile(r"^(?:trang|page)\s*(\d{1,3})$")
EDGE_LINES = 3
"""Page numbers are printed in this many lines at the very top or bottom."""


def page_number(text: str) -> tuple[int, int] | None:
    """(n, total) from "Trang 2/3", "Trang 2 / 3", "Page 2 of 3", "2/3" at the top or bottom
    of the page; (n, 0) when only n is printed ("- 2 -", "Trang 2"): total unknown."""
    lines = [fold(line) for line in text.splitlines() if line.strip()]
    edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > EDGE_LINES else lines
    for line in edges:
        found = _page_in_line(line)
        if found:
            return found
    for line in lines:  # a drawing's title block: "TỜ: 2/3" (sheet 2 of 3), anywhere
        m = _SHEET_OF.search(line)
        if m and 1 <= int(m[1]) <= int(m[2]) <= 500:
            return int(m[1]), int(m[2])
    return None


def sheet_numbered(text: str) -> bool:
    """The page is numbered as a drawing's sheet ("TỜ: 2/3" in a title block), not as a page
    of a text: sheet numbers say nothing about the paper before."""
    lines = [fold(line) for line in text.splitlines() if line.strip()]
    edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > EDGE_LINES else lines
    return (not any(_page_in_line(line) for line in edges)
            and any(_SHEET_OF.search(line) for line in lines))


def _page_in_line(line: str) -> tuple[int, int] | None:
    m = _PAGE_OF.search(line)
    if m and 1 <= int(m[1]) <= int(m[2]) <= 500:
        return int(m[1]), int(m[2])
    m = _PAGE_FRACTION.match(line)
    if m and 1 <= int(m[1]) <= int(m[2]) <= 200:
        return int(m[1]), int(m[2])
    m = _PAGE_DASHED.match(line) or _PAGE_ALONE.match(line)
    if m and int(m[1]) >= 1:
        return int(m[1]), 0
    return None


_SECTION = re.compile(r"^(?:[ivxlc]+[.)]|\d+(?:\.\d+)*[.)/]?\s|[a-zđ][.)]\s|[-+*•·]|"
                      r"(?:chuong|dieu|phan|muc|khoan)\s+[\divxlc]+\b)")
"""A section word opens a section only with its number: "Mục II", "Điều 5" — "MỤC LỤC" (a
table of contents) and "ĐIỀU LỆ" (a charter) are titles, their "L" no roman numeral."""


def opens_mid_text(line: str) -> bool:
    """The page's first line continues something: lowercase start, a list item, a section
    ("3. Nơi cư trú", "b)", "II.", "Điều 5", "Chương II") — not how a paper begins."""
    stripped = line.strip()
    if not stripped:
        return False
    first = stripped[0]
    return first.islower() or first in ",;.)…" or bool(_SECTION.match(fold(stripped) + " "))


def title_like(line: str) -> bool:
    """An uppercase, unnumbered heading of several words: how the first page of a paper (or a
    newspaper's masthead) looks, unlike a continuation page."""
    words = line.split()
    letters = sum(c.isalpha() for c in line)
    return (len(words) >= 2 and letters >= 8 and uppercase_share(line) >= 0.8
            and not opens_mid_text(line) and not line.rstrip().endswith(":")
            and not garbled(line))


GARBLED_LETTERS = 2.0
"""Fewer letters than this per word (numbers aside) is not a line of Vietnamese: its
syllables run 3-4 letters ("TỜ KHAI" 3.0, "MẸ," 2.0), while a column of list numbers that
Tesseract reads across ("4. 5. 3." → "Ơ + U Ớ > U ƠI Đ> Ú Ơi", "GŒ ƠI Š CÓ ƠI C2 ƠI đề Gò")
gives 1-1.8."""
_NUMBER = re.compile(r"^[^\w]*\d[\d\W_]*$")


def garbled(line: str) -> bool:
    """A line of stray marks OCR made of a rule, a stamp or a column of numbers: no title,
    and no part of one."""
    words = [word for word in line.split() if not _NUMBER.match(word)]
    if not words:
        return False  # numbers only: a date, a page number — judged elsewhere
    return sum(c.isalpha() for c in line) / len(words) < GARBLED_LETTERS


_ITEM = re.compile(r"^(?:dieu \d+\b|chuong [ivxlc\d]+\b|\d{1,2}(?:\.\d{1,2})*[.)] |"
                   r"[a-z]\) |[ivx]{1,4}\. |[a-z][^:.;!?]{1,40}: |[.)] [a-z])")
"""The last choice is an item whose number Tesseract read apart, as a column of its own
(". Hồ sơ gửi kèm theo…" under a stray line made of "4. 5. 3.")."""


_BULLET = re.compile(r"^[-+*•]\s*[^\W_]")
FOOT_LINES = 8
"""How many of the last lines of the page before are looked at for a list item or a table
row: its foot, which the quick look reads."""
TABLE_ROWS = 2
"""This many of a page's first lines cut by a ruling make its top a table's rows."""


def list_goes_on(text: str, before_text: str) -> bool:
    """The page opens with a bulleted item ("- ", "+ ", "* ") and the page before ended in
    such a list: an official plan's or report's tasks running over the page. Dialogue from a
    novel opens with a dash as well, but does not follow a list."""
    mine = [line.strip() for line in text.splitlines() if line.strip()][:1]
    theirs = [line.strip() for line in before_text.splitlines() if line.strip()][-FOOT_LINES:]
    return bool(mine) and _bulleted(mine[0]) and any(_bulleted(line) for line in theirs)


def table_goes_on(text: str, before_text: str) -> bool:
    """The page opens with table rows (lines the OCR cut with a ruling, "|") and the page
    before ended in one: a budget table or a staff list running over the page, no title."""
    mine = [line for line in text.splitlines() if line.strip()][:12]
    theirs = [line for line in before_text.splitlines() if line.strip()][-FOOT_LINES:]
    return sum("|" in line for line in mine) >= TABLE_ROWS and any("|" in line for line in theirs)


def _bulleted(line: str) -> bool:
    """A list item ("- Kiểm tra…", "+ 100% cán bộ…"), not a page number ("- 2 -")."""
    return bool(_BULLET.match(line)) and not _stray(line)


def structured_lines(text: str, lines: int = 20) -> int:
    """How many of the first ``lines`` lines open a numbered item, an article or a labelled
    field ("8. Người đại diện", "Điều 7.", "b)", "II.", "Khu sơ chế: ..."): the body of a form
    or a charter — news and letters are running prose."""
    kept = [fold(line) + " " for line in text.splitlines() if line.strip()][:lines]
    return sum(bool(_ITEM.match(line)) for line in kept)


_SENTENCE_END = ".!?:;)\"'…"
WIDE_LINE = 20
"""Lines shorter than this many characters (headings, labels, page numbers) say nothing
about the width of a page's text block."""


def ends_mid_sentence(text: str) -> bool:
    """The page's last line stops without closing punctuation, on a word: its sentence goes
    on overleaf (a page number or specks at the foot are skipped)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while lines and (page_number(lines[-1]) is not None or _stray(lines[-1])):
        lines.pop()
    if not lines or len(lines[-1]) < WIDE_LINE:
        return False
    return lines[-1][-1] not in _SENTENCE_END and lines[-1][-1].isalnum()


STRAY_LETTERS = 3
"""A line with fewer letters than this at a page's foot is a bare page number ("9", "12") or
specks read as text ("v3", "ct"): the sentence above it is where the page's text ends."""


def _stray(line: str) -> bool:
    return sum(c.isalpha() for c in line) < STRAY_LETTERS


def line_width(text: str, least: int = 3) -> float | None:
    """The median length of the page's text lines, in characters — how wide its text block
    runs between the margins, as the OCR sees it; None with fewer than ``least`` such lines."""
    widths = sorted(len(line.strip()) for line in text.splitlines()
                    if len(line.strip()) >= WIDE_LINE)
    if len(widths) < least:
        return None
    return float(widths[len(widths) // 2])
