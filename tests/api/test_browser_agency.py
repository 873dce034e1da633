"""The agency officer and the archivist in a real browser (Playwright, Debian's Chromium;
issue 15 items 11–15): no raw JSON anywhere, the signature check as a Vietnamese page, a bad
filter explained next to its field, the archivist going from a search hit to the dossier and
its documents (read-only), one audit line for one opening of a PDF however many requests the
viewer makes, and the audit page in Vietnamese within 1366 px. Screenshots go to the test's
folder, or to docs/screenshots with SOHOA_SCREENSHOTS=1 (the README's pictures)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Principal, Role
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import route
from tests.helpers.browser import chromium_tab, log_in, screenshot, serving
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))
LAND_OFFICE = "000.21.14.H56"
PASSWORD = "mat-khau-co-quan-1"
LAND_TYPE = "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Settings]]:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    ctx = open_context(settings)
    land = store_dossier(ctx, "1.013831", [
        ("don_dang_ky_bien_dong", ["ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                                   "Thửa đất số 12 tại phường Hải Châu, thành phố Đà Nẵng"]),
        ("hop_dong_chuyen_nhuong", ["HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"])],
        datetime(2026, 11, 20, 9, 0, tzinfo=VN))
    birth = store_dossier(ctx, "1.001193", [
        ("to_khai_khai_sinh", ["TỜ KHAI ĐĂNG KÝ KHAI SINH. Nơi sinh: Đà Nẵng"])],
        datetime(2026, 11, 21, 9, 0, tzinfo=VN))
    route(ctx.catalog, land, [LAND_OFFICE])
    route(ctx.catalog, birth, [ctx.settings.agency_code])
    accounts = Accounts(ctx.catalog)
    accounts.create_user("diachinh1", Role.AGENCY, PASSWORD, agency_codes=[LAND_OFFICE],
                         full_name="Phạm Văn Đất")
    accounts.create_user("luutru1", Role.ARCHIVIST, PASSWORD, full_name="Lê Thị Lưu")
    accounts.create_user("quantri", Role.ADMIN, PASSWORD, full_name="Quản Trị")
    AuditLog(ctx.catalog).record(Principal("canbo1", Role.CLERK), "dossier.scan",
                                 dossier_code=birth, remote_addr="10.0.0.5",
                                 detail={"via": "scanner", "replace": None})
    AuditLog(ctx.catalog).record(Principal("diachinh1", Role.AGENCY, frozenset({LAND_OFFICE})),
                                 "document.read", dossier_code=land, remote_addr="10.0.0.6",
                                 target=f"dossiers/{land}/documents/01-don_dang_ky_bien_dong.pdf",
                                 detail={"ordinal": 1, "sha256": "ab" * 32})
    ctx.close()
    app = create_app(settings, CounterSettings(secure_cookies=False))
    with serving(app) as base:
        yield base, {"land": land, "birth": birth}, settings


def reads(settings: Settings, actor: str) -> list:
    ctx = open_context(settings)
    try:
        return AuditLog(ctx.catalog).entries(action="document.read", actor=actor)
    finally:
        ctx.close()


def assert_no_json(page) -> None:  # noqa: ANN001
    body = page.inner_text("body")
    assert not body.lstrip().startswith("{") and '"detail"' not in body, body[:300]


def test_an_officer_lists_opens_checks_and_reads_once(site, tmp_path) -> None:  # noqa: ANN001
    base, codes, settings = site
    with chromium_tab() as page:
        log_in(page, base, "diachinh1", PASSWORD)
        assert page.url == base + "/co-quan"
        row = page.inner_text("#agency-dossiers tr:nth-child(2)")
        assert codes["land"] in row and "1.013831 — " in row and "Đăng ký biến động" in row
        screenshot(page, "30-co-quan-danh-sach", tmp_path)
        page.fill("#received_from", "31/02/2026")
        page.click("#agency-filters button[type=submit]")
        page.wait_for_selector("#received_from-error")
        assert "'31/02/2026' không phải là ngày" in page.inner_text("#received_from-error")
        assert_no_json(page)
        screenshot(page, "31-co-quan-loc-sai-ngay", tmp_path)

        page.goto(base + "/co-quan")
        page.click(f"text={codes['land']}")
        page.wait_for_selector("#documents")
        assert "Đăng ký biến động" in page.inner_text("#dossier-procedure")
        screenshot(page, "32-co-quan-ho-so", tmp_path)
        pdf_url = base + page.locator("a.document").first.get_attribute("href")
        page.locator("a.verify").first.click()
        page.wait_for_selector("#verification-verdict")
        assert page.inner_text("#verification-verdict").startswith("Hợp lệ")
        assert "Người ký" in page.inner_text("#signature-1") and "(GMT+7)" in \
            page.inner_text("#signature-1")
        assert_no_json(page)
        screenshot(page, "33-kiem-tra-chu-ky", tmp_path)

        page.go_back()
        with page.context.expect_page() as opened:  # the PDF in the browser's viewer
            page.locator("a.document").first.click()
        viewer = opened.value
        viewer.wait_for_load_state()
        for ranges in ("bytes=0-1023", "bytes=1024-", None):  # the viewer asking again
            again = page.request.get(pdf_url, headers={"Range": ranges} if ranges else {})
            assert again.ok and "000.00.14.H56" in again.headers["content-disposition"]
        assert len(reads(settings, "diachinh1")) == 1 + 1  # the fixture's, and one opening

        missing = page.goto(base + "/co-quan/khong/co/trang-nay")
        assert missing.status == 404 and "Không tìm thấy trang" in page.inner_text("main")
        assert_no_json(page)
        screenshot(page, "34-khong-tim-thay", tmp_path)


def test_an_archivist_goes_from_a_search_hit_to_the_dossier_and_its_documents(
        site, tmp_path) -> None:  # noqa: ANN001
    base, codes, settings = site
    with chromium_tab() as page:
        log_in(page, base, "luutru1", PASSWORD)
        page.fill("#q", "đà nẵng")
        page.select_option("#type", label=LAND_TYPE)
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#hits li")
        hits = page.locator("#hits li")
        assert hits.count() == 1 and LAND_TYPE in hits.nth(0).inner_text()
        assert "1.013831 — Đăng ký biến động" in hits.nth(0).inner_text()
        screenshot(page, "35-luu-tru-tra-cuu", tmp_path)
        hits.nth(0).locator("a.dossier").click()
        page.wait_for_selector("#documents")
        assert page.url == f"{base}/co-quan/{codes['land']}"
        assert page.locator("#status-form").count() == 0
        assert "chỉ xem hồ sơ" in page.inner_text("#read-only")
        documents = page.locator("a.document")
        assert documents.count() == 2
        screenshot(page, "36-luu-tru-ho-so", tmp_path)
        for n in range(documents.count()):
            pdf = page.request.get(base + documents.nth(n).get_attribute("href"))
            assert pdf.ok and pdf.body().startswith(b"%PDF")
        refused = page.request.post(f"{base}/co-quan/{codes['land']}/status",
                                    form={"new_status": "4"})
        assert refused.status == 403
        page.goto(base + "/search?q=dat&type=khong_co_loai_nay")
        assert "không có 'khong_co_loai_nay'" in page.inner_text("#type-error")
    assert len(reads(settings, "luutru1")) == 2


def test_the_audit_page_is_vietnamese_and_fits_1366_px(site, tmp_path) -> None:  # noqa: ANN001
    base, codes, _ = site
    with chromium_tab() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        log_in(page, base, "quantri", PASSWORD)
        page.goto(base + "/admin/audit")
        table = page.inner_text("#audit")
        assert "thay thế: —" in table and "qua: máy quét" in table
        assert "Cán bộ tiếp nhận" in table and "Thêm bản quét" in table
        assert "Cơ quan giải quyết" in table and "Đọc tài liệu" in table
        assert "None" not in table and "replace" not in table
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, width
        screenshot(page, "37-nhat-ky", tmp_path)
