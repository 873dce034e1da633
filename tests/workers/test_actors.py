"""The dramatiq actors in-process on dramatiq's stub broker: routing, lanes, dead pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from sohoa.processing import pages as page_steps
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.settings import QueueSettings
from sohoa.storage.records import BatchState, Lane
from sohoa.workers.actors import Dispatcher, actor_name
from sohoa.workers.broker import make_broker
from tests.processing.conftest import scans, work_settings  # noqa: F401 - fixture

QUEUE = QueueSettings(max_retries=1, min_backoff_s=0.01, max_backoff_s=0.02)


@pytest.fixture
def ctx(tmp_path: Path, tesseract_vie: str) -> Iterator[WorkContext]:
    context = open_context(replace(work_settings(tmp_path / "data"), queue=QUEUE))
    yield context
    context.close()


@pytest.fixture
def stub() -> Iterator[StubBroker]:
    broker = make_broker(QUEUE)
    assert isinstance(broker, StubBroker)
    yield broker
    broker.close()


def _run(stub: StubBroker, ctx: WorkContext, paths: list[Path]) -> str:
    dispatcher = Dispatcher(stub, QUEUE, context=lambda: ctx)
    received, _ = survey(paths, ctx)
    batch = receive_batch(ctx, "1.001193", paths, received, lane=Lane.BACKLOG)
    dispatcher.send(first_messages(ctx, batch))
    worker = dramatiq.Worker(stub, worker_threads=1)
    worker.start()
    try:
        stub.join(f"{QUEUE.namespace}-backlog", timeout=120_000, fail_fast=False)
        worker.join()
    finally:
        worker.stop()
    return batch.dossier_code


def test_each_step_has_a_counter_and_a_backlog_actor(stub: StubBroker) -> None:
    dispatcher = Dispatcher(stub, QUEUE, context=None)
    page_counter = dispatcher.actors[actor_name("process_page", "counter")]
    page_backlog = dispatcher.actors[actor_name("process_page", "backlog")]
    assert (page_counter.queue_name, page_counter.priority) == ("sohoa-counter", 0)
    assert (page_backlog.queue_name, page_backlog.priority) == ("sohoa-backlog", 10)
    assert page_counter.options["on_retry_exhausted"] == "page_exhausted_counter"
    # 5 steps + page_exhausted, in two lanes, and the one portal sender (issue 16)
    assert len(dispatcher.actors) == 13 and "portal_deliver" in dispatcher.actors
    with pytest.raises(RuntimeError, match="only sends"):
        dispatcher.context()


def test_a_batch_runs_through_the_actors(stub: StubBroker, ctx: WorkContext,
                                         scans: list[Path]) -> None:  # noqa: F811
    code = _run(stub, ctx, scans[:2])
    assert ctx.catalog.batches.batch(code, 1).state == BatchState.DONE
    record = ctx.catalog.dossier(code)
    assert [d.doc_type for d in record.documents] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert record.complete is True
    assert stub.dead_letters == []


def test_retries_exhausted_fail_the_page_and_the_dossier_completes(
        stub: StubBroker, ctx: WorkContext, scans: list[Path],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = page_steps.run_page_job
    attempts = []

    def crash_on_second_page(job: dict) -> dict:
        if job["stem"] == "p0001":
            attempts.append(1)
            raise MemoryError("trang quá lớn cho bộ nhớ")
        return real(job)

    monkeypatch.setattr(page_steps, "run_page_job", crash_on_second_page)
    code = _run(stub, ctx, scans[:2])
    assert len(attempts) == 1 + QUEUE.max_retries
    assert [m.actor_name for m in stub.dead_letters] == ["process_page_backlog"]
    record = ctx.catalog.dossier(code)
    assert [p.state for p in record.pages] == ["done", "failed"]
    assert "sau 1 lần thử" in record.pages[1].failure
    assert "MemoryError: trang quá lớn cho bộ nhớ" in record.pages[1].failure
    assert [d.doc_type for d in record.documents] == ["to_khai_khai_sinh"]
    assert ctx.catalog.batches.batch(code, 1).state == BatchState.DONE
