"""From the rows of a published checklist to checklist items.

Both sources (the portal's flattened table, the LayThuTuc structured form) come down to
:class:`RawRow` values — the section they sit in, the row's text, its form, its counts — and
are read here the same way:

- the **section** says whether rows are handed in ("Giấy tờ phải nộp"), only shown
  ("Giấy tờ phải xuất trình"), notes ("Lưu ý"), or belong to a case ("a) Trường hợp …");
  two or more cases are alternatives (the verdict picks the one the dossier fits), an
  "ủy quyền" case or a single case beside the main list adds conditional items;
- a row with no bản chính and no bản sao is a **note**, not a document;
- the **name** is the row without its enumerator, its qualifiers ("Bản sao có chứng thực",
  "02 (hai)"), its form clause ("theo Mẫu số 09 …") and its explanations;
- "(nếu có)", "Trường hợp … thì phải có …" make it **conditional**, with the condition;
- "; trường hợp không có X thì nộp Y", "A hoặc B", "A/B/C", "Một trong các giấy tờ sau"
  give **alternatives**;
- the **form** is its number ("Mẫu số 09", "Mẫu 01/TK-…", "(NA20)") with where it is
  published ("Phụ lục II Nghị định số 121/2021/NĐ-CP") or its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sohoa.domain.catalog import report as why
from sohoa.domain.catalog.common import common_types
from sohoa.domain.catalog.words import fold, nfc, shorten, slug
from sohoa.domain.doctypes import item_type
from sohoa.domain.procedures import Requirement

NAME_LIMIT = 200
"""Longer names are cut at a word (the receipt prints them); the full row stays in ``text``."""
FLAG_LIMIT = 300
"""A name still longer than this before cutting is flagged: its end was not found."""


@dataclass(frozen=True)
class RawRow:
    """One row of a published checklist, before it is understood."""

    section: str
    """The heading of the part of the table the row sits in ("" for the main list)."""
    text: str
    originals: int
    copies: int
    form_name: str | None = None
    """The form column, when the source keeps it apart (LayThuTuc TENMAUDON)."""
    form_url: str | None = None


@dataclass
class Checklist:
    """What the rows of one procedure say: items (as dicts for ChecklistItem), cases, notes,
    and the flags raised on the way."""

    items: list[dict[str, Any]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flags: list[why.Flag] = field(default_factory=list)


# --- sections --------------------------------------------------------------------------------

_ENUMERATOR = re.compile(
    r"^(?:[-+•*–]+\s*|\((?:[ivx]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\)\s*"
    r"|(?:[ivx]{1,4}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+|\d{1,2}\)\s*)+", re.IGNORECASE)
_MAIN_SECTION = re.compile(
    r"^(?:|thanh phan ho so.*|bao gom.*|(?:cac )?giay to phai nop.*|ho so gom.*"
    r"|ho so bao gom.*|ho so de nghi.*gom.*)$")
_NOTE_HEADING = re.compile(r"^(?:so luong\b|ghi chu\b|chu y\b|phieu (?:nay|duoc tao lap|duoc in)\b"
                           r"|bieu mau nay\b|mau nay\b)")
"""How a note between two tables begins — the number of sets ("Số lượng hồ sơ: 01 bộ"), a
remark on the form above ("Phiếu được tạo lập khi trích xuất thông tin …"): the portal's
flattening puts it where a case's heading would be; the rows after it are the main list."""
_SET_COUNT = re.compile(r"^\d{1,2}\s*(?:\(\w+\)\s*)?bo(?:\s+(?:goc|ho so|chinh))?\s*[.;:]?$")
"""A row that only counts sets ("01 bộ gốc"): a note, not a paper."""
_CASE_OPENING = re.compile(r"^(?:trong )?truong hop|^doi voi|^neu |^khi |^cap (?:moi|lai|doi)")


@dataclass(frozen=True)
class Section:
    kind: str
    """"nop" (handed in and scanned), "xuat_trinh" (shown only) or "luu_y" (notes)."""
    label: str = ""
    """The case's wording, or "" for the main list."""


