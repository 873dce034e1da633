"""A real browser against a real server: the app under uvicorn on a free port, and a tab of
Debian's Chromium driven by Playwright (skipped locally when either is missing; under
CI=true that is a failure — see tests.support.unavailable)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI

from tests.support import unavailable

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_MS = 120_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn in a thread; yields its base URL, stops it afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # a deadline for a busy machine, not a measure
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        assert not thread.is_alive()


@contextmanager
def chromium_tab() -> Iterator:
    """A Playwright page in Debian's Chromium (1280×900, Vietnamese locale)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not CHROMIUM.exists():
        unavailable("chromium is not installed (/usr/bin/chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        tab.set_default_timeout(TIMEOUT_MS)
        try:
            yield tab
        finally:
            browser.close()


def log_in(page, base: str, username: str, password: str) -> None:
    """Through the login form, as a person does."""
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page, name: str, folder: Path, full_page: bool = True) -> Path:
    """Save the whole page (or what the window shows) as ``name``.png in ``folder`` — or in
    docs/screenshots (the README's pictures) when SOHOA_SCREENSHOTS=1."""
    import os

    target = README_SCREENSHOTS if os.environ.get("SOHOA_SCREENSHOTS") else folder
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if target == README_SCREENSHOTS:
        _shrink(path)
    return path


def _shrink(path: Path, colours: int = 128) -> None:
    """A README picture in a palette of ``colours``: a third of the size, same to the eye."""
    from PIL import Image

    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
    small.save(path, "PNG", optimize=True)
