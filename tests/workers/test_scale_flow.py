"""Whole dossiers through ``sohoa worker`` on each broker, and the counter's priority."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.storage.records import Lane
from tests.workers.stack import DEADLINE_S, Stack

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_a_dossier_over_rabbitmq_completes_once(rabbitmq_stack: Stack,
                                                a4_scans: list[Path]) -> None:
    rabbitmq_stack.worker()
    batch = rabbitmq_stack.submit(a4_scans)
    rabbitmq_stack.wait_done(batch, timeout=DEADLINE_S)
    rabbitmq_stack.assert_complete_once(batch, pages=3)


def test_counter_dossier_overtakes_a_queued_backlog(stack: Stack, a4_scans: list[Path]) -> None:
    log = stack.tmp / "steps.tsv"
    stack.env["SOHOA_TEST_STEP_LOG"] = str(log)  # the worker writes down what it finished
    backlog = stack.submit(a4_scans * 3, lane=Lane.BACKLOG)  # 9 pages, queued first
    counter = stack.submit(a4_scans[:1], lane=Lane.COUNTER)
    stack.worker("--plugin", "tests.workers.step_log")  # one process: the queue order decides
    stack.wait_done(counter, timeout=DEADLINE_S)
    stack.wait_done(backlog, timeout=DEADLINE_S)
    # Counted from the worker's own record of the order it finished steps in, not from the
    # catalog when this test looked, which a busy machine can make late (issue 12).
    steps = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    finished = next(i for i, (step, _, code, _, state) in enumerate(steps)
                    if (step, code, state) == ("finish_batch", counter.dossier_code, "done"))
    backlog_pages_before = sum(1 for step, _, code, _, _ in steps[:finished]
                               if (step, code) == ("process_page", backlog.dossier_code))
    print(f"counter dossier done after {backlog_pages_before} of 9 backlog pages queued "
          "ahead of it")
    # without priority it would wait for all 9; it waits for the pages the worker had
    # already taken (one in progress, the prefetched ones)
    assert backlog_pages_before <= 3
    assert {int(page) for step, _, code, page, _ in steps  # the record is whole
            if (step, code) == ("process_page", backlog.dossier_code)} == set(range(9))


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
