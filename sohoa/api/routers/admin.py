"""Administration (admins only): the audit log, users and API tokens.

A token's secret is shown once, on the page answering the form that issued it (never in a
URL, never again afterwards). Every change made here is written to the audit log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sohoa.api.audit_view import ACTIONS, audit_lines
from sohoa.api.auth import audit, auth_of, require
from sohoa.api.filters import Choice, FieldErrors, check_range, day_field
from sohoa.api.state import TEMPLATES
from sohoa.clock import VIETNAM, start_of_day
from sohoa.domain.access import ROLE_NAMES, Principal, Role
from sohoa.errors import AccountError
from sohoa.storage.accounts import IssuedToken

router = APIRouter(prefix="/admin")
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
PAGE = 100


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, _: Admin, dossier: str = "", actor: str = "",
              action: str = "", since: str = "", until: str = "",
              before: Annotated[int | None, Query(ge=1)] = None) -> HTMLResponse:
    """The audit log, newest first, filtered, one page of :data:`PAGE` lines at a time, in
    Vietnamese (:mod:`sohoa.api.audit_view`); a bad date is shown next to its field."""
    errors: FieldErrors = {}
    start = day_field(since, "since", "Từ ngày", errors)
    end = day_field(until, "until", "Đến ngày", errors)
    check_range(start, end, "until", errors)
    lines = [] if errors else auth_of(request).audit.entries(
        dossier=dossier.strip() or None, actor=actor.strip() or None,
        action=action.strip() or None, since=start_of_day(start) if start else None,
        until=start_of_day(end + timedelta(days=1)) if end else None, limit=PAGE,
        before_id=before)
    filters = {"dossier": dossier, "actor": actor, "action": action, "since": since,
               "until": until}
    more = lines[-1].id if len(lines) == PAGE else None
    actions = [Choice(code, name) for code, name in ACTIONS.items()]
    return TEMPLATES.TemplateResponse(request, "admin_audit.html", {
        "lines": audit_lines(lines), "filters": filters, "more": more, "errors": errors,
        "actions": sorted(actions, key=lambda c: c.label)},
        status_code=422 if errors else 200)


def users_page(request: Request, *, issued: IssuedToken | None = None,
               message: str | None = None, status_code: int = 200) -> HTMLResponse:
    accounts = auth_of(request).accounts
    context = {"users": accounts.users(), "tokens": accounts.tokens(), "issued": issued,
               "message": message, "roles": ROLE_NAMES, "now": datetime.now(VIETNAM),
               "tz": VIETNAM}
    return TEMPLATES.TemplateResponse(request, "admin_users.html", context,
                                      status_code=status_code)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, _: Admin) -> HTMLResponse:
    return users_page(request)


@router.post("/users", response_class=HTMLResponse)
def create_user(request: Request, _: Admin, username: Annotated[str, Form()],
                role: Annotated[str, Form()], password: Annotated[str, Form()],
                full_name: Annotated[str, Form()] = "",
                agency_codes: Annotated[str, Form()] = "") -> HTMLResponse:
    codes = agency_codes.replace(",", " ").split()
    user = auth_of(request).accounts.create_user(username, role, password,
                                                 agency_codes=codes, full_name=full_name)
    audit(request, "user.create", target=user.username,
          detail={"role": user.role.value, "agency_codes": list(user.agency_codes)})
    return users_page(request, message=f"Đã tạo tài khoản {user.username}.")


@router.post("/users/{username}/{change}")
def change_user(request: Request, _: Admin, username: str, change: str) -> RedirectResponse:
    """``disable`` / ``enable`` an account, or ``signout`` (end its sessions everywhere)."""
    accounts = auth_of(request).accounts
    if change in ("disable", "enable"):
        accounts.set_active(username, change == "enable")
    elif change == "signout":
        accounts.sign_out_everywhere(username)
    else:
        raise AccountError(f"Không có thao tác {change!r} với tài khoản")
    audit(request, f"user.{change}", target=username)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/tokens", response_class=HTMLResponse)
def issue_token(request: Request, _: Admin, username: Annotated[str, Form()],
                name: Annotated[str, Form()], days: Annotated[int, Form()] = 90) -> HTMLResponse:
    issued = auth_of(request).accounts.issue_token(username, name, days)
    audit(request, "token.issue", target=issued.token.username,
          detail={"token_id": issued.token.id, "name": issued.token.name, "days": days})
    response = users_page(request, issued=issued)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, _: Admin, token_id: int) -> RedirectResponse:
    token = auth_of(request).accounts.revoke_token(token_id)
    audit(request, "token.revoke", target=token.username,
          detail={"token_id": token.id, "name": token.name})
    return RedirectResponse("/admin/users", status_code=303)
