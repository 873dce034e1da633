"""Scans into a dossier at the counter: uploaded files or a scan from its scanner.

Every file is probed first; unusable ones (wrong type, empty, corrupt, too large) are named
in one Vietnamese message *after* the good ones were received, so one bad file never costs
the pages that came with it. The batch is recorded and its raw scans stored before this
returns (nothing is lost if processing fails later); processing runs in the background.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sohoa.errors import InputError, ScannerError, SohoaError
from sohoa.pipeline import load
from sohoa.processing.context import WorkContext
from sohoa.processing.receive import receive_batch, survey
from sohoa.scanner_bridge.sane import SaneSettings, ScanOptions, scan
from sohoa.services.background import Processor
from sohoa.services.intake import process_batch
from sohoa.storage.records import BatchRecord, Lane

SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


@dataclass(frozen=True)
class Upload:
    """One file as the browser sent it, already spooled to disk."""

    name: str
    path: Path


@dataclass(frozen=True)
class Received:
    """What an upload or a scan brought in."""

    batch: BatchRecord | None
    problems: tuple[str, ...] = ()
    """One line per file that was not taken, or the scanner's complaint."""


def safe_name(name: str, position: int) -> str:
    """The file's own name without folders or odd characters (never a path to follow)."""
    base = SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or f"tep-{position + 1}"


def spool_dir(ctx: WorkContext) -> Path:
    return Path(tempfile.mkdtemp(prefix="upload-", dir=ctx.scratch))


def receive_files(ctx: WorkContext, processor: Processor, code: str,
                  uploads: Iterable[Upload], replace: int | None = None) -> Received:
    """Take the usable files into the held batch of dossier ``code`` (a new one when none
    is held); process them. ``replace``: they take that page's place (position as
    scanned)."""
    good, problems = [], []
    for upload in uploads:
        try:
            load.probe(upload.path, ctx.settings.limits)
            good.append(upload.path)
        except SohoaError as exc:
            problems.append(f"{upload.name}: {exc.message}")
    batch = _receive(ctx, processor, code, good, replace) if good else None
    return Received(batch, tuple(problems))


def _receive(ctx: WorkContext, processor: Processor, code: str, paths: list[Path],
             replace: int | None = None) -> BatchRecord:
    try:
        received, refused = survey(paths, ctx)
        if refused:
            raise InputError("; ".join(r.reason for r in refused))
        procedure = ctx.catalog.dossier(code).procedure_code
        batch = receive_batch(ctx, procedure, paths, received, lane=Lane.COUNTER,
                              dossier_code=code, hold=True, replace=replace)
    finally:
        shutil.rmtree(paths[0].parent, ignore_errors=True)  # raw scans are stored by now
    # with a broker the workers do it; the screen follows the catalog, so never wait here
    processor.submit(code, lambda: process_batch(ctx, batch, lambda: None, wait=False))
    return batch


def scan_into(ctx: WorkContext, processor: Processor, sane: SaneSettings,
              device: str | None, options: ScanOptions, code: str,
              replace: int | None = None) -> Received:
    """Scan from the configured device into the dossier (as :func:`receive_files`). Pages
    scanned before a jam are kept and received; the scanner's complaint comes back as a
    problem to show."""
    if device is None:
        raise ScannerError("Quầy chưa cấu hình máy quét (SOHOA_SCANNER_DEVICE): hãy tải tệp "
                           "quét lên", reason="no-device")
    folder = spool_dir(ctx)
    try:
        result = scan(sane, device, options, folder)
    except ScannerError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    batch = _receive(ctx, processor, code, list(result.pages), replace)
    problems = (f"Máy quét dừng sau {len(result.pages)} trang: {result.error.message}",) \
        if result.error else ()
    return Received(batch, problems)


def upload_problem(problems: tuple[str, ...], received: BatchRecord | None) -> InputError:
    """The message for files that were not taken (and whether the others were)."""
    taken = (f"Đã nhận {received.page_count} trang từ các tệp còn lại. " if received
             else "Không nhận được trang nào. ")
    return InputError(taken + "Tệp không nhận: " + "; ".join(problems))
