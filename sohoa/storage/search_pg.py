"""The search index on PostgreSQL: ``search_pages`` with two ``tsvector`` columns.

The vectors are written as ``tsvector`` literals built here from the words
:mod:`sohoa.pipeline.textfold` cut (lexeme and positions, like the ``simple`` configuration
but with exactly the same words as SQLite's index and without the ``unaccent`` extension);
queries are ``tsquery`` literals of quoted lexemes (``<->`` inside a phrase, ``&`` between
terms, ``!`` before an excluded one). Both travel as bound values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from sohoa.pipeline.textfold import ParsedQuery
from sohoa.storage.models import UtcDateTime

if TYPE_CHECKING:
    from sohoa.storage.search import Filters, IndexedPage

MAX_POSITION = 16_383
"""PostgreSQL keeps word positions up to this; later words share it."""
MAX_POSITIONS_PER_LEXEME = 255

FROM = """
FROM search_pages AS s
JOIN dossiers AS d ON d.id = s.dossier_id
JOIN documents AS doc ON doc.dossier_id = s.dossier_id AND doc.ordinal = s.ordinal
WHERE s.folded @@ CAST(:match AS tsquery)"""

COLUMNS = """
SELECT s.page_id AS page_id, s.ordinal AS ordinal, s.page_number AS page_number,
       d.code AS code, d.procedure_code AS procedure_code, d.status AS status,
       d.received_at AS received_at, doc.title AS title, doc.doc_type AS doc_type"""

RANKED = COLUMNS + """, {tier} AS exact, ts_rank(s.folded, CAST(:match AS tsquery)) AS score
{from_}{filters}
ORDER BY exact DESC, score DESC, s.page_id DESC
LIMIT :limit OFFSET :offset"""

STREAMED = COLUMNS + """, {exact} AS exact, 0.0 AS score
{from_}{exact_filter}{filters}
ORDER BY s.page_id DESC
LIMIT :limit OFFSET :offset"""

COUNT = "SELECT count(*) FROM (SELECT 1 {from_}{exact_filter}{filters} LIMIT :cap) AS hits"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(words: Sequence[str]) -> str:
    return "(" + " <-> ".join(_lexeme(w) for w in words) + ")"


def match_params(parsed: ParsedQuery) -> dict:
    """``fq``: all terms folded, excluded ones negated; ``eq``: the words typed with
    diacritics as written (see :func:`sohoa.storage.search_sqlite.match_params`);
    ``t1``/``t2`` select the pages with / without them."""
    folded = [_phrase(t.folded) for t in parsed.include]
    folded += [f"!{_phrase(t.folded)}" for t in parsed.exclude]
    params = {"fq": " & ".join(folded)}
    exact = [_phrase(words) for words in parsed.exact_phrases()]
    if exact:
        params["eq"] = " & ".join(exact)
        params["t1"] = params["t2"] = params["fq"]
    return params


def _statement(sql: str, filters: Filters) -> TextClause:
    return text(sql).bindparams(*filters.binds)


def _exact_filter(tier: str | None) -> str:
    """The tier is a second condition on the ``exact`` column (same ``:match`` on folded)."""
    if tier is None:
        return ""
    return f" AND {'' if tier == 't1' else 'NOT '}(s.exact @@ CAST(:eq AS tsquery))"


def count_sql(filters: Filters, tier: str | None = None) -> TextClause:
    sql = COUNT.format(from_=FROM, exact_filter=_exact_filter(tier), filters=filters.sql())
    return _statement(sql, filters)


def ranked_sql(filters: Filters, parsed: ParsedQuery):  # noqa: ANN201 - a TextualSelect
    tier = "(s.exact @@ CAST(:eq AS tsquery))" if "eq" in match_params(parsed) else "false"
    sql = RANKED.format(tier=tier, from_=FROM, filters=filters.sql())
    return _statement(sql, filters).columns(received_at=UtcDateTime())


def streamed_sql(filters: Filters, exact: bool, tier: str | None = None):  # noqa: ANN201
    sql = STREAMED.format(exact="true" if exact else "false", from_=FROM,
                          exact_filter=_exact_filter(tier), filters=filters.sql())
    return _statement(sql, filters).columns(received_at=UtcDateTime())


def tsvector_literal(words: Sequence[str]) -> str:
    """``'lexeme':1,5 'other':2`` from the page's words in order."""
    positions: dict[str, list[int]] = {}
    for n, word in enumerate(words, start=1):
        seen = positions.setdefault(word, [])
        if len(seen) < MAX_POSITIONS_PER_LEXEME:
            seen.append(min(n, MAX_POSITION))
    return " ".join(f"{_lexeme(w)}:{','.join(map(str, dict.fromkeys(p)))}"
                    for w, p in positions.items())


# --- writing -------------------------------------------------------------------------------


def delete_pages(session: Session, page_ids: Sequence[int]) -> None:
    if page_ids:
        session.execute(text("DELETE FROM search_pages WHERE page_id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)),
                        {"ids": sorted(set(page_ids))})


def insert(session: Session, rows: Sequence[IndexedPage]) -> None:
    if rows:
        session.execute(
            text("INSERT INTO search_pages (page_id, dossier_id, ordinal, page_number, exact, "
                 "folded) VALUES (:page_id, :dossier_id, :ordinal, :page_number, "
                 "CAST(:exact AS tsvector), CAST(:folded AS tsvector))"),
            [{"page_id": r.page_id, "dossier_id": r.dossier_id, "ordinal": r.ordinal,
              "page_number": r.page_number, "exact": tsvector_literal(r.written),
              "folded": tsvector_literal(r.folded)} for r in rows])


def remove_dossier(session: Session, dossier_id: int) -> None:
    session.execute(text("DELETE FROM search_pages WHERE dossier_id = :id"), {"id": dossier_id})


def clear(session: Session) -> None:
    session.execute(text("DELETE FROM search_pages"))


def optimize(session: Session) -> None:
    """Nothing to merge (GIN's pending list is flushed by autovacuum / ANALYZE)."""
    session.execute(text("ANALYZE search_pages"))
