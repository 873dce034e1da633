"""The archival description of one dossier, as it goes into its package.

Field names follow the archives' own (Decree 30/2020/NĐ-CP Appendix VI; Circular
05/2025/TT-BNV "dữ liệu của hồ sơ / tài liệu lưu trữ"), so an archivist reading the EAD or
the hand-over list finds the names they know: FileCode, Title, Maintenance, Mode, Language,
StartDate, EndDate, Keyword, DocTotal, NumberOfPaper, PageTotal, ConfidenceLevel,
PaperFileCode, Description; per document DocOrdinal, TypeName, CodeNumber, CodeNotation,
IssuedDate, OrganName, Subject, PageAmount, SignerInfo. The service fills them from the
catalog; the writers in ``sohoa.pipeline.archive`` only lay them out.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True, extra="forbid")

SOFTWARE = "sohoa"


class PackageType(StrEnum):
    """csip:OAISPACKAGETYPE: SIP for a hand-over; AIP where the archive keeps it as is."""

    SIP = "SIP"
    AIP = "AIP"


class ArchivalDocument(BaseModel):
    """One signed document of the dossier (tài liệu), and the file that carries it."""

    model_config = _FROZEN

    ordinal: int = Field(ge=1)
    """DocOrdinal: position in the dossier."""
    doc_type: str
    """sohoa's stable document type code (DESIGN.md)."""
    type_name: str
    """TypeName: the kind of paper (Tờ khai đăng ký khai sinh...)."""
    subject: str
    """Subject (trích yếu nội dung)."""
    code_number: str = ""
    """CodeNumber (số): unknown for a citizen's paper read at the counter."""
    code_notation: str = ""
    """CodeNotation (ký hiệu)."""
    issued_date: date | None = None
    """IssuedDate (ngày ban hành) when known."""
    organ_name: str = ""
    """OrganName (cơ quan ban hành) when known."""
    page_count: int = Field(ge=0)
    """PageAmount."""
    signer: str
    """SignerInfo: who signed the digitized copy (the digitizer)."""
    signed_at: datetime
    item_id: str | None = None
    """The checklist item this document answers (None: an extra paper)."""
    item_name: str = ""
    reused: bool = False
    """Taken over from another dossier or a result (tái sử dụng) rather than scanned here."""
    reused_from: str = ""
    """For a reused paper: the dossier it was digitized in and its paper code
    (``{số định danh}.…``), so the archive can trace the original."""
    result_code: str | None = None
    """The dossier's result (kết quả giải quyết): its code from the catalog (``KQ.Gxx.nnnnnn``),
    or "" when the catalog lists none; None for every other document."""
    file_name: str
    """Name under ``representations/rep1/data/``."""
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class ArchivalFile(BaseModel):
    """The dossier as an archival file (hồ sơ lưu trữ)."""

    model_config = _FROZEN

    dossier_code: str
    file_code: str
    """FileCode: agency code + year + notation (here the dossier code)."""
    title: str
    retention_code: str
    retention_label: str
    mode_code: str
    mode_label: str
    language_code: str
    language_label: str
    start_date: date
    end_date: date
    keywords: tuple[str, ...]
    description: str
    sheet_total: int = Field(ge=0)
    """NumberOfPaper (số lượng tờ): one sheet per scanned image (counter scanners are run
    simplex; a duplex scan would make this an over-count)."""
    page_total: int = Field(ge=0)
    confidence_code: str
    confidence_label: str
    paper_file_code: str
    """The paper dossier's code (mã hồ sơ gốc giấy)."""
    procedure_code: str
    procedure_name: str
    agency_code: str
    """OrganId of the body that formed the file, and the fonds the package belongs to."""
    agency_name: str
    archive_name: str
    """Who receives the package."""
    documents: tuple[ArchivalDocument, ...]

    @property
    def doc_total(self) -> int:
        return len(self.documents)


class PackageEvent(BaseModel):
    """A PREMIS event: what happened to the documents, when, by whom, with what outcome."""

    model_config = _FROZEN

    event_type: str
    """PREMIS event type (LoC vocabulary): capture, creation, digital signature generation,
    validation, transfer."""
    at: datetime
    agent: str
    outcome: str
    """"success" or "failure"."""
    detail: str
    ordinals: tuple[int, ...] = ()
    """The documents it concerns (empty: the whole package)."""


class PackageHeader(BaseModel):
    """What changes from one export to the next: the id and the dates (and who exported)."""

    model_config = _FROZEN

    package_id: str
    """mets/@OBJID: ``urn:<agency code>:uuid:<uuid>``."""
    created_at: datetime
    package_type: PackageType = PackageType.SIP
    software_version: str
    exported_by: str


def package_id(agency_code: str, uuid: str) -> str:
    """``urn:<agency>:uuid:<uuid>``, as Circular 05/2025 implementations name a package."""
    return f"urn:{agency_code}:uuid:{uuid}"


def folder_name(package: str) -> str:
    """A package's folder (and zip) name: its id with ``:`` made ``_`` (safe on Windows)."""
    return package.replace(":", "_")
