"""Rendering the counter's pages (the only place templates are filled)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from sohoa.api.auth import auth_of
from sohoa.api.state import TEMPLATES, Counter
from sohoa.api.views import dossier_view

PROBLEM_COOKIE = "sohoa_problem"
PROBLEM_MAX_AGE_S = 300
PROBLEM_MAX_CHARS = 600
"""A cookie holds ~4 KB; the message of a refused batch is one line per file, cut here."""


def counter_of(request: Request) -> Counter:
    return request.app.state.counter


def back_to_dossier(request: Request, code: str, problem: str | None = None,
                    anchor: str = "") -> RedirectResponse:
    """Post-redirect-get to the dossier's screen; ``problem`` travels in a short-lived
    signed cookie of that screen's path, shown once by :func:`dossier_screen`."""
    response = RedirectResponse(f"/dossiers/{code}{anchor}", status_code=303)
    if problem:
        value = _problems(request).dumps(problem[:PROBLEM_MAX_CHARS])
        auth_of(request).set_cookie(response, PROBLEM_COOKIE, value, PROBLEM_MAX_AGE_S,
                                    path=f"/dossiers/{code}")
    return response


def dossier_screen(request: Request, code: str) -> Response:
    """The dossier's screen, with the problem the last form left (once).

    An upload sent by script (upload.js) follows the redirect itself, then opens the screen:
    that follow-up is answered empty so the message waits for the screen."""
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return Response(status_code=204)
    problem, cookie = None, request.cookies.get(PROBLEM_COOKIE)
    if cookie:
        try:
            problem = str(_problems(request).loads(cookie, max_age=PROBLEM_MAX_AGE_S))
        except BadSignature:
            problem = None
    response = render_dossier(request, code, problem=problem)
    if cookie:
        response.delete_cookie(PROBLEM_COOKIE, path=f"/dossiers/{code}", httponly=True,
                               samesite="strict", secure=auth_of(request).secure_cookies)
    return response


def _problems(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="sohoa.problem")


def render_dossier(request: Request, code: str, *, message: str | None = None,
                   problem: str | None = None, status_code: int = 200,
                   template: str = "dossier.html") -> Response:
    """The counter screen (or its live fragment) for dossier ``code``. A problem a form
    met (a POST) is not shown at the form's URL but back on the screen's own
    (post-redirect-get: F5 does not post again)."""
    if problem and request.method == "POST":
        return back_to_dossier(request, code, problem)
    counter = counter_of(request)
    view = dossier_view(counter.ctx, code, counter.processor.busy(code),
                        counter.processor.error(code), getattr(request.state, "principal", None))
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


def pdf_download(name: str, sha256: str, data: bytes) -> Response:
    """A stored PDF, inline (the browser's viewer opens it at ``#page=N``) and saved under
    ``name`` (``<dossier code>-01-<type>.pdf``, :func:`sohoa.services.agency.download_name`)."""
    plain = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-SHA256": sha256, "Cache-Control": "no-store"})
