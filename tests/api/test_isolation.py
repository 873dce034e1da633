"""Agency isolation through every route: an agency (token or session) asking for a dossier
that is not routed to it gets a refusal from every route that names a dossier — never its
pages, thumbnails, documents, receipt, status or verdict — and the refusals are audited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sohoa.domain.access import Role
from sohoa.storage.audit import AuditLog
from tests.api.test_agency_api import api  # noqa: F401 - the fixture
from tests.helpers.auth import bearer, sign_in_as

SAMPLE = {"ordinal": "1", "index": "0", "position": "0", "action": "remove", "token": "x"}


def dossier_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route of the app with a {code} in it (from its OpenAPI
    description, which lists every route)."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return sorted((method.upper(), path) for path, methods in paths.items()
                  if "{code}" in path for method in methods)


def _body(path: str) -> dict:
    """What a well-formed request to ``path`` carries (so the refusal is about the dossier,
    not a malformed request)."""
    if path.startswith("/api/") and path.endswith("/status"):
        return {"json": {"status": 4}}
    if path.endswith("/status"):
        return {"data": {"new_status": "4"}}
    if path.endswith("/type"):
        return {"data": {"doc_type": "khac"}}
    if path.endswith("/handover"):
        return {"json" if path.startswith("/api/") else "data": {"recipient": "Trần Thị Mẹ"}}
    if path.endswith("/results"):
        return {"data": {"name": "Giấy khai sinh", "number": "1/GKS",
                         "issued_on": "2026-12-02", "issuing_agency": "UBND",
                         "signer": "Chủ tịch"},
                "files": {"file": ("kq.pdf", b"%PDF-1.7", "application/pdf")}}
    return {}


def _fill(path: str, code: str) -> str:
    path = path.replace("{code}", code)
    return re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)


def test_every_dossier_route_refuses_another_agency(api) -> None:  # noqa: ANN001, F811
    client, t = api
    routes = dossier_routes(client)
    assert len(routes) >= 18  # counter, scans, corrections, receipts, agency API and pages
    land = t["land"]  # routed to the land office only
    for method, path in routes:
        url = _fill(path, land)
        answer = client.request(method, url, headers=bearer(t["center"]), **_body(path))
        assert answer.status_code in (401, 403), (method, url, answer.status_code)
        assert not answer.content.startswith((b"%PDF", b"\x89PNG")), url
        assert land not in answer.text or "không được chuyển" in answer.text, url
    assert client.app.state.counter.ctx.catalog.dossier(land).status == 2


def test_a_signed_in_agency_officer_is_held_to_the_same_routes(api) -> None:  # noqa: ANN001, F811
    client, t = api
    sign_in_as(client, "canbotuphap", Role.AGENCY, ["000.00.14.H56"])
    land = t["land"]
    for method, path in dossier_routes(client):
        url = _fill(path, land)
        answer = client.request(method, url, follow_redirects=False, **_body(path))
        assert answer.status_code in (401, 403), (method, url, answer.status_code)
    denied = AuditLog(client.app.state.counter.ctx.catalog).entries(action="access.denied")
    assert len(denied) >= 18 and {d.actor for d in denied} == {"canbotuphap"}
