"""Hand closed dossiers over to the archive (nộp lưu) as E-ARK CSIP packages, and check them.

For each dossier: its signed documents are read as the agency API reads them (the recorded
version, checked against the catalog's SHA-256, each read audited), their signatures
checked, the archival description gathered from the catalog, the procedure and
``retention.yaml``, and one package written as a folder and a zip
(``sohoa.pipeline.archive.package``). The export is recorded in the audit log and on the
dossier ("đã nộp lưu", ``storage/transfers.py``); nothing is removed from the store. One
hand-over list (mục lục hồ sơ nộp lưu) covers the whole export.

Exporting the same dossier twice gives the same files apart from the package id and the
dates (the package's creation, the validation and transfer events), which are recorded.
"""

from __future__ import annotations

import io
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sohoa import __version__
from sohoa.clock import VIETNAM
from sohoa.domain.access import Principal
from sohoa.domain.archive.codes import (
    DIGITIZED,
    RESTRICTED,
    VIETNAMESE,
    retention_code,
)
from sohoa.domain.archive.models import (
    SOFTWARE,
    ArchivalDocument,
    ArchivalFile,
    PackageEvent,
    PackageHeader,
    PackageType,
    package_id,
)
from sohoa.domain.doctypes import type_name
from sohoa.domain.papers import CitizenPaper
from sohoa.domain.results import ResultMetadata
from sohoa.domain.retention import Retention, load_retention
from sohoa.errors import SohoaError, StorageError, UsageError
from sohoa.pipeline.archive.check import PackageCheck, check_package
from sohoa.pipeline.archive.handover import FILE_NAME, HandedOver, handover_pdf
from sohoa.pipeline.archive.layout import sha256_of
from sohoa.pipeline.archive.package import write_package
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext
from sohoa.services.agency import read_document
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog
from sohoa.storage.papers import accepted_reuses
from sohoa.storage.records import DocumentRecord, DossierRecord, DossierStatus
from sohoa.storage.results import results
from sohoa.storage.transfers import ArchiveTransfers, TransferRecord

DEFAULT_ARCHIVE = "Lưu trữ lịch sử tỉnh"
CLOSED = (DossierStatus.DA_XU_LY_XONG, DossierStatus.DA_TRA_KET_QUA)
"""Dossiers whose work is over: the ones a selection hands over."""


@dataclass(frozen=True)
class Selection:
    """Which closed dossiers to hand over, when no codes are named; None means any."""

    procedure_code: str | None = None
    agency_code: str | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    """Closing date (EndDate: the day the last document was signed), Vietnam time."""


@dataclass(frozen=True)
class ExportedPackage:
    dossier_code: str
    package_id: str
    folder: Path
    zip_path: Path
    documents: int
    pages: int
    signatures_valid: int


@dataclass(frozen=True)
class ExportReport:
    packages: tuple[ExportedPackage, ...]
    handover_list: Path


@dataclass(frozen=True)
class ClosedDossier:
    """A closed dossier as the archivist's list shows it."""

    code: str
    procedure_code: str
    status: int
    received_at: datetime
    closed_on: date
    documents: int
    package_id: str | None
    """The latest package it was handed over in (đã nộp lưu); None: not yet."""


def closed_dossiers(ctx: WorkContext, selection: Selection) -> list[ClosedDossier]:
    """The closed dossiers with signed documents the selection names, oldest first."""
    ledger = ArchiveTransfers(ctx.catalog)
    handed = ledger.handed_over()
    found = []
    for row in ledger.dossiers_with_documents([int(s) for s in CLOSED],
                                              selection.procedure_code,
                                              selection.agency_code):
        summary = row.summary
        closed = (row.last_signed_at or summary.received_at).astimezone(VIETNAM).date()
        if selection.closed_from and closed < selection.closed_from:
            continue
        if selection.closed_to and closed > selection.closed_to:
            continue
        transfer = handed.get(summary.code)
        found.append(ClosedDossier(summary.code, summary.procedure_code, summary.status,
                                   summary.received_at, closed, row.documents,
                                   transfer.package_id if transfer else None))
    return found


def select_dossiers(ctx: WorkContext, selection: Selection) -> list[str]:
    """Codes of the closed dossiers the selection names, oldest first."""
    return [d.code for d in closed_dossiers(ctx, selection)]


