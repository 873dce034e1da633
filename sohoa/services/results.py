"""Adding a result (kết quả giải quyết) to a dossier, and handing it over to the citizen.

The officer of an agency the dossier is routed to uploads the result (agency API, or the
CLI for the clerk at the return counter). A PDF that already carries a signature is stored
byte for byte: nothing is appended to it, so the agency's signature stays valid (a
signature whose bytes were changed after signing is refused — the file is not the one the
agency signed). A paper result scanned at the counter (an image, or a PDF without a
signature) is digitized like an intake document: deskewed, OCRed, a PDF/A with a text layer,
signed PAdES by the digitizer. Every addition and hand-over is audited.
"""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from pydantic import ValidationError

from sohoa.domain.access import Principal, Role
from sohoa.domain.results import RESULT_DOC_TYPE, Handover, ResultMetadata, ResultRecord
from sohoa.errors import PermissionDeniedError, SohoaError, UsageError
from sohoa.pipeline.receipt import HandoverSlip, ResultLine, handover_pdf
from sohoa.pipeline.verify import VerificationReport, is_signed, trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext
from sohoa.processing.documents import put_once
from sohoa.services.agency import readable
from sohoa.services.digitize import document_metadata, finish_file, plan_files, process_files
from sohoa.storage import results as store
from sohoa.storage.audit import AuditLog
from sohoa.storage.objects import document_key
from sohoa.storage.retention import document_lock

FIELD_NAMES = {"code": "mã kết quả (KQ.Gxx.nnnnnn)", "name": "tên giấy tờ",
               "number": "số/ký hiệu", "issued_on": "ngày ban hành",
               "issuing_agency": "cơ quan ban hành", "signer": "người ký",
               "valid_until": "hiệu lực đến"}


def result_metadata(**fields: object) -> ResultMetadata:
    """The metadata typed in a form or on the command line, or a :class:`UsageError`
    naming the field that is wrong."""
    try:
        return ResultMetadata.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{FIELD_NAMES.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}"
                             for e in exc.errors())
        raise UsageError(f"Thông tin kết quả chưa đúng — {problems}") from None


def add_result(ctx: WorkContext, who: Principal, code: str, pdf: bytes,
               metadata: ResultMetadata, remote: str | None = None) -> ResultRecord:
    """Store the result's PDF (as received when signed, else signed here), record it with
    its metadata, move the dossier to 9; audited."""
    _may_change(ctx, who, code, "result.add", remote)
    record = ctx.catalog.dossier(code)
    _check_code(ctx, record.procedure_code, metadata)
    kept = pdf[:1024].find(b"%PDF-") >= 0 and is_signed(pdf)
    if kept:
        pages = _page_count(pdf)
        report = verify_pdf(pdf, trust_roots_for(ctx.settings.signing))
        _check_intact(report)
        signed_at, signer = _signed(report, metadata)
    else:  # a paper result: digitized like an intake document
        pdf, pages, signed_at, signer = _digitize(ctx, pdf, metadata.name, code,
                                                  record.procedure_code)
    ordinal = store.next_result_ordinal(ctx.catalog, code)
    lock = document_lock(ctx.settings.retention_path, record.procedure_code, RESULT_DOC_TYPE,
                         signed_at)
    stored = put_once(ctx.objects, document_key(code, ordinal, RESULT_DOC_TYPE), pdf,
                      "application/pdf", lock)
    result = store.add_result(ctx.catalog, code, ordinal, store.NewResult(
        stored, metadata, kept, signed_at, signer, pages, lock.recorded_until), who.actor)
    AuditLog(ctx.catalog).record(who, "result.add", dossier_code=code, target=stored.key,
                                 remote_addr=remote, detail={
                                     "ordinal": result.ordinal, "code": metadata.code,
                                     "number": metadata.number, "kept_as_received": kept,
                                     "sha256": stored.sha256})
    return result


def hand_over(ctx: WorkContext, who: Principal, code: str, recipient: str,
              recipient_id: str = "", remote: str | None = None) -> Handover:
    """The citizen collects the result: recorded (who, from whom, when), 9 → 10; audited."""
    _may_change(ctx, who, code, "result.handover", remote)
    if not recipient.strip():
        raise UsageError("Cần tên người nhận kết quả")
    done = store.hand_over(ctx.catalog, code, recipient.strip(), recipient_id.strip(),
                           who.actor, datetime.now(UTC))
    AuditLog(ctx.catalog).record(who, "result.handover", dossier_code=code,
                                 remote_addr=remote, detail={
                                     "recipient": done.recipient,
                                     "receipt": done.receipt_number})
    return done


