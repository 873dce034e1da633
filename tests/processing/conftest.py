"""A work context on a temporary SQLite catalog and local store, and small generated scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from sohoa.processing.context import WorkContext, open_context
from sohoa.settings import Settings, SigningSettings, StorageSettings
from sohoa_dev.synth import Scan, make_page, save_scan


def work_settings(root: Path, jobs: int = 1) -> Settings:
    return replace(
        Settings(), data_dir=root, jobs=jobs,
        storage=StorageSettings(object_root=root / "objects",
                                database_url=f"sqlite:///{root / 'catalog.sqlite3'}"),
        signing=SigningSettings(dev_ca_dir=root / "dev-ca"))


@pytest.fixture
def ctx(tmp_path: Path, tesseract_vie: str) -> Iterator[WorkContext]:
    context = open_context(work_settings(tmp_path / "data"))
    yield context
    context.close()


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three small 200 dpi pages: a birth registration form, a birth certificate, a letter."""
    folder = tmp_path_factory.mktemp("scans")
    titles = ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH", None)
    return [save_scan(make_page(70 + n, Scan(dpi=200), size_in=(4.1, 5.8), sentences=4,
                                title=title), folder / f"trang-{n}.png")
            for n, title in enumerate(titles)]