def export_packages(ctx: WorkContext, who: Principal, codes: Sequence[str], out_dir: Path,
                    package_type: PackageType = PackageType.SIP,
                    archive_name: str = DEFAULT_ARCHIVE, remote: str | None = None,
                    now: datetime | None = None) -> ExportReport:
    """One package per dossier in ``out_dir``, plus the hand-over list."""
    if not codes:
        raise UsageError("Không có hồ sơ nào để nộp lưu (nêu mã hồ sơ hoặc điều kiện chọn)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Không tạo được thư mục {out_dir}: {exc.strerror}") from exc
    now = now or datetime.now(UTC)
    exported, handed = [], []
    for code in codes:
        package, record = _export_one(ctx, who, code, out_dir, package_type, archive_name,
                                      remote, now)
        exported.append(package)
        handed.append(HandedOver(record, package.package_id))
    listing = out_dir / FILE_NAME
    listing.write_bytes(handover_pdf(ctx.settings.agency_name, archive_name, handed, now))
    return ExportReport(tuple(exported), listing)


def export_bundle(ctx: WorkContext, who: Principal, codes: Sequence[str],
                  remote: str | None = None) -> tuple[str, bytes]:
    """For a download: the packages' zips and the hand-over list in one zip, and its name."""
    now = datetime.now(UTC)
    name = f"nop-luu-{now.astimezone(VIETNAM):%Y%m%d-%H%M%S}.zip"
    with tempfile.TemporaryDirectory(prefix="sohoa-nop-luu-") as tmp:
        report = export_packages(ctx, who, codes, Path(tmp), remote=remote, now=now)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as bundle:
            for package in report.packages:
                bundle.write(package.zip_path, package.zip_path.name,
                             compress_type=zipfile.ZIP_STORED)
            bundle.write(report.handover_list, report.handover_list.name)
    return name, buffer.getvalue()


def verify_package(settings: Settings, path: Path) -> PackageCheck:
    """``sohoa archive verify``: every checksum, schema, field and signature of a package,
    signatures against the configured trust roots. Needs no database and no store."""
    return check_package(path, trust_roots_for(settings.signing))


def transfers(ctx: WorkContext, code: str) -> list[TransferRecord]:
    return ArchiveTransfers(ctx.catalog).of_dossier(code)


def _export_one(ctx: WorkContext, who: Principal, code: str, out_dir: Path,
                package_type: PackageType, archive_name: str, remote: str | None,
                now: datetime) -> tuple[ExportedPackage, ArchivalFile]:
    dossier = ctx.catalog.dossier(code)
    if not dossier.documents:
        raise UsageError(f"Hồ sơ {code} chưa có tài liệu đã ký nào để nộp lưu")
    pdfs = {doc.ordinal: read_document(ctx, who, code, doc.ordinal, remote)[1]
            for doc in dossier.documents}
    reused = _reused_papers(ctx, who, code, remote, first=len(pdfs) + 1)
    pdfs.update({ordinal: data for ordinal, (*_, data) in reused.items()})
    roots = trust_roots_for(ctx.settings.signing)
    valid = [n for n, data in pdfs.items() if _signed_validly(data, roots)]
    record = describe(ctx, dossier, pdfs, archive_name, reused)
    header = PackageHeader(package_id=package_id(dossier.agency_code, str(uuid.uuid4())),
                           created_at=now, package_type=package_type,
                           software_version=__version__, exported_by=who.actor)
    events = _events(dossier, record, header, valid)
    agents = _agents(record, header)
    folder, zipped = write_package(out_dir, record, header, events, agents, pdfs)
    zip_sha256 = sha256_of(zipped)
    ArchiveTransfers(ctx.catalog).record(TransferRecord(
        code, header.package_id, package_type.value, now, who.actor, zip_sha256))
    AuditLog(ctx.catalog).record(who, "archive.export", dossier_code=code,
                                 target=header.package_id, remote_addr=remote,
                                 detail={"package_type": package_type.value,
                                         "documents": record.doc_total,
                                         "zip_sha256": zip_sha256})
    return ExportedPackage(code, header.package_id, folder, zipped, record.doc_total,
                           record.page_total, len(valid)), record


