"""Page classification: each page of a dossier's stream → document type, confidence, reason.

Evidence is weighed in a fixed order, strongest first: (a) QR codes — sohoa's own cover and
separator sheets, the citizen ID card's QR; (b) a confident printed title; (c) the learned
model, when one is given and sure enough; (d) continuation — a page with no title of its own
joins the paper before it only on positive evidence: page numbering that goes on from it,
text that flows on (a lowercase or list-item start, a signature or notary's closing), or the
same layout (a form's numbered items and labelled fields, its administrative wording, lines
as wide as the page before); (e) otherwise ``khac``. A page with a title line of its own is
never swallowed. The closest type is never forced: a page must earn its type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sohoa.domain.doctypes import BY_CODE, COVER, KHAC, SEPARATOR, is_item_type, type_name
from sohoa.domain.procedures import Procedure
from sohoa.errors import OverrideError
from sohoa.pipeline.classify import items, rules
from sohoa.pipeline.classify.learned import LearnedModel
from sohoa.pipeline.classify.text import (
    ends_mid_sentence,
    fold,
    garbled,
    line_width,
    list_goes_on,
    opens_mid_text,
    page_number,
    sheet_numbered,
    structured_lines,
    table_goes_on,
    title_like,
    uppercase_share,
)
from sohoa.pipeline.classify.types import PageClass, PageEvidence

MODEL_THRESHOLD = 0.6
"""The learned model decides only at or above this probability."""

SHEETS = frozenset({COVER, SEPARATOR})
STRUCTURED_LINES = 2
"""This many numbered items, articles or labelled fields make a title-less page the body of
a form."""

PROSE_WORDS = 40
FORM_TERMS_PER_100 = 1.5
"""A title-less page of at least PROSE_WORDS words with fewer administrative phrases than
this per 100 words is prose (a news article, a letter), not the inside of a form."""
FORM_TERMS_MIN = 2
"""A page with at least this many distinct administrative phrases (and their density) reads
like the form before it."""
TITLE_LINES = 8
"""A page's own title is printed in its first lines, above its running text."""
BODY_LINE = 40
WIDTH_RATIO = 0.75
"""Two pages whose typical line widths are within this ratio share a layout."""


def classify_pages(evidence: Sequence[PageEvidence], model: LearnedModel | None = None,
                   model_threshold: float = MODEL_THRESHOLD,
                   procedure: Procedure | None = None) -> list[PageClass]:
    """Classify a dossier's pages in stream order (continuation depends on the page before).
    With the ``procedure``, its checklist is the prior: pages are matched to its items too,
    and a type it asks for wins a tie with one it does not."""
    matcher = items.matcher_for(procedure)
    out: list[PageClass] = []
    for n, page in enumerate(evidence):
        out.append(classify_page(page, out[-1] if out else None, model, model_threshold,
                                 matcher, evidence[n - 1] if n else None))
    return out


def classify_page(page: PageEvidence, previous: PageClass | None,
                  model: LearnedModel | None = None,
                  model_threshold: float = MODEL_THRESHOLD,
                  matcher: items.ItemMatcher | None = None,
                  before: PageEvidence | None = None) -> PageClass:
    """One page, knowing the decision for the page before it (and, in ``before``, what that
    page reads: whether its text stops mid-sentence, how wide its lines are)."""
    number = page_number(page.text)
    ranked = rules.rank_titles(page.text)
    decided = (_from_qr(page, number) or _from_sheet_title(page)
               or _from_item_or_rule(page, previous, number, ranked, matcher)
               or _from_model(page, previous, number, model, model_threshold)
               or _from_continuation(page, previous, number, before))
    return decided or _unknown(page, number, ranked, matcher)


def _from_item_or_rule(page: PageEvidence, previous: PageClass | None,
                       number: tuple[int, int] | None, ranked: list[rules.RuleMatch],
                       matcher: items.ItemMatcher | None) -> PageClass | None:
    """The title rules, or the procedure's own items: an item whose title or form number the
    page prints wins over a type the procedure does not ask for, and over a common type
    matched no better (two items may both accept a land use certificate; the title says
    which); a common type matched better keeps the rule's answer."""
    accepted = matcher.accepted if matcher is not None else frozenset()
    rule = rules.pick_for(ranked, accepted) if matcher is not None else rules.pick(ranked)
    item, tied = items.match_items(page.text, matcher) if matcher is not None else (None, ())
    item_def = matcher.item_of(item.doc_type) if matcher is not None and item else None
    if item is not None and (rule is None or rule.doc_type not in accepted
                             or item.score >= rule.score):
        name = item_def.name if item_def is not None else item.doc_type
        how = ("Số mẫu" if item.score == items.FORM_SCORE and item.matched else "Tiêu đề")
        reason = f"{how} “{item.matched}”: thành phần “{name}” ({item.score:.0%})"
        return PageClass(page.index, item.doc_type, item.score, "item", page_number=number,
                         reason=reason, also=tied)
    return _from_rule(page, previous, number, ranked, rule)


