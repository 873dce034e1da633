"""Dependencies of the routes (``Annotated``, as in the FastAPI project template)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sohoa.api.state import Counter
from sohoa.errors import DossierNotFoundError
from sohoa.processing.context import WorkContext


def get_counter(request: Request) -> Counter:
    return request.app.state.counter


CounterDep = Annotated[Counter, Depends(get_counter)]


def get_context(counter: CounterDep) -> WorkContext:
    return counter.ctx


ContextDep = Annotated[WorkContext, Depends(get_context)]


def existing_dossier(code: str, ctx: ContextDep) -> str:
    """The dossier code from the URL, refused in Vietnamese when the catalog has no such
    dossier (before any route touches it)."""
    if not ctx.catalog.has_dossier(code):
        raise DossierNotFoundError(f"Không có hồ sơ mã {code} trong danh mục")
    return code


DossierCode = Annotated[str, Depends(existing_dossier)]
