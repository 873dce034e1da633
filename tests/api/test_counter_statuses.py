"""The counter screen says the dossier's real status (docs/domain.md): an incomplete dossier
is not received; a refused one is refused, with its reason, and gets the refusal slip; an
upload with no readable page adds nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import routes
from tests.api.conftest import wait_for
from tests.api.test_counter_app import new_dossier, refused, upload
from tests.support import require_program

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
    assert "In phiếu từ chối" in screen and "In phiếu yêu cầu bổ sung" not in screen
    assert "Lý do từ chối: <b>công dân không bổ sung</b>" in screen
    assert 'id="upload-form"' not in screen and 'id="no-inputs"' in screen  # no more scans
    assert catalog.dossier(code).status == 3 and routes(catalog, code) == ()
    late = upload(client, code, [(birth_pages[1].name, birth_pages[1].read_bytes())])
    assert "đã bị từ chối tiếp nhận" in refused(client, late, code)
    entry = [e for e in AuditLog(catalog).entries(dossier=code) if e.action == "dossier.refuse"]
    assert [(e.outcome, e.detail["reason"]) for e in entry] == [("ok", "công dân không bổ sung")]


def test_a_refusal_needs_a_reason_and_prints_the_refusal_slip(client: TestClient) -> None:
    code = new_dossier(client)
    catalog = client.app.state.counter.ctx.catalog
    blank = client.post(f"/dossiers/{code}/refuse", data={"reason": "  "})
    assert "Nhập lý do từ chối tiếp nhận" in refused(client, blank, code)
    assert catalog.dossier(code).status == 1  # nothing changed

    reason = "Thủ tục không thuộc thẩm quyền của UBND phường"
    refusal = client.post(f"/dossiers/{code}/refuse", data={"reason": reason},
                          follow_redirects=False)
    assert refusal.status_code == 303 and catalog.dossier(code).refusal_reason == reason
    screen = client.get(f"/dossiers/{code}").text  # refused before any scan: still printable
    assert 'id="refusal-slip"' in screen and "In phiếu từ chối" in screen
    paper = client.get(f"/dossiers/{code}/receipt.pdf", params={"name": "Lê Văn Tám"})
    assert paper.status_code == 200 and paper.headers["content-type"] == "application/pdf"
    assert f'filename="tu-choi-{code}.pdf"' in paper.headers["content-disposition"]
    text = " ".join(subprocess.run([require_program("pdftotext"), "-", "-"], input=paper.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and code in text
    assert f"như sau: {reason}" in text and "Ông/Bà: Lê Văn Tám" in text
    assert "Đăng ký khai sinh" in text


@pytest.mark.parametrize("name", ["empty.jpg", "encrypted-user.pdf", "docx-renamed.pdf"])
def test_an_upload_with_no_readable_page_adds_nothing_and_says_why(
        client: TestClient, name: str) -> None:
    code = new_dossier(client)
    response = upload(client, code, [(name, (RESOURCES / name).read_bytes())])
    message = refused(client, response, code)
    assert "Không nhận được trang nào" in message and name in message
    record = client.app.state.counter.ctx.catalog.dossier(code)
    assert record.raw_scans == () and record.pages == () and record.status == 1