def apply_overrides(pages: Sequence[PageClass], types: Mapping[int, str] | None = None,
                    split_before: Iterable[int] = (), join: Iterable[int] = ()) -> list[PageClass]:
    """The clerk's corrections: set a page's type, start a new document at a page, or join a
    page to the document before it. Continuation pages follow their (new) first page."""
    types = dict(types or {})
    splits, joins = set(split_before), set(join)
    _check_overrides(pages, types, splits, joins)
    out: list[PageClass] = []
    for page in pages:
        i = page.index
        if i in types:
            keep = page.continuation and out and out[-1].doc_type == types[i]
            page = replace(page, doc_type=types[i], confidence=1.0, source="override",
                           continuation=bool(keep), sheet=None,
                           reason=f"Cán bộ xác định: {type_name(types[i])}")
        if i in splits:
            page = replace(page, continuation=False, source="override", confidence=1.0,
                           reason=f"Cán bộ tách: giấy tờ mới bắt đầu ở trang {i + 1}")
        if i in joins:
            page = replace(page, doc_type=out[-1].doc_type, continuation=True, sheet=None,
                           source="override", confidence=1.0,
                           reason=f"Cán bộ gộp trang {i + 1} vào giấy tờ trước")
        elif page.continuation and out and out[-1].doc_type in SHEETS:
            page = replace(page, continuation=False)
        elif page.continuation and out and page.doc_type != out[-1].doc_type:
            page = replace(page, doc_type=out[-1].doc_type)  # follows a corrected first page
        out.append(page)
    return out


def _from_qr(page: PageEvidence, number: tuple[int, int] | None) -> PageClass | None:
    if not page.qr_payloads:
        return None
    from sohoa.pipeline.classify import qr  # decoding needs OpenCV; text-only callers skip it

    for payload in page.qr_payloads:
        sheet = qr.parse_sheet(payload)
        if sheet is not None:
            cover = sheet.kind == "cover"
            reason = (f"Mã QR bìa hồ sơ, thủ tục {sheet.procedure_code}" if cover else
                      f"Mã QR tờ phân cách, thành phần {sheet.item_id or '?'}")
            return PageClass(page.index, COVER if cover else SEPARATOR, 1.0, "qr",
                             sheet=sheet, reason=reason)
    for payload in page.qr_payloads:
        if qr.parse_cccd(payload) is not None:
            return PageClass(page.index, "can_cuoc", 0.99, "qr", page_number=number,
                             reason="Mã QR của thẻ căn cước công dân")
    return None


def _from_sheet_title(page: PageEvidence) -> PageClass | None:
    """A cover or separator sheet whose QR code could not be read: it still splits the
    stream and is no document, but names no checklist item (that is only in the QR)."""
    kind = rules.sheet_title(page.text)
    if kind is None:
        return None
    title = "bìa hồ sơ" if kind == COVER else "tờ phân cách"
    return PageClass(page.index, kind, 0.9, "rule",
                     reason=f"Tiêu đề {title}; không đọc được mã QR của tờ này")


def _from_rule(page: PageEvidence, previous: PageClass | None, number: tuple[int, int] | None,
               ranked: list[rules.RuleMatch],
               match: rules.RuleMatch | None = None) -> PageClass | None:
    match = match or rules.pick(ranked)
    if match is None:
        return None
    name = BY_CODE[match.doc_type].name
    if match.doc_type == KHAC:
        reason = f"Tiêu đề “{match.matched}”: giấy tờ không thuộc danh mục"
    elif match.part:
        reason = f"Phần “{match.matched}” của {name}"
    else:
        reason = f"Tiêu đề “{match.matched}” ({match.score:.0%})"
    continues = (match.part and previous is not None and previous.doc_type == match.doc_type
                 and not _ended(previous))
    return PageClass(page.index, match.doc_type, match.score, "rule", continuation=continues,
                     page_number=number, reason=reason)