ReusedPapers = dict[int, tuple[str, CitizenPaper, DocumentRecord, bytes]]
"""Papers reused from earlier dossiers (the checklist item each fills, the paper, its
document, its bytes), by the ordinal they take in the package."""


def _reused_papers(ctx: WorkContext, who: Principal, code: str, remote: str | None,
                   first: int) -> ReusedPapers:
    """The papers the clerk chose to reuse for ``code``: linked in the catalog, never
    copied, but a package handed to the archive must stand alone, so each is read (checked
    and audited as any read) from the dossier it was digitized in and carried along."""
    chosen = sorted(accepted_reuses(ctx.catalog, code).items())
    return {first + n: (item_id, paper, *read_document(ctx, who, paper.dossier_code,
                                                       paper.ordinal, remote))
            for n, (item_id, paper) in enumerate(chosen)}


def describe(ctx: WorkContext, dossier: DossierRecord, pdfs: dict[int, bytes],
             archive_name: str, reused: ReusedPapers | None = None) -> ArchivalFile:
    """The dossier's archival description, from what the catalog recorded: its own
    documents (the result, if any, described by its số/ký hiệu, date and issuing agency),
    then the papers reused from earlier dossiers."""
    procedure = ctx.procedures().get(dossier.procedure_code)
    rules = load_retention(ctx.settings.retention_path)
    retention = _longest(rules.retention_for(dossier.procedure_code, d.doc_type)
                         for d in dossier.documents)
    code = retention_code(retention)
    received = dossier.received_at.astimezone(VIETNAM)
    issued = {r.ordinal: r.metadata for r in results(ctx.catalog, dossier.code)}
    documents = []
    for doc in dossier.documents:
        item = procedure.item(doc.item_id) if doc.item_id else None
        fields: dict[str, object] = dict(
            ordinal=doc.ordinal, doc_type=doc.doc_type, type_name=type_name(doc.doc_type),
            subject=doc.title or type_name(doc.doc_type), page_count=doc.page_count,
            signer=doc.signer or ctx.settings.digitizer,
            signed_at=doc.signed_at or dossier.received_at,
            item_id=doc.item_id, item_name=item.name if item else "",
            file_name=doc.key.rsplit("/", 1)[-1], sha256=doc.sha256,
            size=len(pdfs[doc.ordinal]))
        documents.append(ArchivalDocument(**(fields | _as_result(issued.get(doc.ordinal)))))
    for ordinal, (item_id, paper, doc, data) in sorted((reused or {}).items()):
        item = procedure.item(item_id)
        documents.append(ArchivalDocument(
            ordinal=ordinal, doc_type=doc.doc_type, type_name=type_name(doc.doc_type),
            subject=paper.title or type_name(doc.doc_type), page_count=doc.page_count,
            signer=doc.signer or ctx.settings.digitizer,
            signed_at=doc.signed_at or dossier.received_at,
            item_id=item_id, item_name=item.name if item else "",
            file_name=f"{ordinal:02d}-tai_su_dung-{doc.key.rsplit('/', 1)[-1]}",
            sha256=doc.sha256, size=len(data), reused=True,
            reused_from=f"{paper.code} (hồ sơ {paper.dossier_code})",
            organ_name=paper.issuing_agency, issued_date=paper.issued_on,
            **_split_number(paper.number)))
    pages = sum(d.page_count for d in documents)
    types = dict.fromkeys(d.type_name for d in documents)
    return ArchivalFile(
        dossier_code=dossier.code,
        file_code=file_code(dossier.agency_code, received.year, dossier.code),
        title=f"Hồ sơ {procedure.name} — {dossier.code}",
        retention_code=code.code, retention_label=code.label,
        mode_code=RESTRICTED.code, mode_label=RESTRICTED.label,
        language_code=VIETNAMESE.code, language_label=VIETNAMESE.label,
        start_date=received.date(), end_date=_end_date(dossier),
        keywords=(procedure.name, *types),
        description=(f"Hồ sơ thủ tục {procedure.code} {procedure.name}, tiếp nhận lúc "
                     f"{received:%H:%M ngày %d/%m/%Y}, gồm {len(documents)} tài liệu số hóa "
                     f"có chữ ký số ({pages} trang)."),
        sheet_total=pages, page_total=pages,
        confidence_code=DIGITIZED.code, confidence_label=DIGITIZED.label,
        paper_file_code=dossier.code, procedure_code=procedure.code,
        procedure_name=procedure.name, agency_code=dossier.agency_code,
        agency_name=ctx.settings.agency_name, archive_name=archive_name,
        documents=tuple(documents))


