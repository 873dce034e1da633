"""The archivist search page and JSON API, on the real app (embedded default) with real
sign-in: escaping, highlights, links to the PDF page, agency restriction, refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.routers import search
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Principal, Role
from sohoa.settings import Settings
from sohoa.storage.catalog import Catalog
from sohoa.storage.routing import route
from tests.helpers.auth import bearer, issue_token, sign_in_as
from tests.helpers.search_data import add_document, new_dossier


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app with the search router included (as app.py will), nobody signed in."""
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    app = create_app(settings, CounterSettings(secure_cookies=False))
    with TestClient(app) as client:
        yield client


def _catalog(client: TestClient) -> Catalog:
    return client.app.state.counter.ctx.catalog  # type: ignore[attr-defined]


@pytest.fixture
def dossiers(app_client: TestClient) -> dict[str, str]:
    catalog = _catalog(app_client)
    land = new_dossier(catalog, procedure="1.004227")
    add_document(catalog, land, 1, ["Trang bìa hồ sơ"], doc_type="bia_ho_so", title="Bìa")
    add_document(catalog, land, 2, [
        "Hợp đồng chuyển nhượng quyền sử dụng đất",
        "Thửa đất tại thành phố Đà Nẵng <script>alert('x')</script> & <b>đậm</b>"],
        doc_type="hop_dong_chuyen_nhuong", title="Hợp đồng <chuyển nhượng>")
    birth = new_dossier(catalog)
    add_document(catalog, birth, 1, ["Tờ khai: nơi sinh Da Nang, Việt Nam"],
                 doc_type="to_khai_khai_sinh", title="Tờ khai khai sinh")
    route(catalog, land, ["H56.DAT"])
    route(catalog, birth, ["H56.TUPHAP"])
    return {"land": land, "birth": birth}


def test_the_page_shows_highlighted_escaped_snippets_linking_to_the_pdf_page(
        app_client: TestClient, dossiers: dict[str, str]) -> None:
    sign_in_as(app_client, "luutru1", Role.ARCHIVIST)
    page = app_client.get("/search", params={"q": "đà nẵng"})
    assert page.status_code == 200
    html = page.text
    assert "Tìm thấy 2 trang" in html
    assert "<script>alert" not in html and "<b>đậm" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b" in html
    assert "Hợp đồng &lt;chuyển nhượng&gt; — trang 2" in html
    assert re.findall(r"<mark>([^<]*)</mark>", html) == ["Đà", "Nẵng", "Da", "Nang"]
    links = re.findall(r'class="open" href="([^"]+)"', html)
    assert links == [f"/api/v1/dossiers/{dossiers['land']}/documents/2#page=2",
                     f"/api/v1/dossiers/{dossiers['birth']}/documents/1#page=1"]
    assert app_client.get("/search").status_code == 200  # the empty form


def test_the_page_keeps_the_filters_and_explains_a_refused_query(
        app_client: TestClient, dossiers: dict[str, str]) -> None:
    sign_in_as(app_client, "luutru1", Role.ARCHIVIST)
    page = app_client.get("/search", params={"q": "da nang", "type": "to_khai_khai_sinh",
                                             "from": "2025-03-14", "status": "2"})
    assert re.findall(r'class="open" href="/api/v1/dossiers/([^/]+)/', page.text) == \
        [dossiers["birth"]]
    assert 'value="to_khai_khai_sinh"' in page.text and '<option value="2" selected>' in page.text
    refused = app_client.get("/search", params={"q": "&|!"})
    assert refused.status_code == 422
    assert "Hãy nhập ít nhất một từ cần tìm" in refused.text
    bad_date = app_client.get("/search", params={"q": "đất", "from": "31/02/2025"})
    assert bad_date.status_code == 422 and 'id="from-error"' in bad_date.text
    assert "&#39;31/02/2025&#39; không phải là ngày" in bad_date.text


