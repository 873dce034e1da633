"""Scans into a dossier: upload from the browser, or the counter's scanner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from sohoa.api.auth import audit, audited
from sohoa.api.deps import CounterDep, DossierCode
from sohoa.api.pages import back_to_dossier
from sohoa.errors import InputError, SohoaError
from sohoa.services.counter import (
    Upload,
    receive_files,
    safe_name,
    scan_into,
    spool_dir,
    upload_problem,
)

router = APIRouter(prefix="/dossiers/{code}")
CHUNK = 1 << 20


Files = Annotated[list[UploadFile], File()]


@router.post("/uploads", response_class=HTMLResponse)
async def upload(request: Request, code: DossierCode, counter: CounterDep,
                 files: Files = ()) -> Response:  # type: ignore[assignment]
    """Take the uploaded scans; a bad file is named and the good ones are kept."""
    return await _upload(request, code, counter, files, None)


@router.post("/pages/{position}/replace/upload", response_class=HTMLResponse)
async def upload_replacement(request: Request, code: DossierCode, position: int,
                             counter: CounterDep,
                             files: Files = ()) -> Response:  # type: ignore[assignment]
    """The page at ``position`` (as scanned) scanned again elsewhere: the uploaded pages
    take its place, it is set aside (its raw scan is kept)."""
    return await _upload(request, code, counter, files, position)


async def _upload(request: Request, code: str, counter: CounterDep, files: list[UploadFile],
                  replace: int | None) -> Response:
    chosen = [f for f in files if f.filename]
    detail = {"via": "upload", "files": [f.filename for f in chosen][:20], "replace": replace}
    with audited(request, "dossier.scan", dossier_code=code, detail=detail):
        if not chosen:
            raise InputError("Chưa chọn tệp quét nào để tải lên")
        if len(chosen) > counter.settings.max_upload_files:
            raise InputError(f"Tải lên tối đa {counter.settings.max_upload_files} tệp một lần")
        uploads = await _spool(counter, chosen)
        received = receive_files(counter.ctx, counter.processor, code, uploads, replace)
        if received.problems:
            raise upload_problem(received.problems, received.batch)
    return back_to_dossier(request, code, anchor=_anchor(replace))


def _anchor(position: int | None) -> str:
    return f"#trang-{position}" if position is not None else ""


async def _spool(counter: CounterDep, files: list[UploadFile]) -> list[Upload]:
    folder, uploads, taken = spool_dir(counter.ctx), [], set()
    limit = counter.ctx.settings.limits.max_file_bytes
    for position, file in enumerate(files):
        name = safe_name(file.filename or "", position)
        if name in taken:
            name = f"{position + 1}-{name}"
        taken.add(name)
        path, size = folder / name, 0
        with path.open("wb") as out:
            while chunk := await file.read(CHUNK):
                size += len(chunk)
                if size > limit:  # stop writing; the probe names it as too large
                    out.write(chunk[: max(0, limit + 1 - (size - len(chunk)))])
                    break
                out.write(chunk)
        uploads.append(Upload(file.filename or name, path))
    return uploads


@router.post("/scan", response_class=HTMLResponse)
def scan(request: Request, code: DossierCode, counter: CounterDep) -> Response:
    """Scan the feeder's stack into the dossier; pages before a jam are kept."""
    return _scan(request, code, counter, None)


@router.post("/pages/{position}/replace/scan", response_class=HTMLResponse)
def rescan(request: Request, code: DossierCode, position: int, counter: CounterDep) -> Response:
    """Scan the page at ``position`` again: what the scanner gives takes its place."""
    return _scan(request, code, counter, position)


def _scan(request: Request, code: str, counter: CounterDep, replace: int | None) -> Response:
    detail: dict = {"via": "scanner", "replace": replace}
    try:
        at = counter.settings
        received = scan_into(counter.ctx, counter.processor, at.sane, at.scanner_device,
                             at.scan, code, replace)
    except SohoaError as exc:
        audit(request, "dossier.scan", "failed", dossier_code=code,
              detail={**detail, "error": exc.message})
        raise
    if received.problems:
        detail["problems"] = list(received.problems)
    audit(request, "dossier.scan", "ok" if received.batch else "failed", dossier_code=code,
          detail=detail)
    return back_to_dossier(request, code, " ".join(received.problems), _anchor(replace))
