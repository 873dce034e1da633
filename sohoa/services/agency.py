"""What the agency API does, apart from HTTP: list, read, verify, link, change status.

Every function takes the :class:`~sohoa.domain.access.Principal` asking and checks it
against the dossier's routes before touching anything; a refusal is written to the audit
log (``access.denied``) before :class:`~sohoa.errors.PermissionDeniedError` is raised, and
every read of a document or change of a dossier is written there too (who, what, when,
from where). Document bytes always come through the store's SHA-256 check.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sohoa.domain import agency_api as api
from sohoa.domain.access import Principal, Role
from sohoa.errors import ObjectNotFoundError, PermissionDeniedError, SohoaError, UsageError
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext
from sohoa.services.links import LinkTarget, make_link
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import DocumentRecord, DossierStatus
from sohoa.storage.routing import DossierFilter, change_status, routed_dossiers, routes

LINK_SECONDS = (30, 3600)


def list_dossiers(ctx: WorkContext, who: Principal, wanted: DossierFilter) -> api.DossierList:
    """The dossiers routed to the principal's agencies (every dossier for an admin)."""
    agencies = None if who.sees_everything() else who.agency_codes
    total, found = routed_dossiers(ctx.catalog, agencies, wanted)
    items = [api.DossierItem(code=d.summary.code, procedure_code=d.summary.procedure_code,
                             procedure_name=procedure_name(ctx, d.summary.procedure_code),
                             status=d.summary.status, received_at=d.summary.received_at,
                             receiving_agency=d.summary.agency_code, routed_to=list(d.routed_to))
             for d in found]
    return api.DossierList(total=total, limit=wanted.limit, offset=wanted.offset,
                           dossiers=items)


def procedure_name(ctx: WorkContext, code: str) -> str:
    """The procedure's name, or its code when no catalog knows it (any more)."""
    try:
        return ctx.procedures().get(code).name
    except SohoaError:
        return code


def readable(ctx: WorkContext, who: Principal, code: str, action: str,
             remote: str | None) -> tuple[str, ...]:
    """The dossier's routes, if ``who`` may read it; otherwise audited and refused."""
    routed_to = routes(ctx.catalog, code)
    if who.role is Role.AGENCY and \
            ctx.catalog.dossier_status(code) == DossierStatus.MOI_DANG_KY:
        routed_to = ()  # not received at the counter: no agency sees it, routed or not
    if not who.may_read(routed_to):
        AuditLog(ctx.catalog).record(who, "access.denied", outcome="denied", dossier_code=code,
                                     target=action, remote_addr=remote)
        raise PermissionDeniedError(f"Hồ sơ {code} không được chuyển tới cơ quan của bạn")
    return routed_to


def dossier_detail(ctx: WorkContext, who: Principal, code: str,
                   remote: str | None) -> api.DossierDetail:
    routed_to = readable(ctx, who, code, "dossier.read", remote)
    record = ctx.catalog.dossier(code)
    verdict = record.verdict or {}
    return api.DossierDetail(
        code=code, procedure_code=record.procedure_code, status=record.status,
        received_at=record.received_at, receiving_agency=record.agency_code,
        routed_to=list(routed_to), procedure_name=procedure_name(ctx, record.procedure_code),
        complete=record.complete,
        verdict_summary=verdict.get("summary"),
        documents=[_document_item(code, d) for d in record.documents])


def _document_item(code: str, doc: DocumentRecord) -> api.DocumentItem:
    return api.DocumentItem(
        ordinal=doc.ordinal, title=doc.title, doc_type=doc.doc_type,
        checklist_item=doc.item_id, page_count=doc.page_count, sha256=doc.sha256,
        signed_at=doc.signed_at, signer=doc.signer,
        download=f"/api/v1/dossiers/{code}/documents/{doc.ordinal}",
        file_name=download_name(code, doc.key))


def download_name(code: str, key: str) -> str:
    """The name a downloaded document is saved under: the dossier code, then the stored
    name (``000.00.14.H56-261120-0001-01-to_khai_khai_sinh.pdf``), so files saved from
    several dossiers never overwrite each other and each says where it belongs."""
    return f"{code}-{key.rsplit('/', 1)[-1]}"


def find_document(ctx: WorkContext, code: str, ordinal: int) -> DocumentRecord:
    found = next((d for d in ctx.catalog.dossier(code).documents if d.ordinal == ordinal),
                 None)
    if found is None:
        raise ObjectNotFoundError(f"Hồ sơ {code} không có tài liệu số {ordinal}")
    return found


