"""Whole dossiers through ``sohoa worker`` on each broker, and the counter's priority."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.storage.records import BatchState, Lane
from tests.workers.stack import Stack
from tests.workers.worker_process import wait_for

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_a_dossier_over_rabbitmq_completes_once(rabbitmq_stack: Stack,
                                                a4_scans: list[Path]) -> None:
    rabbitmq_stack.worker()
    batch = rabbitmq_stack.submit(a4_scans)
    rabbitmq_stack.wait_done(batch, timeout=120)
    rabbitmq_stack.assert_complete_once(batch, pages=3)


def test_counter_dossier_overtakes_a_queued_backlog(stack: Stack, a4_scans: list[Path]) -> None:
    backlog = stack.submit(a4_scans * 3, lane=Lane.BACKLOG)  # 9 pages, queued first
    counter = stack.submit(a4_scans[:1], lane=Lane.COUNTER)
    stack.worker()  # one process: the queue order alone decides
    ledger = stack.ctx.catalog.batches
    wait_for(lambda: ledger.batch(counter.dossier_code, 1).state == BatchState.DONE, 120,
             interval=0.1, what="counter dossier done")
    backlog_pages_before = stack.pages_done(backlog)
    stack.wait_done(backlog, timeout=180)
    print(f"counter dossier done after {backlog_pages_before} of 9 backlog pages queued "
          "ahead of it")
    # without priority it would wait for all 9; it waits for the pages the worker had
    # already taken (one in progress, the prefetched ones)
    assert backlog_pages_before <= 3


def test_intake_cli_waits_for_the_workers_and_prints_the_verdict(
        stack: Stack, a4_scans: list[Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    stack.export(monkeypatch)
    stack.worker()
    assert main(["intake", "--procedure", "1.001193", "--wait", "--quiet",
                 *map(str, a4_scans[:2])]) == 0
    out = capsys.readouterr().out
    assert "Hồ sơ đầy đủ" in out and "01-to_khai_khai_sinh.pdf" in out
    code = out.split("Mã hồ sơ: ", 1)[1].split()[0]
    assert main(["dossier", code]) == 0
    assert "02-giay_chung_sinh.pdf" in capsys.readouterr().out
    assert main(["intake", "--procedure", "1.001193", "--quiet", "--lane", "backlog",
                 str(a4_scans[2])]) == 0  # without --wait: queued, the clerk goes on
    assert "Đang xử lý" in capsys.readouterr().out
