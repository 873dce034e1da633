"""The start screen: choose the procedure, open a dossier."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sohoa.api.auth import audit
from sohoa.api.deps import ContextDep, CounterDep
from sohoa.api.state import TEMPLATES
from sohoa.clock import vietnam_now
from sohoa.domain.catalog.directory import ProcedureDirectory
from sohoa.errors import UnknownProcedureError
from sohoa.search.procedures import index_for
from sohoa.storage.procedures import procedure_usage
from sohoa.storage.records import DossierStatus

router = APIRouter()
RECENT = 15
PICKER_LIMIT = 50
MAX_QUERY = 200


@router.get("/", response_class=HTMLResponse)
def home(request: Request, counter: CounterDep, q: str = "") -> HTMLResponse:
    """The procedure picker: with ``q``, the procedures whose code or name matches (with or
    without diacritics); without, those this counter uses most and the curated ones."""
    ctx = counter.ctx
    recent = list(reversed(ctx.catalog.list_dossiers(ctx.settings.agency_code)))[:RECENT]
    directory = ctx.procedures()
    usage = procedure_usage(ctx.catalog, ctx.settings.agency_code)
    query = q.strip()[:MAX_QUERY]
    found = index_for(directory).search(query, limit=PICKER_LIMIT, usage=usage)
    names = {entry.code: entry.name for entry in found}
    names.update((r.procedure_code, _name(directory, r.procedure_code)) for r in recent)
    context = {"procedures": found, "recent": recent, "names": names, "query": query,
               "total": len(directory), "usage": usage,
               "scanner": counter.settings.scanner_device}
    return TEMPLATES.TemplateResponse(request, "home.html", context)


def _name(directory: ProcedureDirectory, code: str) -> str:
    try:
        return directory.get(code).name
    except UnknownProcedureError:
        return code


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
