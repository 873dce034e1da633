"""Every page of the app answers a browser in Vietnamese, whatever is wrong with the request
(issue 15): each HTML route, found by walking ``app.routes`` (nothing listed by hand, so a
new route is walked too), is asked with a dossier that does not exist, path numbers that are
not numbers and query parameters that are neither numbers, dates nor known codes — and,
when it names a dossier, once more with a real dossier and the other parameters wrong. Each
answer must be an HTML page in Vietnamese: no JSON, no English word of the framework."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.settings import Settings
from tests.helpers.auth import sign_in_as
from tests.helpers.stored import store_dossier

ENGLISH = ("Not Found", "Field required", "value is not", "Internal Server Error",
           "Method Not Allowed", "Unprocessable", "Input should", "Bad Request",
           "Forbidden", "Unauthorized", '"detail"', "Traceback")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
BAD_QUERY = "31/02/x"
"""Not a number, not a date, not a code: wrong for every query parameter at once."""
SKIPPED = {("POST", "/logout")}  # would end the session the walk runs in
VN = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class HtmlRoute:
    method: str
    path: str
    int_params: frozenset[str]
    query: tuple[str, ...]
    has_form: bool


def _routes_of(app: FastAPI) -> Iterator:
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        yield from (contexts() if contexts else [route])


def _flatten(dependant, attribute: str) -> list:  # noqa: ANN001
    found = list(getattr(dependant, attribute))
    for sub in dependant.dependencies:
        found += _flatten(sub, attribute)
    return found


def html_routes(app: FastAPI, *, api: bool = False) -> list[HtmlRoute]:
    """Every route a browser uses: all but the JSON API and the status endpoints (or, with
    ``api``, those only)."""
    routes = []
    for route in _routes_of(app):
        dependant = getattr(route, "dependant", None)
        if dependant is None or \
                (route.path.startswith("/api/") or route.path.endswith(".json")) != api:
            continue
        ints = frozenset(p.name for p in _flatten(dependant, "path_params")
                         if p.field_info.annotation is int)
        query = tuple(sorted({p.alias for p in _flatten(dependant, "query_params")}))
        form = bool(_flatten(dependant, "body_params"))
        for method in sorted(route.methods - {"HEAD"}):
            if (method, route.path) not in SKIPPED:
                routes.append(HtmlRoute(method, route.path, ints, query, form))
    return routes


def url_of(route: HtmlRoute, code: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        return code if name == "code" else "abc" if name in route.int_params else "khong-co"
    return re.sub(r"\{(\w+)(?::\w+)?\}", value, route.path)


@pytest.fixture
def walker(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    with TestClient(create_app(settings, CounterSettings(secure_cookies=False)),
                    raise_server_exceptions=False) as client:
        ctx = client.app.state.counter.ctx
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])],
                             datetime(2026, 11, 20, 9, 0, tzinfo=VN))
        client.headers["accept"] = "text/html,application/xhtml+xml"
        yield client, code


def assert_vietnamese_html(response, what: str) -> None:  # noqa: ANN001
    if 300 <= response.status_code < 400:
        return  # e.g. a form answered with a redirect to a page
    assert response.headers.get("content-type", "").startswith("text/html"), \
        (what, response.status_code, response.text[:300])
    text = response.text
    assert not text.lstrip().startswith(("{", "[")), (what, text[:300])
    assert VIETNAMESE.search(text), (what, text[:300])
    if response.status_code >= 400:  # a refusal is a whole page (a live fragment may not be)
        assert '<html lang="vi">' in text, (what, text[:300])
    for word in ENGLISH:
        assert word not in text, (what, word, text[:2000])


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ARCHIVIST])
def test_every_html_route_answers_a_bad_request_in_vietnamese(walker, role: Role) -> None:  # noqa: ANN001
    client, real_code = walker
    sign_in_as(client, f"nguoi-{role.value}", role)
    routes = html_routes(client.app)
    assert len(routes) >= 30, [r.path for r in routes]  # the walk found the app's pages
    assert {"/co-quan/{code}/documents/{ordinal}/verification", "/search", "/admin/audit",
            "/dossiers/{code}"} <= {r.path for r in routes}
    walked = 0
    for route in routes:
        query = {name: BAD_QUERY for name in route.query}
        codes = ["khong-co-ho-so"]
        if "{code}" in route.path and (route.method == "GET" or route.int_params
                                       or route.query or route.has_form):
            codes.append(real_code)  # a real dossier, everything else wrong
        for code in codes:
            url = url_of(route, code)
            response = client.request(route.method, url, params=query, follow_redirects=False)
            assert_vietnamese_html(response, f"{route.method} {url} {query}")
            walked += 1
    unknown = client.get("/khong-co/trang/nay")
    assert unknown.status_code == 404
    assert_vietnamese_html(unknown, "unknown URL")
    assert walked > len(routes)


def test_every_json_route_answers_a_bad_request_in_one_shape(walker) -> None:  # noqa: ANN001
    """The JSON side of the same walk, as a system asks: ``{"error": "<Vietnamese>", …}``
    for every 4xx, never FastAPI's ``{"detail": …}``. (A browser following a short-lived
    link that no longer holds gets a page instead: tests/api/test_agency_pages.py.)"""
    client, real_code = walker
    sign_in_as(client, "quantri", Role.ADMIN)
    client.headers["accept"] = "application/json"
    routes = html_routes(client.app, api=True)
    assert {"/api/v1/dossiers/{code}", "/api/v1/search", "/dossiers/{code}/status.json"} <= \
        {r.path for r in routes}
    for route in routes:
        query = {name: BAD_QUERY for name in route.query}
        for code in ("khong-co-ho-so", real_code):
            url = url_of(route, code)
            response = client.request(route.method, url, params=query,
                                      follow_redirects=False)
            what = f"{route.method} {url} {query}"
            if response.status_code < 400:
                continue  # e.g. a status endpoint with nothing wrong to ask about
            body = response.json()
            assert "detail" not in body and VIETNAMESE.search(body["error"]), (what, body)
            for word in ENGLISH:
                assert word not in response.text, (what, word)
