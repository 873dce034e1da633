"""The archivist and the agency officer in a real browser (Playwright, Debian's Chromium):
the archivist signs in, searches without diacritics, sees the exact-diacritic page first with
its words highlighted, and opens the PDF at the page; the officer signs in, sees only the
dossier routed to their agency, opens it, downloads a signed document (bytes = the catalog's
SHA-256) and moves the dossier to "đang xử lý"; both reads are in the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import route
from tests.helpers.browser import chromium_tab, log_in, screenshot, serving
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))
LAND_OFFICE = "000.21.14.H56"
PASSWORD = "mat-khau-luu-tru-1"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Settings]]:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    ctx = open_context(settings)
    land = store_dossier(ctx, "1.013831", [
        ("don_dang_ky_bien_dong", ["ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                                   "Thửa đất số 12 tại phường Hải Châu, thành phố Đà Nẵng"])],
        datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    birth = store_dossier(ctx, "1.001193", [
        ("to_khai_khai_sinh", ["TỜ KHAI ĐĂNG KÝ KHAI SINH. Nơi sinh: Da Nang"])],
        datetime(2026, 11, 21, 9, 0, tzinfo=VN))
    route(ctx.catalog, land, [LAND_OFFICE])
    route(ctx.catalog, birth, [ctx.settings.agency_code])
    accounts = Accounts(ctx.catalog)
    accounts.create_user("luutru1", Role.ARCHIVIST, PASSWORD, full_name="Lê Thị Lưu")
    accounts.create_user("diachinh1", Role.AGENCY, PASSWORD, agency_codes=[LAND_OFFICE],
                         full_name="Phạm Văn Đất")
    ctx.close()
    app = create_app(settings, CounterSettings(secure_cookies=False))
    with serving(app) as base:
        yield base, {"land": land, "birth": birth}, settings


def test_archivist_finds_a_page_and_opens_the_pdf_at_it(archive, tmp_path) -> None:  # noqa: ANN001
    base, codes, _ = archive
    with chromium_tab() as page:
        log_in(page, base, "luutru1", PASSWORD)
        assert page.url == base + "/search"  # an archivist lands on the search page
        page.fill("#q", "da nang")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#hits li")
        assert "Tìm thấy 2 trang" in page.inner_text("#search-total")
        hits = page.locator("#hits li")  # typed plain: "Da Nang" is the exact match, first
        assert codes["birth"] in hits.nth(0).inner_text()
        assert codes["land"] in hits.nth(1).inner_text()  # "Đà Nẵng" matches folded
        assert page.locator("#hits li mark").all_inner_texts() == ["Da", "Nang", "Đà", "Nẵng"]
        page.fill("#q", "Đà Nẵng")  # typed with diacritics: the exact page first
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#hits li.exact")
        first = page.locator("#hits li").nth(0)
        assert "exact" in first.get_attribute("class") and codes["land"] in first.inner_text()
        screenshot(page, "06-tra-cuu", tmp_path)
        link = first.locator("a.open")
        assert link.get_attribute("href").endswith("/documents/1#page=2")
        pdf = page.request.get(base + link.get_attribute("href").split("#")[0])
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")


def test_agency_officer_downloads_a_routed_document(archive, tmp_path) -> None:  # noqa: ANN001
    base, codes, settings = archive
    with chromium_tab() as page:
        log_in(page, base, "diachinh1", PASSWORD)
        assert page.url == base + "/co-quan"
        assert "1 hồ sơ" in page.inner_text("#agency-total")
        rows = page.locator("#agency-dossiers a").all_inner_texts()
        assert rows == [codes["land"]]  # the birth dossier is not routed here
        page.click(f"text={codes['land']}")
        page.wait_for_selector("#documents")
        sha = page.inner_text("#documents .hint").split()[-1]
        screenshot(page, "07-co-quan-ho-so", tmp_path)
        with page.expect_download() as download:
            page.evaluate("url => { const a = document.createElement('a'); a.href = url;"
                          " a.download = 'tai-lieu.pdf'; document.body.appendChild(a);"
                          " a.click(); }", page.locator("a.document").get_attribute("href"))
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == sha
        page.select_option("#new_status", "4")
        page.click("#status-form button")
        page.wait_for_load_state()
        assert "4 – đang xử lý" in page.inner_text("#dossier-status")
        other = page.request.get(f"{base}/api/v1/dossiers/{codes['birth']}/documents/1")
        assert other.status == 403
    ctx = open_context(settings)
    try:
        log = AuditLog(ctx.catalog)
        reads = log.entries(action="document.read", actor="diachinh1")
        assert [r.dossier_code for r in reads] == [codes["land"]]
        assert [e.dossier_code for e in log.entries(action="access.denied")] == [codes["birth"]]
        assert log.entries(action="dossier.status")[0].detail["to"] == 4
    finally:
        ctx.close()
