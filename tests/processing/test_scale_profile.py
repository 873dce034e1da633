"""The same steps on the scale profile's real servers: PostgreSQL catalog, S3 (SeaweedFS)
store, pages in two worker processes that each open their own connections."""

from __future__ import annotations

import urllib.request
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from sohoa.processing.context import open_context
from sohoa.processing.embedded import run_embedded
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.settings import StorageSettings
from sohoa.storage.records import BatchState
from sohoa_dev.services.seaweed import SeaweedServer
from tests.processing.conftest import work_settings

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_batch_on_postgresql_and_s3_with_retained_signed_documents(
        tmp_path: Path, scans: list[Path], postgres_url: str, s3_settings: StorageSettings,
        s3_server: SeaweedServer, tesseract_vie: str) -> None:
    storage = replace(s3_settings, database_url=postgres_url)
    ctx = open_context(replace(work_settings(tmp_path / "data", jobs=2), storage=storage))
    try:
        received, _ = survey(scans, ctx)
        batch = receive_batch(ctx, "1.001193", scans, received)
        run_embedded(ctx, first_messages(ctx, batch))
        assert ctx.catalog.batches.batch(batch.dossier_code, 1).state == BatchState.DONE
        record = ctx.catalog.dossier(batch.dossier_code)
        assert [d.doc_type for d in record.documents][:2] == ["to_khai_khai_sinh",
                                                              "giay_chung_sinh"]
        assert record.complete is True
        client = s3_server.client()
        for doc in record.documents:
            retention = client.get_object_retention(storage.s3_bucket, doc.key)
            assert retention.mode == "COMPLIANCE"
            url = ctx.objects.presigned_url(doc.key, timedelta(minutes=5))
            with urllib.request.urlopen(url, timeout=60) as response:
                assert response.read() == ctx.objects.get(doc.key, doc.sha256)
        raw = ctx.objects.list(f"dossiers/{batch.dossier_code}/raw/")
        assert len(raw) == 3 and len(ctx.objects.list(
            f"dossiers/{batch.dossier_code}/pages/")) == 6
    finally:
        ctx.close()
