"""Rows every catalog service looks up or adds inside its own transaction: a dossier by its
code, and a new dossier with the next number of its (agency, day).

Dossier numbers are handed out per (agency, Vietnam-local day) from ``dossier_sequences``
with ``UPDATE ... SET last_sequence = last_sequence + 1`` in the same transaction as the new
dossier row, so two counters (processes) never get the same number and a failed insert does
not burn one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sohoa.clock import VIETNAM
from sohoa.domain.dossier_code import format_dossier_code
from sohoa.errors import DossierNotFoundError, StorageError
from sohoa.storage.models import Dossier, DossierSequence, require_aware


def add_dossier(session: Session, procedure_code: str, agency_code: str,
                received_at: datetime) -> str:
    """A new dossier row received at ``received_at``; returns its newly allocated code."""
    day = require_aware(received_at).astimezone(VIETNAM).date()
    format_dossier_code(agency_code, day, 1)  # refuse a bad agency before taking a number
    if not procedure_code:
        raise StorageError("Hồ sơ phải có mã thủ tục")
    code = format_dossier_code(agency_code, day, next_sequence(session, agency_code, day))
    session.add(Dossier(code=code, procedure_code=procedure_code, agency_code=agency_code,
                        received_at=received_at))
    return code


def next_sequence(session: Session, agency_code: str, day: date) -> int:
    """Take the next number of (agency, day) inside the caller's transaction.

    The UPDATE locks the counter row until commit (PostgreSQL row lock; SQLite write lock),
    so concurrent callers queue up. The first dossier of a day inserts the row; if another
    transaction inserted it meanwhile, the unique constraint fails inside a savepoint and
    we fall back to the UPDATE.
    """
    table = DossierSequence.__table__
    where = (table.c.agency_code == agency_code) & (table.c.day == day)
    bump = update(table).where(where).values(last_sequence=table.c.last_sequence + 1)
    if session.execute(bump).rowcount == 0:
        try:
            with session.begin_nested():
                session.execute(
                    insert(table).values(agency_code=agency_code, day=day, last_sequence=1)
                )
            return 1
        except sa_exc.IntegrityError:
            session.execute(bump)
    return session.execute(select(table.c.last_sequence).where(where)).scalar_one()


def dossier_row(session: Session, dossier_code: str) -> Dossier:
    row = session.scalar(select(Dossier).where(Dossier.code == dossier_code))
    if row is None:
        raise DossierNotFoundError(f"Không có hồ sơ {dossier_code} trong danh mục")
    return row
