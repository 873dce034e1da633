"""Receive a batch of scans: record it, store its raw scans, say which pages to process.

Order matters (raw scan stored first: nothing is lost; docs/architecture.md). For a new
dossier every raw scan is first stored under a staging key (``incoming/…``, no dossier code
needed); only then is the batch recorded, in one catalog transaction that also gives the
dossier its number — so an S3 outage at intake refuses the intake without using up a
number. The raw scans are then stored under the dossier's keys and the batch released for
processing. If that second store fails the dossier keeps its number and its batch waits
in ``receiving``: recovery (``sohoa recover``, the workers' sweeper) copies the staged scans
and releases it. If the catalog is down nothing is recorded. For a dossier that exists the
raw scans are stored first and then recorded (a held batch may grow: see
:mod:`sohoa.storage.batches`); a failure in between leaves at most unreferenced copies.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sohoa.clock import vietnam_now
from sohoa.errors import FileTooLargeError, SohoaError
from sohoa.pipeline import load
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import ANALYSE_BATCH, Message, batch_message, page_message
from sohoa.storage.objects import raw_scan_key, sha256_file, staging_key
from sohoa.storage.records import BatchRecord, Lane, PageState, ReceivedFile


@dataclass(frozen=True)
class Refused:
    """An input that was not even stored (unreadable from disk, or over the size limit)."""

    path: Path
    reason: str


def survey(paths: Sequence[Path], ctx: WorkContext) -> tuple[list[ReceivedFile], list[Refused]]:
    """Hash and probe each input: page counts before any work, file-level errors now."""
    received, refused = [], []
    for path in paths:
        try:
            size = load.file_size(path)
            if size > ctx.settings.limits.max_file_bytes:
                raise FileTooLargeError(
                    f"Tệp quá lớn ({size} byte, giới hạn "
                    f"{ctx.settings.limits.max_file_bytes} byte): {path.name}")
            digest = sha256_file(path)
        except SohoaError as exc:
            refused.append(Refused(path, exc.message))
            continue
        except OSError as exc:  # vanished or unreadable between the check and the read
            refused.append(Refused(path, f"Không đọc được tệp ({exc.strerror}): {path.name}"))
            continue
        try:
            pages, error = load.probe(path, ctx.settings.limits).page_count, None
        except SohoaError as exc:
            pages, error = 0, exc.message
        received.append(ReceivedFile(path.name, digest, size, pages, error))
    return received, refused


def receive_batch(ctx: WorkContext, procedure_code: str, paths: Sequence[Path],
                  received: Sequence[ReceivedFile], *, lane: Lane = Lane.COUNTER,
                  dossier_code: str | None = None, received_at: datetime | None = None,
                  hold: bool = False, replace: int | None = None) -> BatchRecord:
    """Record the batch, store its raw scans, release it; ``paths`` match ``received``.
    ``replace``: the new pages replace this page (position as scanned) of the held batch."""
    ledger = ctx.catalog.batches

    def record() -> BatchRecord:
        return ledger.receive(procedure_code=procedure_code,
                              agency_code=ctx.settings.agency_code,
                              received_at=received_at or vietnam_now(), files=received,
                              lane=lane, dossier_code=dossier_code, hold=hold,
                              replace=replace)

    if dossier_code is not None:
        _store_raw_scans(ctx, dossier_code, paths, received)
        batch = record()
    else:
        staged = [ctx.objects.put_file(staging_key(f.sha256, f.original_name), path).key
                  for path, f in zip(paths, received, strict=True)]
        try:
            batch = record()  # the number is taken here, with the scans safe in the store
        except BaseException:
            _drop(ctx, staged)  # nothing recorded: nothing to keep
            raise
        _store_raw_scans(ctx, batch.dossier_code, paths, received)
        _drop(ctx, staged)
    return ledger.mark_stored(batch.dossier_code, batch.number)


def _store_raw_scans(ctx: WorkContext, code: str, paths: Sequence[Path],
                     received: Sequence[ReceivedFile]) -> None:
    for path, file in zip(paths, received, strict=True):
        ctx.objects.put_file(raw_scan_key(code, file.sha256, file.original_name), path)


def _drop(ctx: WorkContext, keys: Sequence[str]) -> None:
    for key in keys:
        with contextlib.suppress(SohoaError):
            ctx.objects.delete(key)


def unstage_raw_scan(ctx: WorkContext, key: str, sha256: str, original_name: str) -> bool:
    """Store a raw scan under its dossier key from its staged copy (a new dossier's intake
    stopped between recording it and storing its scans); False when no staged copy is
    left."""
    staged = staging_key(sha256, original_name)
    try:
        data = ctx.objects.get(staged, sha256)
    except SohoaError:
        return False
    ctx.objects.put(key, data)
    with contextlib.suppress(SohoaError):
        ctx.objects.delete(staged)
    return True


def first_messages(ctx: WorkContext, batch: BatchRecord) -> list[Message]:
    """Every pending page of a released batch (or its analysis when it has none)."""
    pages = ctx.catalog.batches.pages(batch.dossier_code, batch.number)
    pending = [page_message(batch.dossier_code, p.index, batch.lane)
               for p in pages if p.state == PageState.PENDING]
    return pending or [batch_message(ANALYSE_BATCH, batch.dossier_code, batch.number,
                                     batch.lane)]
