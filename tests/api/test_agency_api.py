"""The agency REST API with real tokens on the embedded default: only routed dossiers,
documents hash-checked with their signature verdict, short-lived links, status changes, and
every read, change and refusal in the audit log."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sohoa.domain.access import Role
from sohoa.errors import AuthenticationError
from sohoa.services.links import LinkTarget, make_link, read_link
from sohoa.services.portal import national_dossier
from sohoa.services.receipts import dossier_paper
from sohoa.storage.audit import AuditLog
from tests.api.conftest import CENTER, LAND
from tests.helpers.auth import bearer, issue_token
from tests.helpers.pdfs import pdf_text


@pytest.fixture
def api(routed_app) -> tuple[TestClient, dict[str, str]]:  # noqa: ANN001
    """The two routed dossiers (conftest ``routed_app``); tokens for each agency."""
    client, codes = routed_app
    return client, {**codes, "center": issue_token(client, "tuphap", agency_codes=[CENTER]),
                    "land_office": issue_token(client, "dataiguyen", agency_codes=[LAND])}


def _audit(client: TestClient, action: str) -> list:
    return AuditLog(client.app.state.counter.ctx.catalog).entries(action=action)


def test_an_agency_lists_only_the_dossiers_routed_to_it(api) -> None:  # noqa: ANN001
    client, t = api
    listed = client.get("/api/v1/dossiers", headers=bearer(t["center"])).json()
    assert listed["total"] == 1 and [d["code"] for d in listed["dossiers"]] == [t["birth"]]
    assert listed["dossiers"][0]["routed_to"] == [CENTER]
    land = client.get("/api/v1/dossiers", headers=bearer(t["land_office"])).json()
    assert [d["code"] for d in land["dossiers"]] == [t["land"]]
    filtered = client.get("/api/v1/dossiers", headers=bearer(t["center"]),
                          params={"procedure": "1.013831"}).json()
    assert filtered["total"] == 0
    dated = client.get("/api/v1/dossiers", headers=bearer(t["center"]),
                       params={"received_from": "2026-11-21", "status": 2}).json()
    assert dated["total"] == 0
    assert client.get("/api/v1/dossiers", headers=bearer(t["center"]),
                      params={"status": 11}).status_code == 422
    assert client.get("/api/v1/dossiers").status_code == 401  # no token


def test_documents_come_hash_checked_with_their_signature_verdict(api) -> None:  # noqa: ANN001
    client, t = api
    detail = client.get(f"/api/v1/dossiers/{t['birth']}", headers=bearer(t["center"])).json()
    assert [d["doc_type"] for d in detail["documents"]] == ["to_khai_khai_sinh",
                                                            "giay_chung_sinh"]
    assert detail["procedure_name"].startswith("Đăng ký khai sinh")
    first = detail["documents"][0]
    pdf = client.get(first["download"], headers=bearer(t["center"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == first["sha256"] == \
        pdf.headers["x-content-sha256"]
    checked = client.get(f"{first['download']}/verification", headers=bearer(t["center"]))
    body = checked.json()
    assert body["valid"] is True and body["sha256"] == first["sha256"]
    assert [s["intact"] for s in body["signatures"]] == [True]
    reads = _audit(client, "document.read")  # the check is not a second read
    assert len(reads) == 1 and {r.actor for r in reads} == {"tuphap (token 1)"}
    [check] = _audit(client, "document.verify")
    assert check.detail == {"ordinal": 1, "valid": True} and check.target == reads[0].target
    assert reads[0].dossier_code == t["birth"] and reads[0].remote_addr == "testclient"


def test_another_agencys_dossier_is_refused_and_audited(api) -> None:  # noqa: ANN001
    client, t = api
    land = t["land"]
    for method, path in (("get", f"/api/v1/dossiers/{land}"),
                         ("get", f"/api/v1/dossiers/{land}/documents/1"),
                         ("get", f"/api/v1/dossiers/{land}/documents/1/verification"),
                         ("post", f"/api/v1/dossiers/{land}/documents/1/link"),
                         ("post", f"/api/v1/dossiers/{land}/status")):
        kwargs = {"json": {"status": 4}} if path.endswith("status") else {}
        answer = getattr(client, method)(path, headers=bearer(t["center"]), **kwargs)
        assert answer.status_code == 403, path
        assert "không được chuyển tới cơ quan của bạn" in answer.json()["error"]
    denied = _audit(client, "access.denied")
    assert len(denied) == 5 and {d.dossier_code for d in denied} == {land}
    assert {d.target for d in denied} == {"dossier.read", "document.read", "document.verify",
                                          "document.url", "dossier.status"}
    assert _audit(client, "document.read") == []  # nothing was read
    assert client.app.state.counter.ctx.catalog.dossier(land).status == 2  # nor changed


def test_names_that_try_to_leave_their_place_find_nothing(api) -> None:  # noqa: ANN001
    client, t = api
    for path in ("/api/v1/dossiers/..%2F..%2Fetc%2Fpasswd",
                 "/api/v1/dossiers/%2E%2E/documents/1",
                 f"/api/v1/dossiers/{t['birth']}/documents/..%2F1",
                 f"/api/v1/dossiers/{t['birth']}/documents/99",
                 "/api/v1/links/..%2F..%2Fcatalog.sqlite3"):
        answer = client.get(path, headers=bearer(t["center"]))
        assert answer.status_code in (401, 404, 422), (path, answer.status_code)
        assert not answer.content.startswith(b"%PDF")


def test_a_short_lived_link_fetches_the_document_until_it_expires(api) -> None:  # noqa: ANN001
    client, t = api
    # Times are taken around the request, never "now" afterwards: a busy machine may take
    # seconds to answer, and the link's life runs from when it was made (issue 12).
    before = datetime.now(UTC)
    made = client.post(f"/api/v1/dossiers/{t['birth']}/documents/2/link",
                       headers=bearer(t["center"]), params={"seconds": 60}).json()
    after = datetime.now(UTC)
    assert "/api/v1/links/" in made["url"]
    expires_at = datetime.fromisoformat(made["expires_at"])
    assert before + timedelta(seconds=60) <= expires_at <= after + timedelta(seconds=60)
    fetched = client.get(made["url"])  # no credentials needed: the link is the credential
    assert fetched.status_code == 200
    assert hashlib.sha256(fetched.content).hexdigest() == made["sha256"]
    token = made["url"].rsplit("/", 1)[1]
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert client.get(f"/api/v1/links/{tampered}").status_code == 401
    secret = client.app.state.secret_key
    with pytest.raises(AuthenticationError, match="hết hạn"):  # 61 s after it was made
        read_link(secret, token, now=after + timedelta(seconds=61))
    assert read_link(secret, token, now=before + timedelta(seconds=50)).ordinal == 2  # 50 s
    forged = make_link("not the server's secret", LinkTarget(t["land"], 1, "x", "y", "z", 60))
    assert client.get(f"/api/v1/links/{forged}").status_code == 401
    assert [e.detail.get("via") for e in _audit(client, "document.read")] == ["link"]
    assert len(_audit(client, "document.url")) == 1


def test_status_changes_follow_the_national_codes_and_are_audited(api) -> None:  # noqa: ANN001
    client, t = api
    url = f"/api/v1/dossiers/{t['birth']}/status"
    moved = client.post(url, json={"status": 4, "note": "đã phân công"},
                        headers=bearer(t["center"]))
    assert moved.json() == {"code": t["birth"], "old_status": 2, "status": 4}
    refused = client.post(url, json={"status": 1}, headers=bearer(t["center"]))
    assert refused.status_code == 409 and "từ trạng thái 4 sang 1" in refused.json()["error"]
    assert client.post(url, json={"status": 99}, headers=bearer(t["center"])).status_code == 422
    changes = _audit(client, "dossier.status")
    assert [c.detail for c in changes] == [{"from": 2, "to": 4, "note": "đã phân công"}]


def test_an_agency_refusing_a_received_dossier_says_why(api) -> None:  # noqa: ANN001
    """2 → 3 by the agency: the reason is required, kept with the dossier for the refusal
    slip, and carried to the portal's processing history."""
    client, t = api
    ctx = client.app.state.counter.ctx
    url = f"/api/v1/dossiers/{t['birth']}/status"
    bare = client.post(url, json={"status": 3, "note": "  "}, headers=bearer(t["center"]))
    assert bare.status_code == 422 and "lý do không tiếp nhận" in bare.json()["error"]
    assert ctx.catalog.dossier(t["birth"]).status == 2
    why = "Hồ sơ không thuộc thẩm quyền giải quyết của xã"
    done = client.post(url, json={"status": 3, "note": why}, headers=bearer(t["center"]))
    assert done.json() == {"code": t["birth"], "old_status": 2, "status": 3}
    record = ctx.catalog.dossier(t["birth"])
    assert (record.status, record.refusal_reason) == (3, why) and record.refused_at is not None
    kind, pdf = dossier_paper(ctx, t["birth"])
    assert kind == "refusal" and why in pdf_text(pdf).replace("\n", " ")
    history = national_dossier(ctx, t["birth"], "s" * 32).QuaTrinhXuLy
    assert history[-1].TrangThai == 3
    assert history[-1].NoiDungXuLy == f"Không tiếp nhận hồ sơ: {why}"


