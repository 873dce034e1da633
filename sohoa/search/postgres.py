"""The search index on PostgreSQL: ``search_pages`` with three ``tsvector`` columns.

``exact`` and ``folded`` hold the page's words as written and folded with their positions
(like the ``simple`` configuration, but exactly the words :mod:`sohoa.search.textfold`
cuts for SQLite's index too, and no ``unaccent`` extension): they check phrases and rank.
``keys``, the only one indexed (GIN), holds what a page can be *found* by without positions:
the folded words, the words with diacritics marked ``=`` ("=nẵng") and every two consecutive
folded words ("da nang"). A search asks the index for ``keys`` matching its words, phrases'
pairs and — for the exact tier — marked words, all in one ``tsquery`` that GIN answers
exactly; only phrases of three words or more are then checked against ``folded`` /
``exact``, page by page, on those candidates.

Vectors are written as ``tsvector`` literals built here; queries are ``tsquery`` literals
of quoted lexemes (``<->`` inside a phrase, ``&`` between terms, ``!`` before an excluded
one). Both travel as bound values.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from sohoa.search.rows import Filters, IndexedPage
from sohoa.search.textfold import ParsedQuery
from sohoa.storage.models import UtcDateTime

MAX_POSITION = 16_383
"""PostgreSQL keeps word positions up to this; later words share it."""
MAX_POSITIONS_PER_LEXEME = 255

CANDIDATES = """
WITH m AS MATERIALIZED (
    SELECT page_id, dossier_id, ordinal, page_number FROM search_pages
    WHERE keys @@ CAST(:{keys} AS tsquery))"""
"""The pages that may match, from the GIN index of ``keys`` alone: its query has no ``<->``,
so the index answers it exactly and no page's vectors are read. A materialized CTE so that
PostgreSQL cannot trade the index for a scan that reads every page's vectors (it
overestimates multi-word matches and takes ``@@`` for cheap: measured 540–650 ms for such
scans of 100,000 pages, against 16 ms from the index)."""

FROM = """
FROM m
JOIN search_pages AS s ON s.page_id = m.page_id
JOIN dossiers AS d ON d.id = m.dossier_id
JOIN documents AS doc ON doc.dossier_id = m.dossier_id AND doc.ordinal = m.ordinal
WHERE (CAST(:verify AS boolean) IS NOT TRUE OR s.folded @@ CAST(:match AS tsquery))"""
"""Phrases of three words or more (word positions) are checked on the candidates only; a
query without them is answered by the index alone (``:verify`` false: the condition folds
away when the statement is planned)."""

COLUMNS = """
SELECT m.page_id AS page_id, m.ordinal AS ordinal, m.page_number AS page_number,
       d.code AS code, d.procedure_code AS procedure_code, d.status AS status,
       d.received_at AS received_at, doc.title AS title, doc.doc_type AS doc_type"""

RANKED = CANDIDATES + COLUMNS + """, {tier} AS exact,
       ts_rank(s.folded, CAST(:match AS tsquery)) AS score
{from_}{filters}
ORDER BY exact DESC, score DESC, m.page_id DESC
LIMIT :limit OFFSET :offset"""

STREAMED = COLUMNS + """, {exact} AS exact, 0.0 AS score
FROM (SELECT page_id, dossier_id, ordinal, page_number FROM search_pages
      WHERE keys @@ CAST(:{keys} AS tsquery) ORDER BY page_id DESC OFFSET 0) AS m
CROSS JOIN LATERAL (SELECT exact, folded FROM search_pages
                    WHERE page_id = m.page_id OFFSET 0) AS s
CROSS JOIN LATERAL (SELECT * FROM dossiers WHERE id = m.dossier_id OFFSET 0) AS d
CROSS JOIN LATERAL (SELECT * FROM documents
                    WHERE dossier_id = m.dossier_id AND ordinal = m.ordinal OFFSET 0) AS doc
