"""Rendering the counter's pages (the only place templates are filled)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from sohoa.api.state import TEMPLATES, Counter
from sohoa.api.views import dossier_view


def counter_of(request: Request) -> Counter:
    return request.app.state.counter


def render_dossier(request: Request, code: str, *, message: str | None = None,
                   problem: str | None = None, status_code: int = 200,
                   template: str = "dossier.html") -> HTMLResponse:
    """The counter screen (or its live fragment) for dossier ``code``."""
    counter = counter_of(request)
    view = dossier_view(counter.ctx, code, counter.processor.busy(code),
                        counter.processor.error(code), getattr(request.state, "principal", None))
    context = {"d": view, "message": message, "problem": problem,
               "scanner": counter.settings.scanner_device}
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def render_error(request: Request, message: str, status_code: int) -> HTMLResponse:
    """The dossier's screen with the message when the URL names an existing dossier (the
    clerk keeps every page in view), a plain error page otherwise."""
    code = request.path_params.get("code")
    counter = counter_of(request)
    if code and counter.ctx.catalog.has_dossier(code) and request.method == "POST":
        return render_dossier(request, code, problem=message, status_code=status_code)
    return TEMPLATES.TemplateResponse(request, "error.html", {"message": message},
                                      status_code=status_code)
