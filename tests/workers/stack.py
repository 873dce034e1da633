"""A scale deployment for tests: environment, a sender's context, ``sohoa worker`` processes.

Used by the fault tests and the end-to-end broker tests; every process it starts is stopped
(SIGTERM to the dramatiq master only, then SIGKILL for any child it saw that outlived it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from sohoa.domain.procedures import load_catalog
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.receive import first_messages
from sohoa.services.intake import accept_batch
from sohoa.settings import Settings
from sohoa.storage.records import BatchRecord, BatchState, Lane, PageState
from sohoa.workers.actors import connect
from tests.workers.worker_process import REPO_ROOT, child_pids, start_time, wait_for

PROCEDURE = "1.001193"

SOHOA = [str(Path(sys.executable).with_name("sohoa"))]
"""The installed ``sohoa`` command, as an operator runs it (its own directory, not the
current one, heads ``sys.path``)."""

DEADLINE_S = 300.0
"""How long a test waits for a worker to start or a batch to be done: a deadline generous
for OCR on a busy 2-core machine, never a measurement (issue 12)."""


class Worker:
    """``sohoa worker --processes 1`` as a real process: it supervises a dramatiq master,
    whose children are the worker processes and the sweeper."""

    def __init__(self, env: dict[str, str], log: Path, *args: str,
                 cwd: Path = REPO_ROOT) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [*SOHOA, "worker", "--processes", "1", "--no-recover", *args],
                cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        self.seen: dict[int, int | None] = {}  # pid -> start time (pids get reused)
        wait_for(lambda: "ready for action" in self.text(), DEADLINE_S, what="worker start")

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def masters(self) -> set[int]:
        """The dramatiq master (a new one after each restart)."""
        found = child_pids(self.process.pid)
        for pid in found:
            self.seen.setdefault(pid, start_time(pid))
        return found

    def children(self) -> set[int]:
        """The master's children: worker processes and the sweeper."""
        found = {pid for master in self.masters() for pid in child_pids(master)}
        for pid in found:
            self.seen.setdefault(pid, start_time(pid))
        return found

    def stop(self) -> None:
        self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # sohoa worker only: it stops the rest
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

    def export(self, monkeypatch) -> None:
        """Put this deployment's SOHOA_* settings in the environment (for in-process CLI)."""
        for name, value in self.env.items():
            if name.startswith("SOHOA_"):
                monkeypatch.setenv(name, value)

    def worker(self, *args: str, cwd: Path = REPO_ROOT) -> Worker:
        worker = Worker(self.env, self.tmp / f"worker-{len(self.workers)}.log", *args,
                        cwd=cwd)
        self.workers.append(worker)
        return worker

    def submit(self, paths: list[Path], lane: Lane = Lane.COUNTER) -> BatchRecord:
        procedure = load_catalog().get(PROCEDURE)
        batch, _ = accept_batch(self.ctx, procedure, paths, lane=lane)
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
        assert [d.ordinal for d in record.documents] == plan.ordinals
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
        if self.settings.queue.broker_url.startswith("amqp"):
            self._delete_rabbitmq_queues()

    def _delete_rabbitmq_queues(self) -> None:
        """RabbitMQ queues are durable: remove this deployment's (main, delay, dead)."""
        import pika

        namespace = self.settings.queue.namespace
        connection = pika.BlockingConnection(pika.URLParameters(self.settings.queue.broker_url))
        try:
            channel = connection.channel()
            for lane in ("counter", "backlog"):
                for suffix in ("", ".DQ", ".XQ"):
                    channel.queue_delete(f"{namespace}-{lane}{suffix}")
        finally:
            connection.close()


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""
