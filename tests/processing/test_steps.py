"""The processing steps on the embedded default: idempotent, resumable, one bad page alone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sohoa.errors import DatabaseUnavailableError, StorageUnavailableError
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing import pages as page_steps
from sohoa.processing.context import WorkContext
from sohoa.processing.embedded import LaneQueue, run_embedded
from sohoa.processing.messages import (
    ANALYSE_BATCH,
    BUILD_DOCUMENT,
    FINISH_BATCH,
    PROCESS_PAGE,
    Message,
    page_message,
)
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.processing.recovery import recover
from sohoa.processing.steps import run_step
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine
from sohoa.storage.memory import MemoryObjectStore
from sohoa.storage.objects import StoredObject, raw_scan_key
from sohoa.storage.records import BatchRecord, BatchState, Lane, PageState

PROCEDURE = "1.001193"  # Đăng ký khai sinh

pytestmark = pytest.mark.ocr


def _receive(ctx: WorkContext, paths: list[Path], lane: Lane = Lane.COUNTER) -> BatchRecord:
    received, refused = survey(paths, ctx)
    assert not refused
    return receive_batch(ctx, PROCEDURE, paths, received, lane=lane)


def _objects(ctx: WorkContext, batch: BatchRecord, folder: str) -> list[str]:
    return ctx.objects.list(f"dossiers/{batch.dossier_code}/{folder}/")


def test_embedded_run_stores_signed_documents_and_the_verdict(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _receive(ctx, scans)
    pages_done = []
    run_embedded(ctx, first_messages(ctx, batch), on_page=lambda: pages_done.append(1))
    assert len(pages_done) == 3
    batch = ctx.catalog.batches.batch(batch.dossier_code, batch.number)
    assert batch.state == BatchState.DONE
    record = ctx.catalog.dossier(batch.dossier_code)
    assert [p.state for p in record.pages] == ["done"] * 3
    assert "KHAI SINH" in record.pages[0].text.upper()
    assert [d.doc_type for d in record.documents][:2] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert record.complete is True and record.verdict["complete"] is True
    assert [p.document_ordinal for p in record.pages] == [1, 2, 3]
    trust = trust_roots_for(ctx.settings.signing)
    for doc in record.documents:
        assert verify_pdf(ctx.objects.get(doc.key, doc.sha256), trust).valid
    assert len(_objects(ctx, batch, "pages")) == 6  # image + text layer per page


def test_every_step_delivered_twice_changes_nothing(ctx: WorkContext,
                                                    scans: list[Path]) -> None:
    batch = _receive(ctx, scans[:2])
    code = batch.dossier_code
    follow: list[Message] = []
    for message in first_messages(ctx, batch):
        first = run_step(ctx, message)
        assert run_step(ctx, message) == first  # redelivered: same follow-ups, no new work
        follow += first
    artefacts = _objects(ctx, batch, "pages")
    assert len(artefacts) == 4
    analyse = next(m for m in follow if m.step == ANALYSE_BATCH)
    builds = run_step(ctx, analyse)
    assert run_step(ctx, analyse) == builds
    assert [m.step for m in builds] == [BUILD_DOCUMENT, BUILD_DOCUMENT]
    assert [m.payload["ordinal"] for m in builds] == [1, 2]
    closing = []
    for message in builds:
        closing += run_step(ctx, message)
        run_step(ctx, message)
    assert _objects(ctx, batch, "pages") == artefacts
    assert len(_objects(ctx, batch, "documents")) == 2
    assert len(ctx.catalog.dossier(code).documents) == 2
    finish = next(m for m in closing if m.step == FINISH_BATCH)
    assert run_step(ctx, finish) == [] and run_step(ctx, finish) == []
    assert ctx.catalog.batches.batch(code, 1).state == BatchState.DONE
    assert not ctx.catalog.batches.finish(code, 1, {}, False)  # closed once only


def test_a_page_that_keeps_failing_is_reported_and_the_rest_completes(
        ctx: WorkContext, scans: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    real = page_steps.run_page_job

    def crash_on_certificate(job: dict) -> dict:
        if job["stem"] == "p0001":
            raise RuntimeError("thư viện OCR bị treo")
        return real(job)

    monkeypatch.setattr(page_steps, "run_page_job", crash_on_certificate)
    batch = _receive(ctx, scans)
    run_embedded(ctx, first_messages(ctx, batch))
    record = ctx.catalog.dossier(batch.dossier_code)
    assert [p.state for p in record.pages] == ["done", "failed", "done"]
    assert "thư viện OCR bị treo" in record.pages[1].failure
    assert record.verdict["unreadable_pages"] == [1]
    assert record.complete is False
    assert [d.doc_type for d in record.documents][0] == "to_khai_khai_sinh"
    assert all(d.page_count == 1 for d in record.documents)


def test_database_down_refuses_the_batch_and_stores_nothing(
        ctx: WorkContext, scans: list[Path]) -> None:
    ctx.objects = MemoryObjectStore()
    received, _ = survey(scans, ctx)
    ctx.catalog = Catalog(make_engine("postgresql+psycopg://postgres@127.0.0.1:9/sohoa"))
    with pytest.raises(DatabaseUnavailableError, match="catalog database unavailable"):
        receive_batch(ctx, PROCEDURE, scans, received)
    assert ctx.objects.list("") == []


class _StoreGoingDown(MemoryObjectStore):
    """Accepts ``allowed`` puts, then behaves like an unreachable S3 server."""

    def __init__(self, allowed: int) -> None:
        super().__init__()
        self.allowed = allowed

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
            retain: bool = False) -> StoredObject:
        if self.allowed == 0:
            raise StorageUnavailableError("S3 does not answer")
        self.allowed -= 1
        return super().put(key, data, content_type, retain=retain)


def test_store_failing_during_receipt_leaves_no_half_written_dossier(
        ctx: WorkContext, scans: list[Path]) -> None:
    ctx.objects = _StoreGoingDown(allowed=1)
    received, _ = survey(scans, ctx)
    with pytest.raises(StorageUnavailableError):
        receive_batch(ctx, PROCEDURE, scans, received)
    assert ctx.catalog.list_dossiers() == []
    assert ctx.catalog.batches.unfinished() == []


class _StoreFailingDossierKeys(MemoryObjectStore):
    """Stores staged scans, but not under a dossier's keys while ``down``."""

    down = True

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
            retain: bool = False) -> StoredObject:
        if self.down and key.startswith("dossiers/"):
            raise StorageUnavailableError("S3 does not answer")
        return super().put(key, data, content_type, retain=retain)


