"""The counter app through HTTP (FastAPI TestClient) on the embedded default: create a
dossier, upload, see the verdict, correct, accept, print; and bad input at each door."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.clock import VIETNAM
from sohoa.storage.audit import AuditLog
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.api.conftest import BIRTH, wait_for
from tests.helpers.pdfs import pdf_text

pytestmark = pytest.mark.ocr
CODE_URL = re.compile(r"/dossiers/([^/]+)$")


def new_dossier(client: TestClient, procedure: str = BIRTH) -> str:
    response = client.post("/dossiers", data={"procedure": procedure}, follow_redirects=False)
    assert response.status_code == 303
    return CODE_URL.search(response.headers["location"]).group(1)


def upload(client: TestClient, code: str, files: list[tuple[str, bytes]]):
    return client.post(f"/dossiers/{code}/uploads", follow_redirects=False,
                       files=[("files", (name, data, "application/octet-stream"))
                              for name, data in files])


def refused(client: TestClient, response, code: str) -> str:
    """A refused form of a dossier goes back to the dossier's screen (post-redirect-get: F5
    does not post again), which shows the message once; the message."""
    first = response.history[0] if response.history else response
    assert first.status_code == 303, first.text
    assert first.headers["location"].split("#")[0] == f"/dossiers/{code}"
    screen = response if response.history else client.get(first.headers["location"])
    problem = re.search(r'<p class="problem" role="alert" id="problem">(.*?)</p>', screen.text,
                        re.S)
    assert problem is not None, "no message on the dossier's screen"
    assert 'id="problem"' not in client.get(f"/dossiers/{code}").text  # shown once
    return problem.group(1)


def test_home_lists_the_procedures(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "1.001193 — Đăng ký khai sinh" in page.text
    assert "chưa cấu hình" in page.text  # no scanner configured: upload only


def test_the_picker_finds_any_national_procedure(client: TestClient) -> None:
    page = client.get("/", params={"q": "chat ha cay xanh"})
    assert ('<option value="1.002693" selected>1.002693 — Cấp giấy phép chặt hạ, dịch chuyển '
            'cây xanh</option>') in page.text
    assert "1 kết quả cho “chat ha cay xanh”" in page.text
    code = new_dossier(client, "1.002693")
    dossier = client.get(f"/dossiers/{code}")
    assert ("1.002693 — Cấp giấy phép chặt hạ, dịch chuyển cây xanh · thời hạn 10 ngày làm "
            "việc") in dossier.text
    home = client.get("/")  # no query: the procedures used most here first
    first = re.search(r'<option value="([^"]+)" selected>([^<]*)</option>', home.text)
    assert first is not None and first.groups() == (
        "1.002693", "1.002693 — Cấp giấy phép chặt hạ, dịch chuyển cây xanh (1 hồ sơ)")
    assert "Không có thủ tục nào khớp" in client.get("/", params={"q": "xyzzy"}).text


def test_full_intake_by_upload(client: TestClient, birth_pages: list[Path]) -> None:
    code = new_dossier(client)
    assert re.fullmatch(r"000\.00\.14\.H56-\d{6}-\d{4}", code)
    assert "Chưa có trang nào" in client.get(f"/dossiers/{code}").text

    response = upload(client, code, [(p.name, p.read_bytes()) for p in birth_pages])
    assert response.status_code == 303
    status = wait_for(client, code, {"review"})
    assert status["pages_total"] == 2 and status["pages_done"] == 2
    assert status["complete"] is True
    assert status["page_types"] == ["to_khai_khai_sinh", "giay_chung_sinh"]

    screen = client.get(f"/dossiers/{code}").text
    assert "Hồ sơ đầy đủ" in screen and "Tiếp nhận" in screen
    assert screen.count('class="page ') == 2
    thumb = client.get(f"/dossiers/{code}/pages/0/thumb.png")
    assert thumb.headers["content-type"] == "image/png" and thumb.content[:4] == b"\x89PNG"

    # the clerk says page 2 is something else: the certificate goes missing
    fixed = client.post(f"/dossiers/{code}/pages/1/type", data={"doc_type": "khac"})
    assert fixed.status_code == 200 and "Hồ sơ chưa đầy đủ" in fixed.text
    assert client.get(f"/dossiers/{code}/status.json").json()["complete"] is False
    # ... and back: complete again
    client.post(f"/dossiers/{code}/pages/1/type", data={"doc_type": "giay_chung_sinh"})
    assert client.get(f"/dossiers/{code}/status.json").json()["complete"] is True
    # remove the certificate (missing), restore it, then put it first
    removed = client.post(f"/dossiers/{code}/pages/1/remove")
    assert "Đã bỏ" in removed.text and "Hồ sơ chưa đầy đủ" in removed.text
    client.post(f"/dossiers/{code}/pages/1/restore")
    client.post(f"/dossiers/{code}/pages/1/up")
    status = client.get(f"/dossiers/{code}/status.json").json()
    assert status["complete"] is True
    assert status["page_types"] == ["giay_chung_sinh", "to_khai_khai_sinh"]
    unknown = client.post(f"/dossiers/{code}/pages/7/type", data={"doc_type": "khac"})
    assert "Không có trang 8" in refused(client, unknown, code)

    assert client.post(f"/dossiers/{code}/accept", follow_redirects=False).status_code == 303
    status = wait_for(client, code, {"done"})
    assert len(status["documents"]) == 2
    screen = client.get(f"/dossiers/{code}").text
    assert "Tài liệu đã ký số" in screen and "In giấy tiếp nhận" in screen
    signed_at = client.app.state.counter.ctx.catalog.dossier(code).documents[0].signed_at
    assert signed_at.astimezone(VIETNAM).strftime(" lúc %d/%m/%Y %H:%M)") in screen  # Vietnam time
    signed = client.get(f"/dossiers/{code}/documents/1.pdf")
    assert signed.content.startswith(b"%PDF") and b"/ByteRange" in signed.content
    assert f'filename="{code}-01-' in signed.headers["content-disposition"]  # its dossier's code
    lines = AuditLog(client.app.state.counter.ctx.catalog).entries(dossier=code)
    assert [(e.actor, e.action, e.outcome) for e in lines][:3] == [
        ("canbo1", "document.read", "ok"), ("canbo1", "dossier.accept", "ok"),
        ("canbo1", "dossier.correct", "failed")]  # page 7 does not exist
    assert lines[2].detail["position"] == 7 and "error" in lines[2].detail
    assert lines[0].target.endswith(".pdf") and lines[0].detail["ordinal"] == 1
    assert {"dossier.create", "dossier.scan"} <= {e.action for e in lines}

    receipt = client.get(f"/dossiers/{code}/receipt.pdf", params={"name": "Nguyễn Văn An"})
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    text = pdf_text(receipt.content)
    assert "GIẤY TIẾP NHẬN" in text and code in text and "Nguyễn Văn An" in text
    assert "Người dùng canbo1" in text  # the signed-in clerk receives it


def test_bad_upload_is_named_and_good_pages_are_kept(client: TestClient,
                                                     birth_pages: list[Path]) -> None:
    code = new_dossier(client)
    response = upload(client, code, [("don.docx", b"PK\x03\x04 not a scan"),
                                     ("rong.png", b""),
                                     (birth_pages[0].name, birth_pages[0].read_bytes())])
    problem = refused(client, response, code)
    assert "don.docx: Tệp không phải ảnh quét hay PDF" in problem
    assert "rong.png: Tệp rỗng" in problem
    assert "Đã nhận 1 trang" in problem
    status = wait_for(client, code, {"review"})
    assert status["pages_total"] == 1 and status["page_types"] == ["to_khai_khai_sinh"]

    nothing = upload(client, code, [])
    assert "Chưa chọn tệp" in refused(client, nothing, code)


def test_unknown_dossier_and_procedure(client: TestClient) -> None:
    missing = client.get("/dossiers/000.00.14.H56-200101-9999")
    assert missing.status_code == 404 and "Không có hồ sơ mã" in missing.text
    as_json = client.get("/dossiers/000.00.14.H56-200101-9999/status.json")
    assert as_json.status_code == 404 and "Không có hồ sơ" in as_json.json()["error"]
    bad = client.post("/dossiers", data={"procedure": "9.999999"})
    assert bad.status_code == 404 and "không có thủ tục mã" in bad.text


def test_scan_without_a_scanner_and_early_receipt(client: TestClient) -> None:
    code = new_dossier(client)
    scanned = client.post(f"/dossiers/{code}/scan")
    assert "chưa cấu hình máy quét" in refused(client, scanned, code)
    early = client.get(f"/dossiers/{code}/receipt.pdf")
    assert early.status_code == 409 and "chưa có kết luận" in early.text
    nothing = client.post(f"/dossiers/{code}/accept")
    assert "Không có lô quét nào" in refused(client, nothing, code)


def test_later_scans_join_the_verdict_and_a_page_is_replaced_in_place(
        client: TestClient, birth_pages: list[Path], tmp_path: Path) -> None:
    form, certificate = birth_pages
    code = new_dossier(client)
    upload(client, code, [(form.name, form.read_bytes())])
    assert wait_for(client, code, {"review"})["complete"] is False

    # the certificate turns up: scanned into the same held batch, one verdict for both
    upload(client, code, [(certificate.name, certificate.read_bytes())])
    status = wait_for(client, code, {"review"})
    assert status["complete"] is True and status["pages_total"] == 2
    assert status["page_types"] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert "Thay trang này" in client.get(f"/dossiers/{code}").text

    # page 1 (as scanned) was the wrong sheet: a blank page uploaded in its place
    blank = save_scan(make_page(99, Scan(dpi=200), size_in=(5.8, 8.3), sentences=0),
                      tmp_path / "trang-trang.png")
    replaced = client.post(f"/dossiers/{code}/pages/1/replace/upload", follow_redirects=False,
                           files=[("files", (blank.name, blank.read_bytes(), "image/png"))])
    assert replaced.status_code == 303 and replaced.headers["location"].endswith("#trang-1")
    status = wait_for(client, code, {"review"})
    assert status["pages_total"] == 3 and status["complete"] is False
    screen = client.get(f"/dossiers/{code}").text
    assert screen.count("Đã bỏ") == 1 and "trang-trang.png trang 1" in screen
    bad = client.post(f"/dossiers/{code}/pages/9/replace/upload",
                      files=[("files", (form.name, form.read_bytes(), "image/png"))])
    assert "không có trang 10 để thay" in refused(client, bad, code)

    # accepted incomplete: the notice; the citizen comes back with the certificate
    client.post(f"/dossiers/{code}/accept")
    assert wait_for(client, code, {"done"})["complete"] is False
    notice = pdf_text(client.get(f"/dossiers/{code}/receipt.pdf").content)
    assert "BỔ SUNG" in notice.upper() and "Giấy chứng sinh" in notice
    upload(client, code, [(certificate.name, certificate.read_bytes())])
    status = wait_for(client, code, {"review"})
    assert status["complete"] is True and status["pages_total"] == 1  # a new batch
    assert "đã nhận lần trước" in client.get(f"/dossiers/{code}").text
    client.post(f"/dossiers/{code}/accept")
    assert wait_for(client, code, {"done"})["complete"] is True
    receipt = client.get(f"/dossiers/{code}/receipt.pdf", params={
        "name": "Trần Thị Bình", "address": "12 Lê Lợi, Huế", "contact": "0912 345 678"})
    text = pdf_text(receipt.content)
    assert "GIẤY TIẾP NHẬN" in text
    assert all(s in text for s in ("Trần Thị Bình", "12 Lê Lợi, Huế", "0912 345 678"))