def section_of(heading: str) -> Section:
    """What a part of the table is, from its heading."""
    label = _clean_heading(heading)
    folded = fold(label).rstrip(" :.")
    if "xuat trinh" in folded and ("phai xuat trinh" in folded or folded.startswith(
            ("xuat trinh", "cac giay to phai xuat trinh", "giay to xuat trinh"))):
        return Section("xuat_trinh")
    if folded.startswith("luu y"):
        return Section("luu_y")
    if _NOTE_HEADING.match(folded):
        return Section("nop")  # a note between two tables, not the heading of a case
    if _MAIN_SECTION.match(folded):
        return Section("nop")
    return Section("nop", shorten(label.rstrip(" :"), 300))


def _clean_heading(heading: str) -> str:
    text = nfc(heading).strip(" -*:")
    return nfc(_ENUMERATOR.sub("", text))


def _addon_case(label: str) -> bool:
    """A case that adds papers to the main list rather than replacing it."""
    folded = fold(label)
    return ("uy quyen" in folded or folded.startswith(("ngoai ho so", "ngoai ra"))
            or "nop them" in folded or "kem theo" in folded)


# --- rows ------------------------------------------------------------------------------------


def read_rows(procedure_code: str, rows: list[RawRow]) -> Checklist:
    """Items, cases and notes of one procedure, ids unique within it."""
    out = Checklist()
    sections = _unlabel_single_papers([(row, section_of(row.section)) for row in rows])
    labels = list(dict.fromkeys(s.label for _, s in sections if s.label and s.kind == "nop"))
    alternative = [label for label in labels if not _addon_case(label)]
    has_main = any(s.kind == "nop" and not s.label for _, s in sections)
    cases = alternative if len(alternative) >= 2 else []
    if cases and not all(_CASE_OPENING.search(fold(label)) for label in cases):
        out.flags.append(why.Flag(reason=why.UNSURE_CASES, detail=" | ".join(
            shorten(label, 60) for label in cases)))
    out.cases = cases
    used: set[str] = set()
    for row, section in sections:
        if not nfc(row.text).strip(" -+*.;:,"):
            continue  # a count with no paper before it: nothing to check
        if not (row.originals or row.copies) and section.kind != "luu_y":
            row = _stated_count(row)
        if (section.kind == "luu_y" or not (row.originals or row.copies)
                or _SET_COUNT.match(fold(nfc(row.text)).strip())):
            _note_or_flag(row, section, out)
            continue
        if section.label and section.label not in cases and not has_main and len(labels) == 1:
            section = Section(section.kind)  # the only list there is: not a condition
        item, flags = read_row(procedure_code, row, section, section.label in cases, used)
        used.add(item["id"])
        out.items.append(item)
        out.flags += flags
    return out


def _unlabel_single_papers(sections: list[tuple[RawRow, Section]]
                           ) -> list[tuple[RawRow, Section]]:
    """A part headed by the name of the one paper it lists ("1. Đơn đề nghị được miễn hoặc
    giảm phí thi hành án;" over a row of that name), beside parts that are real cases, is a
    numbered row of the main list, not a case."""
    rows_of: dict[str, list[RawRow]] = {}
    for row, section in sections:
        if section.label:
            rows_of.setdefault(section.label, []).append(row)
    single = {label for label, rows in rows_of.items()
              if len(rows) == 1 and _same_paper(label, rows[0].text)}
    if single == set(rows_of):
        return sections  # one paper per case ("Đăng ký …", "Hủy …"): alternatives still
    return [(row, Section(section.kind) if section.label in single else section)
            for row, section in sections]


def _same_paper(label: str, text: str) -> bool:
    """The heading is the row itself, and names a paper ("Đơn …", "Giấy …"), not an action
    ("Đăng ký …", "Hủy …") or a set ("Hồ sơ …")."""
    def key(value: str) -> str:
        return fold(_strip_front(nfc(value))).strip(" ;.:,")
    name = key(label)
    return (bool(name) and name == key(text) and bool(_DOCUMENT_START.match(name))
            and not name.startswith("ho so"))


