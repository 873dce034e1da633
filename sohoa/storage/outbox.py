"""The national portal outbox: changes of dossiers, written with the change, sent later.

Every status change and every new document of a dossier goes through
:func:`set_dossier_status` or :func:`note_document`, inside the transaction that makes the
change; each appends a ``portal_outbox`` row numbered per dossier (``dossiers.
portal_sequence`` is bumped with an UPDATE, which also locks the dossier's row on
PostgreSQL, so two transactions never take the same number). Either the change and its
record are committed together or neither is: nothing the portal should hear of can be lost
between the database and a queue.

A sender (:mod:`sohoa.processing.portal`) then works through :class:`PortalOutbox`:

- only the *head* of each dossier — its lowest record not yet delivered — may be claimed,
  so a dossier's changes reach the portal in order; a dead-lettered head holds the
  dossier's later records back until an operator retries it;
- a claim is one conditional UPDATE with a lease (``claimed_until``): several senders
  never post the same record at once, and a sender killed mid-post leaves a claim that
  expires, after which the record is posted again — harmless, the portal de-duplicates by
  dossier and sequence number;
- an outcome is recorded only by the claim's holder (its ``claim`` token).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from sohoa.domain.portal import EventKind, OutboxState, PortalEvent
from sohoa.storage.models import Document, Dossier, PortalOutboxRow
from sohoa.storage.records import DossierStatus
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database

# --- writing, inside the caller's transaction ---------------------------------------------


def set_dossier_status(session: Session, dossier: Dossier, status: int, by: str = "") -> bool:
    """Move ``dossier`` to national status ``status`` and record the change for the portal.

    The one place a dossier's status is written. Returns whether anything was recorded: an
    unchanged status is not a change, except for a dossier the portal has not heard of yet
    (its first record announces it)."""
    status = int(DossierStatus(status))
    if dossier.status == status and dossier.portal_sequence:
        return False
    dossier.status = status
    _append(session, dossier, EventKind.STATUS, by=by)
    return True


def note_document(session: Session, dossier: Dossier, document: Document, by: str = "") -> None:
    """Record for the portal that ``document`` was added to ``dossier`` (after a record of
    its status, when it is the first the portal hears of the dossier)."""
    if not dossier.portal_sequence:
        _append(session, dossier, EventKind.STATUS)
    _append(session, dossier, EventKind.DOCUMENT, document, by=by)


def _append(session: Session, dossier: Dossier, kind: EventKind,
            document: Document | None = None, by: str = "") -> None:
    session.flush()  # a new dossier gets its id; a pending status change is written
    sequence = session.execute(
        update(Dossier).where(Dossier.id == dossier.id)
        .values(portal_sequence=Dossier.portal_sequence + 1)
        .returning(Dossier.portal_sequence)
        .execution_options(synchronize_session=False)).scalar_one()
    dossier.portal_sequence = sequence  # what the UPDATE wrote; no reload needed
    now = datetime.now(UTC)
    event = PortalEvent(
        dossier_code=dossier.code, sequence=sequence, kind=kind,
        status=dossier.status or int(DossierStatus.DUOC_TIEP_NHAN), at=now, by=by,
        document_ordinal=document.ordinal if document is not None else None,
        document_title=document.title if document is not None else None)
    session.add(PortalOutboxRow(dossier_id=dossier.id, sequence=sequence,
                                event=event.model_dump(mode="json"),
                                state=OutboxState.PENDING, created_at=now, attempts=0,
                                next_attempt_at=now))


# --- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedRecord:
    """An outbox record a sender holds until ``claimed_until``."""

    id: int
    event: PortalEvent
    attempts: int
    claim: str


@dataclass(frozen=True)
class OutboxEntry:
    """One record as ``sohoa portal status`` lists it."""

    dossier_code: str
    sequence: int
    kind: str
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_error: str | None


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    """Records per state (pending, delivered, dead)."""
    waiting: tuple[OutboxEntry, ...]
    """Pending records, oldest first (at most the limit asked for)."""
    dead: tuple[OutboxEntry, ...]


class PortalOutbox:
    """The sender's side of the outbox: claim the next due record, record what happened."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim_next(self, now: datetime, lease: timedelta) -> ClaimedRecord | None:
        """The oldest due record that heads its dossier and nobody holds, now held by the
        caller until ``now + lease``; None when nothing is due."""
        token = secrets.token_hex(8)
        with self.db.write_session() as session:
            for row_id in session.scalars(_due_heads(now).limit(20)):
                taken = session.execute(
                    update(PortalOutboxRow)
                    .where(PortalOutboxRow.id == row_id,
                           PortalOutboxRow.state == OutboxState.PENDING,
                           or_(PortalOutboxRow.claimed_until.is_(None),
                               PortalOutboxRow.claimed_until <= now))
                    .values(claimed_until=now + lease, claim=token)
                    .execution_options(synchronize_session=False)).rowcount
                if taken:
                    row = session.get(PortalOutboxRow, row_id)
                    assert row is not None
                    return ClaimedRecord(row.id, PortalEvent.model_validate(row.event),
                                         row.attempts, token)
        return None

    def delivered(self, record: ClaimedRecord, now: datetime) -> None:
        """The portal accepted the record (also when a lost claim's holder says so late:
        delivered is delivered)."""
        with self.db.write_session() as session:
            session.execute(
                update(PortalOutboxRow).where(PortalOutboxRow.id == record.id,
                                              PortalOutboxRow.state != OutboxState.DELIVERED)
                .values(state=OutboxState.DELIVERED, delivered_at=now, claimed_until=None,
                        claim=None, attempts=PortalOutboxRow.attempts + 1)
                .execution_options(synchronize_session=False))

    def failed(self, record: ClaimedRecord, error: str, retry_at: datetime,
               dead: bool) -> None:
        """A failed attempt: try again at ``retry_at``, or dead-letter the record."""
        with self.db.write_session() as session:
            session.execute(
                update(PortalOutboxRow).where(PortalOutboxRow.id == record.id,
                                              PortalOutboxRow.claim == record.claim,
                                              PortalOutboxRow.state == OutboxState.PENDING)
                .values(state=OutboxState.DEAD if dead else OutboxState.PENDING,
                        attempts=PortalOutboxRow.attempts + 1, last_error=error[:2000],
                        next_attempt_at=retry_at, claimed_until=None, claim=None)
                .execution_options(synchronize_session=False))

    def retry(self, dossier_code: str, now: datetime) -> int:
        """Give the dossier's dead-lettered records another round; returns how many."""
        with self.db.write_session() as session:
            dossier = dossier_row(session, dossier_code)
            return session.execute(
                update(PortalOutboxRow).where(PortalOutboxRow.dossier_id == dossier.id,
                                              PortalOutboxRow.state == OutboxState.DEAD)
                .values(state=OutboxState.PENDING, attempts=0, next_attempt_at=now,
                        claimed_until=None, claim=None)
                .execution_options(synchronize_session=False)).rowcount

    def next_due(self) -> datetime | None:
        """When the next record may be claimed (None: nothing pending): the earliest retry
        time of an unclaimed head of a dossier, or the end of a claim's lease. Records
        waiting behind their dossier's head do not count (a sender would poll for them in
        vain)."""
        with self.db.read_session() as session:
            heads = _heads().subquery()
            times = [session.scalar(select(func.min(heads.c.next_attempt_at))
                                    .where(heads.c.claimed_until.is_(None))),
                     session.scalar(select(func.min(heads.c.claimed_until)))]
        return min((t for t in times if t is not None), default=None)

    def summary(self, limit: int = 20) -> OutboxSummary:
        with self.db.read_session() as session:
            counts = {state: 0 for state in OutboxState}
            for state, count in session.execute(
                    select(PortalOutboxRow.state, func.count())
                    .group_by(PortalOutboxRow.state)):
                counts[OutboxState(state)] = count
            return OutboxSummary(
                counts={str(k): v for k, v in counts.items()},
                waiting=tuple(_entries(session, OutboxState.PENDING, limit)),
                dead=tuple(_entries(session, OutboxState.DEAD, limit)))

    def events(self, dossier_code: str) -> list[tuple[PortalEvent, str]]:
        """The dossier's records in sequence order, with their state."""
        with self.db.read_session() as session:
            dossier = dossier_row(session, dossier_code)
            rows = session.scalars(select(PortalOutboxRow)
                                   .where(PortalOutboxRow.dossier_id == dossier.id)
                                   .order_by(PortalOutboxRow.sequence))
            return [(PortalEvent.model_validate(r.event), r.state) for r in rows]


