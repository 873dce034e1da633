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
                        counter.processor.error(code))
    context = {"d": view, "message": message, "problem": problem,
               "scanner": counter.settings.scanner_device}
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


ERROR_TITLES = {400: "Yêu cầu không hợp lệ", 401: "Cần đăng nhập",
                403: "Không được phép", 404: "Không tìm thấy",
                405: "Thao tác không được hỗ trợ", 409: "Chưa thực hiện được",
                413: "Tệp quá lớn", 422: "Dữ liệu chưa đúng", 429: "Quá nhiều yêu cầu",
                500: "Lỗi hệ thống", 503: "Dịch vụ tạm thời không sẵn sàng"}


def render_error(request: Request, message: str, status_code: int, *,
                 fields: dict[str, str] | None = None) -> HTMLResponse:
    """The dossier's screen with the message when the URL names an existing dossier (the
    clerk keeps every page in view), a plain error page otherwise."""
    code = request.path_params.get("code")
    counter = counter_of(request)
    if code and request.method == "POST" and counter.ctx.catalog.has_dossier(code):
        return render_dossier(request, code, problem=message, status_code=status_code)
    title = ERROR_TITLES.get(status_code, "Không thực hiện được")
    return TEMPLATES.TemplateResponse(request, "error.html", {
        "message": message, "title": title, "status_code": status_code,
        "fields": fields or {}}, status_code=status_code)
