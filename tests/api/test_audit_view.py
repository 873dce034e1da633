"""The audit page in Vietnamese (issue 15 item 15): roles, actions, outcomes and details by
name, "thay thế: —" rather than "replace: None", unknown codes shown as they are."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.audit_view import audit_line
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Principal, Role
from sohoa.settings import Settings
from sohoa.storage.audit import AuditRecord
from tests.helpers.auth import sign_in_as

CODE = "000.00.14.H56-261123-0001"
AT = datetime(2026, 11, 23, 2, 5, 9, tzinfo=UTC)


def record(action: str, role: str = "clerk", detail: dict | None = None,
           target: str | None = None, outcome: str = "ok") -> AuditRecord:
    return AuditRecord(1, AT, "canbo1", role, action, outcome, CODE, target, None, detail)


def test_a_line_is_shown_with_vietnamese_names() -> None:
    scan = audit_line(record("dossier.scan", detail={"via": "upload", "files": ["a.pdf",
                                                     "b.jpg"], "replace": None}))
    assert (scan.at, scan.role, scan.action, scan.outcome, scan.remote_addr) == (
        "23/11/2026 09:05:09", "Cán bộ tiếp nhận", "Thêm bản quét", "thành công", "—")
    assert scan.details == (("qua", "tải lên"), ("tệp", "a.pdf, b.jpg"), ("thay thế", "—"))
    status = audit_line(record("dossier.status", "agency", {"from": 2, "to": 4, "note": ""}))
    assert status.details == (("từ", "2 – được tiếp nhận"), ("sang", "4 – đang xử lý"),
                              ("ghi chú", "—"))
    denied = audit_line(record("access.denied", "archivist", {"reason": "role"},
                               target="document.read", outcome="denied"))
    assert (denied.role, denied.action, denied.target, denied.outcome, denied.details) == (
        "Lưu trữ viên", "Truy cập bị từ chối", "Đọc tài liệu", "bị từ chối",
        (("lý do", "sai vai trò"),))
    read = audit_line(record("document.read", target=f"dossiers/{CODE}/documents/01-x.pdf",
                             detail={"ordinal": 1, "valid": True, "sha256": "ab" * 32}))
    assert read.target == "documents/01-x.pdf" and read.details[1:] == (
        ("hợp lệ", "có"), ("SHA-256", "ab" * 8 + "…"))
    failed_login = audit_line(record("login.failed", "-", outcome="failed"))
    assert (failed_login.role, failed_login.action) == ("—", "Đăng nhập không thành")
    future = audit_line(record("dossier.something_new", detail={"new_key": 3}))
    assert (future.action, future.details) == ("dossier.something_new", (("new_key", "3"),))


def test_the_audit_page_has_no_english_codes_for_known_lines(tmp_path: Path) -> None:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    with TestClient(create_app(settings, CounterSettings(secure_cookies=False))) as client:
        sign_in_as(client, "quantri", Role.ADMIN)
        client.app.state.auth.audit.record(Principal("canbo1", Role.CLERK), "dossier.scan",
                                           dossier_code=CODE, detail={"via": "scanner",
                                                                      "replace": None})
        page = client.get("/admin/audit", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "thay thế: —" in page.text and "qua: máy quét" in page.text
        for english in ("replace: None", "None", ">clerk<", ">admin<", ">ok<"):
            assert english not in page.text, english
        assert "<td>Cán bộ tiếp nhận</td>" in page.text and "<td>Quản trị</td>" in page.text
        bad = client.get("/admin/audit", params={"since": "31/02/2026"},
                         headers={"accept": "text/html"})
        assert bad.status_code == 422 and 'id="since-error"' in bad.text
        assert client.get("/admin/audit", params={"since": "23/11/2026"}).status_code == 200
