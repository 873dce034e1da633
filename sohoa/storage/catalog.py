"""The catalog: the source of truth for which dossiers, scans, documents and pages exist.

:class:`Catalog` is a service of short methods that each run in one transaction and return
plain records (:mod:`sohoa.storage.records`); the ORM models (:mod:`sohoa.storage.models`,
never leave a session. SQL stays portable (SQLite and PostgreSQL run the same statements);
the schema is created by the Alembic migrations in ``migrations/``. Sessions come from the
shared unit of work (:mod:`.session`); dossier numbers from :func:`.rows.add_dossier`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sohoa.errors import StorageError
from sohoa.storage.applicants import stored_applicant
from sohoa.storage.batches import BatchLedger
from sohoa.storage.models import (
    Document,
    Dossier,
    Page,
    RawScan,
    document_record,
    page_record,
    raw_scan_record,
    summary_fields,
)
from sohoa.storage.objects import StoredObject
from sohoa.storage.outbox import note_document, set_dossier_status
from sohoa.storage.papers import index_papers
from sohoa.storage.records import (
    DocumentRecord,
    DossierRecord,
    DossierStatus,
    DossierSummary,
    PageRecord,
    RawScanRecord,
)
from sohoa.storage.retention import install_deletion_guard
from sohoa.storage.rows import add_dossier, dossier_row
from sohoa.storage.session import Database

# --- the service ----------------------------------------------------------------------------


class DocumentIndexer(Protocol):
    """Makes a recorded document's pages searchable, inside the transaction that records it
    (:func:`sohoa.search.index.index_document_pages`; the catalog does not know how)."""

    def __call__(self, session: Session, document: Document,
                 page_indexes: Sequence[int]) -> object: ...


class Catalog(Database):
    """What is stored for which dossier. Each method is one short transaction.

    With an ``indexer``, every document recorded is indexed for search in the same
    transaction; without one (tests of the catalog alone) nothing is indexed."""

    def __init__(self, engine: Engine, indexer: DocumentIndexer | None = None) -> None:
        super().__init__(engine)
        self.indexer = indexer
        install_deletion_guard(engine)  # retained documents' rows are never deleted

    @property
    def batches(self) -> BatchLedger:
        """Work state: batches of scans and their pages (:mod:`sohoa.storage.batches`)."""
        return BatchLedger(self)

    # --- dossiers ------------------------------------------------------------------------

    def new_dossier(self, procedure_code: str, agency_code: str, received_at: datetime) -> str:
        """Register a dossier received at ``received_at``; returns its newly allocated code."""
        with self.write_session() as session:
            return add_dossier(session, procedure_code, agency_code, received_at)

    def set_status(self, dossier_code: str, status: int, by: str = "") -> None:
        """Move a dossier to one of the national portal's status codes (1-10); the change
        is recorded for the portal in the same transaction (:mod:`.outbox`)."""
        with self.write_session() as session:
            set_dossier_status(session, dossier_row(session, dossier_code), status, by)

    def dossier(self, dossier_code: str) -> DossierRecord:
        """Everything recorded for one dossier: header, raw scans, documents, pages."""
        with self.read_session() as session:
            row = dossier_row(session, dossier_code)
            return DossierRecord(
                **summary_fields(row),
                raw_scans=tuple(raw_scan_record(r) for r in row.raw_scans),
                documents=tuple(document_record(d) for d in row.documents),
                pages=tuple(page_record(p) for p in row.pages),
                verdict=row.verdict,
                complete=row.complete,
                refusal_reason=row.refusal_reason,
                refused_at=row.refused_at,
                applicant=stored_applicant(row),
            )

    def dossier_status(self, dossier_code: str) -> DossierStatus:
        with self.read_session() as session:
            return DossierStatus(dossier_row(session, dossier_code).status)

    def dossier_agency(self, dossier_code: str) -> str:
        """The agency code of the counter that received the dossier."""
        with self.read_session() as session:
            return dossier_row(session, dossier_code).agency_code

    def has_dossier(self, dossier_code: str) -> bool:
        with self.read_session() as session:
            return session.scalar(select(Dossier.id).where(Dossier.code == dossier_code)) \
                is not None

    def set_verdict(self, dossier_code: str, verdict: dict, complete: bool) -> None:
        """Record the checklist verdict (JSON) and whether the dossier is complete."""
        with self.write_session() as session:
            row = dossier_row(session, dossier_code)
            row.verdict, row.complete = verdict, complete

    def list_dossiers(self, agency_code: str | None = None) -> list[DossierSummary]:
        """Dossier headers, oldest first (optionally of one agency)."""
        query = select(Dossier).order_by(Dossier.received_at, Dossier.id)
        if agency_code is not None:
            query = query.where(Dossier.agency_code == agency_code)
        with self.read_session() as session:
            return [DossierSummary(**summary_fields(r)) for r in session.scalars(query)]

    # --- contents ------------------------------------------------------------------------

    def add_raw_scan(
        self, dossier_code: str, stored: StoredObject, original_name: str, received_at: datetime
    ) -> RawScanRecord:
        """Record a stored raw scan; recording the same object again returns the first record."""
        with self.write_session() as session:
            dossier = dossier_row(session, dossier_code)
            row = session.scalar(select(RawScan).where(RawScan.object_key == stored.key))
            if row is None:
                row = RawScan(
                    dossier_id=dossier.id,
                    object_key=stored.key,
                    sha256=stored.sha256,
                    original_name=original_name,
                    size=stored.size,
                    received_at=received_at,
                )
                session.add(row)
            elif (row.dossier_id, row.sha256) != (dossier.id, stored.sha256):
                raise StorageError(f"Bản quét gốc {stored.key} đã được ghi với nội dung khác")
            return raw_scan_record(row)

    def add_document(
        self,
        dossier_code: str,
        ordinal: int,
        stored: StoredObject,
        *,
        title: str,
        page_count: int,
        doc_type: str = "khac",
        signed_at: datetime | None = None,
        signer: str | None = None,
        item_id: str | None = None,
        page_indexes: Sequence[int] = (),
        retain_until: datetime | None = None,
    ) -> DocumentRecord:
        """Record a signed document and attach the dossier pages it is made of.
        ``retain_until``: end of its retention (None: permanent)."""
        with self.write_session() as session:
            dossier = dossier_row(session, dossier_code)
            row = _find_document(session, dossier.id, ordinal)
            if row is None:
                row = Document(
                    dossier_id=dossier.id,
                    ordinal=ordinal,
                    doc_type=doc_type,
                    title=title,
                    object_key=stored.key,
                    sha256=stored.sha256,
                    version_id=stored.version_id,
                    page_count=page_count,
                    signed_at=signed_at,
                    signer=signer,
                    item_id=item_id,
                    retain_until=retain_until,
                )
                session.add(row)
                session.flush()
                note_document(session, dossier, row)
                index_papers(session, dossier)
            elif (row.object_key, row.sha256) != (stored.key, stored.sha256):
                raise StorageError(f"Tài liệu số {ordinal} của hồ sơ {dossier_code} đã được ghi")
            _attach_pages(session, dossier.id, row, page_indexes)
            if self.indexer is not None:  # searchable once recorded
                self.indexer(session, row, page_indexes)
            return document_record(row)

    def add_page(
        self,
        dossier_code: str,
        index: int,
        *,
        raw_scan_key: str,
        source_page_index: int,
        document_ordinal: int | None = None,
        rotation: int = 0,
        deskew_angle: float = 0.0,
        dpi: float | None = None,
        flags: Sequence[str] = (),
        ocr_confidence: float | None = None,
        text: str = "",
        doc_type: str | None = None,
        doc_confidence: float | None = None,
    ) -> PageRecord:
        """Record (or re-record, after reprocessing) page ``index`` of a dossier."""
        with self.write_session() as session:
            dossier = dossier_row(session, dossier_code)
            raw = session.scalar(
                select(RawScan).where(
                    RawScan.object_key == raw_scan_key, RawScan.dossier_id == dossier.id
                )
            )
            if raw is None:
                raise StorageError(f"Bản quét gốc {raw_scan_key} không thuộc hồ sơ {dossier_code}")
            row = session.scalar(
                select(Page).where(Page.dossier_id == dossier.id, Page.index_in_dossier == index)
            )
            if row is None:
                row = Page(dossier_id=dossier.id, index_in_dossier=index)
                session.add(row)
            row.raw_scan, row.source_page_index = raw, source_page_index
            row.document = _document_row(session, dossier.id, document_ordinal)
            row.rotation, row.deskew_angle, row.dpi = rotation, deskew_angle, dpi
            row.flags, row.ocr_confidence, row.text = list(flags), ocr_confidence, text
            row.doc_type, row.doc_confidence = doc_type, doc_confidence
            session.flush()
            return page_record(row)








def _find_document(session: Session, dossier_id: int, ordinal: int) -> Document | None:
    query = select(Document).where(Document.dossier_id == dossier_id, Document.ordinal == ordinal)
    return session.scalar(query)


def _document_row(session: Session, dossier_id: int, ordinal: int | None) -> Document | None:
    if ordinal is None:
        return None
    row = _find_document(session, dossier_id, ordinal)
    if row is None:
        raise StorageError(f"Hồ sơ chưa có tài liệu số {ordinal}")
    return row


def _attach_pages(
    session: Session, dossier_id: int, document: Document, page_indexes: Sequence[int]
) -> None:
    if not page_indexes:
        return
    pages = session.scalars(
        select(Page).where(Page.dossier_id == dossier_id, Page.index_in_dossier.in_(page_indexes))
    ).all()
    missing = set(page_indexes) - {p.index_in_dossier for p in pages}
    if missing:
        raise StorageError(f"Hồ sơ chưa ghi các trang {sorted(missing)}")
    for page in pages:
        page.document = document
