"""The portal outbox: written with the change, numbered per dossier, claimed head first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import sohoa
from sohoa.domain.portal import EventKind, OutboxState
from sohoa.errors import StorageError
from sohoa.storage import routing
from sohoa.storage.catalog import Catalog
from sohoa.storage.objects import StoredObject
from sohoa.storage.outbox import PortalOutbox

RECEIVED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def _doc(catalog: Catalog, code: str, ordinal: int) -> None:
    stored = StoredObject(key=f"dossiers/{code}/documents/{ordinal}.pdf", sha256="a" * 64,
                          size=10)
    catalog.add_document(code, ordinal, stored, title=f"Tài liệu {ordinal}", page_count=1)


def test_status_changes_and_documents_are_numbered_per_dossier(catalog: Catalog) -> None:
    first = catalog.new_dossier("1.001193", "000.00.14.H56", RECEIVED)
    second = catalog.new_dossier("1.001193", "000.00.14.H56", RECEIVED)
    catalog.set_status(first, 2)  # announces the dossier (the portal has not heard of it)
    catalog.set_status(first, 2)  # unchanged: nothing to tell
    _doc(catalog, first, 1)
    _doc(catalog, first, 1)  # recorded again (a redelivered message): no second record
    _doc(catalog, second, 1)  # the first the portal hears of it: its status comes first
    routing.change_status(catalog, first, 4)

    events = PortalOutbox(catalog).events(first)
    assert [(e.sequence, e.kind, e.status, e.document_ordinal) for e, _ in events] == [
        (1, EventKind.STATUS, 2, None), (2, EventKind.DOCUMENT, 2, 1),
        (3, EventKind.STATUS, 4, None)]
    assert [(e.sequence, e.kind, e.status) for e, _ in PortalOutbox(catalog).events(second)] \
        == [(1, EventKind.STATUS, 2), (2, EventKind.DOCUMENT, 2)]
    assert {state for _, state in events} == {OutboxState.PENDING}


def test_a_refused_change_writes_no_record(catalog: Catalog) -> None:
    code = catalog.new_dossier("1.001193", "000.00.14.H56", RECEIVED)
    catalog.set_status(code, 2)
    with pytest.raises(StorageError):
        routing.change_status(catalog, code, 10)  # 2 → 10 is not a move an agency makes
    assert [e.sequence for e, _ in PortalOutbox(catalog).events(code)] == [1]


def _received_then_processing(catalog: Catalog) -> tuple[str, PortalOutbox, datetime]:
    """A dossier with two records (status 2, then 4), its outbox, and a moment after both."""
    code = catalog.new_dossier("1.001193", "000.00.14.H56", RECEIVED)
    catalog.set_status(code, 2)
    routing.change_status(catalog, code, 4)
    return code, PortalOutbox(catalog), datetime.now(UTC) + timedelta(seconds=1)


def test_only_the_head_of_a_dossier_is_claimed_and_a_lease_expires(catalog: Catalog) -> None:
    code, outbox, now = _received_then_processing(catalog)

    held = outbox.claim_next(now, LEASE)
    assert held is not None and held.event.sequence == 1
    assert outbox.claim_next(now, LEASE) is None  # #2 waits behind #1, #1 is held
    again = outbox.claim_next(now + LEASE, LEASE)  # the holder died: its lease ran out
    assert again is not None and again.event.sequence == 1
    outbox.failed(held, "stale holder", now, dead=False)  # not the holder any more: ignored
    outbox.delivered(again, now)
    nxt = outbox.claim_next(now + LEASE, LEASE)
    assert nxt is not None and nxt.event.sequence == 2
    assert outbox.summary().counts == {"pending": 1, "delivered": 1, "dead": 0}


def test_a_dead_letter_holds_its_dossier_back_until_retried(catalog: Catalog) -> None:
    code, outbox, now = _received_then_processing(catalog)

    first = outbox.claim_next(now, LEASE)
    assert first is not None
    outbox.failed(first, "HTTP 400: sai định dạng", now, dead=True)
    assert outbox.claim_next(now, LEASE) is None
    summary = outbox.summary()
    assert [(d.dossier_code, d.sequence, d.last_error) for d in summary.dead] == [
        (code, 1, "HTTP 400: sai định dạng")]
    assert [w.sequence for w in summary.waiting] == [2]

    assert outbox.retry(code, now) == 1
    retried = outbox.claim_next(now, LEASE)
    assert retried is not None and (retried.event.sequence, retried.attempts) == (1, 0)


def test_a_dossier_status_is_written_in_one_place_only() -> None:
    """Every status change must reach the portal: nothing but the outbox's
    ``set_dossier_status`` assigns ``.status`` (an intake or agency path that did would
    change the dossier without telling the portal)."""
    package = Path(sohoa.__file__).parent
    writers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                     if re.search(r"\.status\s*=[^=]", path.read_text(encoding="utf-8")))
    assert writers == ["storage/outbox.py"]


def test_next_due_looks_at_heads_and_leases_only(catalog: Catalog) -> None:
    """A sender sleeps until then: records waiting behind their head must not wake it."""
    code, outbox, now = _received_then_processing(catalog)
    assert outbox.next_due() is not None and outbox.next_due() <= now
    held = outbox.claim_next(now, LEASE)
    assert held is not None
    assert outbox.next_due() == now + LEASE  # #1 in flight; #2 waits behind it
    later = now + timedelta(minutes=10)
    outbox.failed(held, "HTTP 503", later, dead=False)
    assert outbox.next_due() == later  # #1 backs off; #2 (due long ago) still waits
    again = outbox.claim_next(later, LEASE)
    assert again is not None
    outbox.delivered(again, later)
    assert outbox.next_due() is not None and outbox.next_due() <= now  # #2 is the head now
