"""Accounts over the catalog: users, their passwords, login throttling, and API tokens.

Passwords are hashed with argon2id (argon2-cffi's :class:`PasswordHasher`, RFC 9106 low-memory
profile); a stored hash made with older parameters is replaced at the next successful login.
A wrong password and an unknown user answer the same message, and an unknown user still
costs one hash, so neither the words nor the time tell an attacker which names exist.

After :data:`FREE_FAILURES` failed logins in a row an account is locked for
30 s · 2^(n−5), at most 15 minutes; while locked the password is not even checked.

API tokens are shown once (``sohoa_<43 url-safe characters>``, 256 random bits); only their
SHA-256 is kept (a token is random, so a fast hash is enough: there is nothing to guess), plus
a short prefix to recognise it in lists.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sohoa.domain.access import API_ROLES, ROLE_NAMES, Principal, Role
from sohoa.errors import AccountError, AuthenticationError
from sohoa.storage.models import ApiToken, User, require_aware

if TYPE_CHECKING:
    from sohoa.storage.session import Database

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
"""Longer input is refused before hashing (a megabyte password would only cost CPU)."""
FREE_FAILURES = 5
LOCK_BASE_S = 30
LOCK_MAX_S = 15 * 60
TOKEN_PREFIX = "sohoa_"
TOKEN_SHOWN = 12
"""Characters of a token kept in clear (``sohoa_`` and 6 random ones): enough to recognise it."""
TOKEN_MAX_DAYS = 730
TOUCH_EVERY = timedelta(minutes=1)
"""A token's ``last_used_at`` is written at most this often (no write per API request)."""
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
AGENCY_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu"


@dataclass(frozen=True)
class UserRecord:
    """A user as the rest of sohoa sees it (never the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    agency_codes: tuple[str, ...]
    active: bool
    failed_logins: int
    locked_until: datetime | None
    session_version: int
    created_at: datetime

    def principal(self, via: str = "session", token_id: int | None = None) -> Principal:
        return Principal(self.username, self.role, frozenset(self.agency_codes), via, token_id)


@dataclass(frozen=True)
class TokenRecord:
    """An API token without its secret."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    def state(self, now: datetime) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: ``secret`` is shown to its owner once and never stored."""

    token: TokenRecord
    secret: str


def _now() -> datetime:
    return datetime.now(UTC)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lock_seconds(failures: int) -> int:
    """How long an account stays locked after ``failures`` failed logins in a row."""
    if failures < FREE_FAILURES:
        return 0
    return min(LOCK_BASE_S * 2 ** min(failures - FREE_FAILURES, 16), LOCK_MAX_S)


