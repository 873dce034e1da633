"""The catalog: the source of truth for which dossiers, scans, documents and pages exist.

:class:`Catalog` is a service of short methods that each run in one transaction and return
plain records (:mod:`sohoa.storage.records`); the ORM models (:mod:`sohoa.storage.models`,
re-exported here) never leave a session. SQL stays portable (SQLite and PostgreSQL run the
same statements); the schema is created by the Alembic migrations in ``migrations/``.

Dossier numbers are handed out per (agency, Vietnam-local day) from ``dossier_sequences``
with ``UPDATE ... SET last_sequence = last_sequence + 1`` in the same transaction as the new
dossier row, so two counters (processes) never get the same number and a failed insert does
not burn one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from sohoa.clock import VIETNAM
from sohoa.domain.dossier_code import format_dossier_code
from sohoa.errors import DatabaseUnavailableError, DossierNotFoundError, StorageError
from sohoa.storage.models import (
    Base,
    Document,
    Dossier,
    DossierSequence,
    Page,
    RawScan,
    document_record,
    page_record,
    raw_scan_record,
    require_aware,
    summary_fields,
)
from sohoa.storage.objects import StoredObject
from sohoa.storage.records import (
    DocumentRecord,
    DossierRecord,
    DossierStatus,
    DossierSummary,
    PageRecord,
    RawScanRecord,
)
from sohoa.storage.retention import install_deletion_guard

if TYPE_CHECKING:
    from sohoa.storage.batches import BatchLedger

__all__ = ["Base", "Catalog", "Document", "Dossier", "DossierSequence", "Page", "RawScan"]


# --- the service ----------------------------------------------------------------------------


class DocumentIndexer(Protocol):
    """Makes a recorded document's pages searchable, inside the transaction that records it
    (:func:`sohoa.search.index.index_document_pages`; the catalog does not know how)."""

    def __call__(self, session: Session, document: Document,
                 page_indexes: Sequence[int]) -> object: ...


class Catalog:
    """What is stored for which dossier. Each method is one short transaction.

    With an ``indexer``, every document recorded is indexed for search in the same
    transaction; without one (tests of the catalog alone) nothing is indexed."""

    def __init__(self, engine: Engine, indexer: DocumentIndexer | None = None) -> None:
        self.engine = engine
        self.indexer = indexer
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        install_deletion_guard(engine)  # retained documents' rows are never deleted

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A write transaction; SQLite takes the write lock at BEGIN, so no upgrade deadlock.

        For this package's services only (the ORM never leaves :mod:`sohoa.storage`)."""
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
        except sa_exc.IntegrityError as exc:
            raise StorageError(f"The catalog refused the change: {exc.orig}.") from exc
        except _UNAVAILABLE as exc:
            raise _unavailable(exc) from exc

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read transaction (same caveat as :meth:`write_session`)."""
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except _UNAVAILABLE as exc:
            raise _unavailable(exc) from exc

    @property
    def batches(self) -> BatchLedger:
        """Work state: batches of scans and their pages (:mod:`sohoa.storage.batches`)."""
        from sohoa.storage.batches import BatchLedger

        return BatchLedger(self)

    # --- dossiers ------------------------------------------------------------------------

    def new_dossier(self, procedure_code: str, agency_code: str, received_at: datetime) -> str:
        """Register a dossier received at ``received_at``; returns its newly allocated code."""
        day = require_aware(received_at).astimezone(VIETNAM).date()
        format_dossier_code(agency_code, day, 1)  # refuse a bad agency before taking a number
        if not procedure_code:
            raise StorageError("A dossier needs the code of its procedure.")
        with self.write_session() as session:
            code = format_dossier_code(agency_code, day, _next_sequence(session, agency_code, day))
            session.add(
                Dossier(
                    code=code,
                    procedure_code=procedure_code,
                    agency_code=agency_code,
                    received_at=received_at,
                )
            )
        return code

    def set_status(self, dossier_code: str, status: int) -> None:
        """Move a dossier to one of the national portal's status codes (1-10)."""
        status = DossierStatus(status)
        with self.write_session() as session:
            _dossier_row(session, dossier_code).status = int(status)

    def dossier(self, dossier_code: str) -> DossierRecord:
        """Everything recorded for one dossier: header, raw scans, documents, pages."""
        with self.read_session() as session:
            row = _dossier_row(session, dossier_code)
            return DossierRecord(
                **summary_fields(row),
                raw_scans=tuple(raw_scan_record(r) for r in row.raw_scans),
                documents=tuple(document_record(d) for d in row.documents),
                pages=tuple(page_record(p) for p in row.pages),
                verdict=row.verdict,
                complete=row.complete,
            )

    def dossier_agency(self, dossier_code: str) -> str:
        """The agency code of the counter that received the dossier."""
        with self.read_session() as session:
            return _dossier_row(session, dossier_code).agency_code

    def has_dossier(self, dossier_code: str) -> bool:
        with self.read_session() as session:
            return session.scalar(select(Dossier.id).where(Dossier.code == dossier_code)) \
                is not None

    def set_verdict(self, dossier_code: str, verdict: dict, complete: bool) -> None:
        """Record the checklist verdict (JSON) and whether the dossier is complete."""
        with self.write_session() as session:
            row = _dossier_row(session, dossier_code)
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
            dossier = _dossier_row(session, dossier_code)
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
                raise StorageError(f"Raw scan {stored.key!r} is already recorded differently.")
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
            dossier = _dossier_row(session, dossier_code)
            row = _find_document(session, dossier.id, ordinal)
            if row is None:
                row = Document(
                    dossier_id=dossier.id,
                    ordinal=ordinal,
                    doc_type=doc_type,
                    title=title,
                    object_key=stored.key,
                    sha256=stored.sha256,
                    page_count=page_count,
                    signed_at=signed_at,
                    signer=signer,
                    item_id=item_id,
                    retain_until=retain_until,
                )
                session.add(row)
                session.flush()
            elif (row.object_key, row.sha256) != (stored.key, stored.sha256):
                raise StorageError(f"Document {ordinal} of {dossier_code} is already recorded.")
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
            dossier = _dossier_row(session, dossier_code)
            raw = session.scalar(
                select(RawScan).where(
                    RawScan.object_key == raw_scan_key, RawScan.dossier_id == dossier.id
                )
            )
            if raw is None:
                raise StorageError(f"Raw scan {raw_scan_key!r} is not part of {dossier_code}.")
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


_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError)


def _unavailable(exc: sa_exc.DBAPIError) -> DatabaseUnavailableError:
    """A database that does not answer (server down, disk gone): nothing was committed."""
    return DatabaseUnavailableError(
        f"Không kết nối được cơ sở dữ liệu danh mục (catalog database unavailable): "
        f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}")


def _next_sequence(session: Session, agency_code: str, day: date) -> int:
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


def _dossier_row(session: Session, dossier_code: str) -> Dossier:
    row = session.scalar(select(Dossier).where(Dossier.code == dossier_code))
    if row is None:
        raise DossierNotFoundError(f"No dossier {dossier_code!r} in the catalog.")
    return row


def _find_document(session: Session, dossier_id: int, ordinal: int) -> Document | None:
    query = select(Document).where(Document.dossier_id == dossier_id, Document.ordinal == ordinal)
    return session.scalar(query)


def _document_row(session: Session, dossier_id: int, ordinal: int | None) -> Document | None:
    if ordinal is None:
        return None
    row = _find_document(session, dossier_id, ordinal)
    if row is None:
        raise StorageError(f"No document {ordinal} in this dossier yet.")
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
        raise StorageError(f"Pages {sorted(missing)} are not recorded in this dossier.")
    for page in pages:
        page.document = document