def read_document(ctx: WorkContext, who: Principal, code: str, ordinal: int,
                  remote: str | None) -> tuple[DocumentRecord, bytes]:
    """The signed PDF's bytes (checked against the catalog's SHA-256), audited: one read
    per opening, however many requests the viewer makes (:meth:`AuditLog.record_read`)."""
    doc, data = _fetch(ctx, who, code, ordinal, remote, "document.read")
    AuditLog(ctx.catalog).record_read(who, "document.read", dossier_code=code, target=doc.key,
                                      remote_addr=remote, detail={"ordinal": ordinal,
                                                                  "sha256": doc.sha256})
    return doc, data


def _fetch(ctx: WorkContext, who: Principal, code: str, ordinal: int, remote: str | None,
           action: str) -> tuple[DocumentRecord, bytes]:
    readable(ctx, who, code, action, remote)
    doc = find_document(ctx, code, ordinal)
    return doc, ctx.objects.get(doc.key, doc.sha256, version_id=doc.version_id)


def verification(ctx: WorkContext, who: Principal, code: str, ordinal: int,
                 remote: str | None) -> api.Verification:
    """The document's signatures checked now against the configured trust roots (audited
    as ``document.verify``: the server reads the bytes, the person gets only the report)."""
    doc, data = _fetch(ctx, who, code, ordinal, remote, "document.verify")
    report = verify_pdf(data, trust_roots_for(ctx.settings.signing))
    AuditLog(ctx.catalog).record_read(who, "document.verify", dossier_code=code,
                                      target=doc.key, remote_addr=remote,
                                      detail={"ordinal": ordinal, "valid": report.valid})
    signatures = [api.SignatureItem(
        signer_name=s.signer_name, signing_time=s.signing_time, intact=s.intact,
        trusted=s.trusted, valid=s.valid, has_timestamp=s.has_timestamp,
        modified_after_signing=s.modified_after_signing, problem=s.problem)
        for s in report.signatures]
    return api.Verification(dossier_code=code, ordinal=ordinal, sha256=doc.sha256,
                            valid=report.valid, signatures=signatures)


def document_link(ctx: WorkContext, who: Principal, code: str, ordinal: int, seconds: int,
                  secret: str, base_url: str, remote: str | None) -> api.DocumentLink:
    """A short-lived URL: the S3 store's presigned GET, or a link this app signs."""
    lowest, highest = LINK_SECONDS
    seconds = max(lowest, min(highest, seconds))
    readable(ctx, who, code, "document.url", remote)
    doc = find_document(ctx, code, ordinal)
    expires_at = datetime.now(UTC) + timedelta(seconds=seconds)
    presign = getattr(ctx.objects, "presigned_url", None)
    if presign is not None:
        url = presign(doc.key, timedelta(seconds=seconds), version_id=doc.version_id)
    else:
        token = make_link(secret, LinkTarget(code, ordinal, doc.key, doc.sha256, who.actor,
                                             seconds))
        url = f"{base_url.rstrip('/')}/api/v1/links/{token}"
    AuditLog(ctx.catalog).record(who, "document.url", dossier_code=code, target=doc.key,
                                 remote_addr=remote, detail={"ordinal": ordinal,
                                                             "seconds": seconds})
    return api.DocumentLink(url=url, expires_at=expires_at, sha256=doc.sha256)


def set_status(ctx: WorkContext, who: Principal, code: str, change: api.StatusChange,
               remote: str | None) -> api.StatusChanged:
    """Move the dossier along the national status codes an agency may set; audited. Refusing
    a received dossier (3) needs the reason in ``note``: it goes on the refusal slip and to
    the portal."""
    readable(ctx, who, code, "dossier.status", remote)
    reason = change.note.strip()
    if change.status == DossierStatus.KHONG_DUOC_TIEP_NHAN and not reason:
        raise UsageError("Ghi lý do không tiếp nhận hồ sơ vào ô ghi chú: lý do được in trên "
                         "phiếu từ chối và gửi lên Cổng dịch vụ công")
    old, new = change_status(ctx.catalog, code, change.status, by=who.actor, reason=reason)
    AuditLog(ctx.catalog).record(who, "dossier.status", dossier_code=code, remote_addr=remote,
                                 detail={"from": old, "to": new, "note": change.note})
    return api.StatusChanged(code=code, old_status=old, status=new)