def _as_result(metadata: ResultMetadata | None) -> dict[str, object]:
    """The archival fields of a result (kết quả giải quyết); none for other documents."""
    if metadata is None:
        return {}
    return {"type_name": metadata.name, "subject": f"{metadata.name} số {metadata.number}",
            "issued_date": metadata.issued_on, "organ_name": metadata.issuing_agency,
            "result_code": metadata.code or "", **_split_number(metadata.number)}


def _split_number(number: str) -> dict[str, str]:
    """Số and ký hiệu of "123/2026/GKS" (Decree 30/2020: the number, then the notation
    after the first slash); a number without a slash is all số."""
    head, _, tail = number.strip().partition("/")
    return {"code_number": head.strip(), "code_notation": tail.strip()}


def file_code(agency_code: str, year: int, dossier_code: str) -> str:
    """FileCode (Decree 30/2020 Appendix VI): agency identifier . year . the file's notation
    — here the dossier code without the agency prefix it already starts with."""
    notation = dossier_code.removeprefix(f"{agency_code}-")
    return f"{agency_code}.{year}.{notation}"


def _signed_validly(data: bytes, roots: list[Path]) -> bool:
    try:
        return verify_pdf(data, roots).valid
    except SohoaError:  # no signature at all, or one that cannot be read
        return False


def _longest(retentions) -> Retention:  # noqa: ANN001 - any iterable of Retention
    found = None
    for retention in retentions:
        if found is None or retention.outlasts(found):
            found = retention
    if found is None:
        raise UsageError("Hồ sơ không có tài liệu nào")
    return found


def _end_date(dossier: DossierRecord) -> date:
    moments = [d.signed_at for d in dossier.documents if d.signed_at] or [dossier.received_at]
    return max(moments).astimezone(VIETNAM).date()


def _events(dossier: DossierRecord, record: ArchivalFile, header: PackageHeader,
            valid: list[int]) -> list[PackageEvent]:
    """Scanned, digitized, signed (per document, from the catalog), then validated and
    exported (now). Event types from the Library of Congress PREMIS eventType vocabulary:
    capture, creation, digital signature generation, validation, transfer."""
    every = tuple(d.ordinal for d in record.documents)
    events = [PackageEvent(event_type="capture", at=dossier.received_at, agent=SOFTWARE,
                           outcome="success", ordinals=every,
                           detail=f"Quét hồ sơ giấy {dossier.code} tại bộ phận một cửa "
                                  f"({len(dossier.raw_scans)} tệp quét)")]
    for doc in record.documents:
        events.append(PackageEvent(
            event_type="creation", at=doc.signed_at, agent=SOFTWARE, outcome="success",
            ordinals=(doc.ordinal,),
            detail=f"Số hóa: nhận dạng ký tự, tạo PDF/A-2b ({doc.page_count} trang)"))
        events.append(PackageEvent(
            event_type="digital signature generation", at=doc.signed_at, agent=doc.signer,
            outcome="success", ordinals=(doc.ordinal,),
            detail="Ký số PAdES bởi người số hóa"))
    bad = [n for n in every if n not in valid]
    events.append(PackageEvent(
        event_type="validation", at=header.created_at, agent=SOFTWARE,
        outcome="failure" if bad else "success", ordinals=every,
        detail="Kiểm tra mã băm SHA-256 với danh mục và chữ ký số" +
               (f"; chữ ký không hợp lệ: tài liệu {bad}" if bad else "")))
    events.append(PackageEvent(
        event_type="transfer", at=header.created_at, agent=header.exported_by,
        outcome="success", ordinals=every,
        detail=f"Xuất gói nộp lưu {header.package_id} cho {record.archive_name}"))
    return events


def _agents(record: ArchivalFile, header: PackageHeader) -> list[tuple[str, str]]:
    """Everyone the events name, once each: the software, the signers, who exported."""
    people = [d.signer for d in record.documents] + [header.exported_by]
    return [(SOFTWARE, "software"),
            *((name, "person") for name in dict.fromkeys(people) if name != SOFTWARE)]