def _heads():  # noqa: ANN202 - a SQLAlchemy Select
    """Pending records that no earlier undelivered record of their dossier precedes."""
    earlier = aliased(PortalOutboxRow)
    blocked = exists().where(and_(earlier.dossier_id == PortalOutboxRow.dossier_id,
                                  earlier.sequence < PortalOutboxRow.sequence,
                                  earlier.state != OutboxState.DELIVERED))
    return (select(PortalOutboxRow.id, PortalOutboxRow.next_attempt_at,
                   PortalOutboxRow.claimed_until)
            .where(PortalOutboxRow.state == OutboxState.PENDING, ~blocked))


def _due_heads(now: datetime):  # noqa: ANN202 - a SQLAlchemy Select
    """Ids of dossiers' heads due by ``now``, unclaimed or with an expired claim, oldest
    first."""
    heads = _heads().where(PortalOutboxRow.next_attempt_at <= now,
                           or_(PortalOutboxRow.claimed_until.is_(None),
                               PortalOutboxRow.claimed_until <= now)).subquery()
    return select(heads.c.id).order_by(heads.c.next_attempt_at, heads.c.id)


def _entries(session: Session, state: OutboxState, limit: int) -> list[OutboxEntry]:
    rows = session.execute(
        select(PortalOutboxRow, Dossier.code).join(Dossier)
        .where(PortalOutboxRow.state == state)
        .order_by(PortalOutboxRow.created_at, PortalOutboxRow.id).limit(limit))
    return [OutboxEntry(code, row.sequence, row.event.get("kind", ""), row.state, row.attempts,
                        row.created_at, row.next_attempt_at, row.last_error)
            for row, code in rows]