def test_a_new_dossier_takes_its_number_only_with_its_scans_safe(
        ctx: WorkContext, scans: list[Path]) -> None:
    """Issue 13, point 7: an intake failing on an S3 outage used up a dossier number. The
    number is taken once the scans are staged; a store failing after that leaves the batch
    to recovery, which stores the staged scans and releases it, number unchanged."""
    ctx.objects = _StoreGoingDown(allowed=0)
    received, _ = survey(scans, ctx)
    with pytest.raises(StorageUnavailableError):
        receive_batch(ctx, PROCEDURE, scans, received)
    assert ctx.catalog.list_dossiers() == []  # and no number taken:

    store = ctx.objects = _StoreFailingDossierKeys()
    with pytest.raises(StorageUnavailableError):
        receive_batch(ctx, PROCEDURE, scans, received)
    (dossier,) = ctx.catalog.list_dossiers()
    assert dossier.code.endswith("-0001")
    assert ctx.catalog.batches.batch(dossier.code, 1).state == BatchState.RECEIVING
    assert len(store.list("incoming/")) == len(scans)

    store.down = False
    messages = recover(ctx, timedelta(0))
    assert messages == [page_message(dossier.code, i, "counter") for i in range(len(scans))]
    assert ctx.catalog.batches.batch(dossier.code, 1).state == BatchState.PAGES
    assert len(store.list(f"dossiers/{dossier.code}/raw/")) == len(scans)
    assert store.list("incoming/") == []

    batch = receive_batch(ctx, PROCEDURE, scans, received)  # all well: staged, then moved
    assert batch.dossier_code.endswith("-0002") and store.list("incoming/") == []


