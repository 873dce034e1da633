"""The archivist hands closed dossiers over in a real browser (issue 17): signs in, opens
"Nộp lưu", sees only the closed dossiers, ticks two, downloads one zip holding each
dossier's E-ARK package and the hand-over list; each package verifies with sohoa alone, and
the list then shows both dossiers as "đã nộp lưu" with their package ids."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.processing.context import open_context
from sohoa.services.archive import verify_package
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.records import DossierStatus
from tests.helpers.browser import chromium_tab, log_in, screenshot, serving
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))
PASSWORD = "mat-khau-luu-tru-1"


@pytest.fixture
def closed(tmp_path: Path) -> Iterator[tuple[str, list[str], str, Settings]]:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path / "data")})
    ctx = open_context(settings)
    at = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    birth = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["to khai"])], at)
    land = store_dossier(ctx, "1.013831", [("don_dang_ky_bien_dong", ["don", "trang 2"])], at)
    still_open = store_dossier(ctx, "3.000347", [("don_de_nghi_doi_gplx", ["don"])], at)
    for code, status in ((birth, DossierStatus.DA_TRA_KET_QUA),
                         (land, DossierStatus.DA_XU_LY_XONG)):
        ctx.catalog.set_status(code, DossierStatus.DANG_XU_LY)
        ctx.catalog.set_status(code, status)
    Accounts(ctx.catalog).create_user("luutru1", Role.ARCHIVIST, PASSWORD,
                                      full_name="Lê Thị Lưu")
    ctx.close()
    app = create_app(settings, CounterSettings(secure_cookies=False))
    with serving(app) as base:
        yield base, [birth, land], still_open, settings


def test_archivist_selects_closed_dossiers_and_downloads_their_packages(
        closed, tmp_path: Path) -> None:  # noqa: ANN001
    base, codes, still_open, settings = closed
    with chromium_tab() as page:
        log_in(page, base, "luutru1", PASSWORD)
        page.click("#nav-archive")
        page.wait_for_selector("#archive-dossiers")
        assert "2 hồ sơ đã đóng" in page.inner_text("#archive-total")
        table = page.inner_text("#archive-dossiers")
        assert all(code in table for code in codes) and still_open not in table
        page.check("#pick-1")
        page.check("#pick-2")
        screenshot(page, "08-nop-luu", tmp_path)
        with page.expect_download() as download:
            page.click("#archive-download")
        assert download.value.suggested_filename.startswith("nop-luu-")
        bundle = tmp_path / download.value.suggested_filename
        download.value.save_as(bundle)
        page.goto(base + "/luu-tru")
        handed = page.locator("#archive-dossiers td.handed-over").all_inner_texts()
        assert all(text.startswith("Đã nộp lưu: urn:") for text in handed)

    out = tmp_path / "tai-ve"
    with zipfile.ZipFile(bundle) as z:
        names = sorted(z.namelist())
        z.extractall(out)
    assert names[0] == "muc-luc-ho-so-nop-luu.pdf" and len(names) == 3
    checked = [verify_package(settings, out / name) for name in names[1:]]
    assert [c.problems for c in checked] == [[], []]
    assert sorted(c.documents for c in checked) == [1, 1]
    assert {c.package_id for c in checked} == {t.split(": ")[1] for t in handed}
