"""Typed errors to HTTP responses, in one place (like :func:`sohoa.cli.main` for exit codes).

A page request gets a rendered page with the message in Vietnamese — the dossier's own
screen when the URL names a dossier that exists, so nothing on it is lost from view; the
JSON endpoints get ``{"error": message}``.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, Response

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
    """The API and the status endpoints answer JSON whatever the client accepts."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or \
        "application/json" in request.headers.get("accept", "")


async def sohoa_error(request: Request, exc: Exception) -> Response:
    """The exception handler registered for every :class:`SohoaError`."""
    assert isinstance(exc, SohoaError)
    status = status_for(exc)
    if wants_json(request):
        body = {"error": exc.message, "reason": getattr(exc, "reason", None)}
        return JSONResponse(body, status_code=status)
    return render_error(request, exc.message, status)
