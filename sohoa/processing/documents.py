"""Batch steps: analyse the processed pages, build and sign each document, close the batch.

``analyse_batch`` classifies the batch's pages, cuts them into documents and judges them
against the procedure's checklist; the result (the *plan*) is recorded once in the catalog.
``build_document`` then assembles one planned document from the stored page artefacts,
signs it and stores it — one message per document, so a dossier's documents are built on
several workers at once. ``finish_batch`` records the verdict when every document is in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sohoa.clock import vietnam_now
from sohoa.domain.pages import PageImageFile, PageRead
from sohoa.domain.papers import with_reused
from sohoa.domain.plan import PlannedDocument
from sohoa.domain.routing import load_routing
from sohoa.errors import StorageError
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.document import build_document as assemble_document
from sohoa.pipeline.document import document_text
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.signers import SignerHandle
from sohoa.processing.analysis import analyse_pages
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import BUILD_DOCUMENT, FINISH_BATCH, Message, batch_message
from sohoa.processing.owner import keep_scanned_applicant, record_owner
from sohoa.storage.batches import receivable
from sohoa.storage.objects import ObjectLock, ObjectStore, StoredObject, document_key, text_key
from sohoa.storage.papers import accepted_reuses
from sohoa.storage.records import BatchRecord, BatchState, DossierStatus, Lane, PageState, PageWork
from sohoa.storage.retention import document_lock
from sohoa.storage.routing import route


def analyse_batch(ctx: WorkContext, payload: dict) -> list[Message]:
    """Classify and segment a batch whose pages are all finished; then build its documents
    (or, for a batch held at the counter, wait for the clerk: :mod:`.review`)."""
    ledger = ctx.catalog.batches
    batch = ledger.batch(payload["dossier"], payload["batch"])
    if batch.state == BatchState.PAGES:
        pages = ledger.pages(batch.dossier_code, batch.number)
        if any(p.state == PageState.PENDING for p in pages):
            return []  # an early duplicate: the last page's step will ask again
        plan, types = analyse_pages(ctx, batch, pages, batch.corrections)
        batch = ledger.record_plan(batch.dossier_code, batch.number, plan, types)
        keep_scanned_applicant(ctx, batch.dossier_code, batch.number)  # the work list's name
    return next_documents(ctx, batch)  # nothing while held for the clerk's review


def next_documents(ctx: WorkContext, batch: BatchRecord) -> list[Message]:
    """The documents of an analysed batch still to build, or the closing step."""
    if batch.state != BatchState.ANALYSED:
        return []
    stored = ctx.catalog.batches.stored_ordinals(batch.dossier_code)
    todo = [n for n in batch.plan.ordinals if n not in stored]
    if not todo:
        return [batch_message(FINISH_BATCH, batch.dossier_code, batch.number, batch.lane)]
    return [batch_message(BUILD_DOCUMENT, batch.dossier_code, batch.number, batch.lane,
                          ordinal=n) for n in todo]


def build_document(ctx: WorkContext, payload: dict) -> list[Message]:
    """Assemble, sign and store one planned document, unless it is already recorded."""
    ledger = ctx.catalog.batches
    batch = ledger.batch(payload["dossier"], payload["batch"])
    planned = batch.plan.document(payload["ordinal"]) if batch.plan else None
    if planned is None:
        raise StorageError(f"Lô {batch.number} của hồ sơ {batch.dossier_code} không có tài liệu "
                           f"số {payload['ordinal']}")
    if payload["ordinal"] not in ledger.stored_ordinals(batch.dossier_code):
        _build(ctx, batch, planned)
    return next_documents(ctx, ctx.catalog.batches.batch(batch.dossier_code, batch.number))


def finish_batch(ctx: WorkContext, payload: dict) -> list[Message]:
    """Record the dossier's verdict once every planned document is stored."""
    batch = ctx.catalog.batches.batch(payload["dossier"], payload["batch"])
    if batch.state == BatchState.ANALYSED and not next_documents_pending(ctx, batch):
        verdict = with_reused(batch.plan.verdict,
                              accepted_reuses(ctx.catalog, batch.dossier_code))
        if routable(ctx, batch, verdict.complete):
            route_dossier(ctx, batch)  # first: a crash in between is redone by redelivery
        record_owner(ctx, batch.dossier_code)  # the citizen's store (idempotent)
        ctx.catalog.batches.finish(batch.dossier_code, batch.number,
                                   verdict.model_dump(mode="json"), verdict.complete)
    return []


