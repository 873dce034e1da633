"""The agency officer's and the archivist's pages: dossiers routed to the officer's agencies
(every dossier for an archivist), each dossier's signed documents (opened through the agency
API, every read audited), their signatures checked, and — for officers — the status.

Systems use the REST API (:mod:`.agency`); people use these pages with their session — the
same functions underneath, so the same routing check and the same audit lines. Archivists
read here and change nothing: the status form is not shown to them and its POST refuses
them (403, audited).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sohoa.api.auth import client_address, require
from sohoa.api.deps import ContextDep, DossierCode
from sohoa.api.filters import (
    FieldErrors,
    FilterChoices,
    check_range,
    choice_field,
    day_field,
    shown_day,
    status_field,
)
from sohoa.api.paging import neighbour_links
from sohoa.api.state import TEMPLATES
from sohoa.clock import VIETNAM
from sohoa.domain.access import Principal, Role
from sohoa.domain.agency_api import StatusChange
from sohoa.search.index import STATUS_NAMES
from sohoa.services import agency, results
from sohoa.storage.facets import dossier_facets
from sohoa.storage.records import DossierStatus
from sohoa.storage.routing import AGENCY_TRANSITIONS, DossierFilter

router = APIRouter(prefix="/co-quan", dependencies=[
    Depends(require(Role.AGENCY, Role.ARCHIVIST, Role.ADMIN))])  # before the dossier lookup
Officer = Annotated[Principal, Depends(require(Role.AGENCY, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require(Role.AGENCY, Role.ARCHIVIST, Role.ADMIN))]
"""Reading: officers (their routed dossiers), archivists and admins (every dossier)."""
PAGE = 50
STOPPING = {DossierStatus.KHONG_DUOC_TIEP_NHAN, DossierStatus.CONG_DAN_XIN_RUT,
            DossierStatus.DUNG_XU_LY}
YES_NO = {True: "có", False: "không"}


@router.get("", response_class=HTMLResponse)
def dossiers(request: Request, ctx: ContextDep, who: Reader, status: str = "",
             procedure: str = "", received_from: str = "", received_to: str = "",
             offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """The dossiers routed to the officer's agencies, newest first; a filter value that is
    not a date or not in the lists is shown next to its field."""
    choices = FilterChoices.of(ctx, dossier_facets(
        ctx.catalog, None if who.sees_everything() else who.agency_codes))
    errors: FieldErrors = {}
    wanted = DossierFilter(
        status_field(status, errors),
        choice_field(procedure, choices.procedures, "procedure", "Thủ tục", errors,
                     also_known=ctx.procedures().codes()),
        day_field(received_from, "received_from", "Tiếp nhận từ ngày", errors),
        day_field(received_to, "received_to", "Đến ngày", errors), PAGE, offset)
    check_range(wanted.received_from, wanted.received_to, "received_to", errors)
    listing = None if errors else agency.list_dossiers(ctx, who, wanted)
    typed = {"status": status, "procedure": procedure if errors.get("procedure")
             else choices.label("procedures", wanted.procedure_code),
             "received_from": shown_day(received_from, wanted.received_from),
             "received_to": shown_day(received_to, wanted.received_to)}
    pages = neighbour_links(
        request, "offset", max(0, offset - PAGE) if listing and offset else None,
        offset + PAGE if listing and offset + PAGE < listing.total else None)
    return TEMPLATES.TemplateResponse(request, "agency_list.html", {
        "who": who, "listing": listing, "wanted": wanted, "statuses": STATUS_NAMES,
        "choices": choices, "typed": typed, "errors": errors, "tz": VIETNAM, "pages": pages},
        status_code=422 if errors else 200)


@router.get("/{code}", response_class=HTMLResponse)
def dossier(request: Request, code: DossierCode, ctx: ContextDep,
            who: Reader) -> HTMLResponse:
    detail = agency.dossier_detail(ctx, who, code, client_address(request))
    changes = who.role is not Role.ARCHIVIST  # archivists read, never change
    allowed = sorted(AGENCY_TRANSITIONS.get(DossierStatus(detail.status), ()),
                     key=lambda s: (s in STOPPING, s)) if changes else []  # usual step first
    return TEMPLATES.TemplateResponse(request, "agency_dossier.html", {
        "who": who, "d": detail, "statuses": STATUS_NAMES, "allowed": allowed, "tz": VIETNAM})


@router.get("/{code}/documents/{ordinal}/verification", response_class=HTMLResponse)
def verification(request: Request, code: DossierCode, ordinal: int, ctx: ContextDep,
                 who: Reader) -> HTMLResponse:
    """The document's signatures checked now, in Vietnamese (the API's JSON is for
    systems: ``/api/v1/dossiers/{code}/documents/{ordinal}/verification``)."""
    checked = agency.verification(ctx, who, code, ordinal, client_address(request))
    document = agency.find_document(ctx, code, ordinal)
    return TEMPLATES.TemplateResponse(request, "agency_verification.html", {
        "who": who, "v": checked, "doc": document, "yes_no": YES_NO,
        "when": _vietnam_time})


def _vietnam_time(iso: str | None) -> str:
    """"23/11/2026 09:15:02 (GMT+7)" from the report's ISO time; "—" when unknown."""
    if not iso:
        return "—"
    return f"{datetime.fromisoformat(iso).astimezone(VIETNAM):%d/%m/%Y %H:%M:%S} (GMT+7)"


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