_STATED = re.compile(r":\s*0?([1-9])\s+bản\s+(chính|sao|chụp)\b[^;.]{0,40}[;.]?\s*$",
                     re.IGNORECASE)


def _stated_count(row: RawRow) -> RawRow:
    """A "0 bản chính" row that states its count in its text ("Tờ khai hải quan: 02 bản
    chính;") is a paper with that count, not a note."""
    found = _STATED.search(nfc(row.text))
    if found is None:
        return row
    n = int(found.group(1))
    text = nfc(row.text)[:found.start()]
    if found.group(2).lower() == "chính":
        return RawRow(row.section, text, n, 0, row.form_name, row.form_url)
    return RawRow(row.section, text, 0, n, row.form_name, row.form_url)


_DOCUMENT_START = re.compile(
    r"^(?:giay|don|to khai|van ban|ban |the |ho chieu|quyet dinh|hop dong|bien ban|so |"
    r"chung chi|chung nhan|danh sach|bao cao|phieu|anh |bang |ly lich|so yeu|thong bao|"
    r"cong van|tai lieu|ho so|ban do|ban ve|dieu le|phuong an|de an|du an|ke hoach)")


def _note_or_flag(row: RawRow, section: Section, out: Checklist) -> None:
    text = nfc(row.text)
    if not text:
        return
    out.notes.append(shorten(text, 600))
    name = _strip_front(text)
    if (section.kind != "luu_y" and len(name.split()) <= 12
            and _DOCUMENT_START.match(fold(name))):
        out.flags.append(why.Flag(reason=why.NOTE_LIKE_DOCUMENT, detail=shorten(text, 80)))


def read_row(procedure_code: str, row: RawRow, section: Section, in_case: bool,
             used: set[str]) -> tuple[dict[str, Any], list[why.Flag]]:
    """One checklist item (a dict ChecklistItem validates) and its flags."""
    flags: list[str] = []
    text = nfc(row.text)
    form_file = None
    if row.form_name is None:
        text, form_file, glued = split_form_file(text)
        if glued:
            flags.append(why.GLUED_FORM)
    else:
        form_file = nfc(row.form_name) or None
    body = _strip_front(text)
    condition, body = _condition(body)
    name, rest = _name(body)
    alternatives, several = _alternatives(name, rest)
    if several is not None:
        if several:
            flags.append(why.SEVERAL_DOCUMENTS)
        name = alternatives[0]
        alternatives = alternatives[1:]
    elif alternatives and len(alternatives) > 1 and _is_split_name(name, alternatives):
        name, alternatives = alternatives[0], alternatives[1:]
    if not re.search(r"[^\W\d_]{2}", name) and alternatives:  # "6 hoặc Điều lệ công ty"
        name, alternatives = alternatives[0], alternatives[1:]
    conditional = condition is not None or _says_if_any(text)
    if len(name) > FLAG_LIMIT:
        flags.append(why.LONG_NAME)
    name = shorten(name, NAME_LIMIT)
    name = (_capital(name.strip(" ,;:-.")) or _capital(shorten(text, NAME_LIMIT))
            or "Giấy tờ")
    item_id = _unique(slug(name), used)
    form, source = form_of(text, row.form_name, form_file, row.form_url)
    if section.kind == "xuat_trinh":
        requirement, originals, copies = Requirement.SHOWN_ONLY, 0, 0
    else:
        requirement = Requirement.CONDITIONAL if conditional else Requirement.REQUIRED
        originals, copies = row.originals, row.copies
    if section.label and not in_case and requirement is not Requirement.SHOWN_ONLY:
        requirement = Requirement.CONDITIONAL
        condition = condition or section.label
    item: dict[str, Any] = {
        "id": item_id,
        "name": name,
        "doc_types": [item_type(procedure_code, item_id),
                      *common_types([name, *alternatives])],
        "originals": originals,
        "copies": copies,
        "sets": _sets(text),
        "requirement": requirement.value,
        "condition": shorten(condition, 300) if condition and requirement is
        Requirement.CONDITIONAL else None,
        "form": form,
        "form_source": source,
        "alternatives": [shorten(a, NAME_LIMIT) for a in alternatives],
        "case": section.label if in_case else None,
        "text": text,
    }
    return item, [why.Flag(reason=reason, item_id=item_id) for reason in flags]


