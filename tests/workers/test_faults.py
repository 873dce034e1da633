"""Faults on the scale profile, with real processes and servers: ``sohoa worker`` processes,
Redis, PostgreSQL, S3 (SeaweedFS). Each test kills or stops something in the middle of a
dossier and checks that the dossier still completes with nothing lost and nothing doubled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa.cli import main
from sohoa.intake import accept_batch
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.receive import first_messages
from sohoa.schemas.procedures import load_catalog
from sohoa.settings import Settings
from sohoa.storage.records import BatchRecord, BatchState, Lane, PageState
from sohoa.synth import Scan, make_page, save_scan
from sohoa.workers.actors import connect
from tests.helpers.seaweed import SeaweedServer, fresh_bucket_name, started_server
from tests.helpers.services import RedisServer
from tests.support import unavailable
from tests.workers.worker_process import REPO_ROOT, child_pids, start_time, wait_for

pytestmark = [pytest.mark.ocr, pytest.mark.service]

PROCEDURE = "1.001193"


@pytest.fixture(scope="module")
def a4_scans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three A4 pages at 300 dpi (~1.5 s of OCR each: long enough to be caught mid-OCR)."""
    folder = tmp_path_factory.mktemp("a4")
    titles = ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH", None)
    return [save_scan(make_page(90 + n, Scan(dpi=300, skew=0.8), sentences=10, title=t),
                      folder / f"a4-{n}.png") for n, t in enumerate(titles)]


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """A private S3 server for this module: tests stop and restart it."""
    try:
        server = started_server(tmp_path_factory.mktemp("seaweed"))
    except (FileNotFoundError, RuntimeError) as exc:
        unavailable(f"SeaweedFS cannot be started: {exc}")
    yield server
    server.close()


class Worker:
    """``sohoa worker --processes 1`` as a real process; the dramatiq master keeps its pid."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sohoa.cli", "worker", "--processes", "1",
                 "--no-recover", *args],
                cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        self.seen: dict[int, int | None] = {}  # pid -> start time (pids get reused)
        wait_for(lambda: "ready for action" in self.text(), 60, what="worker start")

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def children(self) -> set[int]:
        found = child_pids(self.process.pid)
        for pid in found:
            self.seen.setdefault(pid, start_time(pid))
        return found

    def stop(self) -> None:
        self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master only: it stops its children
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid, started in self.seen.items():
            if started is not None and start_time(pid) == started:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


class Stack:
    """Environment of one scale deployment, a sender's context, and its workers."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp, self.env = tmp, {**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}
        self.settings = Settings.from_env(self.env)
        self.ctx: WorkContext = open_context(self.settings)
        self.workers: list[Worker] = []

    def worker(self, *args: str) -> Worker:
        worker = Worker(self.env, self.tmp / f"worker-{len(self.workers)}.log", *args)
        self.workers.append(worker)
        return worker

    def submit(self, paths: list[Path]) -> BatchRecord:
        procedure = load_catalog().get(PROCEDURE)
        batch, _ = accept_batch(self.ctx, procedure, paths, lane=Lane.COUNTER)
        connect(self.settings.queue).send(first_messages(self.ctx, batch))
        return batch

    def pages_done(self, batch: BatchRecord) -> int:
        return sum(p.state != PageState.PENDING
                   for p in self.ctx.catalog.batches.pages(batch.dossier_code, batch.number))

    def wait_done(self, batch: BatchRecord, timeout: float) -> None:
        try:
            wait_for(lambda: self.ctx.catalog.batches.batch(
                batch.dossier_code, batch.number).state == BatchState.DONE, timeout,
                interval=0.2, what=f"batch {batch.dossier_code} done")
        except AssertionError:
            logs = "\n".join(w.text()[-3000:] for w in self.workers)
            raise AssertionError(f"batch not done; worker logs:\n{logs}") from None

    def assert_complete_once(self, batch: BatchRecord, pages: int) -> None:
        """Every page done once, every planned document stored once, no stray object."""
        code = batch.dossier_code
        record = self.ctx.catalog.dossier(code)
        plan = self.ctx.catalog.batches.batch(code, batch.number).plan
        assert [p.state for p in record.pages] == [PageState.DONE] * pages
        assert [d.ordinal for d in record.documents] == [d["ordinal"] for d in plan["documents"]]
        objects = self.ctx.objects
        assert objects.list(f"dossiers/{code}/documents/") == sorted(
            d.key for d in record.documents)
        assert len(objects.list(f"dossiers/{code}/text/")) == len(record.documents)
        assert len(objects.list(f"dossiers/{code}/raw/")) == pages
        assert len(objects.list(f"dossiers/{code}/pages/")) == 2 * pages
        trust = trust_roots_for(self.settings.signing)
        for doc in record.documents:
            assert verify_pdf(objects.get(doc.key, doc.sha256), trust).valid
        assert record.verdict is not None and record.complete is True

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.ctx.close()


