"""The counter app: ``create_app(settings)`` for ``sohoa serve``, tests and other hosts.

Runs on whatever profile the settings name — the embedded default (SQLite, local object
store, pages on a process pool in this machine) or the scale profile (PostgreSQL, S3, a
broker and ``sohoa worker`` processes): the routes do not know which.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sohoa.api.background import Processor
from sohoa.api.errors import sohoa_error
from sohoa.api.routers import dossiers, home, page_corrections, scans
from sohoa.api.settings import CounterSettings
from sohoa.api.state import HERE, Counter
from sohoa.errors import SohoaError
from sohoa.processing.context import open_context
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
        try:
            yield
        finally:
            processor.shutdown()
            ctx.close()

    app = FastAPI(title="sohoa — Bộ phận một cửa", lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.add_exception_handler(SohoaError, sohoa_error)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (home, dossiers, scans, page_corrections):
        app.include_router(module.router)
    return app