def test_recovery_resumes_each_state_from_the_catalog(ctx: WorkContext,
                                                      scans: list[Path]) -> None:
    ledger = ctx.catalog.batches
    received, _ = survey(scans[:2], ctx)
    from sohoa.clock import vietnam_now

    # interrupted while uploading: raw scans all there -> released; missing -> discarded
    stored = ledger.receive(procedure_code=PROCEDURE, agency_code=ctx.settings.agency_code,
                            received_at=vietnam_now(), files=received)
    for path, file in zip(scans, received, strict=False):
        ctx.objects.put(raw_scan_key(stored.dossier_code, file.sha256, file.original_name),
                        path.read_bytes())
    lost = ledger.receive(procedure_code=PROCEDURE, agency_code=ctx.settings.agency_code,
                          received_at=vietnam_now(), files=received)
    assert recover(ctx, timedelta(hours=1)) == []  # nothing idle that long
    messages = recover(ctx, timedelta(0))
    assert messages == [page_message(stored.dossier_code, i, "counter") for i in (0, 1)]
    assert not ctx.catalog.has_dossier(lost.dossier_code)
    assert ledger.batch(stored.dossier_code, 1).state == BatchState.PAGES

    # pages half done: only the pending page is resumed
    run_step(ctx, messages[0])
    assert recover(ctx, timedelta(0)) == [messages[1]]
    run_step(ctx, messages[1])

    # analysed, one document built: recovery leads to the other one only
    builds = run_step(ctx, Message(ANALYSE_BATCH, {"dossier": stored.dossier_code,
                                                   "batch": 1, "lane": "counter"}))
    run_step(ctx, builds[0])
    resumed = recover(ctx, timedelta(0))
    assert [m.step for m in resumed] == [ANALYSE_BATCH]
    assert run_step(ctx, resumed[0]) == [builds[1]]


def test_unreadable_file_is_kept_and_reported_without_pages(ctx: WorkContext, scans: list[Path],
                                                            tmp_path: Path) -> None:
    broken = tmp_path / "hỏng.png"
    broken.write_bytes(scans[0].read_bytes()[:2000])
    batch = _receive(ctx, [broken, scans[1]])
    assert batch.page_count == 1
    run_embedded(ctx, first_messages(ctx, batch))
    record = ctx.catalog.dossier(batch.dossier_code)
    raw = {r.original_name: r for r in record.raw_scans}
    assert raw["hỏng.png"].error and raw[scans[1].name].error is None
    assert ctx.objects.get(raw["hỏng.png"].key) == broken.read_bytes()
    assert [p.state for p in record.pages] == [PageState.DONE]


def test_counter_work_overtakes_backlog_work() -> None:
    queue = LaneQueue()
    queue.push([page_message("B", n, "backlog") for n in range(3)])
    queue.push([page_message("C", 0, "counter"),
                Message(ANALYSE_BATCH, {"dossier": "C", "batch": 1, "lane": "counter"})])
    order = []
    while queue:
        order.append(queue.pop_where(lambda m: True))
    assert [(m.payload["dossier"], m.step) for m in order] == [
        ("C", PROCESS_PAGE), ("C", ANALYSE_BATCH), ("B", PROCESS_PAGE), ("B", PROCESS_PAGE),
        ("B", PROCESS_PAGE)]
    queue.push([page_message("B", 9, "backlog"), page_message("C", 1, "counter")])
    assert queue.pop_where(lambda m: m.payload["page"] == 9).payload["dossier"] == "B"


def test_every_step_name_has_its_function() -> None:
    from sohoa.processing.messages import STEP_NAMES
    from sohoa.processing.steps import STEPS

    assert tuple(STEPS) == STEP_NAMES
