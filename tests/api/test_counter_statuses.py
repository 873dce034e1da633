"""The counter screen says the dossier's real status (docs/domain.md): an incomplete dossier
is not received; a refused one is refused; an upload with no readable page adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import routes
from tests.api.conftest import wait_for
from tests.api.test_counter_app import new_dossier, refused, upload

pytestmark = pytest.mark.ocr
RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def test_an_incomplete_dossier_is_not_received_then_refused(
        client: TestClient, birth_pages: list[Path]) -> None:
    code = new_dossier(client)
    upload(client, code, [(birth_pages[0].name, birth_pages[0].read_bytes())])
    assert wait_for(client, code, {"review"})["complete"] is False
    held = client.get(f"/dossiers/{code}").text
    assert "Lưu, chờ bổ sung" in held and "hồ sơ thiếu chưa được tiếp nhận" in held
    assert client.post(f"/dossiers/{code}/accept", follow_redirects=False).status_code == 303
    done = wait_for(client, code, {"done"})
    assert (done["status"], done["status_label"]) == (1, "mới đăng ký")
    screen = client.get(f"/dossiers/{code}").text
    assert "In phiếu yêu cầu bổ sung" in screen and "Chưa tiếp nhận (trạng thái 1)" in screen
    assert "Đã tiếp nhận" not in screen and 'id="refuse"' in screen
    catalog = client.app.state.counter.ctx.catalog
    assert catalog.dossier(code).status == 1 and routes(catalog, code) == ()

    refusal = client.post(f"/dossiers/{code}/refuse", data={"reason": "công dân không bổ sung"},
                          follow_redirects=False)
    assert refusal.status_code == 303
    screen = client.get(f"/dossiers/{code}").text
    assert "Không được tiếp nhận (trạng thái 3)" in screen and 'id="refuse"' not in screen
    assert 'id="upload-form"' not in screen and 'id="no-inputs"' in screen  # no more scans
    assert catalog.dossier(code).status == 3 and routes(catalog, code) == ()
    late = upload(client, code, [(birth_pages[1].name, birth_pages[1].read_bytes())])
    assert "đã bị từ chối tiếp nhận" in refused(client, late, code)
    entry = [e for e in AuditLog(catalog).entries(dossier=code) if e.action == "dossier.refuse"]
    assert [(e.outcome, e.detail["reason"]) for e in entry] == [("ok", "công dân không bổ sung")]


@pytest.mark.parametrize("name", ["empty.jpg", "encrypted-user.pdf", "docx-renamed.pdf"])
def test_an_upload_with_no_readable_page_adds_nothing_and_says_why(
        client: TestClient, name: str) -> None:
    code = new_dossier(client)
    response = upload(client, code, [(name, (RESOURCES / name).read_bytes())])
    message = refused(client, response, code)
    assert "Không nhận được trang nào" in message and name in message
    record = client.app.state.counter.ctx.catalog.dossier(code)
    assert record.raw_scans == () and record.pages == () and record.status == 1