def test_the_api_is_described_in_openapi(api) -> None:  # noqa: ANN001
    client, _ = api
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{code}",
            "/api/v1/dossiers/{code}/documents/{ordinal}",
            "/api/v1/dossiers/{code}/documents/{ordinal}/verification",
            "/api/v1/dossiers/{code}/documents/{ordinal}/link",
            "/api/v1/dossiers/{code}/status"} <= set(paths)
    assert "DossierDetail" in spec["components"]["schemas"]


def test_strangers_learn_nothing_not_even_which_dossiers_exist(api) -> None:  # noqa: ANN001
    client, t = api
    for code in (t["birth"], "000.00.14.H56-261121-9999"):
        answer = client.get(f"/api/v1/dossiers/{code}")
        assert answer.status_code == 401 and "error" in answer.json()


def test_an_archivist_reads_every_dossier_but_changes_none(api) -> None:  # noqa: ANN001
    client, t = api
    secret = issue_token(client, "luutru", Role.ARCHIVIST, ())
    pdf = client.get(f"/api/v1/dossiers/{t['land']}/documents/1", headers=bearer(secret))
    assert pdf.status_code == 200 and pdf.headers["content-disposition"].startswith("inline")
    moved = client.post(f"/api/v1/dossiers/{t['land']}/status", json={"status": 4},
                        headers=bearer(secret))
    assert moved.status_code == 403
    assert client.get("/api/v1/dossiers", headers=bearer(secret)).status_code == 403


def test_a_dossier_not_received_is_hidden_from_its_agency_even_if_routed(api) -> None:  # noqa: ANN001
    """E.g. one routed before incomplete dossiers stopped being received (docs/domain.md)."""
    client, t = api
    client.app.state.counter.ctx.catalog.set_status(t["birth"], 1)
    listed = client.get("/api/v1/dossiers", headers=bearer(t["center"])).json()
    assert listed["total"] == 0
    answer = client.get(f"/api/v1/dossiers/{t['birth']}", headers=bearer(t["center"]))
    assert answer.status_code == 403
    assert client.get(f"/api/v1/dossiers/{t['birth']}/documents/1",
                      headers=bearer(t["center"])).status_code == 403
    assert _audit(client, "access.denied")[0].dossier_code == t["birth"]