def _from_model(page: PageEvidence, previous: PageClass | None,
                number: tuple[int, int] | None, model: LearnedModel | None,
                threshold: float) -> PageClass | None:
    if model is None or not fold(page.text):
        return None
    label, probability = model.predict(page.text)
    if probability < threshold:
        return None
    continues = (previous is not None and previous.doc_type == label
                 and not _starts_fresh(page, previous, number)
                 and not _own_title(page, previous, number))
    reason = f"Mô hình học máy {model.version}: {BY_CODE[label].name} ({probability:.0%})"
    return PageClass(page.index, label, round(probability, 4), "model", continuation=continues,
                     page_number=number, reason=reason)


def _from_continuation(page: PageEvidence, previous: PageClass | None,
                       number: tuple[int, int] | None,
                       before: PageEvidence | None = None) -> PageClass | None:
    """The page joins the paper before it: it has no title of its own and shows positive
    evidence that it goes on (see :func:`_continues`)."""
    if previous is None or previous.doc_type in SHEETS:
        return None
    after = f"trang {previous.index + 1}"
    if not fold(page.text):
        found: tuple[float, str] | None = (0.6, f"Trang trống, gộp với {after}")
    elif _own_title(page, previous, number) or _starts_fresh(page, previous, number):
        return None
    else:
        found = _continues(page, previous, number, before)
    if found is None:
        return None
    confidence, why = found
    reason = why if not fold(page.text) else f"Không có tiêu đề; {why}, nối tiếp {after}"
    return PageClass(page.index, previous.doc_type, min(confidence, previous.confidence),
                     "continuation", continuation=True, page_number=number, reason=reason,
                     also=previous.also)


def _continues(page: PageEvidence, previous: PageClass, number: tuple[int, int] | None,
               before: PageEvidence | None) -> tuple[float, str] | None:
    """(confidence, what shows it) when a title-less page goes on from the page before:
    its numbering follows on, its text flows on, or its layout matches; else None — a page
    with nothing to show for it (a drawing, a photo, a news article) is a paper of its own."""
    text = page.text
    before_text = before.text if before is not None else ""
    if number and number[0] > 1:
        if not _numbered_after(previous, number):
            return None
        return 0.9, f"đánh số trang {_show(number)}"
    if rules.is_continuation_heading(text):
        return 0.85, "phần lời chứng/xác nhận của giấy tờ"
    if rules.opens_with_signature(text):
        return 0.75, "phần ký tên của giấy tờ"
    if rules.closes_paper(text):
        return 0.75, "phần kết của văn bản (nơi nhận)"
    flows = opens_mid_text(_first_line(text))
    if flows and (ends_mid_sentence(before_text) or not _prose(text)):
        return 0.75, "nội dung chạy tiếp"
    if list_goes_on(text, before_text):
        return 0.7, "danh sách gạch đầu dòng chạy tiếp"
    if table_goes_on(text, before_text):
        return 0.7, "bảng chạy tiếp"
    if structured_lines(text) >= STRUCTURED_LINES:
        return 0.7, "cùng bố cục biểu mẫu (mục đánh số, ô điền)"
    if _prose(text):
        return None
    words = len(fold(text).split())
    hits = rules.form_term_hits(text)
    if hits >= FORM_TERMS_MIN and hits * 100 / max(words, 1) >= FORM_TERMS_PER_100:
        return 0.7, "cùng lời văn hành chính"
    if hits and _same_width(text, before_text):
        return 0.65, "cùng bố cục (độ rộng dòng chữ) và lời văn hành chính"
    return None


def _prose(text: str) -> bool:
    """Running prose with hardly any administrative phrase: a news article, a letter."""
    words = len(fold(text).split())
    return words >= PROSE_WORDS and rules.form_term_hits(text) * 100 / words < FORM_TERMS_PER_100


def _same_width(text: str, before_text: str) -> bool:
    """Both pages' lines are about as wide: the same text block, the same margins."""
    mine, theirs = line_width(text), line_width(before_text)
    if not mine or not theirs:
        return False
    return min(mine, theirs) / max(mine, theirs) >= WIDTH_RATIO


