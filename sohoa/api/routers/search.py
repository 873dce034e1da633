"""Archivist search: ``GET /search`` (the page) and ``GET /api/v1/search`` (JSON).

Both take the same parameters — ``q`` (words, "phrases", ``-word``), ``procedure``,
``agency`` (receiving agency), ``type`` (document type), ``from`` / ``to`` (receipt dates,
YYYY-MM-DD or dd/mm/yyyy, inclusive), ``status`` (1-10), ``limit``, ``offset`` — and are
open to archivists, admins and agencies; an agency's search is restricted, in SQL, to the
dossiers routed to its agencies. The page offers the filters as dropdowns of names
(:mod:`sohoa.api.filters`); a code the system does not know is refused next to its field
(the API: 422 with ``fields``), never answered with "0 hits". Each hit links to the signed
PDF opened at the page (``#page=N``) and to its dossier's page.
Snippets are plain-text fragments: the template escapes them and wraps matches in
``<mark>``; nothing from the database is ever rendered as markup.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from sohoa.api.auth import audit, require
from sohoa.api.deps import ContextDep
from sohoa.api.filters import (
    FieldErrors,
    FilterChoices,
    check_range,
    choice_field,
    day_field,
    doc_type_name,
    shown_day,
    status_field,
)
from sohoa.api.state import TEMPLATES
from sohoa.clock import VIETNAM
from sohoa.domain.access import Principal, Role
from sohoa.domain.doctypes import BY_CODE
from sohoa.errors import SearchQueryError
from sohoa.processing.context import WorkContext
from sohoa.search import response as api
from sohoa.search.index import STATUS_NAMES, SearchIndex, SearchQuery, SearchResults
from sohoa.services.agency import procedure_name
from sohoa.storage.catalog import Catalog
from sohoa.storage.facets import dossier_facets

router = APIRouter(tags=["search"])
Reader = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.ADMIN, Role.AGENCY))]
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchForm:
    """The parameters as typed (strings, so an empty form field is simply "any")."""

    q: str = ""
    procedure: str = ""
    agency: str = ""
    type: str = ""
    from_: str = ""
    to: str = ""
    status: str = ""
    limit: int = PAGE_SIZE
    offset: int = 0

    def query(self, principal: Principal) -> SearchQuery:
        """The search to run for ``principal`` (agencies: only dossiers routed to them)."""
        restrict = restriction(principal)
        return SearchQuery(
            self.q, procedure_code=self.procedure.strip() or None,
            agency_code=self.agency.strip() or None, doc_type=self.type.strip() or None,
            received_from=_day(self.from_, "Từ ngày"), received_to=_day(self.to, "Đến ngày"),
            status=_status(self.status), limit=self.limit, offset=self.offset,
            restrict_to_agencies=frozenset(restrict) if restrict is not None else None)

    def link(self, offset: int) -> str:
        """This search's page starting at ``offset``."""
        values = {("from" if k == "from_" else k): v for k, v in asdict(self).items()}
        values["offset"] = offset
        return "/search?" + urlencode({k: v for k, v in values.items()
                                       if v not in ("", 0) or k == "q"})


def restriction(principal: Principal) -> frozenset[str] | None:
    """The agencies an agency's search is restricted to (None: every dossier)."""
    return principal.agency_codes if principal.role is Role.AGENCY else None


def checked(ctx: WorkContext, principal: Principal,
            form: SearchForm) -> tuple[SearchForm, FieldErrors, FilterChoices]:
    """The form with each filter resolved to its code (a name picked or typed is fine), and
    the problem of each filter the system does not know, by field."""
    choices = FilterChoices.of(ctx, dossier_facets(ctx.catalog, restriction(principal)))
    errors: FieldErrors = {}
    procedure = choice_field(form.procedure, choices.procedures, "procedure", "Thủ tục",
                             errors, also_known=ctx.procedures().codes())
    agency = choice_field(form.agency, choices.agencies, "agency", "Cơ quan tiếp nhận",
                          errors)
    doc_type = choice_field(form.type, choices.doc_types, "type", "Loại giấy tờ", errors,
                            also_known=BY_CODE)
    start = day_field(form.from_, "from", "Tiếp nhận từ ngày", errors)
    end = day_field(form.to, "to", "Đến ngày", errors)
    check_range(start, end, "to", errors)
    status_field(form.status, errors)
    resolved = replace(form, procedure=procedure or form.procedure, agency=agency or
                       form.agency, type=doc_type or form.type)
    return resolved, errors, choices


