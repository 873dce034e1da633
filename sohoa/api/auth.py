"""Who is asking, on the web: session cookies, bearer tokens, CSRF, login throttling.

- **Sessions** (people in a browser): a cookie signed with itsdangerous carrying the user id,
  the user's ``session_version`` and the session's CSRF token; ``HttpOnly``,
  ``SameSite=Strict``, ``Secure`` (unless :attr:`CounterSettings.secure_cookies` is off for
  plain-http development), valid for a working day (8 h). Every request checks the user in
  the catalog again, so a disabled account, a password change or "sign out everywhere" ends
  every session at once.
- **Bearer tokens** (agencies' systems): ``Authorization: Bearer sohoa_…``
  (:meth:`Accounts.principal_for_token`). No cookie is involved, so no CSRF check.
- **CSRF**: a POST/PUT/PATCH/DELETE with a session must carry the session's token (form field
  ``csrf_token`` or header ``X-CSRF-Token``); templates get it as
  ``request.state.csrf_token`` (``_csrf.html``).
- :func:`require` is the one dependency routes use: ``Depends(require(Role.CLERK,
  Role.ADMIN))`` yields the :class:`Principal` or refuses (401; a browser is sent to
  ``/login``), and a wrong role is refused with 403 and written to the audit log.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from sohoa.api.settings import CounterSettings
from sohoa.api.state import TEMPLATES
from sohoa.domain.access import ROLE_NAMES, Principal, Role
from sohoa.errors import (
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    SohoaError,
)
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts, UserRecord
from sohoa.storage.audit import AuditLog
from sohoa.storage.catalog import Catalog

SESSION_COOKIE = "sohoa_session"
LOGIN_COOKIE = "sohoa_login"
"""Double-submit token of the login form (no session exists yet to bind it to)."""
SESSION_MAX_AGE_S = 8 * 3600
LOGIN_FORM_MAX_AGE_S = 3600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
IP_FAILURES = 20
IP_WINDOW_S = 300.0
SESSION_SALT = "sohoa.session"
READS = frozenset({"document.read"})
"""Audit actions written once per opening (see :func:`audit`)."""


# --- the secret key ------------------------------------------------------------------------


def secret_key(settings: Settings) -> str:
    """``SOHOA_SECRET_KEY``; outside production, one generated once and kept (mode 0600) in
    ``<data_dir>/secret-key`` so a restart keeps everyone signed in."""
    if settings.secret_key:
        return settings.secret_key
    if settings.production:
        raise ConfigurationError("SOHOA_SECRET_KEY chưa đặt (bắt buộc khi vận hành)")
    path = settings.data_dir / "secret-key"
    try:
        return _create_key(path)
    except FileExistsError:
        pass
    for _ in range(50):  # another process may have created it an instant ago
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise ConfigurationError(f"Tệp khóa {path} trống; xóa nó hoặc đặt SOHOA_SECRET_KEY")


def _create_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key


# --- per-address throttling of failed logins ----------------------------------------------


@dataclass
class LoginThrottle:
    """At most ``limit`` failed logins per ``window_s`` from one address (in memory: one
    counter process; the per-account lock in the catalog holds across processes)."""

    limit: int = IP_FAILURES
    window_s: float = IP_WINDOW_S
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, address: str) -> int:
        """Seconds until ``address`` may try again (0: now)."""
        with self._lock:
            recent = self._recent(address)
            if len(recent) < self.limit:
                return 0
            return max(1, int(recent[0] + self.window_s - self.clock() + 0.999))

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self.clock())
            if len(self._failures) > 10_000:  # forget idle addresses
                for stale in [a for a, d in self._failures.items() if not d]:
                    del self._failures[stale]

    def _recent(self, address: str) -> deque[float]:
        recent = self._failures.setdefault(address, deque())
        while recent and recent[0] <= self.clock() - self.window_s:
            recent.popleft()
        return recent


# --- what the app holds --------------------------------------------------------------------


@dataclass
class WebAuth:
    """Accounts, the audit log, the cookie signer and the throttle of one app."""

    accounts: Accounts
    audit: AuditLog
    serializer: URLSafeTimedSerializer
    secure_cookies: bool
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    @classmethod
    def open(cls, catalog: Catalog, settings: Settings,
             counter: CounterSettings) -> WebAuth:
        serializer = URLSafeTimedSerializer(secret_key(settings), salt=SESSION_SALT)
        return cls(Accounts(catalog), AuditLog(catalog), serializer, counter.secure_cookies)

    def start_session(self, response: Response, user: UserRecord) -> None:
        """Set a fresh session cookie (a new CSRF token every login)."""
        value = self.serializer.dumps({"u": user.id, "v": user.session_version,
                                       "c": secrets.token_urlsafe(32)})
        self.set_cookie(response, SESSION_COOKIE, value, SESSION_MAX_AGE_S)

    def set_cookie(self, response: Response, name: str, value: str, max_age: int,
                   path: str = "/") -> None:
        response.set_cookie(name, value, max_age=max_age, path=path, httponly=True,
                            samesite="strict", secure=self.secure_cookies)

    def end_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict",
                               secure=self.secure_cookies)

    def session_principal(self, cookie: str) -> tuple[Principal, str]:
        """The principal and CSRF token of a session cookie, checked against the catalog."""
        try:
            data = self.serializer.loads(cookie, max_age=SESSION_MAX_AGE_S)
            user_id, version, csrf = int(data["u"]), int(data["v"]), str(data["c"])
        except (BadSignature, KeyError, TypeError, ValueError):
            raise AuthenticationError("Phiên làm việc đã hết hạn; vui lòng đăng nhập lại.",
                                      "session") from None
        return self.accounts.session_user(user_id, version).principal(), csrf


def auth_of(request: Request) -> WebAuth:
    return request.app.state.auth


def client_address(request: Request) -> str:
    """The peer's address (behind a reverse proxy, uvicorn's ``--proxy-headers`` with
    ``--forwarded-allow-ips`` puts the client's here; a forged header is not trusted)."""
    return request.client.host if request.client else "unknown"


