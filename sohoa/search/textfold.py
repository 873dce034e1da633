"""Vietnamese text for search: folding, tokens, the archivist's query language, snippets.

Pure functions, shared by both search backends (SQLite FTS5 and PostgreSQL full text), so
that a page is cut into the same words, folded the same way and highlighted the same way
whichever database holds the index.

*Folding* removes what people leave out when they type fast: every diacritic (NFD, drop the
combining marks) and the stroke of đ/Đ (not a combining mark in Unicode, so NFD keeps it),
then lower case — "Đà Nẵng", "đa năng" and "Da Nang" all fold to "da nang". The *exact*
form keeps the diacritics as written (NFC, lower case), so a page that says what the user
typed can be ranked first.

The query language is deliberately small — words (all required), "quoted phrases" and a
leading ``-`` to exclude a word or phrase — and is parsed here into :class:`ParsedQuery`,
whose terms hold only letters and digits. The backends build their FTS5 ``MATCH`` strings and
``tsquery`` values from those tokens alone, so nothing a user types (quotes, parentheses,
``NEAR``, ``*``, ``:``, ``&|!``, SQL) ever reaches a query parser as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sohoa.errors import SearchQueryError

MAX_QUERY_CHARS = 500
"""Longer queries are refused (a typed error), not truncated: a silent cut changes meaning."""
MAX_TERMS = 16
"""Words and phrases in one query, included and excluded together."""
MAX_TOKEN_CHARS = 64
"""Longer runs of letters (OCR garbage) are cut, identically when indexing and querying."""

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")
_STROKE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Without diacritics, đ/Đ → d, lower case ("Đà Nẵng" → "da nang")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).lower()


def exact(token: str) -> str:
    """A token as written, compared case-insensitively (NFC, lower case)."""
    return nfc(nfc(token).lower())


class Token(NamedTuple):
    """A word and its character span (a tuple: pages have thousands of them)."""

    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Runs of letters and digits of ``text`` (already NFC), with their character spans.

    The same notion of a word as SQLite's ``unicode61`` tokenizer (letters and numbers are
    word characters, everything else separates), so FTS5 finds exactly these words.
    """
    return [Token(m.group()[:MAX_TOKEN_CHARS], m.start(), m.end()) for m in _WORD.finditer(text)]


def index_forms(text: str) -> tuple[list[str], list[str]]:
    """The page's words as written and folded, position by position (same lengths)."""
    written = [_exact_word(t.text) for t in tokens(nfc(text))]
    return written, [_fold_word(w) for w in written]


@lru_cache(maxsize=65_536)
def _exact_word(word: str) -> str:
    return exact(word)


@lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:
    """Pages repeat a small vocabulary: folding each distinct word once is most of the
    speed of a bulk reindex."""
    return fold(word)


# --- the query language -------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or a phrase: its words as typed (lower case) and folded."""

    written: tuple[str, ...]
    folded: tuple[str, ...]

    @property
    def marked(self) -> tuple[str, ...]:
        """The words typed with diacritics (or đ): what an exact match must contain."""
        return tuple(w for w, f in zip(self.written, self.folded, strict=True) if w != f)


@dataclass(frozen=True)
class ParsedQuery:
    include: tuple[Term, ...]
    exclude: tuple[Term, ...] = ()

    @property
    def has_diacritics(self) -> bool:
        """Whether ranking by exact diacritics means anything for this query."""
        return any(t.marked for t in self.include)

    def exact_phrases(self) -> tuple[tuple[str, ...], ...]:
        """What a page must contain as written to rank first: each phrase whose words all
        carry diacritics, and otherwise each word typed with them."""
        out: list[tuple[str, ...]] = []
        for term in self.include:
            if term.marked == term.written:
                out.append(term.written)
            else:
                out.extend((w,) for w in term.marked)
        return tuple(out)


