"""A clerk's whole intake in a real browser (Playwright driving Debian's chromium) against
the counter app served by uvicorn on a free port: scan from SANE's test scanner, see the
pages and the verdict, fix a page's type, accept, print the notice; then a second dossier
by upload that is complete and gets the receipt. Screenshots of each screen go to the test's
tmp folder, or to docs/screenshots/ (the README's) with ``SOHOA_SCREENSHOTS=1``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.processing.context import open_catalog
from sohoa.scanner_bridge.sane import SaneSettings, ScanOptions
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from tests.helpers.browser import TIMEOUT_MS, serving
from tests.helpers.pdfs import pdf_text
from tests.support import require_program

pytestmark = pytest.mark.ocr
CLERK, PASSWORD = "canbo1", "mat-khau-quay-1"


@pytest.fixture
def counter(tmp_path: Path) -> CounterSettings:
    """The counter scans from SANE's virtual test:0 through its feeder (3 sheets)."""
    scanimage = require_program("scanimage")
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    return CounterSettings(sane=SaneSettings(config_dir=config, scanimage=scanimage,
                                             timeout_s=60),
                           scanner_device="test:0",
                           scan=ScanOptions(resolution=150, mode="Gray", source="ADF",
                                            max_pages=3,
                                            extra_args=("--test-picture", "Grid")),
                           secure_cookies=False)  # plain http on 127.0.0.1


@pytest.fixture
def server(settings: Settings, counter: CounterSettings) -> Iterator[str]:
    catalog = open_catalog(settings.storage)  # the clerk who will sign in
    Accounts(catalog).create_user(CLERK, Role.CLERK, PASSWORD, full_name="Trần Văn Cán")
    catalog.engine.dispose()
    with serving(create_app(settings, counter)) as base:
        yield base


def sign_in(page, base: str) -> None:
    """Any page sends a signed-out browser to the login form, then back."""
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#username", CLERK)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(base + "/")
    assert page.inner_text("#signed-in-as") == CLERK


def open_dossier(page, base: str, procedure: str = "1.001193") -> str:
    page.goto(base + "/")
    page.select_option("#procedure", procedure)
    page.click("text=Tạo hồ sơ")
    page.wait_for_url(re.compile(r"/dossiers/[^/]+$"))
    return page.inner_text("#dossier-code")


def wait_state(page, text: str) -> None:
    """The live fragment refreshes itself (polling); wait for the state line to say it."""
    page.wait_for_function(
        "t => { const s = document.querySelector('#state');"
        " return s && s.innerText.includes(t) && !s.querySelector('.spinner'); }",
        arg=text, timeout=TIMEOUT_MS)


def test_clerk_scans_fixes_accepts_and_prints(page, server: str, birth_pages: list[Path],
                                              shot) -> None:
    sign_in(page, server)
    page.goto(server + "/")
    assert "test:0" in page.inner_text("main")
    shot(page, "01-chon-thu-tuc")
    code = open_dossier(page, server)
    assert "Chưa có trang nào" in page.inner_text("#state")

    # scan the feeder: pages appear live, then the verdict (test patterns: nothing found)
    page.click("#scan")
    wait_state(page, "Chờ cán bộ kiểm tra")
    assert page.locator("#pages figure").count() == 3
    page.wait_for_function("() => document.querySelector('#pages img').complete")
    assert page.locator("#pages img").first.evaluate("i => i.naturalWidth") == 200
    assert "Hồ sơ chưa đầy đủ" in page.inner_text("#verdict")
    assert page.locator("#verdict li.missing").count() == 2
    shot(page, "02-quet-chua-du")

    # the clerk says the first sheet is the birth registration form
    page.select_option("#trang-0 select", "to_khai_khai_sinh")
    page.wait_for_load_state()
    page.wait_for_function("() => document.querySelector('#trang-0 .type')"
                           ".innerText.includes('Tờ khai đăng ký khai sinh')")
    present = page.locator("#verdict li.present").inner_text()
    assert "Tờ khai đăng ký khai sinh" in present
    assert page.locator("#verdict li.missing").count() == 1  # the birth certificate

    page.click("#accept")
    wait_state(page, "Chưa tiếp nhận")  # incomplete: not received (status 1), not routed
    assert "Đã tiếp nhận" not in page.inner_text("main")
    assert page.locator("#documents li").count() >= 1
    assert "In phiếu yêu cầu bổ sung" in page.inner_text("#receipt")
    shot(page, "03-tiep-nhan-thieu")
    notice = page.request.get(f"{server}/dossiers/{code}/receipt.pdf")
    assert notice.ok and notice.body().startswith(b"%PDF")
    text = pdf_text(notice.body())
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Giấy chứng sinh" in text

    # a second citizen hands in a complete dossier: upload the scanned files
    code = open_dossier(page, server)
    page.set_input_files("#files", [str(p) for p in birth_pages])
    page.click("#upload-form button")
    wait_state(page, "Chờ cán bộ kiểm tra")
    assert "Hồ sơ đầy đủ" in page.inner_text("#verdict")
    assert page.locator("#verdict li.present").count() == 2
    shot(page, "04-tai-len-du")
    page.click("#accept")
    wait_state(page, "Đã tiếp nhận")
    assert page.locator("#documents li").count() == 2
    shot(page, "05-da-tiep-nhan")
    with page.expect_popup() as popup:
        page.fill("#applicant-name", "Trần Thị Bình")
        page.fill("#applicant-address", "12 Lê Lợi, phường Thuận Hóa, Huế")
        page.fill("#applicant-contact", "0912 345 678")
        page.click("#receipt")
    assert popup.value.url.endswith(".pdf?name=Tr%E1%BA%A7n+Th%E1%BB%8B+B%C3%ACnh&address=12+"
                                    "L%C3%AA+L%E1%BB%A3i%2C+ph%C6%B0%E1%BB%9Dng+Thu%E1%BA%ADn+"
                                    "H%C3%B3a%2C+Hu%E1%BA%BF&contact=0912+345+678")
    receipt = page.request.get(popup.value.url)
    text = pdf_text(receipt.body())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and code in text
    assert "Trần Thị Bình" in text and "0912 345 678" in text
    assert "12 Lê Lợi, phường Thuận Hóa, Huế" in text
