"""The start screen: choose the procedure, open a dossier."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sohoa.api.auth import audit
from sohoa.api.deps import ContextDep, CounterDep
from sohoa.api.state import TEMPLATES
from sohoa.clock import vietnam_now
from sohoa.storage.records import DossierStatus

router = APIRouter()
RECENT = 15


@router.get("/", response_class=HTMLResponse)
def home(request: Request, counter: CounterDep) -> HTMLResponse:
    ctx = counter.ctx
    recent = list(reversed(ctx.catalog.list_dossiers(ctx.settings.agency_code)))[:RECENT]
    procedures = ctx.procedures().procedures
    context = {"procedures": list(procedures.values()), "recent": recent,
               "names": {code: p.name for code, p in procedures.items()},
               "scanner": counter.settings.scanner_device}
    return TEMPLATES.TemplateResponse(request, "home.html", context)


@router.post("/dossiers")
def new_dossier(request: Request, procedure: Annotated[str, Form()],
                ctx: ContextDep) -> RedirectResponse:
    """Register the dossier before anything is scanned (status 1, mới đăng ký): the clerk
    gets its code at once and every scan or upload that follows joins it."""
    chosen = ctx.procedures().get(procedure)
    code = ctx.catalog.new_dossier(chosen.code, ctx.settings.agency_code, vietnam_now())
    ctx.catalog.set_status(code, DossierStatus.MOI_DANG_KY)
    audit(request, "dossier.create", dossier_code=code, detail={"procedure": chosen.code})
    return RedirectResponse(f"/dossiers/{code}", status_code=303)