def parse_query(text: str) -> ParsedQuery:
    """Words (all required), "phrases", ``-word`` / ``-"phrase"`` exclusions.

    Raises :class:`SearchQueryError` (message in Vietnamese) for a query that is too long,
    has too many terms, or has no word to look for.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"Câu tìm kiếm quá dài ({len(text)} ký tự, tối đa "
                               f"{MAX_QUERY_CHARS}).")
    include: list[Term] = []
    exclude: list[Term] = []
    for negated, unit in _units(_CONTROL.sub(" ", nfc(text))):
        words = [exact(t.text) for t in tokens(unit)]
        if not words:
            continue
        term = Term(tuple(words), tuple(fold(w) for w in words))
        target = exclude if negated else include
        if term not in target:
            target.append(term)
    if len(include) + len(exclude) > MAX_TERMS:
        raise SearchQueryError(f"Câu tìm kiếm có quá nhiều từ (tối đa {MAX_TERMS} từ hoặc "
                               f"cụm từ).")
    if not include:
        raise SearchQueryError("Hãy nhập ít nhất một từ cần tìm (chữ hoặc số), không chỉ "
                               "các từ loại trừ hay ký hiệu.")
    return ParsedQuery(tuple(include), tuple(exclude))


def _units(text: str) -> list[tuple[bool, str]]:
    """(negated, words or phrase) in order; an unclosed quote runs to the end."""
    units, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        i += negated
        if text[i] == '"':
            close = text.find('"', i + 1)
            end = n if close < 0 else close
            units.append((negated, text[i + 1:end]))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        units.append((negated, text[i:end]))
        i = end
    return units


# --- snippets -------------------------------------------------------------------------------

Fragment = tuple[str, bool]
"""A piece of a snippet and whether it is a matched word (to be marked when shown)."""

SNIPPET_WORDS = 32
_CONTEXT_BEFORE = 8


def snippet(text: str, query: ParsedQuery, words: int = SNIPPET_WORDS) -> tuple[Fragment, ...]:
    """About ``words`` words of ``text`` around the best cluster of the query's terms, as
    plain-text fragments; matched words (folded comparison) are flagged, never marked up."""
    text = nfc(text)
    found = tokens(text)
    if not found:
        return ()
    folded = [_fold_word(t.text) for t in found]
    hits = _matches(folded, query.include)
    start = _best_window(hits, len(found), words)
    stop = min(len(found), start + words)
    pieces: list[Fragment] = [("…", False)] if start > 0 else []
    cursor = found[start].start
    for i in range(start, stop):
        token = found[i]
        if i in hits:
            pieces.append((_squeeze(text[cursor:token.start]), False))
            pieces.append((text[token.start:token.end], True))
            cursor = token.end
    pieces.append((_squeeze(text[cursor:found[stop - 1].end]), False))
    if stop < len(found):
        pieces.append(("…", False))
    return _merged(pieces)


def _matches(folded: list[str], terms: tuple[Term, ...]) -> dict[int, int]:
    """Token index → index of the term it belongs to (phrases: consecutive words)."""
    hits: dict[int, int] = {}
    for n, term in enumerate(terms):
        size = len(term.folded)
        for i in range(len(folded) - size + 1):
            if folded[i] == term.folded[0] and tuple(folded[i:i + size]) == term.folded:
                hits.update((j, n) for j in range(i, i + size))
    return hits


def _best_window(hits: dict[int, int], count: int, words: int) -> int:
    """Start of the window showing the most distinct terms (then the most matched words)."""
    best, best_score = 0, (-1, -1)
    for i in sorted(hits):
        start = max(0, min(i - _CONTEXT_BEFORE, count - words))
        inside = [hits[j] for j in range(start, start + words) if j in hits]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best, best_score = start, score
    return best


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text)


def _merged(pieces: list[Fragment]) -> tuple[Fragment, ...]:
    out: list[Fragment] = []
    for piece, match in pieces:
        if not piece:
            continue
        if out and not match and not out[-1][1]:
            out[-1] = (out[-1][0] + piece, False)
        else:
            out.append((piece, match))
    return tuple(out)
