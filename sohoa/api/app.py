"""The counter app: ``create_app(settings)`` for ``sohoa serve``, tests and other hosts.

Runs on whatever profile the settings name — the embedded default (SQLite, local object
store, pages on a process pool in this machine) or the scale profile (PostgreSQL, S3, a
broker and ``sohoa worker`` processes): the routes do not know which.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from sohoa import __version__
from sohoa.api.auth import WebAuth, authentication_error, permission_error, require, secret_key
from sohoa.api.errors import http_error, internal_error, sohoa_error, validation_error
from sohoa.api.limits import BodyLimit
from sohoa.api.routers import (
    account,
    admin,
    agency,
    agency_pages,
    archive_pages,
    dossiers,
    home,
    page_corrections,
    procedures,
    scans,
    search,
)
from sohoa.api.settings import CounterSettings
from sohoa.api.state import HERE, Counter
from sohoa.domain.access import Role
from sohoa.errors import AuthenticationError, PermissionDeniedError, SohoaError
from sohoa.processing.context import open_context
from sohoa.services import portal
from sohoa.services.background import Processor
from sohoa.settings import Settings


def create_app(settings: Settings, counter: CounterSettings | None = None) -> FastAPI:
    """The app; the catalog and store are opened at start-up and closed at shutdown (after
    the background work already started has finished)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ctx = open_context(settings)
        processor = Processor()
        app.state.counter = Counter(ctx, processor, counter or CounterSettings(),
                                    settings.data_dir / "cache" / "thumbnails")
        app.state.auth = WebAuth.open(ctx.catalog, settings, app.state.counter.settings)
        app.state.secret_key = secret_key(settings)  # also signs short-lived document links
        portal_sender = portal.start_embedded_sender(ctx, app.state.secret_key)
        try:
            yield
        finally:
            if portal_sender is not None:
                thread, stop = portal_sender
                stop.set()
                thread.join(timeout=ctx.settings.portal.timeout_s + 5)
            processor.shutdown()
            ctx.close()

    app = FastAPI(title="sohoa — Bộ phận một cửa", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json", version=__version__,
                  description="Quầy một cửa (HTML) và API cho cơ quan giải quyết (/api/v1, "
                  "xác thực bằng mã truy cập: Authorization: Bearer sohoa_…).")
    app.add_middleware(BodyLimit, max_bytes=(counter or CounterSettings()).max_request_bytes)
    app.add_exception_handler(SohoaError, sohoa_error)
    app.add_exception_handler(AuthenticationError, authentication_error)
    app.add_exception_handler(PermissionDeniedError, permission_error)
    app.add_exception_handler(HTTPException, http_error)  # unknown URL, wrong method …
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, internal_error)  # never the framework's page
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    clerk = [Depends(require(Role.CLERK, Role.ADMIN))]  # the counter: clerks (and admins)
    for module in (home, dossiers, scans, page_corrections):
        app.include_router(module.router, dependencies=clerk)
    for module in (account, admin, procedures, agency, agency_pages, search, archive_pages):
        app.include_router(module.router)
    app.include_router(agency.links)
    return app