def handover_slip(ctx: WorkContext, code: str) -> bytes:
    """The hand-over slip (phiếu trả kết quả) of a dossier whose result was handed over."""
    done = store.handover(ctx.catalog, code)
    if done is None:
        raise UsageError(f"Hồ sơ {code} chưa trả kết quả")
    record = ctx.catalog.dossier(code)
    try:
        procedure_name = ctx.procedures().get(record.procedure_code).name
    except SohoaError:
        procedure_name = record.procedure_code
    lines = [ResultLine(r.metadata.name, r.metadata.number, r.metadata.issuing_agency,
                        f"{r.metadata.issued_on:%d/%m/%Y}")
             for r in store.results(ctx.catalog, code)]
    return handover_pdf(HandoverSlip(ctx.settings.agency_name, code, procedure_name,
                                     done.receipt_number, done.recipient, done.recipient_id,
                                     lines, done.handed_at, done.handed_by,
                                     parent_agency=ctx.settings.parent_agency_name))


def _may_change(ctx: WorkContext, who: Principal, code: str, action: str,
                remote: str | None) -> None:
    """Agencies the dossier is routed to, clerks and admins; archivists only read."""
    readable(ctx, who, code, action, remote)
    if who.role is Role.ARCHIVIST:
        AuditLog(ctx.catalog).record(who, "access.denied", outcome="denied",
                                     dossier_code=code, target=action, remote_addr=remote)
        raise PermissionDeniedError("Lưu trữ viên chỉ được xem hồ sơ, không được thay đổi")


def _check_code(ctx: WorkContext, procedure_code: str, metadata: ResultMetadata) -> None:
    """A result code must be one the catalog lists for the procedure (when it lists any)."""
    try:
        details = ctx.procedures().get(procedure_code).details
    except SohoaError:
        return
    listed = {r.code for r in (details.results if details else ()) if r.code}
    if listed and metadata.code not in listed:
        raise UsageError(f"Mã kết quả {metadata.code or '(trống)'} không thuộc thủ tục "
                         f"{procedure_code} (danh mục: {', '.join(sorted(listed))})")


def _digitize(ctx: WorkContext, scan: bytes, title: str, code: str, procedure_code: str
              ) -> tuple[bytes, int, datetime, str]:
    """A scanned result (image or unsigned PDF) through the intake pipeline: deskewed,
    OCRed, a PDF/A with a text layer, signed PAdES by the digitizer. Returns the signed PDF,
    its page count, the signing time and the signer."""
    with tempfile.TemporaryDirectory(dir=ctx.scratch) as folder:
        source = Path(folder) / "ket-qua"
        source.write_bytes(scan)
        planned = plan_files([source], ctx.settings)
        if planned[0].error:
            raise UsageError(f"Tệp kết quả không đọc được: {planned[0].error}")
        [result] = process_files(planned, ctx.settings, Path(folder))
        signer = ctx.signer()
        meta = document_metadata(title, signer, ctx.settings, code, procedure_code)
        finish_file(result, signer, ctx.settings, meta)
    if result.error or result.pdf is None or result.failed_pages:
        problem = result.error or "; ".join(f"trang {p.index + 1}: {p.reason}"
                                            for p in result.failed_pages)
        raise UsageError(f"Không số hóa được tệp kết quả: {problem}")
    return result.pdf, len(result.pages), meta.digitized_at, meta.digitized_by


def _page_count(pdf: bytes) -> int:
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except pikepdf.PdfError as exc:
        raise UsageError(f"Tệp kết quả không phải PDF đọc được: {exc}") from None


def _check_intact(report: VerificationReport) -> None:
    """Refuse a file changed after the agency signed it: a signature whose bytes no longer
    match, or content added after the last signature (other than validation data)."""
    broken = [s for s in report.signatures if not s.intact or s.modified_after_signing]
    if broken:
        raise UsageError("Chữ ký số trên tệp kết quả không còn nguyên vẹn (tệp đã bị sửa sau "
                         f"khi ký: {broken[0].signer_name}); hãy lấy lại bản do cơ quan ký")


def _signed(report: VerificationReport, metadata: ResultMetadata
            ) -> tuple[datetime, str]:
    last = report.signatures[-1]
    try:
        when = datetime.fromisoformat(last.signing_time) if last.signing_time else None
    except ValueError:
        when = None
    return when or datetime.now(UTC), last.signer_name or metadata.signer
