"""The search index on SQLite: an FTS5 table whose rowid is the page's id.

Its columns (migration 0006): ``dossier_id``, ``ordinal``, ``page_number`` (UNINDEXED: the
page's link, stored first so reading them skips the text), ``exact`` and ``folded`` (the
page's words as written and folded, space-separated, tokenized by ``unicode61
remove_diacritics 0``). MATCH expressions are built from quoted letter-and-digit words only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from sohoa.search.rows import Filters, IndexedPage
from sohoa.search.textfold import ParsedQuery, Term
from sohoa.storage.models import UtcDateTime

FROM = """
FROM search_pages
JOIN pages AS p ON p.id = search_pages.rowid
JOIN dossiers AS d ON d.id = p.dossier_id
JOIN documents AS doc ON doc.id = p.document_id
WHERE search_pages MATCH :match"""
"""Joined through ``pages`` by rowid: reading an FTS5 column of a row loads the whole row
(its text too), twice as slow as two primary-key look-ups when filters reject many rows."""

COLUMNS = """
SELECT search_pages.rowid AS page_id, doc.ordinal AS ordinal,
       search_pages.page_number AS page_number, d.code AS code,
       d.procedure_code AS procedure_code, d.status AS status, d.received_at AS received_at,
       doc.title AS title, doc.doc_type AS doc_type"""

RANKED = COLUMNS + """, {tier} AS exact, -search_pages.rank AS score
{from_}{filters}
ORDER BY exact DESC, search_pages.rank, search_pages.rowid DESC
LIMIT :limit OFFSET :offset"""

EXACT_TIER = "(search_pages.rowid IN (SELECT rowid FROM search_pages WHERE search_pages MATCH :t1))"

STREAMED = COLUMNS + """, {exact} AS exact, 0.0 AS score
{from_}{filters}
ORDER BY search_pages.rowid DESC
LIMIT :limit OFFSET :offset"""

COUNT = "SELECT count(*) FROM (SELECT 1 {from_}{filters} LIMIT :cap) AS hits"


def _phrase(words: Sequence[str]) -> str:
    """An FTS5 phrase; the words hold letters and digits only (textfold.tokens)."""
    return '"' + " ".join(w.replace('"', "") for w in words) + '"'


def _folded(terms: Sequence[Term], joiner: str) -> str:
    return f" {joiner} ".join(_phrase(t.folded) for t in terms)


def match_params(parsed: ParsedQuery) -> dict:
    """``fq``: every term folded, minus the excluded ones. With diacritics typed, ``t1``:
    the pages that also have them as written (phrases whose words all carry diacritics,
    otherwise each word typed with them), ``t2``: the other pages of ``fq``."""
    folded = f"folded : ({_folded(parsed.include, 'AND')})"
    if parsed.exclude:
        folded = f"({folded}) NOT (folded : ({_folded(parsed.exclude, 'OR')}))"
    params = {"fq": folded}
    exact = [_phrase(words) for words in parsed.exact_phrases()]
    if exact:
        written = f"exact : ({' AND '.join(exact)})"
        params["t1"] = f"({folded}) AND ({written})"
        params["t2"] = f"({folded}) NOT ({written})"
    return params


def _statement(sql: str, filters: Filters) -> TextClause:
    return text(sql).bindparams(*filters.binds)


def count_sql(filters: Filters, tier: str | None = None) -> TextClause:
    """Matches of ``:match`` passing the filters, counted up to ``:cap`` (the tier is in
    ``:match`` itself: ``t1`` or ``t2``)."""
    return _statement(COUNT.format(from_=FROM, filters=filters.sql()), filters)


def ranked_sql(filters: Filters, parsed: ParsedQuery):  # noqa: ANN201 - a TextualSelect
    """Every match ranked (exact tier, then BM25): for result sets of a few thousand."""
    tier = EXACT_TIER if "t1" in match_params(parsed) else "0"
    sql = RANKED.format(tier=tier, from_=FROM, filters=filters.sql())
    return _statement(sql, filters).columns(received_at=UtcDateTime())


def streamed_sql(filters: Filters, exact: bool,  # noqa: ANN201 - a TextualSelect
                 tier: str | None = None):
    """Matches newest page first, read in index order: stops after ``:limit`` rows."""
    sql = STREAMED.format(exact=int(exact), from_=FROM, filters=filters.sql())
    return _statement(sql, filters).columns(received_at=UtcDateTime())


# --- writing -------------------------------------------------------------------------------


def delete_pages(session: Session, page_ids: Sequence[int]) -> None:
    if page_ids:
        session.execute(text("DELETE FROM search_pages WHERE rowid IN :ids")
                        .bindparams(bindparam("ids", expanding=True)),
                        {"ids": sorted(set(page_ids))})


def insert(session: Session, rows: Sequence[IndexedPage]) -> None:
    if rows:
        session.execute(
            text("INSERT INTO search_pages (rowid, dossier_id, ordinal, page_number, exact, "
                 "folded) VALUES (:page_id, :dossier_id, :ordinal, :page_number, :exact, "
                 ":folded)"),
            [{"page_id": r.page_id, "dossier_id": r.dossier_id, "ordinal": r.ordinal,
              "page_number": r.page_number, "exact": " ".join(r.written),
              "folded": " ".join(r.folded)} for r in rows])


def remove_dossier(session: Session, dossier_id: int) -> None:
    session.execute(text("DELETE FROM search_pages WHERE rowid IN "
                         "(SELECT id FROM pages WHERE dossier_id = :id)"), {"id": dossier_id})


def clear(session: Session) -> None:
    session.execute(text("DELETE FROM search_pages"))


def optimize(session: Session) -> None:
    """Merge the index's segments into one (faster queries after a bulk build)."""
    session.execute(text("INSERT INTO search_pages (search_pages) VALUES ('optimize')"))