def _unique(item_id: str, used: set[str]) -> str:
    if item_id not in used:
        return item_id
    n = 2
    while f"{item_id}_{n}" in used:
        n += 1
    return f"{item_id}_{n}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# --- the form's file, glued to the text ------------------------------------------------------

_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|rtf|odt)$", re.IGNORECASE)
_BOUNDARY = re.compile(r"[;:)\]](?=\S)|\.(?=[^\s\d])|[;.:]\s+")
FILE_NAME_LIMIT = 60


def split_form_file(text: str) -> tuple[str, str | None, bool]:
    """(text without the file, the form's file name, unsure) — the portal glues the form
    column ("Mẫu số 01.docx") to the end of the name with no separator."""
    match = _FILE.search(text)
    if match is None:
        return text, None, False
    head = text[: match.start()]
    cut = _file_start(head)
    unsure = cut is None or match.end() - cut > FILE_NAME_LIMIT
    if unsure:
        cut = head.rfind(" ") + 1  # the last word, at least: "mẫu1.003850.docx"
    return text[:cut].rstrip(" ;,."), text[cut:].strip(), unsure


def _file_start(head: str) -> int | None:
    """Where the file name starts: after the last punctuation, at a lower→upper change with
    no space ("NĐ-CPMẫu số 01"), or inside two glued syllables ("bộvăn bản")."""
    from sohoa.domain.catalog.words import glued_split

    best: int | None = None
    for match in _BOUNDARY.finditer(head):
        best = match.end()
    for i in range(1, len(head) - 1):
        a, b, c = head[i - 1], head[i], head[i + 1]
        if ((a.isalpha() and b.isupper() and c.islower()) or (a.islower() and b.isupper())) \
                and (best is None or i > best):
            best = i
    start = best or 0
    for word in re.finditer(r"\w+", head[start:]):
        cut = glued_split(word.group())
        if cut is not None:
            best = start + word.start() + cut
    if best is not None and len(head) - best > FILE_NAME_LIMIT:
        return None
    return best


# --- the name, its condition, its alternatives ------------------------------------------------

_QUALIFIER = re.compile(
    r"^(?:(?:0?\d{1,2}|một|hai|ba|bốn|năm)\s*(?:\([^)]{1,15}\)\s*)?(?=(?:bản|tờ|bộ|ảnh)\b)"
    r"|(?:bản|tờ)\s+(?:chính|sao|chụp|gốc|photo(?:copy)?)"
    r"(?:\s+(?:có\s+chứng\s+thực|hợp\s+lệ|điện\s+tử|có\s+công\s+chứng|công\s+chứng|được\s+"
    r"chứng\s+thực|chứng\s+thực|từ\s+bản\s+chính|y\s+bản\s+chính|từ\s+sổ\s+gốc|hoặc|bản\s+"
    r"(?:chính|sao|chụp)|kèm\s+bản\s+"
    r"chính\s+để\s+đối\s+chiếu|để\s+đối\s+chiếu|,))*\s*(?:của\s+(?=các\b))?\s*[:,]?\s*"
    r"|(?:bộ|bản)\s+(?=(?:hồ sơ|ảnh|bản vẽ)\b))",
    re.IGNORECASE)
_IF_OPENING = re.compile(
    r"^(?:(?:trong\s+)?trường\s+hợp|đối\s+với|nếu|riêng|khi)\b", re.IGNORECASE)
