"""Delivering the portal outbox to a mock portal that refuses, times out and fails at random:
everything arrives once, in order per dossier, through an outage and a killed sender."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sohoa.domain.portal import OutboxState
from sohoa.processing.portal import Outcome, PostResult, Sender, http_poster
from sohoa.settings import PortalSettings
from sohoa.storage import routing
from sohoa.storage.catalog import Catalog
from sohoa.storage.objects import StoredObject
from sohoa.storage.outbox import PortalOutbox
from sohoa_dev.services.portal_mock import Faults, MockPortal

RECEIVED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
QUICK = PortalSettings(url="set by each test", timeout_s=0.5, lease_s=1.0, max_attempts=3,
                       min_backoff_s=0.02, max_backoff_s=0.2, poll_s=0.05)
"""Short waits so a test takes seconds; nothing asserts how long anything took."""
PATIENCE_S = 120.0


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    with MockPortal(seed=16) as mock:
        yield mock


def _dossier_with_changes(catalog: Catalog, documents: int) -> str:
    """A received dossier with ``documents`` documents, sent to processing: 2 + docs records."""
    code = catalog.new_dossier("1.001193", "000.00.14.H56", RECEIVED)
    catalog.set_status(code, 2)
    for ordinal in range(1, documents + 1):
        stored = StoredObject(key=f"dossiers/{code}/documents/{ordinal}.pdf",
                              sha256=f"{ordinal:064x}", size=10)
        catalog.add_document(code, ordinal, stored, title=f"Tài liệu {ordinal}", page_count=1)
    routing.change_status(catalog, code, 4, by="can_bo_xu_ly")
    return code


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert time.monotonic() < deadline, f"still waiting: {what}"
        time.sleep(0.05)


def _sender(catalog: Catalog, url: str) -> Sender:
    settings = replace(QUICK, url=url)
    return Sender(PortalOutbox(catalog), settings, http_poster(settings))


def _run_in_thread(sender: Sender) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=sender.run, args=(stop,), daemon=True)
    thread.start()
    return thread, stop


def _expected(catalog: Catalog, codes: list[str]) -> dict[str, list[int]]:
    outbox = PortalOutbox(catalog)
    return {code: [e.sequence for e, _ in outbox.events(code)] for code in codes}


def test_a_portal_down_then_flaky_gets_everything_once_in_order(
        catalog: Catalog, portal: MockPortal) -> None:
    codes = [_dossier_with_changes(catalog, documents) for documents in (1, 3, 2)]
    portal.down()
    outbox = PortalOutbox(catalog)
    thread, stop = _run_in_thread(_sender(catalog, portal.url))
    try:
        # down: every dossier's first record is tried, again and again, and nothing is lost
        _wait(lambda: sum(e.attempts >= 2 for e in outbox.summary(50).waiting) >= len(codes),
              "the sender to try each dossier's first record while the portal is down")
        assert outbox.summary().counts["delivered"] == 0
        assert outbox.summary().counts["dead"] == 0  # a portal that is down is not the
        # record's fault: no dead letters however long it lasts

        portal.faults = Faults(refuse=0.2, timeout=0.15, error=0.2, slow_s=1.0)
        portal.up()
        codes.append(_dossier_with_changes(catalog, 2))  # changes keep coming meanwhile
        routing.change_status(catalog, codes[0], 9, by="can_bo_xu_ly")
        _wait(lambda: outbox.summary().counts["pending"] == 0, "every record delivered")
    finally:
        stop.set()
        thread.join(timeout=10)

    expected = _expected(catalog, codes)
    assert expected[codes[0]] == [1, 2, 3, 4]
    assert portal.accepted() == expected  # each once, in sequence order per dossier
    assert outbox.summary().counts == {"pending": 0, "delivered": sum(map(len,
                                       expected.values())), "dead": 0}
    faulty = len(portal.ledger.posts) - sum(map(len, expected.values())) - \
        portal.ledger.duplicates
    assert faulty > 0  # the portal did fail some posts, and they were sent again


def test_a_sender_killed_mid_post_loses_nothing(catalog: Catalog, catalog_url: str,
                                                portal: MockPortal, tmp_path: Path) -> None:
    codes = [_dossier_with_changes(catalog, 1), _dossier_with_changes(catalog, 2)]
    portal.hold()  # the first message is accepted, its answer never comes
    env = {**os.environ, "SOHOA_DATA_DIR": str(tmp_path / "data"),
           "SOHOA_DATABASE_URL": catalog_url, "SOHOA_PORTAL_URL": portal.url,
           "SOHOA_PORTAL_LEASE_S": "1", "SOHOA_PORTAL_TIMEOUT_S": "60",
           "SOHOA_PORTAL_POLL_S": "0.05"}
    sender = subprocess.Popen([str(Path(sys.executable).with_name("sohoa")), "portal", "send"],
                              env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: portal.held.is_set() or sender.poll() is not None,
              "the sender process to post")
        assert sender.poll() is None, "the sender process ended before posting"
        first = portal.ledger.posts[0]
        os.kill(sender.pid, signal.SIGKILL)  # in the middle of the post
        sender.wait(timeout=30)
    finally:
        if sender.poll() is None:
            sender.kill()
    portal.release()
    outbox = PortalOutbox(catalog)
    code, sequence = first
    assert dict((e.sequence, s) for e, s in outbox.events(code))[sequence] == \
        OutboxState.PENDING  # the portal has it, the outbox does not know: sent again

    thread, stop = _run_in_thread(_sender(catalog, portal.url))
    try:
        _wait(lambda: outbox.summary().counts["pending"] == 0, "every record delivered")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert portal.accepted() == _expected(catalog, codes)
    assert portal.ledger.duplicates == 1  # the re-sent copy, answered and dropped
    assert portal.ledger.posts.count(first) == 2


def test_a_rejected_record_is_dead_lettered_and_holds_its_dossier_back(
        catalog: Catalog) -> None:
    bad, good = _dossier_with_changes(catalog, 1), _dossier_with_changes(catalog, 1)
    posted: list[tuple[str, int]] = []

    def post(body: bytes) -> PostResult:
        import json
        message = json.loads(body)
        posted.append((message["MaHoSo"], message["SoThuTu"]))
        if message["MaHoSo"] == bad:
            return PostResult(Outcome.REJECTED, "error_code 3: sai mã thủ tục")
        return PostResult(Outcome.DELIVERED)

    now = [datetime.now(UTC)]

    def clock() -> datetime:  # an hour passes at every look: backoffs are always over
        now[0] += timedelta(hours=1)
        return now[0]

    sender = Sender(PortalOutbox(catalog), replace(QUICK, url="unused"), post, clock=clock)
    sender.drain()
    for _ in range(QUICK.max_attempts):
        sender.drain()

    assert posted.count((bad, 1)) == QUICK.max_attempts  # then no more
    assert (bad, 2) not in posted  # held back behind the dead letter: order is kept
    assert [s for s in posted if s[0] == good] == [(good, 1), (good, 2), (good, 3)]
    summary = PortalOutbox(catalog).summary()
    assert [(d.dossier_code, d.sequence, d.attempts) for d in summary.dead] == [
        (bad, 1, QUICK.max_attempts)]
    assert summary.dead[0].last_error == "error_code 3: sai mã thủ tục"
    assert summary.counts == {"pending": 2, "delivered": 3, "dead": 1}


def test_the_poster_tells_a_portal_that_is_down_from_one_that_rejects(
        portal: MockPortal) -> None:
    post = http_poster(replace(QUICK, url=portal.url))
    body = b'{"MaHoSo": "000.00.14.H56-261201-0001", "SoThuTu": 1}'
    assert post(body) == PostResult(Outcome.DELIVERED)
    assert post(b'{"khong": "hop le"}').outcome == Outcome.REJECTED  # HTTP 400
    portal.faults = Faults(error=1.0)
    assert post(body).outcome == Outcome.UNREACHABLE  # HTTP 500
    portal.faults = Faults(refuse=1.0)
    assert post(body).outcome == Outcome.UNREACHABLE
    portal.faults = Faults(timeout=1.0, slow_s=1.0)
    assert post(body).outcome == Outcome.UNREACHABLE  # answered after the 0.5 s timeout
    portal.down()
    assert post(body).outcome == Outcome.UNREACHABLE
