"""Page steps: process one page of a batch, or record that it could not be processed.

A worker fetches the page's raw scan from the object store (a multi-page file is fetched
once per worker and kept in a small local cache), runs the pure page pipeline on that one
page, stores the page's artefacts (cleaned image, OCR text layer) in the object store and
records the result in the catalog. Only one page is ever decoded in memory. When the last
page of a batch is finished, the batch is analysed.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from pathlib import Path

from sohoa.domain.pages import (
    PageRead,
    PageUnread,
    StoredArtefact,
    StoredPage,
    StoredPageImage,
    page_job_result,
)
from sohoa.errors import ProgramCrashError, SohoaError
from sohoa.pipeline.page import run_page_job
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import ANALYSE_BATCH, Message, batch_message
from sohoa.storage.objects import ObjectStore, page_artefact_key, sha256_hex
from sohoa.storage.records import PageState, PageWork

RAW_CACHE_FILES = 4
"""Raw scans a worker keeps on local disk (the pages of one file usually come together)."""

_IMAGE_EXTENSIONS = {"DCTDecode": "jpg", "CCITTFaxDecode": "g4"}


def process_page(ctx: WorkContext, payload: dict) -> list[Message]:
    """OCR page ``payload['page']`` of dossier ``payload['dossier']`` unless already done.

    A page that cannot be decoded is recorded as failed at once. A crashed or timed-out
    program raises :class:`~sohoa.errors.ProgramCrashError` and records nothing: the runner
    tries the step again with backoff (dramatiq's retries on the workers, in place on the
    embedded default) and records the failure only when every attempt failed."""
    work = ctx.catalog.batches.page(payload["dossier"], payload["page"])
    if work.state == PageState.PENDING:
        result = page_job_result(run_page_job(_job(ctx, work)))
        if isinstance(result, PageUnread) and result.transient:
            raise ProgramCrashError(result.reason)
        if isinstance(result, PageRead):
            stored = store_artefacts(ctx.objects, work, result)
            if not ctx.catalog.batches.complete_page(work.dossier_code, work.index, stored,
                                                     result.text):
                _drop_unrecorded(ctx, work, stored)
        else:
            ctx.catalog.batches.fail_page(work.dossier_code, work.index, result.reason)
    return batch_progress(ctx, work.dossier_code, work.batch_number, work.lane)


def _drop_unrecorded(ctx: WorkContext, work: PageWork, stored: StoredPage) -> None:
    """Another run recorded the page first (a redelivery): remove this run's artefacts
    unless they are the very ones recorded (OCR is not byte-for-byte reproducible, so they
    usually differ). What a crash leaves here, ``sohoa scrub --collect-orphans`` removes."""
    recorded = ctx.catalog.batches.page(work.dossier_code, work.index).stored
    keep = {recorded.image.key, recorded.text_layer.key} if recorded else set()
    for key in (stored.image.key, stored.text_layer.key):
        if key not in keep:
            with contextlib.suppress(SohoaError):
                ctx.objects.delete(key)


def page_failed(ctx: WorkContext, payload: dict) -> list[Message]:
    """A page whose step kept failing (retries exhausted): record why, let the rest go on."""
    work = ctx.catalog.batches.page(payload["dossier"], payload["page"])
    ctx.catalog.batches.fail_page(work.dossier_code, work.index, payload["reason"])
    return batch_progress(ctx, work.dossier_code, work.batch_number, work.lane)


def batch_progress(ctx: WorkContext, code: str, number: int, lane: str) -> list[Message]:
    """Analyse the batch once none of its pages is pending (harmless if said twice)."""
    if ctx.catalog.batches.pending_count(code, number):
        return []
    return [batch_message(ANALYSE_BATCH, code, number, lane)]


def _job(ctx: WorkContext, work: PageWork) -> dict:
    return {"path": str(raw_scan_file(ctx, work)), "index": work.source_page_index,
            "workdir": str(ctx.scratch), "stem": f"p{work.index:04d}",
            "limits": asdict(ctx.settings.limits), "ocr": asdict(ctx.settings.ocr),
            "mode": "full"}


def raw_scan_file(ctx: WorkContext, work: PageWork) -> Path:
    """Local copy of the page's raw scan (checked against its SHA-256 by the store)."""
    cache = ctx.scratch / "raw"
    cache.mkdir(exist_ok=True)
    suffix = Path(work.raw_scan_name).suffix.lower()[:8]
    path = cache / f"{work.raw_scan_sha256}{suffix}"
    if not path.exists():
        data = ctx.objects.get(work.raw_scan_key, work.raw_scan_sha256)
        part = path.with_suffix(".part")
        part.write_bytes(data)
        part.replace(path)
        _trim(cache, keep=path)
    return path


def _trim(cache: Path, keep: Path) -> None:
    files = sorted(cache.glob("*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != keep][RAW_CACHE_FILES - 1:]:
        old.unlink(missing_ok=True)


def store_artefacts(objects: ObjectStore, work: PageWork, result: PageRead) -> StoredPage:
    """Put the page's image and text layer in the object store; returns the result as the
    catalog records it (object keys instead of local paths, text kept apart)."""
    image_path, layer_path = Path(result.image.path), Path(result.text_layer)
    try:
        image_data, layer = image_path.read_bytes(), layer_path.read_bytes()
        ext = _IMAGE_EXTENSIONS.get(result.image.filter, "img")
        image = _put(objects, work, image_data, ext, "application/octet-stream")
        text_layer = _put(objects, work, layer, "layer.pdf", "application/pdf")
    finally:
        image_path.unlink(missing_ok=True)
        layer_path.unlink(missing_ok=True)
    stored_image = StoredPageImage(**result.image.model_dump(exclude={"path"}),
                                   key=image.key, sha256=image.sha256)
    return StoredPage(report=result.report, qr=result.qr, image=stored_image,
                      text_layer=text_layer)


def _put(objects: ObjectStore, work: PageWork, data: bytes, ext: str,
         content_type: str) -> StoredArtefact:
    digest = sha256_hex(data)
    key = page_artefact_key(work.dossier_code, work.index, digest, ext)
    objects.put(key, data, content_type)
    return StoredArtefact(key=key, sha256=digest)
