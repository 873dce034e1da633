"""Signed-in test clients: create a user in the app's own catalog, log in through the login
form (as a browser does), and send the session's CSRF token with every request.

    with TestClient(create_app(settings, CounterSettings(secure_cookies=False))) as client:
        sign_in_as(client, "canbo1", Role.CLERK)        # now a clerk's browser
        client.post("/dossiers", data={...})             # CSRF header already set

    headers = bearer(issue_token(client, "tuphap", Role.AGENCY, ["H56.01"]))
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi.testclient import TestClient

from sohoa.domain.access import Role
from sohoa.storage.accounts import Accounts, UserRecord

PASSWORD = "mat-khau-thu-nghiem"
LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SESSION_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def accounts_of(client: TestClient) -> Accounts:
    """The accounts of the app under test (inside ``with TestClient(...)``)."""
    return client.app.state.auth.accounts  # type: ignore[attr-defined]


def add_user(client: TestClient, username: str, role: Role = Role.CLERK,
             agency_codes: Iterable[str] = (), password: str = PASSWORD) -> UserRecord:
    return accounts_of(client).create_user(username, role, password,
                                           agency_codes=agency_codes,
                                           full_name=f"Người dùng {username}")


def log_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "",
           address_headers: dict | None = None):
    """Post the login form the way a browser does (GET it first for its token)."""
    form = client.get("/login")
    token = LOGIN_TOKEN.search(form.text).group(1)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token, "next": next_path},
                       follow_redirects=False, headers=address_headers)


def session_csrf(client: TestClient) -> str:
    """The CSRF token of the client's session (from any page: ``<meta name=csrf-token>``)."""
    return SESSION_CSRF.search(client.get("/account").text).group(1)


def sign_in_as(client: TestClient, username: str = "canbo1", role: Role = Role.CLERK,
               agency_codes: Iterable[str] = ()) -> str:
    """Create the user, log in, and send the session's CSRF token from now on (header
    ``X-CSRF-Token``); returns the token."""
    add_user(client, username, role, agency_codes)
    response = log_in(client, username)
    assert response.status_code == 303, response.text
    csrf = session_csrf(client)
    client.headers["X-CSRF-Token"] = csrf
    return csrf


def issue_token(client: TestClient, username: str, role: Role = Role.AGENCY,
                agency_codes: Iterable[str] = ("000.00.14.H56",), days: int = 30) -> str:
    """A new user with an API token; returns the token's secret."""
    add_user(client, username, role, agency_codes if role is Role.AGENCY else ())
    return accounts_of(client).issue_token(username, f"hệ thống của {username}", days).secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