_THEN = re.compile(
    r"\s+(?:thì\s+(?:(?:hồ\s+sơ[^,;]{0,80}?\s+)?(?:phải\s+)?(?:có\s+thêm|nộp\s+thêm|bổ\s+sung|"
    r"kèm\s+theo|nộp|có|gửi|cung\s+cấp)\s+)?|(?:phải|cần)\s+(?:có|nộp|kèm\s+theo|bổ\s+sung)\s+"
    r"|,\s+(?:phải\s+)?(?:có|nộp|kèm\s+theo)\s+|:\s+)", re.IGNORECASE)
_NAME_END = re.compile(
    r"\s*\((?:nếu\s+có|trường\s+hợp|theo\s+|mẫu|đối\s+với|bản\s+|áp\s+dụng)|;|\.(?:\s|$)|:\s"
    r"|\s+theo\s+(?:mẫu|quy\s+định|hướng\s+dẫn|phụ\s+lục|thông\s+tư|nghị\s+định)"
    r"|\s+[Mm]ẫu\s+(?:số\s+)?\d|\s+(?:quy\s+định\s+tại|ban\s+hành\s+kèm)"
    r"|\s+(?:trong\s+trường\s+hợp|đối\s+với\s+trường\s+hợp|nếu\s+)",
    re.IGNORECASE)


def _strip_front(text: str) -> str:
    """Without enumerators ("- ", "a) ", "(ii) ") and qualifiers ("Bản sao có chứng thực")."""
    body = text
    for _ in range(4):
        stripped = _QUALIFIER.sub("", _ENUMERATOR.sub("", body)).strip()
        if stripped == body:
            break
        body = stripped
    return body


def _condition(body: str) -> tuple[str | None, str]:
    """("Trường hợp X", what is needed then) for a row that opens with its condition."""
    if not _IF_OPENING.match(body):
        return None, body
    then = _THEN.search(body)
    if then is None or then.start() < 8:
        return shorten(body.split(".")[0], 300), body
    condition = body[: then.start()].strip(" ,")
    return condition, _strip_front(body[then.end():])


def _says_if_any(text: str) -> bool:
    folded = fold(text)
    head = folded.split(". ")[0]
    return ("(neu co" in folded or "neu co)" in folded or " trong truong hop " in head
            or " doi voi truong hop " in head or head.startswith("truong hop"))


def _name(body: str) -> tuple[str, str]:
    """(the document's name, what follows it)."""
    end = _NAME_END.search(body, 4)
    if end is None:
        return body.strip(), ""
    return body[: end.start()].strip(), body[end.start():]


_LIST_HEAD = re.compile(
    r"^(?:một\s+trong\s+(?:các|những)\s+(?:loại\s+)?giấy\s+tờ\s+sau(?:\s+đây)?|"
    r"(?:các|những)\s+giấy\s+tờ\s+sau(?:\s+đây)?)\s*[:,]?\s*", re.IGNORECASE)
_OTHERWISE = re.compile(
    r";\s*(?:trường\s+hợp|nếu)\s+không\s+có\s+[^;]*?\s+thì\s+(?:phải\s+)?(?:nộp|có|xuất\s+"
    r"trình)?\s*([^;.]+)", re.IGNORECASE)
_OR = re.compile(r"\s+hoặc\s+(?!bản\s+(?:sao|chính|chụp)\b)", re.IGNORECASE)


