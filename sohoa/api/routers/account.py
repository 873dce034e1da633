"""Signing in and out of the web app, and who am I.

The login form carries a double-submit token (a cookie scoped to ``/login`` and the same value
in the form), so another site cannot sign a clerk into an account of its choosing. Failed
logins count per address (:class:`LoginThrottle`, 429) and per account (the lock in
:class:`~sohoa.storage.accounts.Accounts`); both are written to the audit log.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sohoa.api.auth import (
    LOGIN_COOKIE,
    LOGIN_FORM_MAX_AGE_S,
    auth_of,
    client_address,
    require,
    safe_next,
)
from sohoa.api.state import TEMPLATES
from sohoa.domain.access import ROLE_NAMES, Principal, Role
from sohoa.errors import AuthenticationError

router = APIRouter()
SignedIn = Annotated[Principal, Depends(require())]
HOME = {Role.CLERK: "/", Role.ADMIN: "/", Role.ARCHIVIST: "/search", Role.AGENCY: "/co-quan"}
"""Where each role lands after signing in."""


def login_page(request: Request, *, next_path: str | None, problem: str | None = None,
               username: str = "", status_code: int = 200) -> HTMLResponse:
    """The form, with a fresh double-submit token in the form and in a cookie."""
    token = secrets.token_urlsafe(32)
    context = {"login_token": token, "next": next_path or "", "problem": problem,
               "username": username}
    response = TEMPLATES.TemplateResponse(request, "login.html", context,
                                          status_code=status_code)
    auth_of(request).set_cookie(response, LOGIN_COOKIE, token, LOGIN_FORM_MAX_AGE_S,
                                path="/login")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002
    return login_page(request, next_path=safe_next(next))


@router.post("/login")
def login(request: Request, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "") -> Response:  # noqa: A002
    auth, address = auth_of(request), client_address(request)
    back = safe_next(next)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return login_page(request, next_path=back, username=username, status_code=403,
                          problem="Trang đăng nhập đã cũ; vui lòng nhập lại.")
    wait = auth.throttle.retry_after(address)
    if wait:
        auth.audit.record(username.strip().lower() or "-", "login.failed", "denied",
                          target=username[:64], remote_addr=address,
                          detail={"reason": "throttled"})
        return login_page(request, next_path=back, username=username, status_code=429,
                          problem=f"Đăng nhập sai quá nhiều lần từ máy này; thử lại sau "
                                  f"{(wait + 59) // 60} phút.")
    try:
        user = auth.accounts.authenticate(username, password)
    except AuthenticationError as exc:
        auth.throttle.failed(address)
        auth.audit.record(username.strip().lower() or "-", "login.failed", "failed",
                          target=username[:64], remote_addr=address,
                          detail={"reason": exc.reason})
        return login_page(request, next_path=back, username=username, status_code=401,
                          problem=exc.message)
    principal = user.principal()
    auth.audit.record(principal, "login", remote_addr=address)
    response = RedirectResponse(back or HOME.get(user.role, "/account"), status_code=303)
    auth.start_session(response, user)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, who: SignedIn,
           everywhere: Annotated[str, Form()] = "") -> RedirectResponse:
    """Sign out here (and, asked for, on every other machine too)."""
    auth = auth_of(request)
    if everywhere:
        auth.accounts.sign_out_everywhere(who.username)
    auth.audit.record(who, "logout", remote_addr=client_address(request),
                      detail={"everywhere": True} if everywhere else None)
    response = RedirectResponse("/login", status_code=303)
    auth.end_session(response)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, who: SignedIn) -> HTMLResponse:
    user = auth_of(request).accounts.user(who.username)
    return TEMPLATES.TemplateResponse(request, "account.html",
                                      {"user": user, "role_name": ROLE_NAMES[user.role]})
