"""Matching a page to the checklist items of its procedure, for procedures no one wrote rules
for (the national catalog's 2,642).

The procedure's checklist is the prior: a page is compared with the titles its items can be
printed under — the item's name, each alternative, and the shorter forms a printed title
takes (the name without what follows its first comma, "của …", "về …", "đối với …") — and
with the form number the item names ("Mẫu số 09", "Mẫu 01/TK-…"). A match gives the page the
item's own document type ("<procedure>/<item>"), so every item of every procedure can be
present or missing. Curated procedures keep the hand-written rules alone: their items name
types the rules already know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from sohoa.domain.doctypes import is_item_type
from sohoa.domain.procedures import ChecklistItem, Procedure
from sohoa.pipeline.classify import rules
from sohoa.pipeline.classify.text import fold

THRESHOLD = rules.THRESHOLD
FORM_SCORE = rules.FORM_NUMBER_SCORE
SHORT_CUTS = (",", ";", " của ", " về ", " đối với ", " cho ", " do ", " theo ", " trong ",
              " kèm theo ", " tại ", " (")
"""Where a printed title often stops short of the catalog's name."""
MIN_SHORT_WORDS = 3
_FORM = re.compile(r"\bmau(?:\s+so)?\s*[:.]?\s*([0-9ivx]{1,4}[a-z]?(?:\s*[/.-]\s*[a-z0-9]+)*)")
_FORM_CODE = re.compile(r"\(([a-z]{1,4}\d{1,3}[a-z]?)\)")


@dataclass(frozen=True)
class ItemMatcher:
    """What pages of one procedure are compared with."""

    procedure: Procedure
    patterns: tuple
    forms: dict[str, tuple[str, ...]]
    """Folded form number ("09", "01/tk-sddpnn", "na20") → the item types that use it."""
    accepted: frozenset[str]
    """Every document type some scanned item of the procedure accepts."""
    titles: dict[str, tuple[str, ...]]
    """Each item type's folded titles, to break a tie between items with close names."""

    def item_of(self, doc_type: str) -> ChecklistItem | None:
        return next((i for i in self.procedure.items if doc_type in i.doc_types), None)


_CACHE: dict[int, ItemMatcher] = {}


def matcher_for(procedure: Procedure | None) -> ItemMatcher | None:
    """The matcher of a procedure with items of its own (None for curated ones), built once
    per procedure object."""
    if procedure is None:
        return None
    cached = _CACHE.get(id(procedure))
    if cached is not None and cached.procedure is procedure:
        return cached
    accepted = frozenset(code for item in procedure.scanned_items for code in item.doc_types)
    own = [item for item in procedure.scanned_items if is_item_type(item.doc_types[0])]
    if not own:
        matcher = ItemMatcher(procedure, (), {}, accepted, {})
    else:
        # the same paper listed once per case is one type here (the verdict accepts it for
        # every same-named item): two equal titles must not tie
        canonical: dict[str, str] = {}
        for item in own:
            canonical.setdefault(paper_key(item.name), item.doc_types[0])
        titles = [(canonical[paper_key(item.name)], title) for item in own
                  for title in titles_of(item)]
        by_type: dict[str, list[str]] = {}
        for doc_type, title in titles:
            by_type.setdefault(doc_type, []).append(fold(title))
        forms: dict[str, list[str]] = {}
        for item in own:
            number = form_number(item.form or "")
            if number:
                forms.setdefault(number, []).append(canonical[paper_key(item.name)])
        matcher = ItemMatcher(procedure, rules.title_patterns(titles),
                              {k: tuple(dict.fromkeys(v)) for k, v in forms.items()}, accepted,
                              {k: tuple(dict.fromkeys(v)) for k, v in by_type.items()})
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[id(procedure)] = matcher
    return matcher


def paper_key(name: str) -> str:
    """A name without its parenthesised notes, folded: the same paper listed twice with
    different notes ("(dùng cho cá nhân …)") has one key."""
    return " ".join(fold(re.sub(r"\([^)]*\)?", " ", name)).split())