def search_form(q: str = "", procedure: str = "", agency: str = "",
                type: Annotated[str, Query(description="document type code")] = "",  # noqa: A002
                from_: Annotated[str, Query(alias="from", description="YYYY-MM-DD")] = "",
                to: Annotated[str, Query(description="YYYY-MM-DD, inclusive")] = "",
                status: Annotated[str, Query(description="1-10")] = "",
                limit: int = PAGE_SIZE, offset: int = 0) -> SearchForm:
    return SearchForm(q, procedure, agency, type, from_, to, status, limit, offset)


Form = Annotated[SearchForm, Depends(search_form)]


def _day(value: str, label: str) -> date | None:
    errors: FieldErrors = {}
    day = day_field(value, "day", label, errors)
    if errors:
        raise SearchQueryError(errors["day"])
    return day


def _status(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise SearchQueryError(f"Trạng thái hồ sơ phải là số từ 1 đến 10, không phải "
                               f"'{value[:40]}'.")
    return int(value)


def run_search(catalog: Catalog, principal: Principal, form: SearchForm) -> SearchResults:
    """What both routes do (callable without HTTP)."""
    return SearchIndex(catalog).search(form.query(principal))


def _audited(request: Request, form: SearchForm, results: SearchResults) -> None:
    """Searches read citizens' papers (the snippets): each is in the audit log."""
    filters = {k: v for k, v in asdict(form).items() if v not in ("", 0) and k != "limit"}
    audit(request, "search", detail={**filters, "q": form.q[:200], "total": results.total})


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, ctx: ContextDep, who: Reader, form: Form) -> HTMLResponse:
    resolved, errors, choices = checked(ctx, who, form)
    results, error = None, None
    if form.q.strip() and not errors:
        try:
            results = run_search(ctx.catalog, who, resolved)
            _audited(request, resolved, results)
        except SearchQueryError as exc:
            error = exc.message
    typed = {"procedure": form.procedure if "procedure" in errors
             else choices.label("procedures", resolved.procedure),
             "agency": resolved.agency, "type": resolved.type, "status": form.status,
             "from": form.from_ if "from" in errors else shown_day(form.from_, _day_or_none(
                 form.from_)),
             "to": form.to if "to" in errors else shown_day(form.to, _day_or_none(form.to))}
    context = {"form": form, "typed": typed, "choices": choices, "errors": errors,
               "results": results, "error": error, "pdf_url": api.pdf_url,
               "procedure_name": lambda code: procedure_name(ctx, code),
               "doc_type_name": lambda code: doc_type_name(ctx, code),
               "statuses": STATUS_NAMES, "who": who, "tz": VIETNAM,
               "previous": form.link(max(0, form.offset - form.limit))
               if results and form.offset > 0 else None,
               "next": form.link(form.offset + form.limit)
               if results and form.offset + len(results.hits) < results.total else None}
    return TEMPLATES.TemplateResponse(request, "search.html", context,
                                      status_code=422 if error or errors else 200)


def _day_or_none(value: str) -> date | None:
    return day_field(value, "day", "", {})


@router.get("/api/v1/search", response_model=api.SearchResponse,
            responses={422: {"description": "the query cannot be run (message in Vietnamese)",
                             "content": {"application/json": {"example": {
                                 "error": "Câu tìm kiếm quá dài (12000 ký tự, tối đa 500)."}}}}})
def search_api(request: Request, ctx: ContextDep, who: Reader,
               form: Form) -> api.SearchResponse | JSONResponse:
    """Full-text search over the OCR text of the stored documents, page by page: every word
    required, diacritics optional (pages with them as typed come first), filters combined."""
    resolved, errors, _ = checked(ctx, who, form)
    if errors:
        return JSONResponse({"error": " ".join(errors.values()), "fields": errors},
                            status_code=422)
    try:
        results = run_search(ctx.catalog, who, resolved)
    except SearchQueryError as exc:
        return JSONResponse({"error": exc.message}, status_code=422)
    _audited(request, resolved, results)
    return api.response_of(results, form.q, form.limit, form.offset)
