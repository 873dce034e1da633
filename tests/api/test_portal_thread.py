"""On the embedded default, ``sohoa serve`` delivers the portal outbox from a thread."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage import routing
from sohoa_dev.services.portal_mock import MockPortal
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))


def test_the_app_sends_changes_to_the_portal_while_it_runs(tmp_path: Path) -> None:
    with MockPortal() as portal:
        env = {"SOHOA_DATA_DIR": str(tmp_path / "data"), "SOHOA_PORTAL_URL": portal.url,
               "SOHOA_PORTAL_POLL_S": "0.05", "SOHOA_PUBLIC_URL": "http://quay.local"}
        settings = Settings.from_env(env)
        with open_context(settings) as ctx:
            code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])],
                                 datetime(2026, 12, 1, 9, 30, tzinfo=VN))
        with TestClient(create_app(settings, CounterSettings(secure_cookies=False))), \
                open_context(settings) as ctx:
            routing.change_status(ctx.catalog, code, 4, by="can_bo_tu_phap")
            deadline = time.monotonic() + 120
            while portal.accepted().get(code) != [1, 2, 3]:
                assert time.monotonic() < deadline, portal.accepted()
                time.sleep(0.05)
        document = portal.ledger.messages[code, 2]["HoSo"]["TaiLieuNop"][0]
        assert document["DuongDanTaiTepTin"].startswith("http://quay.local/api/v1/links/")
