"""Sources into intake: a hot folder's scan session becomes a dossier; ``sohoa scanners``."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from sohoa.domain.procedures import load_catalog
from sohoa.processing.context import open_context
from sohoa.scanner_bridge.hotfolder.watcher import HotFolder, HotFolderSettings
from sohoa.services.feeds import intake_handler
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.processing.conftest import work_settings


@pytest.mark.ocr
def test_a_scan_session_in_the_hot_folder_becomes_one_dossier(tmp_path: Path,
                                                              tesseract_vie: str) -> None:
    ctx = open_context(work_settings(tmp_path / "data"))
    inbox = tmp_path / "quet"
    inbox.mkdir()
    settings = replace(HotFolderSettings.beside(inbox, group_s=0.3), stable_s=0.2, poll_s=0.1)
    codes: list[str] = []
    handle = intake_handler(ctx, load_catalog().get("1.001193"), on_batch=codes.append)
    try:
        for n, title in enumerate(("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH")):
            save_scan(make_page(95 + n, Scan(dpi=200), size_in=(5.8, 8.3), sentences=4,
                                title=title), inbox / f"scan-{n}.png")
        (inbox / "hong.jpg").write_bytes(b"")  # an empty file from a crashed scanner program
        # One session, written 0.1 s apart and over 10 s ago: how long drawing a page took
        # here (seconds on a busy machine) must not split it at group_s (issue 12).
        ended = time.time() - 10
        for offset, name in enumerate(("scan-0.png", "scan-1.png", "hong.jpg")):
            os.utime(inbox / name, (ended - 0.2 + 0.1 * offset,) * 2)
        folder = HotFolder(settings, handle_batch=handle)
        deadline = time.monotonic() + 180  # a deadline only: OCR of two pages, busy machine
        folder.open()
        try:
            while not codes and time.monotonic() < deadline:
                folder.scan_once()
                time.sleep(0.1)
        finally:
            folder.close()
        assert len(codes) == 1
        record = ctx.catalog.dossier(codes[0])
        assert [d.doc_type for d in record.documents] == ["to_khai_khai_sinh",
                                                          "giay_chung_sinh"]
        assert record.complete is True
        assert sorted(p.name for p in (tmp_path / "da-nhan").iterdir()) == ["scan-0.png",
                                                                            "scan-1.png"]
        assert (tmp_path / "cach-ly" / "hong.jpg").exists()
        assert list(inbox.iterdir()) == []
    finally:
        ctx.close()

