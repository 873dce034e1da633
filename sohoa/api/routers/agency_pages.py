"""The agency officer's pages: dossiers routed to their agencies, each dossier's signed
documents (opened through the agency API, every read audited) and its status.

Systems use the REST API (:mod:`.agency`); people use these pages with their session — the
same functions underneath, so the same routing check and the same audit lines.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sohoa.api.auth import client_address, require
from sohoa.api.deps import ContextDep, DossierCode
from sohoa.api.state import TEMPLATES
from sohoa.clock import VIETNAM
from sohoa.domain.access import Principal, Role
from sohoa.domain.agency_api import StatusChange
from sohoa.search.index import STATUS_NAMES
from sohoa.services import agency, results
from sohoa.storage.records import DossierStatus
from sohoa.storage.routing import AGENCY_TRANSITIONS, DossierFilter

router = APIRouter(prefix="/co-quan")
Officer = Annotated[Principal, Depends(require(Role.AGENCY, Role.ADMIN))]
PAGE = 50
STOPPING = {DossierStatus.KHONG_DUOC_TIEP_NHAN, DossierStatus.CONG_DAN_XIN_RUT,
            DossierStatus.DUNG_XU_LY}


@router.get("", response_class=HTMLResponse)
def dossiers(request: Request, ctx: ContextDep, who: Officer,
             status: Annotated[int | None, Query(ge=1, le=10)] = None,
             procedure: Annotated[str | None, Query(max_length=32)] = None,
             received_from: date | None = None, received_to: date | None = None,
             offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """The dossiers routed to the officer's agencies, newest first."""
    wanted = DossierFilter(status, procedure or None, received_from, received_to, PAGE, offset)
    listing = agency.list_dossiers(ctx, who, wanted)
    return TEMPLATES.TemplateResponse(request, "agency_list.html", {
        "who": who, "listing": listing, "wanted": wanted, "statuses": STATUS_NAMES,
        "tz": VIETNAM})


@router.get("/{code}", response_class=HTMLResponse)
def dossier(request: Request, code: DossierCode, ctx: ContextDep,
            who: Officer) -> HTMLResponse:
    detail = agency.dossier_detail(ctx, who, code, client_address(request))
    allowed = sorted(AGENCY_TRANSITIONS.get(DossierStatus(detail.status), ()),
                     key=lambda s: (s in STOPPING, s))  # the usual next step first
    return TEMPLATES.TemplateResponse(request, "agency_dossier.html", {
        "who": who, "d": detail, "statuses": STATUS_NAMES, "allowed": allowed, "tz": VIETNAM})


@router.post("/{code}/status")
def status(request: Request, code: DossierCode, ctx: ContextDep, who: Officer,
           new_status: Annotated[int, Form(ge=1, le=10)],
           note: Annotated[str, Form(max_length=500)] = "") -> RedirectResponse:
    agency.set_status(ctx, who, code, StatusChange(status=new_status, note=note),
                      client_address(request))
    return RedirectResponse(f"/co-quan/{code}", status_code=303)


@router.post("/{code}/results")
def add_result(request: Request, code: DossierCode, ctx: ContextDep, who: Officer,
               file: Annotated[bytes, File()], name: Annotated[str, Form()],
               number: Annotated[str, Form()], issued_on: Annotated[date, Form()],
               issuing_agency: Annotated[str, Form()], signer: Annotated[str, Form()],
               result_code: Annotated[str, Form()] = "",
               valid_until: Annotated[str, Form()] = "") -> RedirectResponse:
    """The officer uploads the result (same service as the API's)."""
    metadata = results.result_metadata(
        code=result_code or None, name=name, number=number, issued_on=issued_on,
        issuing_agency=issuing_agency, signer=signer, valid_until=valid_until or None)
    results.add_result(ctx, who, code, file, metadata, client_address(request))
    return RedirectResponse(f"/co-quan/{code}", status_code=303)


@router.post("/{code}/handover")
def hand_over(request: Request, code: DossierCode, ctx: ContextDep, who: Officer,
              recipient: Annotated[str, Form(max_length=256)],
              recipient_id: Annotated[str, Form(max_length=32)] = "") -> RedirectResponse:
    results.hand_over(ctx, who, code, recipient, recipient_id, client_address(request))
    return RedirectResponse(f"/co-quan/{code}", status_code=303)


@router.get("/{code}/handover.pdf")
def handover_slip(code: DossierCode, ctx: ContextDep, who: Officer,
                  request: Request) -> Response:
    """The hand-over slip to print and have the recipient sign."""
    agency.readable(ctx, who, code, "result.slip", client_address(request))
    return Response(results.handover_slip(ctx, code), media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="phieu-tra-ket-qua-{code}.pdf"'})