@pytest.fixture
def stack(tmp_path: Path, postgres_url: str, redis_server: RedisServer, seaweed: SeaweedServer,
          tesseract_vie: str) -> Iterator[Stack]:
    if not seaweed.running:
        seaweed.start()
    env = {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_DATABASE_URL": postgres_url,
        "SOHOA_BROKER_URL": redis_server.url,
        "SOHOA_S3_ENDPOINT": seaweed.endpoint,
        "SOHOA_S3_ACCESS_KEY": seaweed.access_key,
        "SOHOA_S3_SECRET_KEY": seaweed.secret_key,
        "SOHOA_S3_BUCKET": fresh_bucket_name(),
        "SOHOA_MIN_BACKOFF_S": "1",
        "SOHOA_MAX_BACKOFF_S": "5",
        "OMP_THREAD_LIMIT": "1",
    }
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_AGENCY"):
        os.environ.pop(name, None)
    built = Stack(tmp_path, env)
    yield built
    built.close()


def test_worker_killed_mid_ocr_the_dossier_completes_once(stack: Stack,
                                                          a4_scans: list[Path]) -> None:
    first = stack.worker()
    batch = stack.submit(a4_scans)
    child = wait_for(lambda: _ocr_running(first), 60, interval=0.02,
                     what="tesseract running in a worker process")
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    first.stop()
    stack.worker()  # a fresh worker: gets the killed page once the heartbeat expires
    stack.wait_done(batch, timeout=150)
    print(f"killed mid-OCR: batch done {time.monotonic() - killed_at:.1f} s after the kill")
    stack.assert_complete_once(batch, pages=3)


def test_s3_unreachable_for_30_seconds_the_dossier_completes(
        stack: Stack, a4_scans: list[Path], seaweed: SeaweedServer) -> None:
    stack.worker()
    batch = stack.submit(a4_scans)
    wait_for(lambda: stack.pages_done(batch) >= 1, 60, interval=0.05, what="first page")
    seaweed.stop()
    outage = time.monotonic()
    time.sleep(30)
    done_during_outage = stack.pages_done(batch)
    seaweed.start()
    stack.wait_done(batch, timeout=180)
    print(f"S3 down 30 s with {done_during_outage}/3 pages done: batch done "
          f"{time.monotonic() - outage:.1f} s after the outage began")
    stack.assert_complete_once(batch, pages=3)


def test_broker_restarted_and_emptied_mid_dossier_the_dossier_completes(
        stack: Stack, a4_scans: list[Path], redis_server: RedisServer) -> None:
    stack.env["SOHOA_REQUEUE_AFTER_S"] = "6"  # the sweeper resumes idle batches quickly
    stack.worker()
    batch = stack.submit(a4_scans)
    wait_for(lambda: stack.pages_done(batch) >= 1, 60, interval=0.05, what="first page")
    redis_server.stop(kill=True)  # no persistence: every queued message is gone
    time.sleep(2)
    redis_server.start()
    stack.wait_done(batch, timeout=120)
    stack.assert_complete_once(batch, pages=3)


def test_a_page_that_always_fails_is_dead_lettered_and_the_rest_completes(
        stack: Stack, a4_scans: list[Path], redis_server: RedisServer) -> None:
    import redis

    stack.env.update(SOHOA_TEST_POISON_PAGE="1", SOHOA_MAX_RETRIES="2",
                     SOHOA_MIN_BACKOFF_S="0.2", SOHOA_MAX_BACKOFF_S="0.5")
    stack.worker("--plugin", "tests.workers.faults")
    batch = stack.submit(a4_scans)
    stack.wait_done(batch, timeout=120)
    record = stack.ctx.catalog.dossier(batch.dossier_code)
    assert [p.state for p in record.pages] == ["done", "failed", "done"]
    assert "injected fault on page 1" in record.pages[1].failure
    assert "sau 2 lần thử" in record.pages[1].failure
    assert record.verdict["unreadable_pages"] == [1] and record.complete is False
    assert [d.doc_type for d in record.documents][0] == "to_khai_khai_sinh"
    client = redis.Redis.from_url(redis_server.url)
    assert client.zcard("sohoa:sohoa-counter.XQ") == 1  # the page's message, dead-lettered
    client.close()


def test_database_down_intake_is_refused_and_nothing_is_stored(
        stack: Stack, a4_scans: list[Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    for name, value in stack.env.items():
        if name.startswith("SOHOA_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOHOA_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:9/sohoa")
    assert main(["intake", "--procedure", PROCEDURE, "--quiet", *map(str, a4_scans)]) == 8
    assert "catalog database unavailable" in capsys.readouterr().err
    assert stack.ctx.objects.list("") == []
    assert stack.ctx.catalog.list_dossiers() == []


def _ocr_running(worker: Worker) -> int | None:
    """The worker process (a child of the dramatiq master; the sweeper is another) whose
    Tesseract is running right now."""
    for child in worker.children():
        if any("tesseract" in _command(p) for p in child_pids(child)):
            return child
    return None


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""
