"""The web app's protections: login, cookies, CSRF, bearer tokens, throttling, roles, audit.

A real app (SQLite catalog, local store) under TestClient; nothing is processed, so no OCR.
Argon2id runs with cheap parameters here (the login throttle test fails 20 logins)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import itsdangerous.timed
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.auth import LoginThrottle, secret_key
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.errors import ConfigurationError
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog
from tests.helpers.auth import (
    PASSWORD,
    accounts_of,
    add_user,
    bearer,
    issue_token,
    log_in,
    session_csrf,
    sign_in_as,
)

FAST = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
HTML = {"Accept": "text/html"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data"), "SOHOA_JOBS": "1"})


def open_client(settings: Settings, secure: bool = False,
                base_url: str = "http://testserver") -> TestClient:
    client = TestClient(create_app(settings, CounterSettings(secure_cookies=secure)),
                        base_url=base_url)
    return client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app, nobody signed in yet."""
    with open_client(settings) as test_client:
        accounts_of(test_client).hasher = FAST
        yield test_client


def audit_lines(client: TestClient, **filters) -> list:
    return AuditLog(accounts_of(client).catalog).entries(**filters)


def test_nobody_signed_in_is_sent_to_login_or_refused(client: TestClient) -> None:
    page = client.get("/dossiers/000.00.14.H56-261123-0001?x=1", headers=HTML,
                      follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fdossiers%2F000.00.14.H56-261123-0001%3Fx%3D1"
    api = client.get("/dossiers/000.00.14.H56-261123-0001/status.json")
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"
    assert api.json() == {"error": "Vui lòng đăng nhập."}
    posted = client.post("/dossiers", data={"procedure": "1.001193"})
    assert posted.status_code == 401
    assert client.get("/login").status_code == 200 and "Đăng nhập" in client.get("/login").text


def test_login_sets_a_strict_http_only_session_and_goes_back(client: TestClient) -> None:
    add_user(client, "canbo1")
    response = log_in(client, "canbo1", next_path="/dossiers/x?y=1")
    assert response.status_code == 303 and response.headers["location"] == "/dossiers/x?y=1"
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("sohoa_session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in flags and flags["samesite"].lower() == "samesite=strict"
    assert flags["max-age"] == "Max-Age=28800" and "secure" not in flags
    assert "canbo1" in client.get("/", headers=HTML).text
    (line,) = audit_lines(client, action="login")
    assert (line.actor, line.role, line.action, line.remote_addr) == ("canbo1", "clerk",
                                                                      "login", "testclient")
    # a foreign site's address is never a place to go back to
    assert log_in(client, "canbo1", next_path="//evil.example/").headers["location"] == "/"


def test_secure_cookie_when_enabled(settings: Settings) -> None:
    with open_client(settings, secure=True, base_url="https://testserver") as client:
        accounts_of(client).hasher = FAST
        add_user(client, "canbo1")
        form = client.get("/login")
        assert "secure" in form.headers["set-cookie"].lower()
        response = log_in(client, "canbo1")
        cookie = next(c for c in response.headers.get_list("set-cookie")
                      if c.startswith("sohoa_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_wrong_password_and_unknown_user_read_the_same(client: TestClient) -> None:
    add_user(client, "canbo1")
    wrong = log_in(client, "canbo1", "mat-khau-sai-123")
    unknown = log_in(client, "khong-co-ai", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in wrong.text
    assert "Sai tên đăng nhập hoặc mật khẩu." in unknown.text
    assert "sohoa_session" not in wrong.headers.get("set-cookie", "")
    failed = audit_lines(client, action="login.failed")
    assert [(e.actor, e.outcome) for e in failed] == [("khong-co-ai", "failed"),
                                                     ("canbo1", "failed")]
    # the login form's own token is required
    forged = client.post("/login", data={"username": "canbo1", "password": PASSWORD,
                                         "csrf_token": "gia-mao"}, follow_redirects=False)
    assert forged.status_code == 403 and "sohoa_session" not in forged.headers.get(
        "set-cookie", "")


def test_account_locks_after_five_failures(client: TestClient) -> None:
    add_user(client, "canbo1")
    codes = [log_in(client, "canbo1", "mat-khau-sai-123").status_code for _ in range(5)]
    assert codes == [401] * 5
    locked = log_in(client, "canbo1", PASSWORD)  # right password, still locked
    assert locked.status_code == 401 and "thử lại sau" in locked.text
    assert accounts_of(client).user("canbo1").failed_logins == 5


def test_csrf_is_required_on_session_posts(client: TestClient) -> None:
    token = sign_in_as(client, "canbo1")
    del client.headers["X-CSRF-Token"]
    form = {"procedure": "1.001193"}
    missing = client.post("/dossiers", data=form, follow_redirects=False)
    wrong = client.post("/dossiers", data={**form, "csrf_token": "x" * 43},
                        follow_redirects=False)
    assert missing.status_code == wrong.status_code == 403
    assert "CSRF" in missing.json()["error"]
    assert client.get("/").text.count("Hồ sơ của quầy") == 1 and not accounts_of(
        client).catalog.list_dossiers()
    by_form = client.post("/dossiers", data={**form, "csrf_token": token},
                          follow_redirects=False)
    by_header = client.post("/dossiers", data=form, headers={"X-CSRF-Token": token},
                            follow_redirects=False)
    assert by_form.status_code == by_header.status_code == 303
    assert len(accounts_of(client).catalog.list_dossiers()) == 2
    denied = audit_lines(client, action="access.denied")
    assert [(e.actor, e.outcome, e.target, e.detail) for e in denied] == [
        ("canbo1", "denied", "POST /dossiers", {"reason": "csrf"})] * 2
    created = audit_lines(client, action="dossier.create")
    assert len(created) == 2 and created[0].detail == {"procedure": "1.001193"}


def test_bearer_tokens_need_no_csrf_and_are_refused_when_dead(client: TestClient) -> None:
    secret = issue_token(client, "quantri-api", Role.ADMIN)
    created = client.post("/dossiers", data={"procedure": "1.001193"},
                          headers=bearer(secret), follow_redirects=False)
    assert created.status_code == 303
    (line,) = audit_lines(client, action="dossier.create")
    assert line.actor.startswith("quantri-api (token ")

    accounts = accounts_of(client)
    past = datetime.now(UTC) - timedelta(days=3)
    expired = accounts.issue_token("quantri-api", "hết hạn", days=1, now=past).secret
    revoked = accounts.issue_token("quantri-api", "thu hồi", days=5)
    accounts.revoke_token(revoked.token.id)
    for dead, words in ((expired, "hết hạn"), (revoked.secret, "thu hồi"),
                        ("sohoa_khong-co-that", "không hợp lệ")):
        response = client.get("/", headers=bearer(dead))
        assert response.status_code == 401 and words in response.json()["error"]
    accounts.set_active("quantri-api", False)
    refused = client.get("/", headers=bearer(secret))
    assert refused.status_code == 401 and "vô hiệu hóa" in refused.json()["error"]
    assert client.get("/", headers={"Authorization": "Basic abc"}).status_code == 401


def test_password_change_and_disable_end_the_session(client: TestClient) -> None:
    sign_in_as(client, "canbo1")
    assert client.get("/account").status_code == 200
    accounts_of(client).set_password("canbo1", "mat-khau-moi-hoan-toan")
    ended = client.get("/account", headers=HTML, follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/login")
    assert 'sohoa_session=""' in ended.headers["set-cookie"]  # the stale cookie is dropped
    assert log_in(client, "canbo1", "mat-khau-moi-hoan-toan").status_code == 303
    assert client.get("/account").status_code == 200
    accounts_of(client).set_active("canbo1", False)
    assert client.get("/account").status_code == 401


def test_session_expires_after_a_working_day_and_cannot_be_forged(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(client, "canbo1")
    cookie = client.cookies["sohoa_session"]
    client.cookies.set("sohoa_session", cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"))
    assert client.get("/account").status_code == 401
    client.cookies.set("sohoa_session", cookie)
    assert client.get("/account").status_code == 200

    class Later:
        @staticmethod
        def time() -> float:
            import time

            return time.time() + 8 * 3600 + 5

    monkeypatch.setattr(itsdangerous.timed, "time", Later)
    expired = client.get("/account")
    assert expired.status_code == 401 and "hết hạn" in expired.json()["error"]


def test_logout_here_and_everywhere(client: TestClient, settings: Settings) -> None:
    sign_in_as(client, "canbo1")
    with open_client(settings) as other:  # the same clerk on a second machine
        assert log_in(other, "canbo1").status_code == 303
        out = client.post("/logout", follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert client.get("/account").status_code == 401
        assert other.get("/account").status_code == 200  # only this machine signed out
        csrf = session_csrf(other)
        everywhere = other.post("/logout", data={"everywhere": "1", "csrf_token": csrf},
                                follow_redirects=False)
        assert everywhere.status_code == 303
    assert [e.detail for e in audit_lines(client, action="logout")] == [
        {"everywhere": True}, None]


def test_login_throttle_per_address(client: TestClient) -> None:
    for n in range(20):  # different names: the per-account lock never starts
        assert log_in(client, f"khach{n}", "mat-khau-sai-123").status_code == 401
    add_user(client, "canbo1")
    throttled = log_in(client, "canbo1", PASSWORD)
    assert throttled.status_code == 429
    assert "Đăng nhập sai quá nhiều lần từ máy này; thử lại sau 5 phút." in throttled.text
    assert audit_lines(client, action="login.failed")[0].detail == {"reason": "throttled"}

    now = [1000.0]
    throttle = LoginThrottle(limit=3, window_s=300, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("10.0.0.5")
    assert throttle.retry_after("10.0.0.5") == 300 and throttle.retry_after("10.0.0.6") == 0
    now[0] += 299.5
    assert throttle.retry_after("10.0.0.5") == 1
    now[0] += 1
    assert throttle.retry_after("10.0.0.5") == 0


def test_roles_are_enforced_and_denials_audited(client: TestClient, settings: Settings) -> None:
    sign_in_as(client, "tuphap", Role.AGENCY, ["000.00.14.H56"])
    counter = client.get("/")
    assert counter.status_code == 403
    assert "không được dùng chức năng này" in counter.json()["error"]
    assert client.get("/", headers=HTML).status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/dossiers", data={"procedure": "1.001193"}).status_code == 403
    assert client.get("/account").status_code == 200
    denied = audit_lines(client, action="access.denied", actor="tuphap")
    assert [(e.target, e.detail["reason"], e.role) for e in denied] == [
        ("POST /dossiers", "role", "agency"), ("GET /admin/audit", "role", "agency"),
        ("GET /", "role", "agency"), ("GET /", "role", "agency")]
    token = issue_token(client, "luutru", Role.ARCHIVIST)
    assert client.get("/admin/users", headers=bearer(token)).status_code == 403


def test_admin_manages_users_and_tokens(client: TestClient) -> None:
    sign_in_as(client, "quantri", Role.ADMIN)
    made = client.post("/admin/users", data={
        "username": "tuphap", "role": "agency", "password": "mat-khau-co-quan",
        "full_name": "Phòng Tư pháp", "agency_codes": "000.00.14.H56, H56.01"})
    assert made.status_code == 200 and "Đã tạo tài khoản tuphap." in made.text
    assert accounts_of(client).user("tuphap").agency_codes == ("000.00.14.H56", "H56.01")
    short = client.post("/admin/users", data={"username": "ngan", "role": "clerk",
                                               "password": "ngan"})
    assert short.status_code == 422 and "ít nhất 10 ký tự" in short.text

    issued = client.post("/admin/tokens", data={"username": "tuphap", "name": "Một cửa điện tử",
                                                "days": "30"})
    secret = issued.text.split('id="secret">')[1].split("<")[0]
    assert secret.startswith("sohoa_") and issued.headers["cache-control"] == "no-store"
    assert secret not in client.get("/admin/users").text  # shown once only
    assert client.get("/account", headers=bearer(secret)).status_code == 200
    (token,) = accounts_of(client).tokens("tuphap")
    assert client.post(f"/admin/tokens/{token.id}/revoke",
                       follow_redirects=False).status_code == 303
    assert client.get("/account", headers=bearer(secret)).status_code == 401
    assert client.post("/admin/users/tuphap/disable", follow_redirects=False).status_code == 303
    assert not accounts_of(client).user("tuphap").active

    audit_page = client.get("/admin/audit", params={"actor": "quantri"})
    assert audit_page.status_code == 200
    for action, name in (("user.create", "Tạo tài khoản"), ("token.issue", "Cấp mã truy cập API"),
                         ("token.revoke", "Thu hồi mã truy cập API"),
                         ("user.disable", "Khóa tài khoản")):
        assert f'<td title="{action}">{name}</td>' in audit_page.text
    actions = [e.action for e in audit_lines(client, actor="quantri")]
    assert actions == ["user.disable", "token.revoke", "token.issue", "user.create", "login"]
    older = client.get("/admin/audit", params={"action": "login", "since": "2000-01-01"})
    assert '<td title="login">Đăng nhập</td>' in older.text
    assert 'title="user.create"' not in older.text
    assert client.get("/admin/audit", params={"since": "23/11"}).status_code == 422


def test_secret_key_is_generated_once_and_required_in_production(settings: Settings) -> None:
    key = secret_key(settings)
    path = settings.data_dir / "secret-key"
    assert len(key) >= 64 and path.read_text().strip() == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key(settings) == key  # a restart keeps the sessions
    from dataclasses import replace

    assert secret_key(replace(settings, secret_key="k" * 40)) == "k" * 40
    with pytest.raises(ConfigurationError, match="SOHOA_SECRET_KEY"):
        secret_key(replace(settings, production=True))