class Accounts:
    """Users and API tokens of the catalog; each method is one short transaction."""

    def __init__(self, catalog: Database, hasher: PasswordHasher | None = None) -> None:
        self.catalog = catalog
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    # --- users ---------------------------------------------------------------------------

    def create_user(self, username: str, role: Role | str, password: str | None = None, *,
                    agency_codes: Iterable[str] = (), full_name: str = "") -> UserRecord:
        """A new user; an agency account needs its agency codes, other roles take none."""
        name, role = _username(username), _role(role)
        codes = _agency_codes(role, agency_codes)
        hashed = self._hash(password) if password is not None else None
        with self.catalog.write_session() as session:
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                raise AccountError(f"Tên đăng nhập {name} đã có")
            row = User(username=name, role=role.value, agency_codes=list(codes),
                       full_name=full_name.strip()[:256], password_hash=hashed)
            session.add(row)
            session.flush()
            return user_record(row)

    def user(self, username: str) -> UserRecord:
        with self.catalog.read_session() as session:
            return user_record(_user_row(session, username))

    def users(self) -> list[UserRecord]:
        with self.catalog.read_session() as session:
            return [user_record(r) for r in session.scalars(select(User).order_by(User.username))]

    def set_password(self, username: str, password: str) -> UserRecord:
        """New password; every session of the user ends (``session_version`` bumped) and a
        lock from failed logins is lifted."""
        hashed = self._hash(password)
        with self.catalog.write_session() as session:
            row = _user_row(session, username)
            row.password_hash, row.failed_logins, row.locked_until = hashed, 0, None
            row.session_version += 1
            return user_record(row)

    def set_active(self, username: str, active: bool) -> UserRecord:
        """Disable (or enable again) an account: its sessions and tokens stop working."""
        with self.catalog.write_session() as session:
            row = _user_row(session, username)
            if row.active != active:
                row.active = active
                row.session_version += 1
            return user_record(row)

    def sign_out_everywhere(self, username: str) -> UserRecord:
        with self.catalog.write_session() as session:
            row = _user_row(session, username)
            row.session_version += 1
            return user_record(row)

    # --- logging in ----------------------------------------------------------------------

    def authenticate(self, username: str, password: str,
                     now: datetime | None = None) -> UserRecord:
        """The user whose password this is, or :class:`AuthenticationError` (same message
        for an unknown user and a wrong password; a locked account is not even checked)."""
        now = require_aware(now or _now())
        name = username.strip().lower()
        with self.catalog.read_session() as session:
            row = session.scalar(select(User).where(User.username == name))
            found = user_record(row) if row is not None else None
            stored = row.password_hash if row is not None else None
        if found is None or stored is None:
            self._verify(self._dummy(), password)  # the same cost as a real check
            raise AuthenticationError(f"{BAD_LOGIN}.")
        if found.locked_until is not None and found.locked_until > now:
            raise _locked(found.locked_until, now)
        if not self._verify(stored, password):
            raise self._failed(name, now)
        if not found.active:
            raise AuthenticationError("Tài khoản đã bị vô hiệu hóa; liên hệ quản trị.",
                                      "disabled")
        return self._succeeded(name, password, stored)

    def _failed(self, name: str, now: datetime) -> AuthenticationError:
        with self.catalog.write_session() as session:
            row = _user_row(session, name)
            row.failed_logins += 1
            seconds = lock_seconds(row.failed_logins)
            if seconds:
                row.locked_until = now + timedelta(seconds=seconds)
                return _locked(row.locked_until, now)
        return AuthenticationError(f"{BAD_LOGIN}.")

    def _succeeded(self, name: str, password: str, stored: str) -> UserRecord:
        rehashed = self._hash(password) if self.hasher.check_needs_rehash(stored) else None
        with self.catalog.write_session() as session:
            row = _user_row(session, name)
            row.failed_logins, row.locked_until = 0, None
            if rehashed is not None and row.password_hash == stored:
                row.password_hash = rehashed
            return user_record(row)

    def session_user(self, user_id: int, session_version: int) -> UserRecord:
        """The user a session cookie names, if that session still holds (account active,
        no password change or sign-out everywhere since)."""
        with self.catalog.read_session() as session:
            row = session.get(User, user_id)
            found = user_record(row) if row is not None else None
        if found is None or not found.active or found.session_version != session_version:
            raise AuthenticationError("Phiên làm việc đã kết thúc; vui lòng đăng nhập lại.",
                                      "session")
        return found

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
        if len(password) > MAX_PASSWORD:
            raise AccountError(f"Mật khẩu dài quá {MAX_PASSWORD} ký tự")
        return self.hasher.hash(password)

    def _verify(self, stored: str, password: str) -> bool:
        if len(password) > MAX_PASSWORD:
            return False
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    # --- API tokens ----------------------------------------------------------------------

    def issue_token(self, username: str, name: str, days: int = 90,
                    now: datetime | None = None) -> IssuedToken:
        """A new token for ``username``, valid ``days`` days; the secret is returned once.
        Refused for a role the API does not answer (a clerk's token would open nothing)."""
        now = require_aware(now or _now())
        label = name.strip()
        if not label or len(label) > 128:
            raise AccountError("Mã truy cập cần một tên (tối đa 128 ký tự), ví dụ tên hệ thống "
                               "dùng nó")
        if not 1 <= days <= TOKEN_MAX_DAYS:
            raise AccountError(f"Thời hạn mã truy cập từ 1 đến {TOKEN_MAX_DAYS} ngày")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.catalog.write_session() as session:
            user = _user_row(session, username)
            if Role(user.role) not in API_ROLES:
                raise AccountError(
                    f"Không cấp mã truy cập cho {user.username}: vai trò "
                    f"{ROLE_NAMES[Role(user.role)]} không dùng API (chỉ "
                    f"{', '.join(ROLE_NAMES[r] for r in Role if r in API_ROLES)})")
            row = ApiToken(user_id=user.id, name=label, token_hash=token_hash(secret),
                           prefix=secret[:TOKEN_SHOWN], created_at=now,
                           expires_at=now + timedelta(days=days))
            session.add(row)
            session.flush()
            return IssuedToken(token_record(row, user.username), secret)

    def principal_for_token(self, secret: str, now: datetime | None = None) -> Principal:
        """Who a bearer token acts for, or :class:`AuthenticationError` (unknown, expired,
        revoked, or its user disabled)."""
        now = require_aware(now or _now())
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 128:
            raise AuthenticationError("Mã truy cập không hợp lệ.")
        with self.catalog.read_session() as session:
            row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
            user = session.get(User, row.user_id) if row is not None else None
            found = token_record(row, user.username) if row and user else None
            owner = user_record(user) if user is not None else None
        if found is None or owner is None:
            raise AuthenticationError("Mã truy cập không hợp lệ.")
        if found.revoked_at is not None:
            raise AuthenticationError("Mã truy cập đã bị thu hồi.", "revoked")
        if found.expires_at <= now:
            raise AuthenticationError("Mã truy cập đã hết hạn.", "expired")
        if not owner.active:
            raise AuthenticationError("Tài khoản của mã truy cập đã bị vô hiệu hóa.", "disabled")
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            self._touch(found.id, now)
        return owner.principal(via="token", token_id=found.id)

    def _touch(self, token_id: int, now: datetime) -> None:
        with self.catalog.write_session() as session:
            row = session.get(ApiToken, token_id)
            if row is not None:
                row.last_used_at = now

    def revoke_token(self, token_id: int, now: datetime | None = None) -> TokenRecord:
        """Revoke a token at once (revoking it again changes nothing)."""
        now = require_aware(now or _now())
        with self.catalog.write_session() as session:
            row = session.get(ApiToken, token_id)
            if row is None:
                raise AccountError(f"Không có mã truy cập số {token_id}")
            if row.revoked_at is None:
                row.revoked_at = now
            return token_record(row, session.get(User, row.user_id).username)

    def tokens(self, username: str | None = None) -> list[TokenRecord]:
        """Tokens (newest first), of one user or of all."""
        query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
        with self.catalog.read_session() as session:
            if username is not None:
                query = query.where(User.id == _user_row(session, username).id)
            rows = session.execute(query.order_by(ApiToken.id.desc())).all()
            return [token_record(token, name) for token, name in rows]


