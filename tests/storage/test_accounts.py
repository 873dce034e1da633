"""Users, passwords, login throttling and API tokens on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from sohoa.domain.access import Role
from sohoa.errors import AccountError, AuthenticationError
from sohoa.storage.accounts import Accounts, lock_seconds, token_hash
from sohoa.storage.catalog import Catalog
from sohoa.storage.models import ApiToken, User

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PASSWORD = "mật-khẩu-đủ-dài"
FAST = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
"""Cheaper argon2id parameters: the tests hash dozens of times."""


@pytest.fixture
def accounts(catalog: Catalog) -> Accounts:
    accounts = Accounts(catalog, FAST)
    accounts.create_user("canbo1", Role.CLERK, PASSWORD, full_name="Nguyễn Văn An")
    return accounts


def stored_hash(catalog: Catalog, username: str) -> str:
    with catalog.read_session() as session:
        return session.scalar(select(User.password_hash).where(User.username == username))


def test_password_is_stored_as_argon2id_and_logs_in(accounts: Accounts,
                                                    catalog: Catalog) -> None:
    stored = stored_hash(catalog, "canbo1")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    user = accounts.authenticate("CanBo1", PASSWORD, NOW)  # user names are case-insensitive
    assert (user.username, user.role, user.full_name) == ("canbo1", Role.CLERK, "Nguyễn Văn An")
    principal = user.principal()
    assert (principal.actor, principal.via, principal.agency_codes) == ("canbo1", "session",
                                                                        frozenset())


def test_wrong_password_and_unknown_user_read_the_same(accounts: Accounts) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        accounts.authenticate("canbo1", "không-phải-mật-khẩu", NOW)
    with pytest.raises(AuthenticationError) as unknown:
        accounts.authenticate("khong-co-ai", PASSWORD, NOW)
    assert wrong.value.message == unknown.value.message == "Sai tên đăng nhập hoặc mật khẩu."
    assert accounts.user("canbo1").failed_logins == 1


def test_lockout_after_five_failures_grows_and_expires(accounts: Accounts) -> None:
    for attempt in range(4):
        with pytest.raises(AuthenticationError) as failed:
            accounts.authenticate("canbo1", "sai-mat-khau-1", NOW + timedelta(seconds=attempt))
        assert failed.value.reason == "credentials"
    with pytest.raises(AuthenticationError) as fifth:
        accounts.authenticate("canbo1", "sai-mat-khau-1", NOW + timedelta(seconds=4))
    assert fifth.value.reason == "locked" and "thử lại sau 30 giây" in fifth.value.message
    # while locked even the right password is refused, with the same words
    with pytest.raises(AuthenticationError) as locked:
        accounts.authenticate("canbo1", PASSWORD, NOW + timedelta(seconds=14))
    assert "Sai tên đăng nhập hoặc mật khẩu" in locked.value.message
    assert "thử lại sau 20 giây" in locked.value.message
    assert accounts.user("canbo1").failed_logins == 5  # not counted while locked
    # the lock expires; one more failure locks twice as long
    with pytest.raises(AuthenticationError) as sixth:
        accounts.authenticate("canbo1", "sai-mat-khau-1", NOW + timedelta(seconds=35))
    assert "thử lại sau 60 giây" in sixth.value.message
    later = NOW + timedelta(seconds=96)
    assert accounts.authenticate("canbo1", PASSWORD, later).failed_logins == 0
    assert accounts.user("canbo1").locked_until is None
    assert [lock_seconds(n) for n in (4, 5, 6, 7, 9, 10, 50)] == [0, 30, 60, 120, 480, 900, 900]


def test_password_rules_and_rehash_on_login(accounts: Accounts, catalog: Catalog) -> None:
    with pytest.raises(AccountError, match="ít nhất 10 ký tự"):
        accounts.set_password("canbo1", "ngan")
    before = accounts.user("canbo1").session_version
    assert accounts.set_password("canbo1", "mat-khau-moi-123").session_version == before + 1
    old = stored_hash(catalog, "canbo1")
    stronger = Accounts(catalog, PasswordHasher(time_cost=2, memory_cost=8 * 1024,
                                                parallelism=1))
    stronger.authenticate("canbo1", "mat-khau-moi-123", NOW)
    new = stored_hash(catalog, "canbo1")
    assert new != old and "t=2" in new and "t=1" in old
    with pytest.raises(AuthenticationError):
        stronger.authenticate("canbo1", PASSWORD, NOW)  # the old password is gone


def test_user_rules(accounts: Accounts) -> None:
    agency = accounts.create_user("tuphap.h56", "agency", PASSWORD,
                                  agency_codes=["000.00.14.H56", " 000.00.14.H56 "])
    assert agency.agency_codes == ("000.00.14.H56",)
    assert agency.principal().may_read(["000.00.14.H56"])
    for username, role, codes, words in (
        ("canbo1", Role.CLERK, (), "đã có"),
        ("ab", Role.CLERK, (), "3–64 ký tự"),
        ("Trần", Role.CLERK, (), "3–64 ký tự"),
        ("coquan2", Role.AGENCY, (), "ít nhất một mã cơ quan"),
        ("canbo2", Role.CLERK, ("000.00.14.H56",), "Chỉ tài khoản cơ quan"),
        ("canbo3", "boss", (), "Vai trò 'boss' không có"),
    ):
        with pytest.raises(AccountError, match=words):
            accounts.create_user(username, role, PASSWORD, agency_codes=codes)
    assert [u.username for u in accounts.users()] == ["canbo1", "tuphap.h56"]


def test_disable_and_session_versions(accounts: Accounts) -> None:
    user = accounts.user("canbo1")
    assert accounts.session_user(user.id, user.session_version).username == "canbo1"
    accounts.sign_out_everywhere("canbo1")
    with pytest.raises(AuthenticationError) as ended:
        accounts.session_user(user.id, user.session_version)
    assert ended.value.reason == "session"
    accounts.set_active("canbo1", False)
    with pytest.raises(AuthenticationError) as disabled:
        accounts.authenticate("canbo1", PASSWORD, NOW)
    assert disabled.value.reason == "disabled"
    assert accounts.set_active("canbo1", True).active


def test_token_issued_once_stored_as_hash(accounts: Accounts, catalog: Catalog) -> None:
    accounts.create_user("tuphap", Role.AGENCY, None, agency_codes=["H56.01"])
    issued = accounts.issue_token("tuphap", "Hệ thống một cửa điện tử", days=30, now=NOW)
    secret = issued.secret
    assert secret.startswith("sohoa_") and len(secret) == 6 + 43
    with catalog.read_session() as session:
        row = session.scalar(select(ApiToken))
        assert (row.token_hash, row.prefix) == (token_hash(secret), secret[:12])
        assert secret not in (row.token_hash, row.prefix, row.name)
    principal = accounts.principal_for_token(secret, NOW + timedelta(days=1))
    assert (principal.username, principal.role, principal.via) == ("tuphap", Role.AGENCY,
                                                                   "token")
    assert principal.token_id == issued.token.id
    assert principal.agency_codes == frozenset({"H56.01"})
    assert principal.actor == f"tuphap (token {issued.token.id})"
    (listed,) = accounts.tokens("tuphap")
    assert listed.last_used_at == NOW + timedelta(days=1)
    assert listed.state(NOW) == "active"
    # used again within the minute: no write
    accounts.principal_for_token(secret, NOW + timedelta(days=1, seconds=30))
    assert accounts.tokens()[0].last_used_at == NOW + timedelta(days=1)


def test_expired_revoked_unknown_and_disabled_tokens(accounts: Accounts) -> None:
    accounts.create_user("tuphap", Role.AGENCY, None, agency_codes=["H56.01"])
    expiring = accounts.issue_token("tuphap", "thử hết hạn", days=1, now=NOW).secret
    with pytest.raises(AuthenticationError) as expired:
        accounts.principal_for_token(expiring, NOW + timedelta(days=1))
    assert expired.value.reason == "expired"

    revoked = accounts.issue_token("tuphap", "thử thu hồi", days=10, now=NOW)
    assert accounts.revoke_token(revoked.token.id, NOW).revoked_at == NOW
    with pytest.raises(AuthenticationError) as refused:
        accounts.principal_for_token(revoked.secret, NOW)
    assert refused.value.reason == "revoked"
    assert accounts.tokens()[0].state(NOW) == "revoked"

    for bad in ("sohoa_" + "A" * 43, "Bearer x", revoked.secret[:-1]):
        with pytest.raises(AuthenticationError, match="không hợp lệ"):
            accounts.principal_for_token(bad, NOW)

    good = accounts.issue_token("tuphap", "thử khóa tài khoản", days=10, now=NOW).secret
    accounts.set_active("tuphap", False)
    with pytest.raises(AuthenticationError) as disabled:
        accounts.principal_for_token(good, NOW)
    assert disabled.value.reason == "disabled"
    with pytest.raises(AccountError, match="Không có mã truy cập số 999"):
        accounts.revoke_token(999)
    with pytest.raises(AccountError, match="từ 1 đến 730 ngày"):
        accounts.issue_token("tuphap", "quá dài", days=1000)
