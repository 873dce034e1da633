"""The administrator's page for correcting the procedure catalog: one procedure's checklist
as the counter uses it, a form to set a field of the procedure or of one item, the
corrections already made (kept apart from the imported catalog, so a re-import keeps them),
and the parse report's flags for this procedure. Every change is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sohoa.api.auth import audit, require
from sohoa.api.deps import ContextDep
from sohoa.api.state import TEMPLATES
from sohoa.domain.access import Principal, Role
from sohoa.domain.catalog.corrections import ITEM_FIELDS, PROCEDURE_FIELDS
from sohoa.domain.procedures import quantity_text
from sohoa.services.procedures import correct_in
from sohoa.storage import procedures as store

router = APIRouter(prefix="/admin/procedures")
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


@router.get("", response_class=HTMLResponse)
def procedure_page(request: Request, _: Admin, ctx: ContextDep, code: str = "",
                   message: str = "") -> HTMLResponse:
    procedure = ctx.procedures().get(code) if code.strip() else None
    fixes = store.corrections(ctx.catalog, procedure.code) if procedure else []
    context = {"procedure": procedure, "code": code, "corrections": fixes,
               "item_fields": ITEM_FIELDS, "procedure_fields": PROCEDURE_FIELDS,
               "quantity": quantity_text, "message": message}
    return TEMPLATES.TemplateResponse(request, "admin_procedures.html", context)


@router.post("/{code}/corrections")
def add_correction(request: Request, who: Admin, ctx: ContextDep, code: str,
                   field: Annotated[str, Form()], value: Annotated[str, Form()] = "",
                   item_id: Annotated[str, Form()] = "") -> RedirectResponse:
    correct_in(ctx.catalog, ctx.settings.catalog_path, code, item_id, [f"{field}={value}"],
               who.username)
    ctx.forget_procedures()
    audit(request, "procedure.correct", target=code,
          detail={"item": item_id, "field": field, "value": value})
    return RedirectResponse(f"/admin/procedures?code={code}&message=saved", status_code=303)


@router.post("/{code}/corrections/remove")
def drop_correction(request: Request, _: Admin, ctx: ContextDep, code: str,
                    field: Annotated[str, Form()],
                    item_id: Annotated[str, Form()] = "") -> RedirectResponse:
    store.remove_correction(ctx.catalog, code, item_id, field)
    ctx.forget_procedures()
    audit(request, "procedure.correction_removed", target=code,
          detail={"item": item_id, "field": field})
    return RedirectResponse(f"/admin/procedures?code={code}&message=removed", status_code=303)
