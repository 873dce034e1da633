"""One page of the dossier: its pictures (thumbnail, viewer), and the clerk's corrections
to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from sohoa.api.auth import audited
from sohoa.api.deps import CounterDep, DossierCode
from sohoa.services.corrections import correct
from sohoa.services.thumbnails import VIEWER_WIDTH, thumbnail

router = APIRouter(prefix="/dossiers/{code}/pages")


@router.get("/{index}/thumb.png")
def page_thumbnail(code: DossierCode, index: int, counter: CounterDep) -> Response:
    """The page as the list shows it (the processed page once read; the screen adds the
    page's state to the URL, so a cached raw picture is not shown after)."""
    return _picture(counter, code, index, counter.settings.thumbnail_width)


@router.get("/{index}/view.png")
def page_picture(code: DossierCode, index: int, counter: CounterDep) -> Response:
    """The page large, for the viewer."""
    return _picture(counter, code, index, VIEWER_WIDTH)


def _picture(counter: CounterDep, code: str, index: int, width: int) -> Response:
    png = thumbnail(counter.ctx, counter.thumbnail_cache, code, index, width)
    return Response(png, media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.post("/{position}/{action}")
def page_correction(request: Request, code: DossierCode, position: int, action: str,
                    counter: CounterDep,
                    doc_type: Annotated[str | None, Form()] = None) -> RedirectResponse:
    """type / remove / restore / up / down / split / join, then the new verdict."""
    change = {"position": position, "change": action, "doc_type": doc_type}
    with audited(request, "dossier.correct", dossier_code=code, detail=change):
        correct(counter.ctx, code, position, action, doc_type)
    return RedirectResponse(f"/dossiers/{code}#trang-{position}", status_code=303)