# --- who is asking -------------------------------------------------------------------------


def principal_of(request: Request) -> Principal:
    """The principal of this request (resolved once, then kept on ``request.state``)."""
    known = getattr(request.state, "principal", None)
    if known is not None:
        return known
    auth = auth_of(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("Cần mã truy cập dạng 'Authorization: Bearer <mã>'.",
                                      "missing")
        principal = auth.accounts.principal_for_token(token.strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise AuthenticationError("Vui lòng đăng nhập.", "missing")
        principal, request.state.csrf_token = auth.session_principal(cookie)
    request.state.principal = principal
    return principal


async def check_csrf(request: Request, principal: Principal) -> None:
    """A state-changing request of a session must carry the session's CSRF token."""
    if request.method not in UNSAFE_METHODS or principal.via != "session":
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        sent = (await request.form()).get("csrf_token")
    expected = getattr(request.state, "csrf_token", "")
    if not isinstance(sent, str) or not expected or \
            not hmac.compare_digest(sent.encode(), expected.encode()):
        await run_in_threadpool(deny, request, principal, "csrf")
        raise PermissionDeniedError("Biểu mẫu đã cũ hoặc không gửi từ trang của hệ thống "
                                    "(thiếu mã CSRF); tải lại trang rồi thử lại.")


def deny(request: Request, principal: Principal, reason: str) -> None:
    """Write the refusal to the audit log."""
    auth_of(request).audit.record(principal, "access.denied", "denied",
                                  target=f"{request.method} {request.url.path}"[:1024],
                                  remote_addr=client_address(request),
                                  detail={"reason": reason})


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency yielding the signed-in :class:`Principal` whose role is one of ``roles``
    (any role when none given); 401 when nobody is signed in, 403 (audited) otherwise."""
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Principal:
        principal = await run_in_threadpool(principal_of, request)
        await check_csrf(request, principal)
        if allowed and principal.role not in allowed:
            await run_in_threadpool(deny, request, principal, "role")
            names = ", ".join(ROLE_NAMES[r] for r in Role if r in allowed)
            raise PermissionDeniedError(f"Tài khoản {principal.username} "
                                        f"({ROLE_NAMES[principal.role]}) không được dùng chức "
                                        f"năng này (dành cho: {names}).")
        return principal

    dependency.__name__ = "require_" + "_".join(sorted(r.value for r in allowed) or ["any"])
    return dependency


# --- audit lines from routes ---------------------------------------------------------------


def audit(request: Request, action: str, outcome: str = "ok", *,
          dossier_code: str | None = None, target: str | None = None,
          detail: dict | None = None) -> int:
    """One audit line for this request's principal and address (raises when not written).

    A successful read of a document is one line per opening, whatever the number of
    requests the browser's viewer makes (:meth:`AuditLog.record_read`)."""
    log, who, address = auth_of(request).audit, principal_of(request), client_address(request)
    if action in READS and outcome == "ok" and target:
        return log.record_read(who, action, target=target, dossier_code=dossier_code,
                               remote_addr=address, detail=detail)
    return log.record(who, action, outcome, dossier_code=dossier_code, target=target,
                      remote_addr=address, detail=detail)


@contextmanager
def audited(request: Request, action: str, *, dossier_code: str | None = None,
            target: str | None = None, detail: dict | None = None) -> Iterator[None]:
    """Audit the change made inside the block: ``ok``, or ``failed`` with the error."""
    try:
        yield
    except SohoaError as exc:
        audit(request, action, "failed", dossier_code=dossier_code, target=target,
              detail={**(detail or {}), "error": exc.message})
        raise
    audit(request, action, dossier_code=dossier_code, target=target, detail=detail)


# --- refusals ------------------------------------------------------------------------------


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "") and \
        "authorization" not in request.headers


def safe_next(target: str | None) -> str | None:
    """Only a path of this site (never ``//evil.example`` or a full URL)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None


def refusal(request: Request, message: str, status_code: int) -> Response:
    """A refusal that shows nothing of what was asked for (never the dossier's screen)."""
    if "text/html" in request.headers.get("accept", ""):
        return TEMPLATES.TemplateResponse(request, "error.html", {"message": message},
                                          status_code=status_code)
    return JSONResponse({"error": message}, status_code=status_code)


async def authentication_error(request: Request, exc: Exception) -> Response:
    """A browser is sent to the login page (and back afterwards); an API client gets 401;
    a short-lived link that no longer holds is a page saying so (signing in cannot mend
    it: the link itself is the credential)."""
    assert isinstance(exc, AuthenticationError)
    if wants_html(request) and exc.reason != "link":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        back = f"?next={quote(target, safe='')}" if request.method == "GET" else ""
        response: Response = RedirectResponse(f"/login{back}", status_code=303)
    else:
        response = refusal(request, exc.message, 401)
        response.headers["WWW-Authenticate"] = "Bearer"
    if exc.reason == "session":
        auth_of(request).end_session(response)
    return response


async def permission_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PermissionDeniedError)
    return refusal(request, exc.message, 403)
