"""A dossier at the counter: its screen, live progress, acceptance, receipt, documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sohoa.api.auth import audit, audited, client_address, principal_of
from sohoa.api.deps import ContextDep, CounterDep, DossierCode
from sohoa.api.pages import dossier_screen, pdf_download, render_dossier
from sohoa.api.views import dossier_view
from sohoa.errors import ObjectNotFoundError, StorageError
from sohoa.pipeline.receipt import Applicant
from sohoa.processing import review as reviewing
from sohoa.services import reuse
from sohoa.services.agency import download_name
from sohoa.services.intake import batches_of, process_messages, refuse_dossier
from sohoa.services.receipts import clerk_name, dossier_paper, paper_file_name
from sohoa.storage.records import BatchState, DossierStatus

router = APIRouter(prefix="/dossiers/{code}")


@router.get("", response_class=HTMLResponse)
def dossier_page(request: Request, code: DossierCode) -> Response:
    return dossier_screen(request, code)


@router.get("/live", response_class=HTMLResponse)
def live_fragment(request: Request, code: DossierCode) -> HTMLResponse:
    """The part of the screen that changes while pages are processed (polled every ~1 s)."""
    return render_dossier(request, code, template="_live.html")


@router.get("/status.json")
def status(code: DossierCode, counter: CounterDep) -> dict:
    view = dossier_view(counter.ctx, code, counter.processor.busy(code),
                        counter.processor.error(code))
    status = DossierStatus(view.record.status)
    return {"code": code, "status": int(status), "status_label": status.label,
            "state": view.state, "state_text": view.state_text,
            "busy": view.busy, "pages_total": len(view.pages), "pages_done": view.pages_done,
            "complete": view.verdict.complete if view.verdict else None,
            "summary": view.verdict.summary if view.verdict else None,
            "page_types": [p.doc_type for p in view.pages],
            "documents": [d.key for d in view.documents], "error": view.error}


@router.post("/accept")
def accept(request: Request, code: DossierCode, counter: CounterDep) -> RedirectResponse:
    """Accept every batch held for review: their documents are built, signed and stored in
    the background."""
    ctx = counter.ctx
    held = [b.number for b in batches_of(ctx, code) if b.state == BatchState.REVIEW]
    with audited(request, "dossier.accept", dossier_code=code, detail={"batches": held}):
        if not held:
            raise StorageError("Không có lô quét nào đang chờ tiếp nhận (chưa xử lý xong, "
                               "hoặc đã tiếp nhận rồi)")
        for number in held:
            messages = reviewing.accept(ctx, code, number)
            counter.processor.submit(code, lambda m=messages: process_messages(ctx, m))
    return RedirectResponse(f"/dossiers/{code}", status_code=303)


@router.post("/refuse")
def refuse(request: Request, code: DossierCode, ctx: ContextDep,
           reason: Annotated[str, Form(max_length=500)] = "") -> RedirectResponse:
    """The clerk refuses a dossier not received (3, không được tiếp nhận): never routed.
    The reason is required (it is what the refusal slip says); a blank one is sent back to
    the dossier's screen with the question, nothing changed."""
    with audited(request, "dossier.refuse", dossier_code=code,
                 detail={"reason": " ".join(reason.split()) or None}):
        refuse_dossier(ctx, code, reason)
    return RedirectResponse(f"/dossiers/{code}", status_code=303)


@router.get("/receipt.pdf")
def receipt(request: Request, code: DossierCode, ctx: ContextDep, name: str = "",
            address: str = "", contact: str = "") -> Response:
    """The counter's paper for the dossier, signed for by the clerk who asks for it: the
    receipt (complete), the request to complete it (incomplete), or the refusal slip
    (refused, status 3). One URL for all three: the clerk prints "the dossier's paper" and
    the dossier's state decides which it is, as on the command line."""
    clerk = clerk_name(ctx, principal_of(request).username)
    kind, pdf = dossier_paper(ctx, code, Applicant(name.strip(), address.strip(),
                                                   contact.strip()), receiver=clerk)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition":
                             f'inline; filename="{paper_file_name(kind, code)}"'})


@router.get("/documents/{ordinal}.pdf")
def document(request: Request, code: DossierCode, ordinal: int, ctx: ContextDep) -> Response:
    """A signed document of the dossier, from the object store (checked against its hash);
    the read is in the audit log before a byte is sent."""
    record = ctx.catalog.dossier(code)
    found = next((d for d in record.documents if d.ordinal == ordinal), None)
    if found is None:
        raise ObjectNotFoundError(f"Hồ sơ {code} không có tài liệu số {ordinal}")
    data = ctx.objects.get(found.key, found.sha256, version_id=found.version_id)
    audit(request, "document.read", dossier_code=code, target=found.key,
          detail={"ordinal": ordinal, "sha256": found.sha256})
    return pdf_download(download_name(code, found.key), found.sha256, data)


@router.post("/reuse")
def decide_reuse(request: Request, code: DossierCode, ctx: ContextDep,
                 item_id: Annotated[str, Form(max_length=128)],
                 paper: Annotated[str, Form(max_length=200)],
                 accept: Annotated[bool, Form()]) -> RedirectResponse:
    """The clerk confirms (or declines) reusing an earlier digitized paper for an item:
    linked to this dossier, never copied; audited."""
    reuse.decide(ctx, principal_of(request), code, item_id, paper, accept,
                 client_address(request))
    return RedirectResponse(f"/dossiers/{code}", status_code=303)
