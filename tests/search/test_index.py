"""Archivist search on both backends: folding, ranking, filters, agency restriction,
snippets, page numbers, idempotent indexing, and queries that try to break out."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from sohoa.errors import SearchQueryError
from sohoa.search.index import SearchIndex, SearchQuery
from sohoa.search.textfold import fold, parse_query, snippet
from sohoa.storage.catalog import Catalog
from sohoa.storage.records import DossierStatus
from sohoa.storage.routing import route
from tests.helpers.search_data import VN, add_document, new_dossier

FILLER = " ".join(["Tôi cam đoan nội dung khai trên đây là đúng sự thật."] * 6)


def _find(catalog: Catalog, words: str, **filters) -> list[tuple[str, int, int]]:
    results = SearchIndex(catalog).search(SearchQuery(words, **filters))
    return [(h.dossier_code, h.ordinal, h.page) for h in results.hits]


def _codes(catalog: Catalog, words: str, **filters) -> set[str]:
    return {code for code, _, _ in _find(catalog, words, **filters)}


# --- pure parts ----------------------------------------------------------------------------


def test_folding_drops_every_diacritic_and_the_stroke_of_d() -> None:
    assert fold("Đà Nẵng") == fold("đa năng") == fold("DA NANG") == "da nang"
    assert fold("ĐĂNG KÝ HỘ KINH DOANH ở Thừa Thiên Huế") == \
        "dang ky ho kinh doanh o thua thien hue"
    assert fold("Nguyễn Thị Ánh Tuyết, ủy quyền") == "nguyen thi anh tuyet, uy quyen"


def test_queries_parse_into_words_phrases_and_exclusions() -> None:
    parsed = parse_query('Đà Nẵng "ủy ban nhân dân" -"hải phòng" -xã')
    assert [t.written for t in parsed.include] == [("đà",), ("nẵng",), ("ủy", "ban", "nhân",
                                                                         "dân")]
    assert [t.folded for t in parsed.exclude] == [("hai", "phong"), ("xa",)]
    assert parsed.has_diacritics
    assert parse_query("da nang").has_diacritics is False


def test_snippet_marks_the_matched_words_whatever_their_diacritics() -> None:
    page = "Kính gửi: Ủy ban nhân dân thành phố Đà Nẵng.\nNơi sinh: Da Nang. " + FILLER
    fragments = snippet(page, parse_query("đà nẵng"))
    assert [f for f, marked in fragments if marked] == ["Đà", "Nẵng", "Da", "Nang"]
    assert "".join(f for f, _ in fragments).startswith("Kính gửi: Ủy ban nhân dân thành phố")


# --- the index on both backends ------------------------------------------------------------


def test_exact_diacritics_rank_above_folded_matches(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Công ty đa năng, đa năng, đa năng. " + FILLER])
    add_document(catalog, code, 2, ["Noi sinh: Da Nang, Da Nang."])
    add_document(catalog, code, 3, [FILLER + " Nơi sinh: thành phố Đà Nẵng. " + FILLER])
    results = SearchIndex(catalog).search(SearchQuery("Đà Nẵng"))
    assert results.total == 3 and results.total_is_exact
    assert [(h.ordinal, h.exact) for h in results.hits][0] == (3, True)
    assert {(h.ordinal, h.exact) for h in results.hits[1:]} == {(1, False), (2, False)}
    plain = SearchIndex(catalog).search(SearchQuery("da nang"))
    assert {h.ordinal for h in plain.hits} == {1, 2, 3}
    assert not any(h.exact for h in plain.hits)
    assert [h.ordinal for h in SearchIndex(catalog).search(SearchQuery("ĐÀ NẴNG")).hits][0] == 3


def test_phrases_words_and_exclusions(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Kính gửi Ủy ban nhân dân phường Hưng Dũng"])
    add_document(catalog, code, 2, ["Ban quản lý dự án, ủy quyền cho nhân viên, dân cư"])
    assert {o for _, o, _ in _find(catalog, "ủy ban nhân dân")} == {1, 2}
    assert {o for _, o, _ in _find(catalog, '"ủy ban nhân dân"')} == {1}
    assert {o for _, o, _ in _find(catalog, '"uy ban nhan dan"')} == {1}
    assert {o for _, o, _ in _find(catalog, "ủy ban -hưng")} == {2}
    assert {o for _, o, _ in _find(catalog, 'nhân -"phuong hung dung"')} == {2}
    assert _find(catalog, "khai sinh") == []


def test_each_filter_narrows_to_the_right_dossiers(catalog: Catalog) -> None:
    a = new_dossier(catalog, procedure="1.001193",
                    received_at=datetime(2025, 3, 14, 9, 0, tzinfo=VN))
    b = new_dossier(catalog, procedure="2.001583",
                    received_at=datetime(2025, 4, 2, 23, 30, tzinfo=VN))  # 16:30 UTC
    c = new_dossier(catalog, procedure="1.001193", agency="000.00.15.H56",
                    received_at=datetime(2025, 4, 3, 0, 15, tzinfo=VN))  # 17:15 UTC on 2 Apr
    add_document(catalog, a, 1, ["Sổ hộ khẩu gia đình"], doc_type="to_khai_khai_sinh")
    add_document(catalog, b, 1, ["Bản sao sổ hộ khẩu"], doc_type="giay_chung_sinh")
    add_document(catalog, c, 1, ["Hộ khẩu thường trú"], doc_type="to_khai_khai_sinh")
    catalog.set_status(b, DossierStatus.DANG_XU_LY)
    assert _codes(catalog, "hộ khẩu") == {a, b, c}
    assert _codes(catalog, "hộ khẩu", procedure_code="1.001193") == {a, c}
    assert _codes(catalog, "hộ khẩu", agency_code="000.00.15.H56") == {c}
    assert _codes(catalog, "hộ khẩu", doc_type="giay_chung_sinh") == {b}
    assert _codes(catalog, "hộ khẩu", status=4) == {b}
    assert _codes(catalog, "hộ khẩu", status=2) == {a, c}
    assert _codes(catalog, "hộ khẩu", received_from=date(2025, 4, 3)) == {c}
    assert _codes(catalog, "hộ khẩu", received_to=date(2025, 4, 2)) == {a, b}
    assert _codes(catalog, "hộ khẩu", received_from=date(2025, 4, 2),
                  received_to=date(2025, 4, 2)) == {b}
    assert _codes(catalog, "ho khau", procedure_code="1.001193",
                  doc_type="to_khai_khai_sinh", agency_code="000.00.14.H56") == {a}


def test_agencies_see_only_the_dossiers_routed_to_them(catalog: Catalog) -> None:
    codes = [new_dossier(catalog) for _ in range(3)]
    for code in codes:
        add_document(catalog, code, 1, ["Giấy phép xây dựng nhà ở riêng lẻ"])
    route(catalog, codes[0], ["H56.01"])
    route(catalog, codes[1], ["H56.02", "H56.01"])
    route(catalog, codes[2], ["H56.03"])
    assert _codes(catalog, "xây dựng", restrict_to_agencies=frozenset({"H56.01"})) == \
        set(codes[:2])
    assert _codes(catalog, "xây dựng", restrict_to_agencies=frozenset({"H56.03", "x"})) == \
        {codes[2]}
    assert _codes(catalog, "xây dựng", restrict_to_agencies=frozenset()) == set()
    assert _codes(catalog, "xây dựng", restrict_to_agencies=None) == set(codes)
    restricted = SearchIndex(catalog).search(
        SearchQuery("xây dựng", restrict_to_agencies=frozenset({"H56.02"}), limit=1))
    assert restricted.total == 1 and restricted.hits[0].dossier_code == codes[1]
    catalog.set_status(codes[1], 1)  # not received at the counter: hidden, routed or not
    assert _codes(catalog, "xây dựng", restrict_to_agencies=frozenset({"H56.01"})) == \
        {codes[0]}
    assert _codes(catalog, "xây dựng", restrict_to_agencies=None) == set(codes)


def test_hits_carry_the_page_number_within_the_document_and_a_snippet(
        catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Trang bìa"], title="Bìa hồ sơ")
    add_document(catalog, code, 2, ["Điều 1. Tên công ty", "Điều 2. Vốn điều lệ",
                                    "Điều 3. Người đại diện theo pháp luật"],
                 doc_type="dieu_le_cong_ty", title="Điều lệ công ty", order=[2, 0, 1])
    [hit] = SearchIndex(catalog).search(SearchQuery("người đại diện")).hits
    assert (hit.dossier_code, hit.ordinal, hit.page, hit.title, hit.doc_type) == \
        (code, 2, 1, "Điều lệ công ty", "dieu_le_cong_ty")
    assert hit.snippet == (("Điều 3. ", False), ("Người", True), (" ", False),
                           ("đại", True), (" ", False), ("diện", True),
                           (" theo pháp luật", False))
    assert hit.received_at == datetime(2025, 3, 14, 9, 0, tzinfo=VN)
    assert hit.status == 2 and hit.status_name == "được tiếp nhận"
    assert [p for _, _, p in _find(catalog, "vốn điều lệ")] == [3]
    assert [p for _, _, p in _find(catalog, "tên công ty")] == [2]


def test_indexing_is_idempotent_and_reindexing_rebuilds_the_same(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Giấy chứng sinh của trẻ", "Mẹ: Trần Thị Hương"])
    index = SearchIndex(catalog)
    before = _find(catalog, "trần thị hương")
    assert before == [(code, 1, 2)]
    assert index.index_document(code, 1) == 2
    assert index.index_document(code, 1) == 2
    # a redelivered step records the same document again
    record = catalog.dossier(code).documents[0]
    from sohoa.storage.objects import StoredObject

    catalog.add_document(code, 1, StoredObject(record.key, record.sha256, 100),
                         title=record.title, page_count=2, page_indexes=[0, 1])
    assert _find(catalog, "trần thị hương") == before
    assert index.search(SearchQuery("giấy")).total == 1
    seen = []
    assert index.reindex_all(lambda done, total: seen.append((done, total))) == 2
    assert seen[-1] == (2, 2)
    assert _find(catalog, "trần thị hương") == before
    index.remove_dossier(code)
    assert _find(catalog, "trần thị hương") == []


def test_pages_past_the_first_screen_and_the_count(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, [f"Biên bản họp số {n}" for n in range(7)])
    index = SearchIndex(catalog)
    first = index.search(SearchQuery("biên bản", limit=5))
    rest = index.search(SearchQuery("biên bản", limit=5, offset=5))
    assert first.total == rest.total == 7
    assert len(first.hits) == 5 and len(rest.hits) == 2
    assert sorted(h.page for h in first.hits + rest.hits) == list(range(1, 8))
    assert index.search(SearchQuery("biên bản", offset=50)).hits == ()


@pytest.mark.parametrize("limit, offset, status", [(0, 0, None), (101, 0, None),
                                                   (10, -1, None), (10, 0, 11)])
def test_bad_paging_and_filters_are_refused_in_vietnamese(limit: int, offset: int,
                                                          status: int | None) -> None:
    with pytest.raises(SearchQueryError) as caught:
        SearchQuery("hộ khẩu", limit=limit, offset=offset, status=status)
    assert any(ch in caught.value.message for ch in "ảếđốạ")


NASTY = [
    "'; DROP TABLE dossiers; --",
    '") OR 1=1 --',
    "NEAR(a b)",
    "a*",
    "col:text",
    "folded:ho exact:khau",
    "&|!",
    '"unbalanced quote',
    'đăng "ký',
    "x" * 10_000,
    "hộ\x00khẩu",
    "\x00",
    "😀 hộ 🏠 khẩu",
    "hộ' OR '1'='1",
    "ho <-> khau & !x",
    "{exact folded}: ho",
    "^ho",
    "- - -",
    "ho) OR (khau",
    "--",
    "",
    "   ",
    "\\'; SELECT pg_sleep(5); --",
]


def test_hostile_queries_give_results_or_a_clean_error(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Sổ hộ khẩu, đăng ký thường trú; col text; near a b"])
    index = SearchIndex(catalog)
    refused = []
    for query in NASTY:
        try:
            results = index.search(SearchQuery(query))
        except SearchQueryError as exc:
            assert any(ch in exc.message for ch in "ảếđốạễấ"), exc.message
            refused.append(query)
        else:
            assert all(h.dossier_code == code for h in results.hits), query
        with catalog.read_session() as session:
            assert session.execute(text("SELECT count(*) FROM dossiers")).scalar_one() == 1
        assert _find(catalog, "hộ khẩu") == [(code, 1, 1)], query
    assert refused == ["&|!", "x" * 10_000, "\x00", "- - -", "--", "", "   "]


def test_the_syntax_typed_by_users_is_searched_as_words(catalog: Catalog) -> None:
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Sổ hộ khẩu, đăng ký thường trú; col text; near a b"])
    for query in ("NEAR(a b)", "col:text", "hộ\x00khẩu", "😀 hộ 🏠 khẩu", "a*", "ho) OR (khau"):
        assert _codes(catalog, query) == ({code} if "OR" not in query else set()), query


def test_broad_searches_stream_the_exact_tier_first_newest_first(
        catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past COUNT_CAP hits, each tier is read newest page first; paging crosses tiers."""
    from sohoa.search import index as search

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    code = new_dossier(catalog)
    texts = ["Đà Nẵng", "Da Nang", "đa năng", "Đà Nẵng, Đà Nẵng", "DA NANG", "Đà Nẵng"]
    add_document(catalog, code, 1, [f"Nơi sinh: {t}" for t in texts])
    index = SearchIndex(catalog)
    seen = []
    for offset in range(0, 6, 4):
        results = index.search(SearchQuery("Đà Nẵng", limit=4, offset=offset))
        assert (results.total, results.total_is_exact) == (3, False)
        seen += [(h.page, h.exact) for h in results.hits]
    assert seen == [(6, True), (4, True), (1, True), (5, False), (3, False), (2, False)]
    assert [(h.page, h.exact) for h in index.search(
        SearchQuery("Đà Nẵng", limit=2, offset=3)).hits] == [(5, False), (3, False)]
    assert [h.page for h in index.search(SearchQuery("da nang", limit=2, offset=1)).hits] \
        == [5, 4]
    assert [h.page for h in index.search(
        SearchQuery("da nang", limit=6, doc_type="khac")).hits] == [6, 5, 4, 3, 2, 1]