def _alternatives(name: str, rest: str) -> tuple[list[str], bool | None]:
    """(alternative names, whether the row lists several documents as one item — None when
    it is no list, False for "one of the following")."""
    head = _LIST_HEAD.match(name)
    if head or fold(name).rstrip(" :").endswith("giay to sau day"):
        listed = name[head.end():] if head else ""
        listed += rest
        parts = [p for p in (_strip_front(part.strip(" -;,.:"))
                             for part in re.split(r"\s+-\s+|;\s*|\s*,\s+(?=[A-ZĐ])", listed))
                 if len(p.split()) >= 2]
        one_of = bool(head) and fold(name).startswith("mot trong")
        names = [_name(p)[0] for p in parts][:8]
        if names:
            return names, not one_of
    alternatives = [m.group(1).strip() for m in _OTHERWISE.finditer(";" + rest)]
    parts: list[str] = []
    for part in (p.strip() for p in _OR.split(name)):
        if parts and not _DOCUMENT_START.match(fold(_strip_front(part))):
            parts[-1] = f"{parts[-1]} hoặc {part}"  # "nơi thường trú hoặc nơi tạm trú"
        else:
            parts.append(part)
    if len(parts) > 1:
        alternatives = [*parts, *alternatives]
    elif "/" in name and not re.search(r"\d/\d|/[A-ZĐ]{2}", name):
        slashed = [p.strip() for p in name.split("/")]
        if len(slashed) > 1 and all(1 <= len(p.split()) <= 8 for p in slashed):
            alternatives = [*slashed, *alternatives]
    return [_capital(_strip_front(a)) for a in alternatives if a], None


def _is_split_name(name: str, alternatives: list[str]) -> bool:
    """The name itself was "A hoặc B" / "A/B": the first alternative is the name."""
    return fold(alternatives[0]) != fold(name) and fold(alternatives[0]) in fold(name)


_SETS = re.compile(r"\b(?:0([2-9])\s*(?:\([^)]{1,10}\)\s*)?|([2-9])\s*\((?:hai|ba|bốn|năm)\)\s*)"
                   r"bộ\b(?!\s+(?:quy|luật|trưởng))")


def _sets(text: str) -> int:
    """"02 bộ" in the row: the citizen hands in that many sets of the same paper."""
    match = _SETS.search(text)
    return int(match.group(1) or match.group(2)) if match else 1


# --- the form --------------------------------------------------------------------------------

_FORM_NUMBER = re.compile(
    r"\b(?:[Mm]ẫu|MẪU)(?:\s+(?:số|đơn|tờ\s+khai))?\s*(?:[:.]\s*)?"
    r"(?P<number>(?:\d{1,3}[a-zA-Z]?|[IVX]{1,5})(?:\s?[/\-.]\s?[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*)*)")
_FORM_CODE = re.compile(r"\((?P<code>[A-Z]{1,4}\d{1,3}[a-z]?)\)")
_APPENDIX = re.compile(r"\bPhụ\s+lục\s+(?:số\s+)?(?P<n>[IVXLC]+|\d+[a-zA-Z]?)\b", re.IGNORECASE)
_LEGAL = re.compile(
    r"\b(?P<kind>Nghị\s+định|Thông\s+tư(?:\s+liên\s+tịch)?|Quyết\s+định|Luật)\s+(?:số\s+)?"
    r"(?P<n>\d+/\d{4}/[A-ZĐa-zđ0-9\-]+)")


def form_of(text: str, form_name: str | None, form_file: str | None,
            form_url: str | None) -> tuple[str | None, str | None]:
    """(the form, where it is published) from the row's words and its form column."""
    for source in (_file_stem(form_name or ""), text, _file_stem(form_file or "")):
        number = _FORM_NUMBER.search(source)
        if number:
            form = f"Mẫu số {number.group('number').replace(' ', '')}"
            break
        code = _FORM_CODE.search(source)
        if code:
            form = f"Mẫu {code.group('code')}"
            break
    else:
        form = None
    parts = []
    appendix = _APPENDIX.search(text)
    if appendix:
        parts.append(f"Phụ lục {appendix.group('n')}")
    legal = _LEGAL.search(text[appendix.start():] if appendix else text) if form or appendix \
        else None
    if legal:
        parts.append(f"{' '.join(legal.group('kind').split())} số {legal.group('n')}")
    source_text = " ".join(parts) or None
    if form is None and (appendix or form_file):
        form = f"Mẫu {source_text}" if appendix else _file_stem(form_file or "")
    if source_text is None and (form_url or form_file):
        source_text = form_url or f"tệp {form_file}"
    return form or None, source_text


def _file_stem(name: str) -> str:
    return _FILE.sub("", name).strip() or name
