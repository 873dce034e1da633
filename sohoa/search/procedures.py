"""The counter's procedure picker: find a procedure by its code or by any part of its name,
typed with or without diacritics, the procedures this counter uses most first.

An in-memory index built once per catalog: folded name words in a sorted list (a query word
matches every name word it begins, found by bisection), codes in another. A query never
walks the 2,642 procedures.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence

from sohoa.domain.catalog.directory import ProcedureDirectory, ProcedureEntry
from sohoa.search.textfold import fold

_WORD = re.compile(r"[^\W_]+")
_CODE = re.compile(r"^\d[\d.]*$")
DEFAULT_LIMIT = 30


class ProcedureIndex:
    """Search over procedure entries; ``usage`` counts dossiers per code at this counter."""

    def __init__(self, entries: Sequence[ProcedureEntry],
                 usage: Mapping[str, int] | None = None) -> None:
        self.entries = list(entries)
        self.usage = dict(usage or {})
        postings: dict[str, set[int]] = {}
        self._folded: list[str] = []
        for position, entry in enumerate(self.entries):
            folded = fold(entry.name)
            self._folded.append(folded)
            for word in _WORD.findall(folded):
                postings.setdefault(word, set()).add(position)
        self._words = sorted(postings)
        self._postings = postings
        self._codes = sorted((entry.code, position) for position, entry in enumerate(self.entries))

    def search(self, query: str, limit: int = DEFAULT_LIMIT,
               usage: Mapping[str, int] | None = None) -> list[ProcedureEntry]:
        """Entries matching every word of ``query`` (a word matches name words it begins; a
        code or the start of one matches codes); most used first, then those whose name
        holds the query as typed, starts with it, curated ones, then catalog order. Empty
        query: the most used and the curated procedures."""
        usage = self.usage if usage is None else usage
        text = fold(query).strip()
        if not text:
            found = {p for p, e in enumerate(self.entries)
                     if e.curated or usage.get(e.code)}
        elif _CODE.match(text):
            found = self._code_prefix(text)
        else:
            found = self._all_words(_WORD.findall(text))
        ranked = sorted(found, key=lambda p: (-usage.get(self.entries[p].code, 0),
                                              text not in self._folded[p],
                                              not self._folded[p].startswith(text),
                                              not self.entries[p].curated, p))
        return [self.entries[p] for p in ranked[:limit]]

    def _code_prefix(self, text: str) -> set[int]:
        start = bisect_left(self._codes, (text, -1))
        found = set()
        for code, position in self._codes[start:]:
            if not code.startswith(text):
                break
            found.add(position)
        return found

    def _all_words(self, words: list[str]) -> set[int]:
        found: set[int] | None = None
        for word in words:
            matching: set[int] = set()
            start = bisect_left(self._words, word)
            for candidate in self._words[start:]:
                if not candidate.startswith(word):
                    break
                matching |= self._postings[candidate]
            found = matching if found is None else found & matching
            if not found:
                return set()
        return found or set()


_BUILT: dict[int, tuple[ProcedureDirectory, ProcedureIndex]] = {}


def index_for(directory: ProcedureDirectory) -> ProcedureIndex:
    """The picker's index of a catalog, built once per catalog object (the counter keeps
    its catalog until an import or a correction makes it read the catalog again)."""
    built = _BUILT.get(id(directory))
    if built is None or built[0] is not directory:
        if len(_BUILT) > 8:
            _BUILT.clear()
        built = (directory, ProcedureIndex(directory.entries()))
        _BUILT[id(directory)] = built
    return built[1]