WHERE (CAST(:verify AS boolean) IS NOT TRUE OR s.folded @@ CAST(:match AS tsquery))
{exact_filter}{filters}
ORDER BY m.page_id DESC
LIMIT :limit OFFSET :offset"""
"""The candidates newest first — sorted from the index, or, when most pages are expected to
match, read backwards along the primary key (stops after a screen) — then joined page by page
(``LATERAL … OFFSET 0``: nested loops in that order, whatever the estimates), so phrases and
filters are checked only until a screen is full — not on all of a common phrase's tens of
thousands of candidates before sorting, which the planner chose when it underestimated them
(measured 1.6 s, now 74 ms)."""

COUNT = CANDIDATES + " SELECT count(*) FROM (SELECT 1 {from_}{exact_filter}{filters} " \
    "LIMIT :cap) AS hits"

EXACT_MARK = "="
"""Prefix of the words with diacritics in ``keys`` (never a folded word's first letter)."""


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(words: Sequence[str]) -> str:
    return "(" + " <-> ".join(_lexeme(w) for w in words) + ")"


def pairs(words: Sequence[str]) -> list[str]:
    """Each two consecutive words as one lexeme ("uy ban"): a phrase's pairs find its pages
    in the GIN index, which keeps no word positions."""
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def keys_literal(written: Sequence[str], folded: Sequence[str]) -> str:
    """The page's ``keys``: folded words, ``=``-marked words with diacritics, word pairs."""
    keys = dict.fromkeys(folded)
    keys.update(dict.fromkeys(EXACT_MARK + w for w, f in zip(written, folded, strict=True)
                              if w != f))
    keys.update(dict.fromkeys(pairs(folded)))
    return " ".join(map(_lexeme, keys))


def _term_keys(words: Sequence[str]) -> list[str]:
    """What a page with this phrase (or word) must have in ``keys``."""
    return [*words, *pairs(words)]


def match_params(parsed: ParsedQuery) -> dict:
    """``fq``: all terms folded, excluded ones negated (``<->`` in phrases); ``eq``: the words
    typed with diacritics as written (see :func:`sohoa.search.sqlite.match_params`);
    ``t1``/``t2`` select the pages with / without them. ``kq``/``k1``/``k2``: the same for
    ``keys`` (:data:`CANDIDATES`), exact unless a phrase has three words or more: then
    ``verify`` / ``everify`` say that ``fq`` / ``eq`` must be checked on the candidates."""
    include = dict.fromkeys(k for t in parsed.include for k in _term_keys(t.folded))
    base = [_lexeme(k) for k in include]
    base += [f"!{_lexeme(_term_keys(t.folded)[-1])}" for t in parsed.exclude
             if len(t.folded) <= 2]
    folded = [_phrase(t.folded) for t in parsed.include]
    folded += [f"!{_phrase(t.folded)}" for t in parsed.exclude]
    params = {"fq": " & ".join(folded), "kq": " & ".join(base),
              "verify": any(len(t.folded) > 2 for t in (*parsed.include, *parsed.exclude))}
    exact = parsed.exact_phrases()
    if exact:
        params["eq"] = " & ".join(_phrase(words) for words in exact)
        params["t1"] = params["t2"] = params["fq"]
        marked = " & ".join(_lexeme(EXACT_MARK + w) for words in exact for w in words)
        params["everify"] = any(len(words) > 1 for words in exact)
        params["k1"] = f"{params['kq']} & {marked}"
        params["k2"] = params["kq"] if params["everify"] else f"{params['kq']} & !({marked})"
    return params


def _statement(sql: str, filters: Filters) -> TextClause:
    return text(sql).bindparams(*filters.binds)


def _keys(tier: str | None) -> str:
    return {None: "kq", "t1": "k1", "t2": "k2"}[tier]


def _exact_filter(tier: str | None) -> str:
    """The tier's candidates (``k1``/``k2``) have (or lack) the exact words; the exact
    phrases, if any, are checked here."""
    if tier is None:
        return ""
    negation = "" if tier == "t1" else "NOT "
    return (f" AND (CAST(:everify AS boolean) IS NOT TRUE"
            f" OR {negation}(s.exact @@ CAST(:eq AS tsquery)))")


def count_sql(filters: Filters, tier: str | None = None) -> TextClause:
    sql = COUNT.format(from_=FROM, exact_filter=_exact_filter(tier), filters=filters.sql(),
                       keys=_keys(tier))
    return _statement(sql, filters)


def ranked_sql(filters: Filters, parsed: ParsedQuery):  # noqa: ANN201 - a TextualSelect
    tier = "(s.exact @@ CAST(:eq AS tsquery))" if "eq" in match_params(parsed) else "false"
    sql = RANKED.format(tier=tier, from_=FROM, filters=filters.sql(), keys="kq")
    return _statement(sql, filters).columns(received_at=UtcDateTime())


def streamed_sql(filters: Filters, exact: bool, tier: str | None = None):  # noqa: ANN201
    sql = STREAMED.format(exact="true" if exact else "false",
                          exact_filter=_exact_filter(tier), filters=filters.sql(),
                          keys=_keys(tier))
    return _statement(sql, filters).columns(received_at=UtcDateTime())


def tune_session(session: Session) -> None:
    """Settings for this search's transaction only (one round trip).

    ``plan_cache_mode``: psycopg prepares a statement run five times on a connection, and
    PostgreSQL then switches to a *generic* plan that cannot see the ``tsquery`` — measured:
    a phrase search went from 30–50 ms to 800–1,000 ms from its sixth run on. ``jit``: a
    search costs tens of milliseconds; compiling its expressions would cost more.
    ``enable_seqscan``: a query matching most pages would otherwise be answered by reading
    every page's ``keys`` (~6 kB, ~8 µs a page) rather than from the GIN index.
    ``work_mem``: sorting a common word's ~85,000 candidates stays in memory."""
    session.execute(text(
        "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
        "set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true), "
        "set_config('work_mem', '32MB', true)"))


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
                 "folded, keys) VALUES (:page_id, :dossier_id, :ordinal, :page_number, "
                 "CAST(:exact AS tsvector), CAST(:folded AS tsvector), "
                 "CAST(:keys AS tsvector))"),
            [{"page_id": r.page_id, "dossier_id": r.dossier_id, "ordinal": r.ordinal,
              "page_number": r.page_number, "exact": tsvector_literal(r.written),
              "folded": tsvector_literal(r.folded),
              "keys": keys_literal(r.written, r.folded)}
             for r in rows])


def remove_dossier(session: Session, dossier_id: int) -> None:
    session.execute(text("DELETE FROM search_pages WHERE dossier_id = :id"), {"id": dossier_id})


def clear(session: Session) -> None:
    session.execute(text("DELETE FROM search_pages"))


def optimize(session: Session) -> None:
    """Nothing to merge: ANALYZE flushes GIN's pending list and gives the planner the
    statistics of the index and of the tables a search joins (without them it guesses a
    few hundred documents and picks hash joins over the whole table)."""
    session.execute(text("ANALYZE search_pages, dossiers, documents, dossier_routes"))