def _unknown(page: PageEvidence, number: tuple[int, int] | None,
             ranked: list[rules.RuleMatch], matcher: items.ItemMatcher | None = None
             ) -> PageClass:
    if matcher is not None and matcher.patterns and _titled(page):
        return PageClass(page.index, KHAC, 0.5, "none", page_number=number,
                         reason="Có tiêu đề riêng nhưng không khớp thành phần nào của thủ tục")
    near = [m for m in ranked[:2] if m.doc_type != KHAC and m.score >= 0.7]
    if near:
        close = " / ".join(f"{BY_CODE[m.doc_type].name} ({m.score:.0%})" for m in near)
        reason = f"Không đủ chắc chắn: gần giống {close}"
    elif not fold(page.text):
        reason = "Trang trống, không thuộc giấy tờ nào"
    else:
        reason = "Không nhận ra loại giấy tờ nào trong danh mục"
    return PageClass(page.index, KHAC, 0.35 if near else 0.5, "none", page_number=number,
                     reason=reason)


def _own_title(page: PageEvidence, previous: PageClass, number: tuple[int, int] | None) -> bool:
    """The page has a title of its own — unless it is printed as page n > 1 going on from
    the page before ("Trang 2/2"): a paper starts at its page 1, so an uppercase heading
    there ("II ĐẶC ĐIỂM BẤT ĐỘNG SẢN", its dot lost to OCR) is a section of the paper."""
    if (number and number[0] > 1 and _numbered_after(previous, number)
            and not sheet_numbered(page.text)):
        return False
    return _titled(page)


def _titled(page: PageEvidence) -> bool:
    """An uppercase heading under (or without) the national header: a paper of its own. A
    signature block or a notary's closing at the top is the end of a paper, not a title."""
    text = page.text
    if rules.opens_with_signature(text) or rules.is_continuation_heading(text):
        return False
    for line in [line.strip() for line in text.splitlines() if line.strip()][:TITLE_LINES]:
        if _body_line(line):
            return False  # a heading under running text is a section, not the page's title
        if (title_like(line) and not rules.has_national_header(line)
                and page_number(line) is None):
            return True
    return False


def _body_line(line: str) -> bool:
    """A line of running text: long and mostly lowercase."""
    return len(line) >= BODY_LINE and uppercase_share(line) < 0.5


def _starts_fresh(page: PageEvidence, previous: PageClass,
                  number: tuple[int, int] | None) -> bool:
    """Plain signs that a paper begins here: page 1 of n, the national header, an uppercase
    heading on the first line, or the paper before said it was complete."""
    if number:
        return number[0] == 1
    text = page.text
    heading = (title_like(_first_line(text)) and not rules.opens_with_signature(text)
               and not rules.is_continuation_heading(text))
    return _ended(previous) or rules.has_national_header(text) or heading


def _first_line(text: str) -> str:
    """The first line of text, past stray marks OCR made of a rule or a column of numbers."""
    return next((line.strip() for line in text.splitlines()
                 if line.strip() and not garbled(line)), "")


def _ended(page: PageClass) -> bool:
    """The page says it is the last one of its paper ("Trang 3/3")."""
    return bool(page.page_number and page.page_number[1]
                and page.page_number[0] >= page.page_number[1])


def _numbered_after(previous: PageClass, number: tuple[int, int]) -> bool:
    """Page n goes on from the page before: that one is n - 1 of the same total, or carries
    no number the quick look read (numbers at the foot are often outside it)."""
    before = previous.page_number
    if before is None:
        return True
    same_total = not before[1] or not number[1] or before[1] == number[1]
    return before[0] == number[0] - 1 and same_total


def _show(number: tuple[int, int]) -> str:
    return f"{number[0]}/{number[1]}" if number[1] else str(number[0])


def _check_overrides(pages: Sequence[PageClass], types: dict[int, str], splits: set[int],
                     joins: set[int]) -> None:
    indexes = {p.index for p in pages}
    for i in sorted(set(types) | splits | joins):
        if i not in indexes:
            raise OverrideError(f"Không có trang {i + 1} trong hồ sơ")
    for i, code in types.items():
        if (code not in BY_CODE and not is_item_type(code)) or code in SHEETS:
            raise OverrideError(f"Trang {i + 1}: '{code}' không phải mã loại giấy tờ")
    if splits & joins:
        i = min(splits & joins)
        raise OverrideError(f"Trang {i + 1} không thể vừa tách vừa gộp")
    order = [p.index for p in pages]
    for i in joins:
        pos = order.index(i)
        if pos == 0 or pages[pos - 1].doc_type in SHEETS and pages[pos - 1].index not in types:
            raise OverrideError(f"Trang {i + 1} không có giấy tờ nào phía trước để gộp vào")