def test_the_json_api_answers_with_its_model(app_client: TestClient,
                                             dossiers: dict[str, str]) -> None:
    sign_in_as(app_client, "luutru1", Role.ARCHIVIST)
    body = app_client.get("/api/v1/search", params={"q": "Đà Nẵng", "limit": 1}).json()
    assert (body["total"], body["total_is_exact"], body["limit"], body["offset"]) == \
        (2, True, 1, 0)
    [hit] = body["hits"]
    assert (hit["dossier_code"], hit["ordinal"], hit["page"], hit["exact"], hit["doc_type"],
            hit["status_name"]) == (dossiers["land"], 2, 2, True, "hop_dong_chuyen_nhuong",
                                    "được tiếp nhận")
    assert [f["text"] for f in hit["snippet"] if f["match"]] == ["Đà", "Nẵng"]
    assert "<script>" in "".join(f["text"] for f in hit["snippet"])  # data, not markup
    assert hit["pdf"] == f"/api/v1/dossiers/{dossiers['land']}/documents/2#page=2"
    refused = app_client.get("/api/v1/search", params={"q": "x" * 10_000})
    assert refused.status_code == 422
    assert refused.json() == {"error": "Câu tìm kiếm quá dài (10000 ký tự, tối đa 500)."}
    schema = app_client.app.openapi()
    assert "/api/v1/search" in schema["paths"]
    assert "SearchResponse" in schema["components"]["schemas"]


def test_an_agency_finds_only_the_dossiers_routed_to_it(app_client: TestClient,
                                                        dossiers: dict[str, str]) -> None:
    secret = issue_token(app_client, "tuphap", Role.AGENCY, ["H56.TUPHAP"])
    body = app_client.get("/api/v1/search", params={"q": "da nang"},
                          headers=bearer(secret)).json()
    assert [h["dossier_code"] for h in body["hits"]] == [dossiers["birth"]]
    assert body["total"] == 1


def test_clerks_and_strangers_are_refused(app_client: TestClient,
                                          dossiers: dict[str, str]) -> None:
    stranger = app_client.get("/api/v1/search", params={"q": "đất"},
                              headers={"Accept": "application/json"})
    assert stranger.status_code == 401
    sign_in_as(app_client, "canbo1", Role.CLERK)
    assert app_client.get("/api/v1/search", params={"q": "đất"}).status_code == 403


def test_the_route_logic_without_http(app_client: TestClient,
                                      dossiers: dict[str, str]) -> None:
    catalog = _catalog(app_client)
    form = search.SearchForm(q="đất", type="hop_dong_chuyen_nhuong")
    archivist = Principal("luutru1", Role.ARCHIVIST)
    assert [h.dossier_code for h in search.run_search(catalog, archivist, form).hits] == \
        [dossiers["land"]] * 2
    outsider = Principal("xaydung", Role.AGENCY, frozenset({"H56.XAYDUNG"}))
    assert search.run_search(catalog, outsider, form).hits == ()
    assert search.SearchForm(q="a b", from_="2025-01-01", offset=20).link(40) == \
        "/search?q=a+b&from=2025-01-01&limit=20&offset=40"


def test_every_search_is_in_the_audit_log(app_client: TestClient,
                                          dossiers: dict[str, str]) -> None:
    from sohoa.storage.audit import AuditLog

    sign_in_as(app_client, "luutru1", Role.ARCHIVIST)
    app_client.get("/search", params={"q": "Đà Nẵng", "type": "hop_dong_chuyen_nhuong"})
    app_client.get("/api/v1/search", params={"q": "da nang"})
    lines = AuditLog(_catalog(app_client)).entries(action="search")
    assert [(e.actor, e.detail["q"], e.detail["total"]) for e in lines] == [
        ("luutru1", "da nang", 2), ("luutru1", "Đà Nẵng", 1)]
    assert lines[1].detail["type"] == "hop_dong_chuyen_nhuong"
