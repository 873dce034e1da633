"""The agency REST API (``/api/v1``): dossiers routed to the caller's agencies, their signed
documents (stream, short-lived link, signature verification), and status changes.

Agencies' systems authenticate with an API token (``Authorization: Bearer sohoa_…``),
people with their session; see :mod:`sohoa.api.auth`. OpenAPI: ``/api/openapi.json``,
browsable at ``/api/docs``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request
from fastapi.responses import Response

from sohoa.api.auth import client_address, require
from sohoa.api.deps import ContextDep, DossierCode
from sohoa.api.pages import pdf_download
from sohoa.domain import agency_api as api
from sohoa.domain.access import Principal, Role
from sohoa.domain.results import Handover, ResultRecord
from sohoa.errors import UsageError
from sohoa.services import agency, results
from sohoa.services.links import read_link
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import DossierFilter

Agency = Annotated[Principal, Depends(require(Role.AGENCY, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require(Role.AGENCY, Role.ARCHIVIST, Role.ADMIN))]
"""Reading: agencies (their routed dossiers), archivists and admins (every dossier)."""
router = APIRouter(prefix="/api/v1", tags=["agency"], dependencies=[
    Depends(require(Role.AGENCY, Role.ARCHIVIST, Role.ADMIN))])  # before the dossier lookup:
# strangers learn nothing, not even which dossier codes exist
links = APIRouter(prefix="/api/v1", tags=["agency"])
"""Short-lived links: the link itself is the credential."""


@router.get("/dossiers", response_model=api.DossierList)
def list_dossiers(ctx: ContextDep, who: Agency,
                  status: Annotated[int | None, Query(ge=1, le=10)] = None,
                  procedure: Annotated[str | None, Query(max_length=32)] = None,
                  received_from: date | None = None, received_to: date | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> api.DossierList:
    """Dossiers routed to your agencies, newest first, with filters (a procedure code no
    catalog knows is refused, 422, rather than answered with an empty list)."""
    if procedure and procedure.strip() not in ctx.procedures():
        raise UsageError(f"Thủ tục: không có mã '{procedure[:32]}' trong danh mục thủ tục.")
    return agency.list_dossiers(ctx, who, DossierFilter(status, procedure, received_from,
                                                        received_to, limit, offset))


@router.get("/dossiers/{code}", response_model=api.DossierDetail)
def dossier(code: DossierCode, ctx: ContextDep, who: Reader,
            request: Request) -> api.DossierDetail:
    """One dossier: status, verdict summary, its signed documents."""
    return agency.dossier_detail(ctx, who, code, client_address(request))


@router.get("/dossiers/{code}/documents/{ordinal}",
            responses={200: {"content": {"application/pdf": {}}}})
def document(code: DossierCode, ordinal: int, ctx: ContextDep, who: Reader,
             request: Request) -> Response:
    """The signed PDF/A, checked against its SHA-256 (sent in ``X-Content-SHA256``)."""
    doc, data = agency.read_document(ctx, who, code, ordinal, client_address(request))
    return pdf_download(agency.download_name(code, doc.key), doc.sha256, data)


@router.get("/dossiers/{code}/documents/{ordinal}/verification",
            response_model=api.Verification)
def verification(code: DossierCode, ordinal: int, ctx: ContextDep, who: Reader,
                 request: Request) -> api.Verification:
    """The document's digital signatures verified now."""
    return agency.verification(ctx, who, code, ordinal, client_address(request))


@router.post("/dossiers/{code}/documents/{ordinal}/link", response_model=api.DocumentLink)
def link(code: DossierCode, ordinal: int, ctx: ContextDep, who: Reader, request: Request,
         seconds: Annotated[int, Query(ge=30, le=3600)] = 300) -> api.DocumentLink:
    """A short-lived URL to fetch the document without credentials (S3 presigned, or
    signed by this server for the local store)."""
    return agency.document_link(ctx, who, code, ordinal, seconds, _secret(request),
                                str(request.base_url), client_address(request))


@links.get("/links/{token}", responses={200: {"content": {"application/pdf": {}}}})
def follow_link(token: str, ctx: ContextDep, request: Request) -> Response:
    """The document a still-valid link names (local store only)."""
    target = read_link(_secret(request), token)
    data = ctx.objects.get(target.key, target.sha256)
    AuditLog(ctx.catalog).record_read(target.issued_to, "document.read",
                                      dossier_code=target.dossier_code, target=target.key,
                                      remote_addr=client_address(request),
                                      detail={"ordinal": target.ordinal, "via": "link"})
    return pdf_download(agency.download_name(target.dossier_code, target.key), target.sha256, data)


@router.post("/dossiers/{code}/status", response_model=api.StatusChanged)
def status(code: DossierCode, change: api.StatusChange, ctx: ContextDep, who: Agency,
           request: Request) -> api.StatusChanged:
    """Move the dossier to a new national status code (4 đang xử lý, 5 yêu cầu bổ sung,
    9 đã xử lý xong, 10 đã trả kết quả …) — only along the allowed transitions."""
    return agency.set_status(ctx, who, code, change, client_address(request))


@router.post("/dossiers/{code}/results", response_model=ResultRecord)
def add_result(code: DossierCode, ctx: ContextDep, who: Agency, request: Request,
               file: Annotated[bytes, File(description="the result PDF")],
               name: Annotated[str, Form()], number: Annotated[str, Form()],
               issued_on: Annotated[date, Form()], issuing_agency: Annotated[str, Form()],
               signer: Annotated[str, Form()], result_code: Annotated[str | None, Form()] = None,
               valid_until: Annotated[date | None, Form()] = None) -> ResultRecord:
    """Add the result (kết quả giải quyết): a PDF the agency signed is kept byte for byte
    (its signature stays valid); an unsigned one is signed by the digitizer. The dossier
    moves 4 → 9."""
    metadata = results.result_metadata(code=result_code or None, name=name, number=number,
                                       issued_on=issued_on, issuing_agency=issuing_agency,
                                       signer=signer, valid_until=valid_until)
    return results.add_result(ctx, who, code, file, metadata, client_address(request))


@router.post("/dossiers/{code}/handover", response_model=Handover)
def hand_over(code: DossierCode, body: api.HandoverRequest, ctx: ContextDep, who: Agency,
              request: Request) -> Handover:
    """The citizen collected the result: who, from whom, when are recorded; 9 → 10."""
    return results.hand_over(ctx, who, code, body.recipient, body.recipient_id,
                             client_address(request))


def _secret(request: Request) -> str:
    return request.app.state.secret_key
