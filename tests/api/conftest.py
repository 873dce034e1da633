"""The counter app against the real embedded default in a scratch data dir."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.settings import Settings
from sohoa.storage.routing import route
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.helpers.auth import sign_in_as
from tests.helpers.stored import store_dossier

BIRTH = "1.001193"
BIRTH_TITLES = ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH")
CENTER, LAND = "000.00.14.H56", "000.21.14.H56"
"""The counter's own agency and a land registration office."""


@pytest.fixture
def settings(tmp_path: Path, tesseract_vie: str) -> Settings:
    """Embedded default (SQLite, local object store, dev CA) under tmp_path; nothing from
    the environment but the data dir."""
    return Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data"), "SOHOA_JOBS": "2"})


@pytest.fixture
def birth_pages(tmp_path: Path) -> list[Path]:
    """A birth registration form and a birth certificate, as a counter scanner gives them."""
    return [save_scan(make_page(40 + n, Scan(dpi=200), size_in=(5.8, 8.3), sentences=4,
                                title=title), tmp_path / f"trang-{n + 1}.png")
            for n, title in enumerate(BIRTH_TITLES)]


@pytest.fixture
def routed_app(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app (nobody signed in) with two stored, signed dossiers, no OCR: a birth
    registration (two documents) routed to the center, a land registration (one) routed
    to the land office; yields the client and ``{"birth": code, "land": code}``."""
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    with TestClient(create_app(settings, CounterSettings(secure_cookies=False))) as client:
        ctx = client.app.state.counter.ctx
        vietnam = timezone(timedelta(hours=7))
        birth = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"]),
                                                ("giay_chung_sinh", ["Giấy chứng sinh"])],
                              datetime(2026, 11, 20, 9, 0, tzinfo=vietnam))
        land = store_dossier(ctx, "1.013831", [("don_dang_ky_bien_dong", ["Đơn đăng ký"])],
                             datetime(2026, 11, 21, 9, 0, tzinfo=vietnam))
        route(ctx.catalog, birth, [CENTER])
        route(ctx.catalog, land, [LAND])
        yield client, {"birth": birth, "land": land}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app over plain http (cookies not ``Secure``), signed in as the clerk canbo1."""
    with TestClient(create_app(settings, CounterSettings(secure_cookies=False))) as test_client:
        sign_in_as(test_client, "canbo1", Role.CLERK)
        yield test_client


@pytest.fixture
def page() -> Iterator:
    """A tab of Debian's chromium (Playwright) for the browser walks."""
    from tests.helpers.browser import chromium_tab

    with chromium_tab() as tab:
        yield tab


@pytest.fixture
def shot(tmp_path: Path):
    """Save a screenshot of the page (the README's with SOHOA_SCREENSHOTS=1); with
    ``full_page=False`` only what the window shows (a dialog over the page)."""
    from tests.helpers.browser import screenshot

    return lambda page, name, full_page=True: screenshot(page, name, tmp_path, full_page)


def wait_for(client: httpx.Client | TestClient, code: str, states: set[str],
             timeout_s: float = 300) -> dict:
    """Poll the status endpoint (as the page does) until the batch reaches ``states``; the
    timeout is a deadline for OCR on a busy machine, never a measurement (issue 12)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get(f"/dossiers/{code}/status.json").json()
        if status["state"] in states and not status["busy"]:
            return status
        assert status["error"] is None, status["error"]
        time.sleep(0.3)
    raise AssertionError(f"dossier {code} still {status} after {timeout_s} s")
