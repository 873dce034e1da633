"""What the PostgreSQL index's ``keys`` (word pairs, marked exact words) must not change:
the same hits as word positions give, on both backends; repeated searches (prepared
statements) stay right; and on PostgreSQL the candidates come from the ``keys`` index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from sohoa.search.index import SearchIndex, SearchQuery
from sohoa.search.postgres import keys_literal, match_params
from sohoa.search.textfold import index_forms, parse_query
from sohoa.storage.catalog import Catalog
from tests.helpers.search_data import add_document, new_dossier
from tests.search.conftest import indexed_catalog


def _pages(catalog: Catalog, words: str, **kw) -> list[tuple[int, int, bool]]:
    hits = SearchIndex(catalog).search(SearchQuery(words, **kw)).hits
    return [(h.ordinal, h.page, h.exact) for h in hits]


def test_keys_hold_folded_words_marked_exact_words_and_pairs() -> None:
    written, folded = index_forms("Ủy ban Nhân dân, ủy ban")
    assert keys_literal(written, folded) == (
        "'uy' 'ban' 'nhan' 'dan' '=ủy' '=nhân' '=dân' 'uy ban' 'ban nhan' 'nhan dan' 'dan uy'")
    params = match_params(parse_query('"Ủy ban nhân dân" hộ -"ho khau" -"a b c"'))
    assert params["kq"] == ("'uy' & 'ban' & 'nhan' & 'dan' & 'uy ban' & 'ban nhan' & "
                            "'nhan dan' & 'ho' & !'ho khau'")
    assert params["verify"] is True and params["everify"] is False
    assert params["k1"] == params["kq"] + " & '=ủy' & '=nhân' & '=dân' & '=hộ'"
    assert params["k2"] == params["kq"] + " & !('=ủy' & '=nhân' & '=dân' & '=hộ')"
    assert match_params(parse_query('"tổ dân"'))["verify"] is False


def test_pairs_apart_are_not_a_phrase(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Ủy ban xã; ban nhân sự; nhân dân phố"])
    add_document(catalog, code, 2, ["Ủy ban nhân dân phường"])
    add_document(catalog, code, 3, ["Uy ban nhan dan, ban nhan dan"])
    assert _pages(catalog, '"ủy ban nhân dân"') == [(2, 1, True), (3, 1, False)]
    assert {o for o, _, _ in _pages(catalog, '"uy ban nhan dan"')} == {2, 3}
    assert {o for o, _, _ in _pages(catalog, 'ban -"ủy ban nhân"')} == {1}
    assert {o for o, _, _ in _pages(catalog, 'ban -"dân phường"')} == {1, 3}
    assert {o for o, _, _ in _pages(catalog, 'dân -"ban nhân sự"')} == {2, 3}
    assert _pages(catalog, '"uy ban xa ban nhan"') == [(1, 1, False)]


def test_exact_phrases_rank_first_and_repeated_searches_agree(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Thành phố Đà Nẵng", "Đà thành phố Nẵng",
                                    "Thanh pho Da Nang", "thành phố Đà Nẵng, Đà Nẵng"])
    for _ in range(8):  # past psycopg's prepare threshold (5)
        hits = _pages(catalog, '"thành phố Đà Nẵng"')
        assert sorted(hits[:2]) == [(1, 1, True), (1, 4, True)]
        assert hits[2:] == [(1, 3, False)]
        assert _pages(catalog, "Đà Nẵng -phố") == []


@pytest.fixture
def pg_catalog(postgres_url: str) -> Iterator[Catalog]:
    """An indexing catalog on PostgreSQL only: the plan under test is PostgreSQL's."""
    with indexed_catalog(postgres_url) as catalog:
        yield catalog


@pytest.mark.parametrize("kind", ["count", "ranked"])
def test_postgresql_takes_the_candidates_from_the_keys_index(pg_catalog: Catalog,
                                                             kind: str) -> None:
    catalog = pg_catalog
    from sohoa.search import postgres as search_pg
    from sohoa.search.index import filters_of

    code = new_dossier(catalog)
    add_document(catalog, code, 1, [f"Giấy phép lái xe số {n}" for n in range(30)])
    query = SearchQuery('"giấy phép lái" xe', procedure_code="1.001193")
    filters = filters_of(query)
    params = {**filters.params, **match_params(parse_query(query.text))}
    sql = (search_pg.count_sql(filters, "t1") if kind == "count"
           else search_pg.ranked_sql(filters, parse_query(query.text)))
    with catalog.read_session() as session:
        search_pg.tune_session(session)
        bound = {**params, "match": params["fq"], "cap": 5, "limit": 5, "offset": 0}
        explain = text("EXPLAIN " + getattr(sql, "element", sql).text)
        plan = "\n".join(r[0] for r in session.execute(explain.bindparams(*filters.binds),
                                                         bound))
    assert "ix_search_pages_keys" in plan
    assert "Seq Scan on search_pages" not in plan
