"""Plain, frozen records the catalog hands out: no ORM object ever leaves a session.

They hold only JSON-friendly values (str, int, float, aware datetimes, tuples), so actors,
API routes and the CLI can pass them around or serialise them without importing SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from sohoa.domain.corrections import Corrections
from sohoa.domain.pages import StoredPage
from sohoa.domain.plan import BatchPlan


class DossierStatus(IntEnum):
    """Dossier status codes of the national public-service portal (docs/domain.md)."""

    MOI_DANG_KY = 1
    """mới đăng ký — registered, or scanned but incomplete: not received yet (docs/domain.md)"""
    DUOC_TIEP_NHAN = 2
    """được tiếp nhận — a complete dossier accepted at the counter; only now routed"""
    KHONG_DUOC_TIEP_NHAN = 3
    """không được tiếp nhận — refused by the clerk (or by the agency); never routed by the
    counter"""
    DANG_XU_LY = 4
    """đang xử lý"""
    YEU_CAU_BO_SUNG = 5
    """yêu cầu bổ sung"""
    YEU_CAU_NGHIA_VU_TAI_CHINH = 6
    """yêu cầu nghĩa vụ tài chính"""
    CONG_DAN_XIN_RUT = 7
    """công dân xin rút"""
    DUNG_XU_LY = 8
    """dừng xử lý"""
    DA_XU_LY_XONG = 9
    """đã xử lý xong"""
    DA_TRA_KET_QUA = 10
    """đã trả kết quả"""

    @property
    def label(self) -> str:
        """The Vietnamese name the national portal uses."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DossierStatus.MOI_DANG_KY: "mới đăng ký",
    DossierStatus.DUOC_TIEP_NHAN: "được tiếp nhận",
    DossierStatus.KHONG_DUOC_TIEP_NHAN: "không được tiếp nhận",
    DossierStatus.DANG_XU_LY: "đang xử lý",
    DossierStatus.YEU_CAU_BO_SUNG: "yêu cầu bổ sung",
    DossierStatus.YEU_CAU_NGHIA_VU_TAI_CHINH: "yêu cầu nghĩa vụ tài chính",
    DossierStatus.CONG_DAN_XIN_RUT: "công dân xin rút",
    DossierStatus.DUNG_XU_LY: "dừng xử lý",
    DossierStatus.DA_XU_LY_XONG: "đã xử lý xong",
    DossierStatus.DA_TRA_KET_QUA: "đã trả kết quả",
}


@dataclass(frozen=True)
class RawScanRecord:
    """A file exactly as it came from the scanner, stored before any processing."""

    key: str
    sha256: str
    original_name: str
    size: int
    received_at: datetime
    error: str | None = None
    """Why the file as a whole could not be read; None when its pages were processed."""


@dataclass(frozen=True)
class DocumentRecord:
    """One signed PDF/A document of a dossier (one checklist item, usually)."""

    ordinal: int
    doc_type: str
    title: str
    key: str
    sha256: str
    page_count: int
    signed_at: datetime | None
    signer: str | None
    item_id: str | None = None
    """Checklist item this document fills (None: extra, or not classified)."""
    version_id: str | None = None
    """The stored version to read (S3 versioned buckets); None: the current one."""


@dataclass(frozen=True)
class PageRecord:
    """One page of a dossier: where it came from, how it was straightened, what it says."""

    index: int
    """Position in the dossier, from 0, in scanning order."""
    raw_scan_key: str
    source_page_index: int
    """Page number inside the raw scan file, from 0."""
    document_ordinal: int | None
    rotation: int
    deskew_angle: float
    dpi: float | None
    flags: tuple[str, ...]
    ocr_confidence: float | None
    text: str
    doc_type: str | None = None
    doc_confidence: float | None = None
    state: str = "done"
    failure: str | None = None
    """Why the page could not be processed (state ``failed``)."""


class PageState(StrEnum):
    """Where one page is: recorded at intake, then processed by some worker."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class BatchState(StrEnum):
    """Where one batch of scans is; each step moves it forward exactly once."""

    RECEIVING = "receiving"
    """Recorded in the catalog, raw scans being uploaded; nothing enqueued yet."""
    PAGES = "pages"
    """Raw scans stored; pages being processed."""
    REVIEW = "review"
    """Analysed and held: the clerk checks and corrects the verdict, then accepts."""
    ANALYSED = "analysed"
    """Classified and cut into documents; documents being built and signed."""
    DONE = "done"


class Lane(StrEnum):
    """Which queue a batch's work travels in: a waiting citizen goes first."""

    COUNTER = "counter"
    BACKLOG = "backlog"


@dataclass(frozen=True)
class ReceivedFile:
    """One file of a batch as the intake saw it, before it is stored."""

    original_name: str
    sha256: str
    size: int
    page_count: int
    """Pages found by the probe (0 when the file cannot be read at all)."""
    error: str | None = None


@dataclass(frozen=True)
class BatchRecord:
    """A batch and how far it has come."""

    dossier_code: str
    number: int
    procedure_code: str
    lane: str
    state: str
    first_page: int
    page_count: int
    first_ordinal: int | None
    corrections: Corrections
    """What the clerk said of its pages (empty until they say something)."""
    plan: BatchPlan | None
    raw_keys: tuple[str, ...] = ()
    """Raw scans the batch brought in, in the order received (duplicates once)."""
    hold: bool = False


@dataclass(frozen=True)
class PageWork:
    """What a worker needs to process one page, and what became of it."""

    dossier_code: str
    index: int
    batch_number: int
    lane: str
    raw_scan_key: str
    raw_scan_sha256: str
    raw_scan_name: str
    source_page_index: int
    state: str
    result: dict | None = None
    """The page as it was read (:class:`StoredPage` as JSON); None until then."""
    text: str = ""
    failure: str | None = None

    @property
    def stored(self) -> StoredPage | None:
        """The recorded result, typed; None while the page is pending or if it failed."""
        return StoredPage.model_validate(self.result) if self.result else None


@dataclass(frozen=True)
class DossierApplicant:
    """Người nộp hồ sơ as kept with the dossier: typed by the clerk, else from the CCCD QR
    ("" where nothing is known)."""

    name: str = ""
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class DossierSummary:
    """A dossier's header, as listed."""

    code: str
    procedure_code: str
    agency_code: str
    status: int
    received_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class DossierRecord(DossierSummary):
    """A dossier with everything stored for it, in order."""

    raw_scans: tuple[RawScanRecord, ...]
    documents: tuple[DocumentRecord, ...]
    pages: tuple[PageRecord, ...]
    verdict: dict | None = None
    """The checklist verdict as JSON (sohoa.domain.verdict.Verdict), once classified."""
    complete: bool | None = None
    refusal_reason: str | None = None
    """Why the counter refused it (status 3); None before 0014 or when an agency did."""
    refused_at: datetime | None = None
    applicant: DossierApplicant = DossierApplicant()
    """Who handed it in, as stored (migration 0015; :mod:`sohoa.storage.applicants`)."""
