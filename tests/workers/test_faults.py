"""Faults on the scale profile, with real processes and servers: ``sohoa worker`` processes,
Redis, PostgreSQL, S3 (SeaweedFS). Each test kills or stops something in the middle of a
dossier and checks that the dossier still completes with nothing lost and nothing doubled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from sohoa.cli.main import main
from sohoa.domain.procedures import load_catalog
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.messages import Message, page_message
from sohoa.processing.recovery import recover
from sohoa.services.intake import accept_batch
from sohoa.settings import Settings
from sohoa.storage.models import Batch
from sohoa.storage.records import PageState
from sohoa.workers.actors import connect
from sohoa_dev.services.brokers import RedisServer
from sohoa_dev.services.seaweed import SeaweedServer
from tests.helpers.fake_tesseract import fake_tesseract
from tests.support import SERVICE_START_S
from tests.workers.stack import DEADLINE_S, PROCEDURE, Stack, Worker, command_line
from tests.workers.worker_process import REPO_ROOT, child_pids, wait_for

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_worker_killed_mid_ocr_the_dossier_completes_once(stack: Stack,
                                                          a4_scans: list[Path]) -> None:
    first = stack.worker()
    batch = stack.submit(a4_scans)
    child = wait_for(lambda: _ocr_running(first), DEADLINE_S, interval=0.02,
                     what="tesseract running in a worker process")
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    first.stop()
    stack.worker()  # a fresh worker: gets the killed page once the heartbeat expires
    stack.wait_done(batch, timeout=DEADLINE_S)
    print(f"killed mid-OCR: batch done {time.monotonic() - killed_at:.1f} s after the kill")
    stack.assert_complete_once(batch, pages=3)


def test_tesseract_killed_once_on_the_workers_the_page_is_read_again(
        stack: Stack, a4_scans: list[Path], tmp_path: Path) -> None:
    """Issue 13: a Tesseract killed once (OOM, kill -9) failed its page for good."""
    fake = fake_tesseract(tmp_path / "fake", deaths=1)
    stack.env["PATH"] = fake.path_with(stack.env["PATH"])
    stack.worker()
    batch = stack.submit(a4_scans)
    stack.wait_done(batch, timeout=DEADLINE_S)
    assert fake.deaths == 1 and fake.runs == 4  # three pages, one of them twice
    stack.assert_complete_once(batch, pages=3)


def _embedded_intake(tmp_path: Path, scans: list[Path], deaths: int, **env: str):
    """``sohoa intake`` on the embedded default, in a process of its own, with a Tesseract
    that dies ``deaths`` times; returns (exit code, the dossier as recorded, the fake)."""
    fake = fake_tesseract(tmp_path / "fake", deaths=deaths)
    environ = {name: value for name, value in os.environ.items()
               if not name.startswith("SOHOA_")}
    environ.update(PATH=fake.path_with(os.environ["PATH"]), PYTHONPATH=str(REPO_ROOT),
                   SOHOA_DATA_DIR=str(tmp_path / "data"), SOHOA_MIN_BACKOFF_S="0.2",
                   SOHOA_MAX_BACKOFF_S="1", OMP_THREAD_LIMIT="1", **env)
    done = subprocess.run([sys.executable, "-m", "sohoa.cli", "intake", "--procedure",
                           PROCEDURE, "--quiet", *map(str, scans)], env=environ, cwd=tmp_path,
                          capture_output=True, text=True, timeout=DEADLINE_S)
    ctx = open_context(Settings.from_env(environ))
    try:
        (dossier,) = ctx.catalog.list_dossiers()
        return done.returncode, ctx.catalog.dossier(dossier.code), fake
    finally:
        ctx.close()


def test_tesseract_killed_once_on_the_embedded_default_the_page_is_read_again(
        tmp_path: Path, a4_scans: list[Path], tesseract_vie: str) -> None:
    code, record, fake = _embedded_intake(tmp_path, a4_scans, deaths=1)
    assert fake.deaths == 1 and fake.runs == 4
    assert code == 0
    assert [p.state for p in record.pages] == [PageState.DONE] * 3
    assert record.complete is True and record.verdict["unreadable_pages"] == []


def test_tesseract_that_always_dies_fails_the_pages_after_bounded_retries(
        tmp_path: Path, a4_scans: list[Path], tesseract_vie: str) -> None:
    """Every attempt killed: each page is tried 1 + SOHOA_MAX_RETRIES times, then failed
    with the last error; pages never read prove no checklist item."""
    code, record, fake = _embedded_intake(tmp_path, a4_scans, deaths=-1, SOHOA_MAX_RETRIES="2")
    assert code == 1
    assert fake.runs == fake.deaths == 3 * 3
    assert [p.state for p in record.pages] == [PageState.FAILED] * 3
    assert all("sau 2 lần thử: Tesseract bị dừng đột ngột (mã -9)" in p.failure
               for p in record.pages)
    assert record.verdict["unreadable_pages"] == [0, 1, 2] and record.complete is False
    assert all(item["status"] != "present" for item in record.verdict["items"])
    assert record.documents == ()


def test_two_sweepers_at_once_resume_each_batch_exactly_once(
        stack: Stack, a4_scans: list[Path]) -> None:
    """Issue 13: two workers' sweepers resumed the same batch 5 ms apart (page 7 read
    twice, an orphan text layer left in S3). Two sweepers race on PostgreSQL, round after
    round; each page is resumed by exactly one of them, and the dossier completes once."""
    procedure = load_catalog().get(PROCEDURE)
    batch, _ = accept_batch(stack.ctx, procedure, a4_scans)  # recorded, never sent
    pages = [page_message(batch.dossier_code, i, "counter") for i in range(3)]
    sweepers = [open_context(stack.settings, migrate_catalog=False) for _ in range(2)]
    try:
        for _ in range(8):
            _age_batches(stack, timedelta(hours=1))  # idle since an hour ago
            start = threading.Barrier(2)

            def sweep(ctx: WorkContext, start: threading.Barrier = start) -> list[Message]:
                start.wait()
                return recover(ctx, timedelta(minutes=10))

            with ThreadPoolExecutor(2) as pool:
                rounds = list(pool.map(sweep, sweepers))
            assert sorted(rounds, key=len) == [[], pages]
    finally:
        for ctx in sweepers:
            ctx.close()
    connect(stack.settings.queue).send(pages)
    stack.worker()
    stack.wait_done(batch, timeout=DEADLINE_S)
    stack.assert_complete_once(batch, pages=3)


def test_a_dead_worker_process_is_replaced_and_work_resumes_without_help(
        stack: Stack, a4_scans: list[Path]) -> None:
    """Issue 13, point 5: one worker process killed made dramatiq shut every process down;
    capacity stayed at zero until someone restarted ``sohoa worker``."""
    worker = stack.worker()
    batch = stack.submit(a4_scans)
    victim = wait_for(lambda: _ocr_running(worker), DEADLINE_S, interval=0.02,
                      what="tesseract running in a worker process")
    os.kill(victim, signal.SIGKILL)
    stack.wait_done(batch, timeout=DEADLINE_S)  # nobody starts anything
    stack.assert_complete_once(batch, pages=3)
    assert worker.process.poll() is None  # sohoa worker still runs
    assert "khởi động lại" in worker.text()
    assert victim not in worker.children()


def test_s3_unreachable_for_30_seconds_the_dossier_completes(
        stack: Stack, a4_scans: list[Path], seaweed: SeaweedServer) -> None:
    stack.worker()
    batch = stack.submit(a4_scans)
    wait_for(lambda: stack.pages_done(batch) >= 1, DEADLINE_S, interval=0.05, what="first page")
    seaweed.stop()
    outage = time.monotonic()
    time.sleep(30)
    done_during_outage = stack.pages_done(batch)
    seaweed.start(timeout=SERVICE_START_S)
    stack.wait_done(batch, timeout=DEADLINE_S)
    print(f"S3 down 30 s with {done_during_outage}/3 pages done: batch done "
          f"{time.monotonic() - outage:.1f} s after the outage began")
    stack.assert_complete_once(batch, pages=3)


def test_broker_restarted_and_emptied_mid_dossier_the_dossier_completes(
        stack: Stack, a4_scans: list[Path], redis_server: RedisServer) -> None:
    stack.env["SOHOA_REQUEUE_AFTER_S"] = "6"  # the sweeper resumes idle batches quickly
    stack.worker()
    batch = stack.submit(a4_scans)
    wait_for(lambda: stack.pages_done(batch) >= 1, DEADLINE_S, interval=0.05, what="first page")
    redis_server.stop(kill=True)  # no persistence: every queued message is gone
    time.sleep(2)
    redis_server.start(timeout=SERVICE_START_S)
    stack.wait_done(batch, timeout=DEADLINE_S)
    stack.assert_complete_once(batch, pages=3)


def test_a_page_that_always_fails_is_dead_lettered_and_the_rest_completes(
        stack: Stack, a4_scans: list[Path], redis_server: RedisServer) -> None:
    import redis

    stack.env.update(SOHOA_TEST_POISON_PAGE="1", SOHOA_MAX_RETRIES="2",
                     SOHOA_MIN_BACKOFF_S="0.2", SOHOA_MAX_BACKOFF_S="0.5")
    stack.worker("--plugin", "tests.workers.faults")
    batch = stack.submit(a4_scans)
    stack.wait_done(batch, timeout=DEADLINE_S)
    record = stack.ctx.catalog.dossier(batch.dossier_code)
    assert [p.state for p in record.pages] == ["done", "failed", "done"]
    assert "injected fault on page 1" in record.pages[1].failure
    assert "sau 2 lần thử" in record.pages[1].failure
    assert record.verdict["unreadable_pages"] == [1] and record.complete is False
    assert [d.doc_type for d in record.documents][0] == "to_khai_khai_sinh"
    client = redis.Redis.from_url(redis_server.url)
    namespace = stack.settings.queue.namespace
    assert client.zcard(f"{namespace}:{namespace}-counter.XQ") == 1  # the page, dead-lettered
    client.close()


def test_database_down_intake_is_refused_and_nothing_is_stored(
        stack: Stack, a4_scans: list[Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    stack.export(monkeypatch)
    monkeypatch.setenv("SOHOA_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:9/sohoa")
    assert main(["intake", "--procedure", PROCEDURE, "--quiet", *map(str, a4_scans)]) == 8
    assert "catalog database unavailable" in capsys.readouterr().err
    assert stack.ctx.objects.list("") == []
    assert stack.ctx.catalog.list_dossiers() == []


def test_s3_down_at_intake_uses_up_no_dossier_number(
        stack: Stack, a4_scans: list[Path], seaweed: SeaweedServer,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """Issue 13, point 7: the sequence stood at 14 with no dossier 0014."""
    stack.export(monkeypatch)
    intake = ["intake", "--procedure", PROCEDURE, "--quiet", *map(str, a4_scans)]
    seaweed.stop()
    try:
        assert main(intake) == 8
    finally:
        seaweed.start(timeout=SERVICE_START_S)
    assert stack.ctx.catalog.list_dossiers() == []
    capsys.readouterr()
    assert main(intake) == 0
    (dossier,) = stack.ctx.catalog.list_dossiers()
    assert dossier.code.endswith("-0001")  # not 0002: the failed intake took no number
    assert stack.ctx.objects.list("incoming/") == []


def _age_batches(stack: Stack, idle: timedelta) -> None:
    """Every batch of the deployment last touched ``idle`` ago."""
    with stack.ctx.catalog.batches.db.write_session() as session:
        session.execute(update(Batch).values(touched_at=datetime.now(UTC) - idle))


def _ocr_running(worker: Worker) -> int | None:
    """The worker process (a child of the dramatiq master; the sweeper is another) whose
    Tesseract is running right now."""
    for child in worker.children():
        if any("tesseract" in command_line(p) for p in child_pids(child)):
            return child
    return None
