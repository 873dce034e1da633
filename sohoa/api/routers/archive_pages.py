"""The archivist's hand-over page: ``GET /luu-tru`` lists closed dossiers (filter by
procedure, agency, closing date) with whether each was handed over already (đã nộp lưu, the
package id); ``POST /luu-tru/xuat`` exports the ticked ones and downloads one zip holding
each dossier's E-ARK package (its own zip) and the hand-over list PDF.

Same service as ``sohoa archive export`` (:mod:`sohoa.services.archive`): the same reads
through the store's SHA-256 check, the same audit lines and transfer records.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from sohoa.api.auth import client_address, require
from sohoa.api.deps import ContextDep
from sohoa.api.state import TEMPLATES
from sohoa.clock import VIETNAM
from sohoa.domain.access import Principal, Role
from sohoa.search.index import STATUS_NAMES
from sohoa.services.archive import Selection, closed_dossiers, export_bundle

router = APIRouter(prefix="/luu-tru")
Archivist = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.ADMIN))]


@router.get("", response_class=HTMLResponse)
def closed(request: Request, ctx: ContextDep, who: Archivist,
           procedure: Annotated[str | None, Query(max_length=32)] = None,
           agency: Annotated[str | None, Query(max_length=64)] = None,
           closed_from: date | None = None, closed_to: date | None = None) -> HTMLResponse:
    wanted = Selection(procedure or None, agency or None, closed_from, closed_to)
    rows = closed_dossiers(ctx, wanted)
    return TEMPLATES.TemplateResponse(request, "archive.html", {
        "who": who, "wanted": wanted, "rows": rows, "statuses": STATUS_NAMES, "tz": VIETNAM})


@router.post("/xuat")
def export(request: Request, ctx: ContextDep, who: Archivist,
           codes: Annotated[list[str], Form(min_length=1, max_length=500)]) -> Response:
    name, data = export_bundle(ctx, who, codes, client_address(request))
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
