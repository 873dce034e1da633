"""The counter web app on the scale profile: pages go to ``sohoa worker`` over Redis, the
catalog is PostgreSQL, documents land in S3 — the screen only follows the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from tests.api.conftest import wait_for
from tests.api.test_counter_app import new_dossier, upload
from tests.helpers.auth import sign_in_as
from tests.workers.stack import DEADLINE_S, Stack

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_counter_app_sends_work_to_the_workers_and_shows_their_progress(
        stack: Stack, a4_scans: list[Path]) -> None:
    stack.worker()
    app = create_app(stack.settings, CounterSettings(secure_cookies=False))
    with TestClient(app) as client:
        sign_in_as(client, "canbo1", Role.CLERK)
        code = new_dossier(client)
        response = upload(client, code, [(p.name, p.read_bytes()) for p in a4_scans[:2]])
        assert response.status_code == 303
        status = wait_for(client, code, {"review"}, timeout_s=DEADLINE_S)
        assert status["complete"] is True
        assert status["page_types"] == ["to_khai_khai_sinh", "giay_chung_sinh"]
        thumb = client.get(f"/dossiers/{code}/pages/1/thumb.png")  # from S3
        assert thumb.status_code == 200 and thumb.content[:4] == b"\x89PNG"

        client.post(f"/dossiers/{code}/accept")
        status = wait_for(client, code, {"done"}, timeout_s=DEADLINE_S)
        assert len(status["documents"]) == 2
        signed = client.get(f"/dossiers/{code}/documents/2.pdf")
        assert signed.content.startswith(b"%PDF") and b"/ByteRange" in signed.content
    batch = stack.ctx.catalog.batches.batch(code, 1)
    stack.assert_complete_once(batch, pages=2)
