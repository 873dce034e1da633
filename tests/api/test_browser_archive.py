"""The archivist and the agency officer in a real browser (Playwright, Debian's Chromium):
the archivist signs in, searches without diacritics, sees the exact-diacritic page first with
its words highlighted, and opens the PDF at the page; the officer signs in, sees only the
dossier routed to their agency, opens it, downloads a signed document (bytes = the catalog's
SHA-256) and moves the dossier to "đang xử lý"; both reads are in the audit log.

Then issue 15 (items 11–15): no raw JSON anywhere, the signature check as a Vietnamese page,
a bad filter explained next to its field, the archivist going from a search hit to the
dossier and its documents (read-only), one audit line for one opening of a PDF however many
requests the viewer makes, and the audit page in Vietnamese within 1366 px."""

from __future__ import annotations

import hashlib
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
PASSWORD = "mat-khau-luu-tru-1"
LAND_TYPE = "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Settings]]:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    ctx = open_context(settings)
    land = store_dossier(ctx, "1.013831", [
        ("don_dang_ky_bien_dong", ["ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI",
                                   "Thửa đất số 12 tại phường Hải Châu, thành phố Đà Nẵng"]),
        ("hop_dong_chuyen_nhuong", ["HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"])],
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
    accounts.create_user("quantri", Role.ADMIN, PASSWORD, full_name="Quản Trị")
    log = AuditLog(ctx.catalog)
    log.record(Principal("canbo1", Role.CLERK), "dossier.scan", dossier_code=birth,
               remote_addr="10.0.0.5", detail={"via": "scanner", "replace": None})
    log.record(Principal("diachinh1", Role.AGENCY, frozenset({LAND_OFFICE})), "document.read",
               dossier_code=land, remote_addr="10.0.0.6",
               target=f"dossiers/{land}/documents/01-don_dang_ky_bien_dong.pdf",
               detail={"ordinal": 1, "sha256": "ab" * 32})
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
                          " a.click(); }", page.locator("a.document").first.get_attribute("href"))
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
        assert [r.dossier_code for r in reads] == [codes["land"]] * 2  # the fixture's, and 1
        assert [e.dossier_code for e in log.entries(action="access.denied")] == [codes["birth"]]
        assert log.entries(action="dossier.status")[0].detail["to"] == 4
    finally:
        ctx.close()



def reads(settings: Settings, actor: str) -> list:
    ctx = open_context(settings)
    try:
        return AuditLog(ctx.catalog).entries(action="document.read", actor=actor)
    finally:
        ctx.close()


def assert_no_json(page) -> None:  # noqa: ANN001
    body = page.inner_text("body")
    assert not body.lstrip().startswith("{") and '"detail"' not in body, body[:300]


def test_an_officer_lists_opens_checks_and_reads_once(archive, tmp_path) -> None:  # noqa: ANN001
    base, codes, settings = archive
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
        archive, tmp_path) -> None:  # noqa: ANN001
    base, codes, settings = archive
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


def test_the_audit_page_is_vietnamese_and_fits_1366_px(archive, tmp_path) -> None:  # noqa: ANN001
    base, codes, _ = archive
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