# --- helpers -------------------------------------------------------------------------------


def _locked(until: datetime, now: datetime) -> AuthenticationError:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    return AuthenticationError(f"{BAD_LOGIN}, hoặc đăng nhập sai quá nhiều lần: thử lại sau "
                               f"{seconds} giây.", "locked")


def _username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu "
                           "chấm, gạch ngang hoặc gạch dưới (bắt đầu bằng chữ hoặc số)")
    return name


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(f"Vai trò {role!r} không có; chọn một trong: "
                           f"{', '.join(r.value for r in Role)}") from None


def _agency_codes(role: Role, codes: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if role is Role.AGENCY and not cleaned:
        raise AccountError("Tài khoản cơ quan giải quyết phải gắn với ít nhất một mã cơ quan")
    if role is not Role.AGENCY and cleaned:
        raise AccountError("Chỉ tài khoản cơ quan giải quyết mới gắn với mã cơ quan")
    bad = [c for c in cleaned if not AGENCY_CODE.fullmatch(c)]
    if bad:
        raise AccountError(f"Mã cơ quan không hợp lệ: {', '.join(bad)}")
    return cleaned


def _user_row(session: Session, username: str) -> User:
    row = session.scalar(select(User).where(User.username == username.strip().lower()))
    if row is None:
        raise AccountError(f"Không có người dùng {username}")
    return row


def user_record(row: User) -> UserRecord:
    return UserRecord(row.id, row.username, row.full_name, Role(row.role),
                      tuple(row.agency_codes or ()), row.active, row.failed_logins,
                      row.locked_until, row.session_version, row.created_at)


def token_record(row: ApiToken, username: str) -> TokenRecord:
    return TokenRecord(row.id, username, row.name, row.prefix, row.created_at, row.expires_at,
                       row.revoked_at, row.last_used_at)