def routable(ctx: WorkContext, batch: BatchRecord, complete: bool) -> bool:
    """Whether the dossier goes to the agencies once this batch is finished: not while it is
    incomplete at the counter (status 1: not received), never once the clerk refused it (3)."""
    status = ctx.catalog.dossier_status(batch.dossier_code)
    if status == DossierStatus.KHONG_DUOC_TIEP_NHAN:
        return False
    return status != DossierStatus.MOI_DANG_KY or receivable(complete, Lane(batch.lane))


def route_dossier(ctx: WorkContext, batch: BatchRecord) -> None:
    """Route the dossier to the agencies that decide its procedure (idempotent): from now on
    they can fetch its documents."""
    agencies = load_routing(ctx.settings.routing_path).agencies_for(
        batch.procedure_code, ctx.catalog.dossier_agency(batch.dossier_code))
    route(ctx.catalog, batch.dossier_code, agencies)


def next_documents_pending(ctx: WorkContext, batch: BatchRecord) -> bool:
    stored = ctx.catalog.batches.stored_ordinals(batch.dossier_code)
    return any(n not in stored for n in batch.plan.ordinals)




# --- building --------------------------------------------------------------------------------


def _build(ctx: WorkContext, batch: BatchRecord, doc: PlannedDocument) -> None:
    work = {p.index: p for p in ctx.catalog.batches.pages(batch.dossier_code, batch.number)}
    folder = ctx.scratch / f"doc-{batch.dossier_code}-{doc.ordinal}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        results = [fetch_page(ctx.objects, work[i], folder) for i in doc.pages]
        signer = ctx.signer()
        meta = DocumentMetadata(title=doc.title, digitized_at=vietnam_now(),
                                digitized_by=signer.signer_name,
                                dossier_code=batch.dossier_code,
                                procedure_code=batch.procedure_code)
        pdf = sign_pdf(assemble_document(results, meta), signer, ctx.settings.signing,
                       now=meta.digitized_at)
        store_document(ctx, batch, doc, pdf, document_text(results), meta.digitized_at, signer)
        ctx.catalog.batches.touch(batch.dossier_code, batch.number)  # progress: not idle
    finally:
        for path in folder.glob("*"):
            path.unlink(missing_ok=True)
        folder.rmdir()


def fetch_page(objects: ObjectStore, page: PageWork, folder: Path) -> PageRead:
    """A processed page's result with its artefacts fetched into ``folder`` (checked against
    their SHA-256), in the form :func:`sohoa.pipeline.document.build_document` reads."""
    stored = page.stored
    if stored is None:
        raise StorageError(f"trang {page.index + 1} của hồ sơ {page.dossier_code} chưa được đọc")
    image_path = folder / f"{page.index:04d}.img"
    layer_path = folder / f"{page.index:04d}.layer.pdf"
    image_path.write_bytes(objects.get(stored.image.key, stored.image.sha256))
    layer_path.write_bytes(objects.get(stored.text_layer.key, stored.text_layer.sha256))
    image = PageImageFile(**stored.image.model_dump(exclude={"key", "sha256"}),
                          path=str(image_path))
    return PageRead(report=stored.report, text=page.text, qr=stored.qr, image=image,
                    text_layer=str(layer_path))


def store_document(ctx: WorkContext, batch: BatchRecord, doc: PlannedDocument, pdf: bytes,
                   text: str, signed_at: datetime, signer: SignerHandle) -> None:
    """Store a signed document (locked for its retention) and its text, and record it."""
    code, ordinal, slug = batch.dossier_code, doc.ordinal, doc.doc_type
    lock = document_lock(ctx.settings.retention_path, batch.procedure_code, slug, signed_at)
    stored = put_once(ctx.objects, document_key(code, ordinal, slug), pdf, "application/pdf",
                      lock)
    ctx.objects.put(text_key(code, ordinal, slug), text.encode("utf-8"), "text/plain")
    ctx.catalog.add_document(code, ordinal, stored, title=doc.title,
                             page_count=len(doc.pages), doc_type=slug,
                             signed_at=signed_at, signer=signer.signer_name,
                             item_id=doc.item_id, page_indexes=doc.pages,
                             retain_until=lock.recorded_until)


def put_once(objects: ObjectStore, key: str, data: bytes, content_type: str,
             lock: bool | ObjectLock = True) -> StoredObject:
    """Store a signed document, or keep the one an interrupted earlier run already stored.

    Signing is not reproducible (the signing time is in the bytes), so a redelivered step
    must not try to replace the first signature: archives are write-once.
    """
    if objects.exists(key):
        if isinstance(lock, ObjectLock):
            objects.retain(key, lock)  # kept by the first run; make sure it is locked
        return objects.stat(key)
    return objects.put(key, data, content_type, retain=lock)
