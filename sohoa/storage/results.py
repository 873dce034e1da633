"""Results of dossiers and their hand-over, each recorded in one transaction with the
status change it makes (4 → 9 when a result is added, 9 → 10 when it is handed over) and
the portal outbox records of both (:mod:`.outbox`).

A result is one of the dossier's documents (type ``ket_qua``: fetched, verified, scrubbed
and kept for its retention like any other) plus a ``dossier_results`` row with what the
agency said about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sohoa.domain.results import RESULT_DOC_TYPE, Handover, ResultMetadata, ResultRecord
from sohoa.errors import StorageError
from sohoa.storage.models import Document, Dossier, DossierHandover, DossierResult
from sohoa.storage.objects import StoredObject
from sohoa.storage.outbox import note_document, set_dossier_status
from sohoa.storage.papers import index_papers
from sohoa.storage.records import DossierStatus
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database

OPEN_FOR_RESULTS = (DossierStatus.DANG_XU_LY, DossierStatus.DA_XU_LY_XONG)
"""A result is added while the dossier is processed (4) or, a further one, once decided (9)."""


@dataclass(frozen=True)
class NewResult:
    """A result's stored PDF and what is known of it."""

    stored: StoredObject
    metadata: ResultMetadata
    kept_as_received: bool
    signed_at: datetime | None
    signer: str | None
    page_count: int
    retain_until: datetime | None


def next_result_ordinal(db: Database, code: str) -> int:
    """The ordinal the dossier's next document gets (its key is made from it)."""
    with db.read_session() as session:
        dossier = dossier_row(session, code)
        return _last_ordinal(session, dossier) + 1


def add_result(db: Database, code: str, ordinal: int, result: NewResult,
               by: str) -> ResultRecord:
    """Record the result as document ``ordinal`` and move a dossier in processing to 9.
    The same stored object recorded again returns the first record."""
    with db.write_session() as session:
        dossier = dossier_row(session, code)
        existing = session.scalar(select(DossierResult).join(Document).where(
            DossierResult.dossier_id == dossier.id, Document.object_key == result.stored.key))
        if existing is not None:
            return _record(code, existing)
        if DossierStatus(dossier.status) not in OPEN_FOR_RESULTS:
            raise StorageError(f"Hồ sơ {code} đang ở trạng thái {dossier.status}: chỉ thêm "
                               "kết quả khi hồ sơ đang xử lý (4) hoặc đã xử lý xong (9)")
        if ordinal != _last_ordinal(session, dossier) + 1:
            raise StorageError(f"Hồ sơ {code} vừa có thêm tài liệu: hãy thêm kết quả lại")
        document = Document(dossier_id=dossier.id, ordinal=ordinal, doc_type=RESULT_DOC_TYPE,
                            title=result.metadata.name, object_key=result.stored.key,
                            sha256=result.stored.sha256, version_id=result.stored.version_id,
                            page_count=result.page_count, signed_at=result.signed_at,
                            signer=result.signer, retain_until=result.retain_until)
        session.add(document)
        session.flush()
        row = DossierResult(dossier_id=dossier.id, document=document,
                            metadata_=result.metadata.model_dump(mode="json"),
                            kept_as_received=result.kept_as_received, added_by=by)
        session.add(row)
        note_document(session, dossier, document, by)
        set_dossier_status(session, dossier, DossierStatus.DA_XU_LY_XONG, by)
        index_papers(session, dossier)  # the citizen's store keeps results too
        return _record(code, row)


def results(db: Database, code: str) -> list[ResultRecord]:
    with db.read_session() as session:
        dossier = dossier_row(session, code)
        rows = session.scalars(select(DossierResult).join(Document)
                               .where(DossierResult.dossier_id == dossier.id)
                               .order_by(Document.ordinal))
        return [_record(code, r) for r in rows]


def hand_over(db: Database, code: str, recipient: str, recipient_id: str, by: str,
              at: datetime) -> Handover:
    """Record the hand-over and move the dossier 9 → 10; a dossier handed over already
    answers with its first hand-over."""
    with db.write_session() as session:
        dossier = dossier_row(session, code)
        row = _handover_row(session, dossier)
        if row is None:
            if dossier.status != DossierStatus.DA_XU_LY_XONG:
                raise StorageError(f"Hồ sơ {code} đang ở trạng thái {dossier.status}: chỉ trả "
                                   "kết quả cho hồ sơ đã xử lý xong (9)")
            if not _has_result(session, dossier):
                raise StorageError(f"Hồ sơ {code} chưa có kết quả để trả")
            row = DossierHandover(dossier_id=dossier.id, recipient=recipient,
                                  recipient_id=recipient_id, handed_by=by, handed_at=at,
                                  receipt_number=f"{code}/TKQ")
            session.add(row)
            set_dossier_status(session, dossier, DossierStatus.DA_TRA_KET_QUA, by)
        return _handover(code, row)


def handover(db: Database, code: str) -> Handover | None:
    with db.read_session() as session:
        row = _handover_row(session, dossier_row(session, code))
        return _handover(code, row) if row is not None else None


def _last_ordinal(session: Session, dossier: Dossier) -> int:
    return session.scalar(select(func.max(Document.ordinal))
                          .where(Document.dossier_id == dossier.id)) or 0


def _has_result(session: Session, dossier: Dossier) -> bool:
    return session.scalar(select(DossierResult.id)
                          .where(DossierResult.dossier_id == dossier.id).limit(1)) is not None


def _handover_row(session: Session, dossier: Dossier) -> DossierHandover | None:
    return session.scalar(select(DossierHandover)
                          .where(DossierHandover.dossier_id == dossier.id))


def _record(code: str, row: DossierResult) -> ResultRecord:
    return ResultRecord(dossier_code=code, ordinal=row.document.ordinal,
                        metadata=ResultMetadata.model_validate(row.metadata_),
                        kept_as_received=row.kept_as_received, sha256=row.document.sha256,
                        added_by=row.added_by, added_at=row.added_at)


def _handover(code: str, row: DossierHandover) -> Handover:
    return Handover(dossier_code=code, recipient=row.recipient, recipient_id=row.recipient_id,
                    handed_by=row.handed_by, handed_at=row.handed_at,
                    receipt_number=row.receipt_number)
