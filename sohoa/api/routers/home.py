"""The start screen: choose the procedure, open a dossier."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sohoa.api.auth import audit
from sohoa.api.deps import ContextDep, CounterDep
from sohoa.api.paging import neighbour_links
from sohoa.api.state import TEMPLATES
from sohoa.clock import parse_vietnamese_day, vietnam_now
from sohoa.errors import UsageError
from sohoa.search.index import STATUS_NAMES
from sohoa.search.procedures import index_for
from sohoa.services.worklist import WorklistQuery, procedure_name, worklist
from sohoa.storage.procedures import procedure_usage
from sohoa.storage.records import DossierStatus

router = APIRouter()
PICKER_LIMIT = 50
MAX_QUERY = 200


@router.get("/", response_class=HTMLResponse)
def home(request: Request, counter: CounterDep, q: str = "",
         tim: Annotated[str, Query(max_length=MAX_QUERY)] = "",
         trang_thai: Annotated[str, Query(max_length=4)] = "",
         thu_tuc: Annotated[str, Query(max_length=32)] = "",
         tu_ngay: Annotated[str, Query(max_length=20)] = "",
         den_ngay: Annotated[str, Query(max_length=20)] = "",
         trang: Annotated[str, Query(max_length=6)] = "") -> HTMLResponse:
    """The procedure picker and the counter's work list.

    With ``q``, the picker lists the procedures whose code or name matches (with or without
    diacritics); without, those this counter uses most and the curated ones. The list below
    shows this counter's dossiers, filtered by status, procedure and received day
    (dd/mm/yyyy) and searched by ``tim``, ``trang`` pages of 50 (a page that is not a
    number, as a hand-edited address may have, is the first)."""
    ctx = counter.ctx
    directory = ctx.procedures()
    usage = procedure_usage(ctx.catalog, ctx.settings.agency_code)
    query = q.strip()[:MAX_QUERY]
    found = index_for(directory).search(query, limit=PICKER_LIMIT, usage=usage)
    days, errors = _days({"tu_ngay": (tu_ngay, "Nhận từ ngày"),
                              "den_ngay": (den_ngay, "Đến ngày")})
    status = _status(trang_thai, errors)
    procedure = thu_tuc.strip() or None
    if procedure and procedure not in directory:
        errors["thu_tuc"] = f"Không có thủ tục mã “{procedure}”"
        procedure = None
    page = int(trang) if trang.strip().isdigit() else 1
    wanted = WorklistQuery(tim, status, procedure, days.get("tu_ngay"), days.get("den_ngay"),
                           page)
    listing = worklist(ctx, wanted)
    used = sorted(((code, procedure_name(directory, code)) for code in usage),
                  key=lambda pair: pair[1])
    context = {"procedures": found, "query": query, "total": len(directory), "usage": usage,
               "scanner": counter.settings.scanner_device, "listing": listing,
               "wanted": wanted, "typed": {"tu_ngay": tu_ngay, "den_ngay": den_ngay},
               "errors": errors, "statuses": STATUS_NAMES, "used": used,
               "filtered": any((tim, trang_thai, thu_tuc, tu_ngay, den_ngay)),
               "pages": neighbour_links(
                   request, "trang", listing.page - 1 if listing.page > 1 else None,
                   listing.page + 1 if listing.page < listing.pages else None, "#worklist")}
    return TEMPLATES.TemplateResponse(request, "home.html", context,
                                      status_code=422 if errors else 200)


def _status(text: str, errors: dict[str, str]) -> int | None:
    """The chosen status code ("" is any); one the portal does not know is named beside
    the field."""
    if not text.strip():
        return None
    if text.strip().isdigit() and int(text) in STATUS_NAMES:
        return int(text)
    errors["trang_thai"] = f"Trạng thái không có trong danh mục: “{text.strip()}”"
    return None


def _days(fields: dict[str, tuple[str, str]]) -> tuple[dict[str, date], dict[str, str]]:
    """The typed days (dd/mm/yyyy) and, for those that are not days, the message shown
    beside the field (the list is then shown without that filter)."""
    days, errors = {}, {}
    for name, (text, label) in fields.items():
        try:
            day = parse_vietnamese_day(text, label)
        except UsageError as exc:
            errors[name] = exc.message
        else:
            if day is not None:
                days[name] = day
    return days, errors


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
