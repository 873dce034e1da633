"""Which dossiers were handed over to the archive (đã nộp lưu), in which package.

One row per export (``archive_transfers``, migration 0010): exporting again records the new
package id beside the old one, so the archive can tell which package it holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from sohoa.storage.models import ArchiveTransfer, Document, Dossier, summary_fields
from sohoa.storage.records import DossierSummary
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database


@dataclass(frozen=True)
class ClosedRow:
    """A dossier with signed documents, as one aggregate row (no pages, no text loaded)."""

    summary: DossierSummary
    documents: int
    last_signed_at: datetime | None


@dataclass(frozen=True)
class TransferRecord:
    dossier_code: str
    package_id: str
    package_type: str
    exported_at: datetime
    actor: str
    zip_sha256: str


class ArchiveTransfers:
    """The hand-over ledger over the catalog's database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, transfer: TransferRecord) -> None:
        with self.database.write_session() as session:
            row = dossier_row(session, transfer.dossier_code)
            session.add(ArchiveTransfer(
                dossier_id=row.id, package_id=transfer.package_id,
                package_type=transfer.package_type, exported_at=transfer.exported_at,
                actor=transfer.actor[:128], zip_sha256=transfer.zip_sha256))

    def dossiers_with_documents(self, statuses: Iterable[int],
                                procedure_code: str | None = None,
                                agency_code: str | None = None) -> list[ClosedRow]:
        """Dossiers in one of ``statuses`` that have signed documents, oldest first, with
        their document count and last signing time: one query, whatever the archive's size."""
        query = (select(Dossier, func.count(Document.id), func.max(Document.signed_at))
                 .join(Document, Document.dossier_id == Dossier.id)
                 .where(Dossier.status.in_(list(statuses)))
                 .group_by(Dossier.id).order_by(Dossier.received_at, Dossier.id))
        if procedure_code:
            query = query.where(Dossier.procedure_code == procedure_code)
        if agency_code:
            query = query.where(Dossier.agency_code == agency_code)
        with self.database.read_session() as session:
            return [ClosedRow(DossierSummary(**summary_fields(row)), count,
                              _aware(last) if last is not None else None)
                    for row, count, last in session.execute(query)]

    def of_dossier(self, dossier_code: str) -> list[TransferRecord]:
        """Every package the dossier went out in, oldest first (empty: not handed over)."""
        query = (select(ArchiveTransfer, Dossier.code).join(Dossier)
                 .where(Dossier.code == dossier_code).order_by(ArchiveTransfer.id))
        with self.database.read_session() as session:
            return [_record(row, code) for row, code in session.execute(query)]

    def handed_over(self) -> dict[str, TransferRecord]:
        """The latest transfer of every dossier that has one, by dossier code."""
        query = (select(ArchiveTransfer, Dossier.code).join(Dossier)
                 .order_by(ArchiveTransfer.id))
        with self.database.read_session() as session:
            return {code: _record(row, code) for row, code in session.execute(query)}


def _aware(moment: datetime) -> datetime:
    """max() over a UtcDateTime column comes back raw: naive UTC on SQLite."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _record(row: ArchiveTransfer, code: str) -> TransferRecord:
    return TransferRecord(code, row.package_id, row.package_type, row.exported_at, row.actor,
                          row.zip_sha256)
