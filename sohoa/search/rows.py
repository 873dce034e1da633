"""What the search index stores per page, and the SQL filters of a search: the values the
shared query code (:mod:`.index`) and the two backends (:mod:`.sqlite`, :mod:`.postgres`)
pass between them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BindParameter


@dataclass(frozen=True)
class IndexedPage:
    """One page as the index stores it."""

    page_id: int
    dossier_id: int
    ordinal: int
    page_number: int
    written: list[str]
    folded: list[str]


@dataclass(frozen=True)
class Filters:
    """SQL conditions on ``d`` (dossiers) and ``doc`` (documents), fixed strings whose values
    are all bound: ``params`` by name, ``binds`` where a type or expansion is needed."""

    conditions: tuple[str, ...]
    params: dict
    binds: tuple[BindParameter, ...]

    def sql(self) -> str:
        return "".join(f" AND {c}" for c in self.conditions)
