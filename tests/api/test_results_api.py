"""The agency API for results: upload the result, hand it over; routed agencies only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import change_status, route
from tests.helpers.auth import bearer, issue_token, sign_in_as
from tests.helpers.stored import store_dossier, tiny_pdf

VN = timezone(timedelta(hours=7))
CENTER, LAND = "000.00.14.H56", "000.21.14.H56"
FORM = {"name": "Giấy khai sinh", "number": "123/2026/GKS", "issued_on": "2026-12-02",
        "issuing_agency": "UBND phường Ba Đình", "signer": "Nguyễn Văn Chủ Tịch",
        "result_code": "KQ.G17.000123"}


@pytest.fixture
def api(tmp_path: Path, tesseract_vie: str) -> Iterator[tuple[TestClient, str, dict[str, str]]]:
    """A dossier in processing routed to the center; tokens for the center and the land
    office. A result uploaded unsigned is OCRed (hence Tesseract)."""
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    with TestClient(create_app(settings, CounterSettings(secure_cookies=False))) as client:
        ctx = client.app.state.counter.ctx
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])],
                             datetime(2026, 12, 1, 9, 0, tzinfo=VN))
        route(ctx.catalog, code, [CENTER])
        change_status(ctx.catalog, code, 4)
        yield client, code, {"center": issue_token(client, "tuphap", agency_codes=[CENTER]),
                             "land": issue_token(client, "diachinh", agency_codes=[LAND])}


def test_an_officer_adds_the_result_and_hands_it_over(api) -> None:  # noqa: ANN001
    client, code, tokens = api
    pdf = {"file": ("ket-qua.pdf", tiny_pdf("Giấy khai sinh"), "application/pdf")}
    url = f"/api/v1/dossiers/{code}/results"
    assert client.post(url, data=FORM, files=pdf,
                       headers=bearer(tokens["land"])).status_code == 403  # not routed there
    bad = client.post(url, data={**FORM, "result_code": "KQ-17"}, files=pdf,
                      headers=bearer(tokens["center"]))
    assert bad.status_code == 422 and "mã kết quả" in bad.json()["error"]

    added = client.post(url, data=FORM, files=pdf, headers=bearer(tokens["center"]))
    assert added.status_code == 200, added.text
    body = added.json()
    assert (body["ordinal"], body["kept_as_received"], body["metadata"]["code"]) == (
        2, False, "KQ.G17.000123")
    detail = client.get(f"/api/v1/dossiers/{code}", headers=bearer(tokens["center"])).json()
    assert detail["status"] == 9
    assert [d["doc_type"] for d in detail["documents"]] == ["to_khai_khai_sinh", "ket_qua"]

    handed = client.post(f"/api/v1/dossiers/{code}/handover", headers=bearer(tokens["center"]),
                         json={"recipient": "Trần Thị Mẹ", "recipient_id": "001190012345"})
    assert handed.status_code == 200, handed.text
    assert (handed.json()["recipient"], handed.json()["handed_by"]) == ("Trần Thị Mẹ",
                                                                        "tuphap (token 1)")
    detail = client.get(f"/api/v1/dossiers/{code}", headers=bearer(tokens["center"])).json()
    assert detail["status"] == 10
    log = AuditLog(client.app.state.counter.ctx.catalog)
    assert [e.dossier_code for e in log.entries(action="result.add")] == [code]
    assert [e.detail["recipient"] for e in log.entries(action="result.handover")] == [
        "Trần Thị Mẹ"]


def test_the_officer_pages_add_the_result_and_record_the_handover(api) -> None:  # noqa: ANN001
    client, code, _ = api
    sign_in_as(client, "canbotuphap", Role.AGENCY, [CENTER])
    page = client.get(f"/co-quan/{code}")
    assert 'id="result-form"' in page.text and 'id="handover-form"' not in page.text
    pdf = {"file": ("ket-qua.pdf", tiny_pdf("Giấy khai sinh"), "application/pdf")}
    added = client.post(f"/co-quan/{code}/results", data={**FORM, "valid_until": ""},
                        files=pdf, follow_redirects=False)
    assert added.status_code == 303, added.text
    page = client.get(f"/co-quan/{code}")
    assert "9 – " in page.text and 'id="handover-form"' in page.text
    assert "Giấy khai sinh" in page.text
    handed = client.post(f"/co-quan/{code}/handover", data={"recipient": "Trần Thị Mẹ"},
                         follow_redirects=False)
    assert handed.status_code == 303
    page = client.get(f"/co-quan/{code}")
    assert "10 – " in page.text and 'id="result-form"' not in page.text
    slip = client.get(f"/co-quan/{code}/handover.pdf")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
