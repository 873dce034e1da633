"""ORM models of the catalog, and their conversion to plain records.

Only :mod:`sohoa.storage.catalog` (the service) and the Alembic migrations use these classes;
everything else gets :mod:`sohoa.storage.records`. Constraint names follow one naming
convention so migrations can refer to them on every backend.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sohoa.errors import StorageError
from sohoa.storage.records import (
    DocumentRecord,
    DossierStatus,
    PageRecord,
    RawScanRecord,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in, UTC-aware datetimes out, on every backend.

    SQLite has no time zones, so values are stored as naive UTC there; PostgreSQL keeps
    ``timestamptz``. Naive input is refused: a dossier's receipt time must be unambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = require_aware(value).astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def require_aware(value: datetime) -> datetime:
    """Refuse naive datetimes: 09:00 at a counter in Hà Nội is not 09:00 UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise StorageError("Thời điểm ghi vào danh mục phải có múi giờ")
    return value


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base; its metadata carries the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Dossier(Base):
    """One citizen's paper dossier for one procedure, identified by its dossier code."""

    __tablename__ = "dossiers"
    __table_args__ = (CheckConstraint("status BETWEEN 1 AND 10", name="status_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(32))
    agency_code: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[int] = mapped_column(
        SmallInteger, default=int(DossierStatus.DUOC_TIEP_NHAN), server_default="2"
    )
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    verdict: Mapped[dict | None] = mapped_column(JSON)
    """The checklist verdict (sohoa.domain.verdict.Verdict as JSON), once classified."""
    complete: Mapped[bool | None] = mapped_column(Boolean)
    owner_id: Mapped[str | None] = mapped_column(String(12), index=True)
    """Số định danh cá nhân of the citizen the dossier is for (CCCD QR, or the clerk)."""
    portal_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Last sequence number given to one of the dossier's portal outbox records."""
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    """Why the counter refused the dossier (status 3): printed on the Phiếu từ chối tiếp
    nhận, giải quyết hồ sơ, so it lives with the dossier, written with the status change."""
    refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the counter refused it: the date of the slip, however often it is reprinted."""
    applicant_name: Mapped[str | None] = mapped_column(Text)
    """Người nộp hồ sơ as the clerk typed it on a paper, else as the CCCD QR said (migration
    0015; :mod:`sohoa.storage.applicants` writes these four columns, and nothing else)."""
    applicant_address: Mapped[str | None] = mapped_column(Text)
    applicant_contact: Mapped[str | None] = mapped_column(Text)
    """Phone or e-mail: only ever typed (a card has none)."""
    applicant_folded: Mapped[str | None] = mapped_column(Text)
    """The name folded (no diacritics, đ → d, lower case): what the work list searches."""

    raw_scans: Mapped[list[RawScan]] = relationship(order_by="RawScan.id")
    batches: Mapped[list[Batch]] = relationship(order_by="Batch.number")
    documents: Mapped[list[Document]] = relationship(order_by="Document.ordinal")
    pages: Mapped[list[Page]] = relationship(order_by="Page.index_in_dossier")


class RawScan(Base):
    """A scanner file as received, stored before any processing."""

    __tablename__ = "raw_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    object_key: Mapped[str] = mapped_column(String(1024), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(512))
    size: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    """Why the file as a whole could not be read (encrypted, corrupt...); its bytes are kept."""
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"), index=True
    )
    """The batch that brought the file in (None: recorded before batches existed)."""


class Document(Base):
    """A signed PDF/A made of some of the dossier's pages, numbered from 1."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("dossier_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(64), default="khac", server_default="khac")
    title: Mapped[str] = mapped_column(String(512))
    object_key: Mapped[str] = mapped_column(String(1024), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signer: Mapped[str | None] = mapped_column(String(256))
    item_id: Mapped[str | None] = mapped_column(String(64))
    """Checklist item of the procedure this document fills (None: extra document)."""
    version_id: Mapped[str | None] = mapped_column(String(200))
    """The S3 version stored and signed (versioned buckets): documents are read by it, so a
    later PUT over the key is never served; None for stores without versions."""
    retain_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """End of the retention period; None: kept permanently (land, civil registry)."""


class Page(Base):
    """One page of the dossier, linked to its raw scan and, once assembled, its document."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("dossier_id", "index_in_dossier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    raw_scan_id: Mapped[int] = mapped_column(ForeignKey("raw_scans.id"), index=True)
    index_in_dossier: Mapped[int] = mapped_column(Integer)
    source_page_index: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(SmallInteger, default=0)
    deskew_angle: Mapped[float] = mapped_column(Float, default=0.0)
    dpi: Mapped[float | None] = mapped_column(Float)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    doc_type: Mapped[str | None] = mapped_column(String(64))
    doc_confidence: Mapped[float | None] = mapped_column(Float)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), default="done", server_default="done")
    """pending → done | failed (see :class:`sohoa.storage.records.PageState`)."""
    failure: Mapped[str | None] = mapped_column(Text)
    """Why the page could not be processed, for the clerk."""
    result: Mapped[dict | None] = mapped_column(JSON)
    """The page job's result (report, QR payloads, keys of the stored page artefacts)."""

    raw_scan: Mapped[RawScan] = relationship()
    document: Mapped[Document | None] = relationship()


class Batch(Base):
    """One stack of scans handed in for a dossier, and how far its processing has come.

    A dossier usually has one batch; a cover sheet scanned later adds another. The batch is
    the unit the workers finish: its pages are processed one by one (in any order, on any
    worker), then the batch is analysed (classified, cut into documents, judged against the
    checklist) and its documents built and signed.
    """

    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("dossier_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    lane: Mapped[str] = mapped_column(String(16), default="counter")
    """``counter`` (a citizen is waiting) or ``backlog`` (archive digitization)."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    """receiving → pages → analysed → done (see :class:`sohoa.storage.records.BatchState`)."""
    first_page: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    first_ordinal: Mapped[int | None] = mapped_column(Integer)
    """Ordinal of the batch's first document, allocated when the batch is analysed."""
    overrides: Mapped[dict | None] = mapped_column(JSON)
    """The clerk's corrections (page types, splits, joins, removed pages, order), by the
    page's position in the batch as scanned; applied when analysing."""
    hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Stop after the analysis for the clerk's review (the counter screen); documents are
    built when the clerk accepts."""
    plan: Mapped[dict | None] = mapped_column(JSON)
    """The analysis: documents to build (ordinal, type, item, pages) and the verdict."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    touched_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    """Last time work on the batch was enqueued or progressed (recovery looks at it)."""
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DossierSequence(Base):
    """Last dossier number handed out for one agency on one Vietnam-local day."""

    __tablename__ = "dossier_sequences"
    __table_args__ = (UniqueConstraint("agency_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    last_sequence: Mapped[int] = mapped_column(Integer)


class DossierRoute(Base):
    """A dossier routed to an agency that decides on it: that agency may read it."""

    __tablename__ = "dossier_routes"
    __table_args__ = (UniqueConstraint("dossier_id", "agency_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    agency_code: Mapped[str] = mapped_column(String(64), index=True)
    routed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ArchiveTransfer(Base):
    """A dossier handed over to the archive (đã nộp lưu): which package, when, by whom.

    Append-only: exporting again adds a row with the new package id; the dossier and its
    documents stay in the store (a document under retention is never removed by an export)."""

    __tablename__ = "archive_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    package_id: Mapped[str] = mapped_column(String(256), unique=True)
    package_type: Mapped[str] = mapped_column(String(8))
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(128))
    zip_sha256: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A person who signs in (clerk, agency officer, archivist, admin)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[str] = mapped_column(String(16))
    agency_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Agencies an agency account acts for (empty for other roles)."""
    password_hash: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Bumped on password change / sign-out everywhere: older session cookies stop working."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ApiToken(Base):
    """A bearer token for an agency's system; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """First characters of the token, to recognise it in lists (never enough to use it)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """One line of the append-only audit log (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(128), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    """ok, denied or failed."""
    dossier_code: Mapped[str | None] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(1024))
    """What was touched: an object key, a document ordinal, a user name."""
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)


class ProcedureImport(Base):
    """One import of the national procedure catalog (``sohoa catalog import``)."""

    __tablename__ = "procedure_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    author: Mapped[str] = mapped_column(String(128), default="")
    procedures: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict] = mapped_column(JSON)
    """The parse report (sohoa.domain.catalog.report.ParseReport as JSON)."""


class NationalProcedure(Base):
    """A procedure of the latest import, as read (corrections are kept apart)."""

    __tablename__ = "national_procedures"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(256), default="")
    import_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_imports.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    """sohoa.domain.procedures.Procedure as JSON."""


class ProcedureCorrectionRow(Base):
    """An administrator's correction of one field of a procedure or of one of its items,
    keyed by procedure code and item id so a re-import leaves it in place."""

    __tablename__ = "procedure_corrections"
    __table_args__ = (UniqueConstraint("procedure_code", "item_id", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(16), index=True)
    item_id: Mapped[str] = mapped_column(String(128), default="")
    """"" for the procedure itself."""
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(128), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)


class PortalOutboxRow(Base):
    """One change of a dossier waiting to be (or already) delivered to the national portal,
    written in the transaction that made the change (a transactional outbox)."""

    __tablename__ = "portal_outbox"
    __table_args__ = (UniqueConstraint("dossier_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    event: Mapped[dict] = mapped_column(JSON)
    """sohoa.domain.portal.PortalEvent as JSON."""
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    """pending → delivered, or dead (see sohoa.domain.portal.OutboxState)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """A sender is posting the record until then; after it (a killed sender), anyone may."""
    claim: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DossierResult(Base):
    """A result (kết quả giải quyết) of a dossier: its document plus what the agency said."""

    __tablename__ = "dossier_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    metadata_: Mapped[dict] = mapped_column("metadata", JSON)
    """sohoa.domain.results.ResultMetadata as JSON."""
    kept_as_received: Mapped[bool] = mapped_column(Boolean)
    added_by: Mapped[str] = mapped_column(String(128))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)

    document: Mapped[Document] = relationship()


class DossierHandover(Base):
    """The result handed over to the citizen: who received it, from whom, when."""

    __tablename__ = "dossier_handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            unique=True)
    recipient: Mapped[str] = mapped_column(String(256))
    recipient_id: Mapped[str] = mapped_column(String(32), default="")
    handed_by: Mapped[str] = mapped_column(String(128))
    handed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    receipt_number: Mapped[str] = mapped_column(String(96), unique=True)


class CitizenPaperRow(Base):
    """A digitized document indexed by its owner's personal identification number."""

    __tablename__ = "citizen_papers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    """The stable code (sohoa.domain.papers)."""
    owner_id: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[int] = mapped_column(SmallInteger)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(32))
    issuing_agency: Mapped[str] = mapped_column(String(256), default="")
    number: Mapped[str] = mapped_column(String(128), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)

    document: Mapped[Document] = relationship()
    dossier: Mapped[Dossier] = relationship()


class PaperReuse(Base):
    """The clerk's decision to reuse (or not) an earlier paper for a checklist item."""

    __tablename__ = "paper_reuses"
    __table_args__ = (UniqueConstraint("dossier_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(128))
    paper_id: Mapped[int] = mapped_column(ForeignKey("citizen_papers.id"))
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(128))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=_utcnow)

    paper: Mapped[CitizenPaperRow] = relationship()


# --- ORM rows -> plain records ------------------------------------------------------------


def raw_scan_record(row: RawScan) -> RawScanRecord:
    return RawScanRecord(row.object_key, row.sha256, row.original_name, row.size, row.received_at,
                         row.error)


def document_record(row: Document) -> DocumentRecord:
    return DocumentRecord(
        row.ordinal,
        row.doc_type,
        row.title,
        row.object_key,
        row.sha256,
        row.page_count,
        row.signed_at,
        row.signer,
        row.item_id,
        row.version_id,
    )


def page_record(row: Page) -> PageRecord:
    return PageRecord(
        row.index_in_dossier,
        row.raw_scan.object_key,
        row.source_page_index,
        row.document.ordinal if row.document else None,
        row.rotation,
        row.deskew_angle,
        row.dpi,
        tuple(row.flags or ()),
        row.ocr_confidence,
        row.text,
        row.doc_type,
        row.doc_confidence,
        row.state,
        row.failure,
    )


def summary_fields(row: Dossier) -> dict[str, Any]:
    return {
        "code": row.code,
        "procedure_code": row.procedure_code,
        "agency_code": row.agency_code,
        "status": row.status,
        "received_at": row.received_at,
        "created_at": row.created_at,
    }
