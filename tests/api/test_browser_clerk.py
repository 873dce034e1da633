"""What the clerk sees, in a real browser (Playwright driving Debian's chromium) against the
counter app under uvicorn: the work list in Vietnam time, an upload through the Vietnamese
file control with a progress bar per file, an incomplete dossier, the page viewer (the
processed page large with its OCR text, moved through by keyboard), a refused upload that
leaves the URL on the dossier, and the list's filters. Screenshots go to the test's tmp
folder, or to docs/screenshots/ (the README's) with ``SOHOA_SCREENSHOTS=1``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.clock import VIETNAM
from sohoa.domain.access import Role
from sohoa.processing.context import open_catalog
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.api.test_browser import CLERK, PASSWORD, open_dossier, sign_in, wait_state
from tests.helpers.browser import serving

pytestmark = pytest.mark.ocr


@pytest.fixture
def app(settings: Settings):
    catalog = open_catalog(settings.storage)
    Accounts(catalog).create_user(CLERK, Role.CLERK, PASSWORD, full_name="Trần Văn Cán")
    catalog.engine.dispose()
    return create_app(settings, CounterSettings(secure_cookies=False))  # upload only


@pytest.fixture
def server(app) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture
def incomplete_stack(birth_pages: list[Path], tmp_path: Path) -> list[Path]:
    """The birth registration form, and a power of attorney laid sideways on the glass:
    no birth certificate, so the dossier is incomplete."""
    turned = save_scan(make_page(77, Scan(dpi=200, turn=90), size_in=(5.8, 8.3), sentences=4,
                                 title="GIẤY ỦY QUYỀN"), tmp_path / "uy-quyen.png")
    return [birth_pages[0], turned]


def viewer_state(page) -> dict:
    return page.evaluate("""() => ({
        open: !document.getElementById('viewer').hidden,
        title: document.getElementById('viewer-title').innerText,
        text: document.querySelector('#viewer-side .v-text').innerText,
        type: document.querySelector('#viewer-side .v-type').innerText,
        flags: document.querySelector('#viewer-side .v-flags').innerText,
        reason: document.querySelector('#viewer-side .v-reason').innerText,
        src: document.getElementById('viewer-img').getAttribute('src'),
        zoom: document.getElementById('viewer-zoom').innerText})""")


def test_clerk_list_upload_viewer_and_refusal(page, app, server: str, settings: Settings,
                                              incomplete_stack: list[Path], tmp_path: Path,
                                              shot) -> None:
    sign_in(page, server)
    code = open_dossier(page, server)
    assert "Chưa có trang nào" in page.inner_text("#state")
    assert page.locator("section.actions").count() == 0  # no empty card under the state

    # the Vietnamese file control (the browser's own is hidden), files listed with a bar each
    assert page.eval_on_selector("#files", "e => getComputedStyle(e).opacity") == "0"
    assert page.locator("label[for=files]").inner_text() == "Chọn tệp quét…"
    page.evaluate("""() => {  // a file dragged from the desktop onto the form
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(2048)], "keo-tha.png", {type: "image/png"}));
        const form = document.getElementById("upload-form");
        form.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true}));
        form.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    }""")
    assert page.inner_text("#upload-form .file-chosen") == "1 tệp đã chọn"
    assert page.inner_text("#upload-form .upload-list").startswith("keo-tha.png (2 KB)")
    assert page.eval_on_selector("#files", "i => i.files[0].name") == "keo-tha.png"
    with page.expect_file_chooser() as chooser:
        page.click("text=Chọn tệp quét…")
    chooser.value.set_files([str(p) for p in incomplete_stack])
    assert page.inner_text("#upload-form .file-chosen") == "2 tệp đã chọn"
    assert page.locator("#upload-form .upload-list progress").count() == 2
    assert "uy-quyen.png" in page.inner_text("#upload-form .upload-list")
    shot(page, "10-chon-tep")
    page.evaluate("""() => {  // note the bars at each upload progress event (kept across pages)
        const send = XMLHttpRequest.prototype.send;
        XMLHttpRequest.prototype.send = function (body) {
            this.upload.addEventListener("progress", () => {
                const bars = [...document.querySelectorAll("#upload-form progress")];
                const seen = JSON.parse(sessionStorage.getItem("bars") || "[]");
                seen.push(bars.map(bar => bar.value));
                sessionStorage.setItem("bars", JSON.stringify(seen));
            });
            return send.call(this, body);
        };
    }""")
    with page.expect_navigation():  # the upload by XHR ends on the dossier's screen
        page.click("#upload")
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('bars') || '[]')")
    assert seen and seen[-1] == [100, 100], seen  # a bar per file, filled by the upload
    assert page.url == f"{server}/dossiers/{code}"
    wait_state(page, "Chờ cán bộ kiểm tra")
    assert "Hồ sơ chưa đầy đủ" in page.inner_text("#verdict")
    assert "Giấy chứng sinh" in page.inner_text("#verdict li.missing")
    shot(page, "11-chua-du")

    # thumbnails are the processed pages: the sideways sheet is shown upright
    page.wait_for_function(
        "() => [...document.querySelectorAll('#pages figure img')].every(i => i.complete)")
    sizes = page.eval_on_selector_all(
        "#pages figure img", "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert len(sizes) == 2 and all(h > w for w, h in sizes), sizes
    ctx = app.state.counter.ctx
    texts = [work.text for work in ctx.catalog.batches.pages(code, 1)]
    assert "TỜ KHAI" in texts[0].upper()

    # the viewer: page 1 large with its OCR text, type and reason; → ← between pages, Esc
    page.click("#trang-0 .thumb")
    state = viewer_state(page)
    assert state["open"] and state["title"].startswith("Trang 1")
    assert state["text"].strip() == texts[0].strip()
    assert "Tờ khai đăng ký khai sinh" in state["type"]
    assert state["reason"].startswith("Thành phần “Tờ khai")
    assert state["src"].endswith("/pages/0/view.png?v=done")
    page.wait_for_function("() => document.getElementById('viewer-img').naturalWidth > 600")
    shot(page, "12-xem-trang", full_page=False)  # the viewer covers the window
    page.keyboard.press("ArrowRight")
    state = viewer_state(page)
    assert state["title"].startswith("Trang 2") and state["text"].strip() == texts[1].strip()
    assert "bị xoay 90°" in state["flags"] or "bị xoay 270°" in state["flags"]
    assert state["reason"].startswith("Ngoài danh mục")
    page.keyboard.press("+")
    assert viewer_state(page)["zoom"] == "100%"
    page.keyboard.press("ArrowLeft")
    assert viewer_state(page)["title"].startswith("Trang 1")
    page.keyboard.press("Escape")
    assert not viewer_state(page)["open"]

    # a refused upload: the message on the dossier's own URL, and F5 does not post again
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    page.set_input_files("#files", [str(empty)])
    with page.expect_navigation():
        page.click("#upload")
    assert page.url == f"{server}/dossiers/{code}"
    assert "rong.pdf: Tệp rỗng" in page.inner_text("#problem")
    shot(page, "13-tai-len-loi")
    page.reload()
    assert page.locator("#problem").count() == 0 and page.url == f"{server}/dossiers/{code}"

    # the work list: applicant, procedure name, đủ/thiếu, status label, Vietnam time
    page.goto(server + "/")
    row = page.locator(f"#dossier-list tr[data-code='{code}']")
    received = ctx.catalog.dossier(code).received_at
    local = received.astimezone(VIETNAM)
    assert row.locator(".received").inner_text() == local.strftime("%d/%m/%Y %H:%M")
    page.goto(f"{server}/dossiers/{code}")
    assert local.strftime("Đăng ký lúc %d/%m/%Y %H:%M") in page.inner_text("#dossier-meta")
    page.goto(server + "/")
    assert "Đăng ký khai sinh" in row.inner_text()
    assert row.locator(".completeness").inner_text() == "✗ thiếu"
    assert row.locator(".status").inner_text() == "mới đăng ký"
    page.fill("#tu_ngay", local.strftime("%d/%m/%Y"))
    page.fill("#tim", "khai sinh")
    page.click("#list-filters button")
    page.wait_for_load_state()
    assert page.locator("#dossier-list tr[data-code]").count() == 1
    shot(page, "14-danh-sach")
    page.fill("#tu_ngay", "31/02/2026")
    page.click("#list-filters button")
    page.wait_for_load_state()
    assert "ngày không hợp lệ “31/02/2026”" in page.inner_text("#tu_ngay-error")
    assert re.search(r"\d+ hồ sơ", page.inner_text("#list-total"))


def test_a_request_refused_before_the_route_is_said_on_the_page(page, settings: Settings,
                                                                 tmp_path: Path) -> None:
    """Over the request limit, the server answers 413 before any route: the page says why
    and stays where it is (it does not follow the upload's URL)."""
    catalog = open_catalog(settings.storage)
    Accounts(catalog).create_user(CLERK, Role.CLERK, PASSWORD)
    catalog.engine.dispose()
    small = CounterSettings(secure_cookies=False, max_request_bytes=256 * 1024)
    big = tmp_path / "lon.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    with serving(create_app(settings, small)) as server:
        sign_in(page, server)
        code = open_dossier(page, server)
        page.set_input_files("#files", [str(big)])
        page.click("#upload")
        page.wait_for_selector("#upload-form .upload-error")
        assert "Yêu cầu quá lớn" in page.inner_text("#upload-form .upload-error")
        assert page.url == f"{server}/dossiers/{code}"
        assert page.inner_text("#upload") == "Tải lên lại"
