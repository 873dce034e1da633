"""Typed errors to HTTP responses, in one place (like :func:`sohoa.cli.main` for exit codes).

A page request gets a rendered page with the message in Vietnamese — the dossier's own
screen when the URL names a dossier that exists, so nothing on it is lost from view; the
JSON endpoints get ``{"error": message}`` (one shape for every 4xx and 5xx, 422 included:
a request that does not validate also carries ``"fields"``, each parameter's problem).

The framework's own refusals (unknown URL, wrong method, a parameter that does not
validate, an unexpected crash) come through here too, so no browser ever sees
``{"detail":"Not Found"}`` or an English word from FastAPI: :func:`http_error`,
:func:`validation_error`, :func:`internal_error`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from sohoa.api.auth import principal_of
from sohoa.api.pages import render_error
from sohoa.errors import (
    AccountError,
    AuthenticationError,
    CatalogError,
    ConfigurationError,
    DossierNotFoundError,
    FileTooLargeError,
    InputError,
    ObjectNotFoundError,
    OverrideError,
    PermissionDeniedError,
    ScannerError,
    ServiceUnavailableError,
    SohoaError,
    StorageError,
    UnknownProcedureError,
    UsageError,
)

STATUS = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (AccountError, 422),
    (UsageError, 422),
    (DossierNotFoundError, 404),
    (UnknownProcedureError, 404),
    (ObjectNotFoundError, 404),
    (FileTooLargeError, 413),
    (InputError, 422),
    (OverrideError, 422),
    (CatalogError, 422),
    (ServiceUnavailableError, 503),
    (StorageError, 409),
    (ConfigurationError, 503),
)
SCANNER_STATUS = {"missing": 503, "no-device": 503, "timeout": 504}
"""Other scanner problems (busy, feeder empty, jammed, cover open) are the device's state:
409, the clerk fixes the scanner and presses "Quét" again."""


def status_for(exc: SohoaError) -> int:
    if isinstance(exc, ScannerError):
        return SCANNER_STATUS.get(exc.reason, 409)
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 500)


def wants_json(request: Request) -> bool:
    """The API and the status endpoints answer JSON whatever the client accepts; elsewhere
    only a client asking for JSON gets it (a browser gets the Vietnamese page)."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or \
        "application/json" in request.headers.get("accept", "")


async def error_response(request: Request, message: str, status: int, *,
                   fields: dict[str, str] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """``{"error": message}`` for API clients, the Vietnamese error page for browsers."""
    if wants_json(request):
        body: dict[str, object] = {"error": message}
        if fields:
            body["fields"] = fields
        response: Response = JSONResponse(body, status_code=status)
    else:
        await run_in_threadpool(_known_principal, request)
        response = render_error(request, message, status, fields=fields)
    response.headers.update(headers or {})
    return response


def _known_principal(request: Request) -> None:
    """Who is signed in, if anyone, so the page keeps their menu and their home link (no
    route ran to find out when the URL matched none)."""
    with contextlib.suppress(Exception):  # an error page must never fail in turn
        principal_of(request)


async def sohoa_error(request: Request, exc: Exception) -> Response:
    """The exception handler registered for every :class:`SohoaError`."""
    assert isinstance(exc, SohoaError)
    status = status_for(exc)
    if wants_json(request):
        body = {"error": exc.message, "reason": getattr(exc, "reason", None)}
        return JSONResponse(body, status_code=status)
    return render_error(request, exc.message, status)


HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Vui lòng đăng nhập.",
    403: "Bạn không được dùng chức năng này.",
    404: "Không tìm thấy trang {path} — địa chỉ sai hoặc trang không còn nữa.",
    405: "Trang {path} không nhận thao tác {method}.",
    406: "Không trả lời được theo định dạng yêu cầu.",
    409: "Thao tác xung đột với trạng thái hiện tại; tải lại trang rồi thử lại.",
    413: "Yêu cầu quá lớn.",
    415: "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    429: "Quá nhiều yêu cầu; vui lòng đợi một lát rồi thử lại.",
}
"""The framework's refusals in Vietnamese (its own ``detail`` is the English status phrase)."""


async def http_error(request: Request, exc: Exception) -> Response:
    """An unknown URL, a wrong method …: Vietnamese page or ``{"error": …}``; a message the
    app itself put in the exception (e.g. :mod:`sohoa.api.limits`) is kept."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if exc.detail and exc.detail != _phrase(status):
        message = str(exc.detail)
    else:
        template = HTTP_MESSAGES.get(status, "Không thực hiện được yêu cầu (mã {status}).")
        message = template.format(path=request.url.path, method=request.method,
                                  status=status)
    return await error_response(request, message, status, headers=exc.headers)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


PROBLEMS = {
    "missing": "chưa nhập",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "bool_parsing": "phải là có/không",
    "date_parsing": "ngày không hợp lệ (dạng YYYY-MM-DD, ví dụ 2026-11-23)",
    "date_from_datetime_parsing": "ngày không hợp lệ (dạng YYYY-MM-DD, ví dụ 2026-11-23)",
    "date_from_datetime_inexact": "ngày không hợp lệ (dạng YYYY-MM-DD, ví dụ 2026-11-23)",
    "datetime_parsing": "thời điểm không hợp lệ",
    "greater_than_equal": "phải từ {ge} trở lên",
    "greater_than": "phải lớn hơn {gt}",
    "less_than_equal": "phải không quá {le}",
    "less_than": "phải nhỏ hơn {lt}",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "string_too_short": "quá ngắn (ít nhất {min_length} ký tự)",
    "too_long": "quá nhiều giá trị",
    "enum": "phải là một trong: {expected}",
    "literal_error": "phải là một trong: {expected}",
    "json_invalid": "dữ liệu JSON sai cú pháp",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "extra_forbidden": "không được gửi trường này",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
}
"""Pydantic's error types in Vietnamese (its own messages are English)."""
PLACES = {"query": "tham số", "path": "địa chỉ", "body": "trường", "header": "tiêu đề",
          "cookie": "cookie"}


def field_problems(exc: RequestValidationError) -> dict[str, str]:
    """Each parameter that did not validate, with its problem in Vietnamese."""
    problems: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        name, text = ".".join(loc[1:]), _problem(error)
        if name:
            problems.setdefault(name, f"{PLACES.get(loc[0], 'tham số')} '{name}': {text}")
        else:  # the whole body: nothing, or no JSON, was sent
            problems.setdefault(loc[0] if loc else "body", f"nội dung gửi lên: {text}")
    return problems


def _problem(error: Mapping[str, Any]) -> str:
    template = PROBLEMS.get(error.get("type", ""), "giá trị không hợp lệ")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "giá trị không hợp lệ"


async def validation_error(request: Request, exc: Exception) -> Response:
    """A parameter that does not validate: 422 with each problem in Vietnamese."""
    assert isinstance(exc, RequestValidationError)
    fields = field_problems(exc)
    message = "Dữ liệu gửi lên không hợp lệ: " + "; ".join(fields.values()) + "."
    return await error_response(request, message, 422, fields=fields)


async def internal_error(request: Request, exc: Exception) -> Response:
    """An unexpected crash: a Vietnamese message, never a framework page (the traceback
    goes to the server's log, as before)."""
    return await error_response(request, "Lỗi hệ thống: yêu cầu chưa thực hiện được. Vui lòng "
                          "thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống.", 500)