SAME_OPENINGS = (("đơn đề nghị", "giấy đề nghị", "văn bản đề nghị"), ("tờ khai", "bản khai"))
"""Openings offices use for the same kind of paper: a form the catalog calls "Đơn đề nghị …"
is often printed "GIẤY ĐỀ NGHỊ …" or "VĂN BẢN ĐỀ NGHỊ …"."""


def titles_of(item: ChecklistItem) -> list[str]:
    """The titles a paper for this item can be printed under."""
    out: list[str] = []
    for name in (item.name, *item.alternatives):
        out.append(name)
        for cut in SHORT_CUTS:
            position = name.find(cut)
            if position > 0 and len(name[:position].split()) >= MIN_SHORT_WORDS:
                out.append(name[:position])
    for title in list(out):
        lowered = title.lower()
        for group in SAME_OPENINGS:
            opening = next((o for o in group if lowered.startswith(o)), None)
            if opening is not None:
                out += [other + title[len(opening):] for other in group if other != opening]
    return list(dict.fromkeys(out))


def form_number(text: str) -> str | None:
    """"Mẫu số 09" → "09", "Mẫu 01/TK-SDDPNN" → "01/tk-sddpnn", "(NA20)" → "na20"."""
    folded = fold(text)
    found = _FORM.search(folded)
    if found:
        return re.sub(r"\s+", "", found.group(1)).lstrip("0") or "0"
    code = _FORM_CODE.search(folded) or re.search(r"\bmau\s+([a-z]{1,4}\d{1,3})\b", folded)
    return code.group(1) if code else None


def match_item(text: str, matcher: ItemMatcher) -> rules.RuleMatch | None:
    """The item a page's printed title (or form number) says it is, or None."""
    return match_items(text, matcher)[0]


def match_items(text: str, matcher: ItemMatcher
                ) -> tuple[rules.RuleMatch | None, tuple[str, ...]]:
    """(the item a page's printed title or form number says it is, the other items' types
    its title fits as well) — a short title ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT") may name
    several items; the verdict lets the one the dossier needs take it."""
    if not matcher.patterns:
        return None, ()
    ranked = rules.rank_patterns(text, matcher.patterns)
    chosen = rules.pick(ranked) or _closest_of_tie(ranked, matcher)
    if chosen is None:
        return _by_form_number(text, matcher, ranked), ()
    tied = tuple(m.doc_type for m in ranked if m.doc_type != chosen.doc_type
                 and chosen.score - m.score < rules.MARGIN)
    return chosen, tied


def _closest_of_tie(ranked: list[rules.RuleMatch], matcher: ItemMatcher
                    ) -> rules.RuleMatch | None:
    """Items of one procedure often share most of their names ("Thông báo về việc giải thể"
    and "Thông báo về việc giải thể doanh nghiệp"): among the matches within the margin of
    a good best, the one whose title is closest to the printed line as a whole wins; equal,
    the first item listed."""
    if not ranked or ranked[0].score < THRESHOLD:
        return None
    close = [m for m in ranked if ranked[0].score - m.score < rules.MARGIN]
    printed = fold(ranked[0].matched.replace(" / ", " "))

    def whole(match: rules.RuleMatch) -> float:
        return max((fuzz.ratio(printed, t) for t in matcher.titles.get(match.doc_type, ())),
                   default=0.0)

    best = max(close, key=whole)
    rivals = [m for m in close if m is not best and abs(whole(m) - whole(best)) < 1.0]
    order = {item.doc_types[0]: n for n, item in enumerate(matcher.procedure.items)}
    if rivals:
        best = min([best, *rivals], key=lambda m: order.get(m.doc_type, len(order)))
    return best


def _by_form_number(text: str, matcher: ItemMatcher,
                    ranked: list[rules.RuleMatch]) -> rules.RuleMatch | None:
    """A form number printed at the top ("Mẫu số 09") that one item of the procedure uses;
    among several items on the same number, the one whose title matched best."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:8]:
        if len(line) > rules.FORM_LINE_MAX + 20:
            continue
        number = form_number(line)
        types = matcher.forms.get(number or "")
        if not types:
            continue
        if len(types) > 1:
            best = [m for m in ranked if m.doc_type in types]
            if not best:
                return None
            return rules.RuleMatch(best[0].doc_type, FORM_SCORE, line)
        return rules.RuleMatch(types[0], FORM_SCORE, line)
    return None
