"""Intake of a batch of scans for a dossier: received, stored, then processed by the steps.

The batch is recorded and its raw scans stored before any processing starts, so a crash
later loses nothing the citizen handed in (:mod:`sohoa.processing.receive`). On the
embedded default the steps then run here (:mod:`sohoa.processing.embedded`); with a broker
configured they are sent to the workers, and ``--wait`` follows the catalog until the
batch is done. Either way the clerk's report is read back from the catalog, the source of
truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sohoa.clock import vietnam_now
from sohoa.domain.corrections import Corrections
from sohoa.domain.procedures import Procedure
from sohoa.domain.verdict import Verdict
from sohoa.errors import InputError, SohoaError, StorageError, UsageError
from sohoa.pipeline import load
from sohoa.pipeline.classify.qr import decode_qr, parse_sheet
from sohoa.processing import review as reviewing
from sohoa.processing.context import WorkContext
from sohoa.processing.embedded import run_embedded
from sohoa.processing.messages import Message
from sohoa.processing.receive import Refused, first_messages, receive_batch, survey
from sohoa.storage.records import (
    BatchRecord,
    BatchState,
    DocumentRecord,
    DossierStatus,
    Lane,
    PageState,
    ReceivedFile,
)
from sohoa.storage.routing import refuse_at_counter


@dataclass
class IntakeReport:
    """What the clerk is told after an intake, read back from the catalog."""

    dossier_code: str
    procedure: Procedure
    batch: BatchRecord
    status: DossierStatus
    received_at: datetime
    """When the dossier was registered, or received once complete (aware)."""
    documents: list[DocumentRecord] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.batch.state == BatchState.DONE

    @property
    def ok(self) -> bool:
        return self.finished and not self.failures

    @property
    def verdict(self) -> Verdict | None:
        return self.batch.plan.verdict if self.batch.plan else None


def cover_dossier(ctx: WorkContext, paths: Sequence[Path], received: Sequence[ReceivedFile],
                  procedure: Procedure) -> str | None:
    """The registered dossier a sohoa cover sheet on the stack's first page names, if any.

    A cover printed with ``sohoa cover --new`` carries the dossier code in its QR: scanning
    it on top of the stack links the batch to that dossier instead of opening a new one.
    """
    first = next((p for p, r in zip(paths, received, strict=True) if r.page_count), None)
    if first is None:
        return None
    try:
        page = load.load_page(first, 0, ctx.settings.limits)
    except SohoaError:
        return None
    for payload in decode_qr(page.pixels, page.dpi):
        sheet = parse_sheet(payload)
        if (sheet and sheet.kind == "cover" and sheet.dossier_code
                and sheet.procedure_code == procedure.code
                and ctx.catalog.has_dossier(sheet.dossier_code)):
            return sheet.dossier_code
    return None


def accept_batch(ctx: WorkContext, procedure: Procedure, files: Sequence[Path], *,
                 lane: Lane = Lane.COUNTER, hold: bool = False,
                 partial: bool = False) -> tuple[BatchRecord, list[Refused]]:
    """Survey the files, find the dossier (cover sheet or a new one), record and store.

    Files are checked before anything is recorded: when none has a page to read, nothing is
    created (no dossier number is used) and the clerk is told why, file by file. A path that
    cannot be read at all (missing, a folder: usually mistyped) refuses the whole batch
    unless ``partial`` (a hot folder, whose file may vanish): the clerk retypes it rather
    than leave a half dossier. Files that exist but are not scans, beside readable ones, are
    kept as raw scans and reported."""
    received, refused = survey(files, ctx)
    if refused and not partial:
        raise InputError("Chưa lập hồ sơ, không nhận tệp nào: " + "; ".join(
            r.reason for r in refused) + ". Sửa đường dẫn rồi chạy lại.")
    if not any(r.page_count and r.error is None for r in received):
        reasons = [r.reason for r in refused] + [r.error for r in received if r.error]
        raise InputError("Không có trang nào đọc được, chưa lập hồ sơ: " + "; ".join(reasons))
    stored = [p for p in files if p not in {r.path for r in refused}]
    code = cover_dossier(ctx, stored, received, procedure)
    batch = receive_batch(ctx, procedure.code, stored, received, lane=lane, dossier_code=code,
                          hold=hold)
    return batch, refused


def intake_report(ctx: WorkContext, procedure: Procedure, batch: BatchRecord,
                  refused: Sequence[Refused] = ()) -> IntakeReport:
    """The batch as the catalog has it now: its documents and everything that failed."""
    batch = ctx.catalog.batches.batch(batch.dossier_code, batch.number)
    record = ctx.catalog.dossier(batch.dossier_code)
    planned = set(batch.plan.ordinals) if batch.plan else set()
    pages = ctx.catalog.batches.pages(batch.dossier_code, batch.number)
    names = {r.key: r.original_name for r in record.raw_scans}
    failures = [r.reason for r in refused]  # each names its file
    failures += [f"{r.original_name}: {r.error}" for r in record.raw_scans
                 if r.error and r.key in batch.raw_keys]
    failures += [f"{names[p.raw_scan_key]} trang {p.source_page_index + 1}: {p.failure}"
                 for p in pages if p.state == PageState.FAILED]
    return IntakeReport(batch.dossier_code, procedure, batch, DossierStatus(record.status),
                        record.received_at,
                        [d for d in record.documents if d.ordinal in planned], failures)


def latest_report(ctx: WorkContext, code: str) -> IntakeReport:
    """The report of a dossier's latest batch, for ``sohoa dossier CODE``."""
    record = ctx.catalog.dossier(code)
    procedure = ctx.procedures().get(record.procedure_code)
    number = ctx.catalog.batches.latest_number(code)
    return intake_report(ctx, procedure, ctx.catalog.batches.batch(code, number))


def process_batch(ctx: WorkContext, batch: BatchRecord, on_page: Callable[[], None],
                  wait: bool = True, poll_s: float = 0.5) -> None:
    """Run the batch's steps here (embedded), or send them to the workers (broker)."""
    process_messages(ctx, first_messages(ctx, batch), on_page)
    if wait and ctx.settings.queue.broker_url is not None:
        follow_batch(ctx, batch, on_page, poll_s)


def process_messages(ctx: WorkContext, messages: list[Message],
                     on_page: Callable[[], None] = lambda: None) -> None:
    """Run ``messages`` and what follows here (embedded), or send them to the workers."""
    if ctx.settings.queue.broker_url is None:
        run_embedded(ctx, messages, on_page)
        return
    from sohoa.workers.actors import connect  # dramatiq loads only with a broker

    connect(ctx.settings.queue).send(messages)


def follow_batch(ctx: WorkContext, batch: BatchRecord, on_page: Callable[[], None],
                 poll_s: float = 0.5) -> None:
    """Wait for the workers to finish the batch, ticking ``on_page`` as pages finish (the
    catalog is polled: it, not the queue, knows what is done)."""
    ledger, seen, key = ctx.catalog.batches, 0, (batch.dossier_code, batch.number)
    while not ledger.done_batches([key]) and ledger.batch(*key).state != BatchState.REVIEW:
        finished = batch.page_count - ledger.pending_count(*key)
        for _ in range(finished - seen):
            on_page()
        seen = max(seen, finished)
        time.sleep(poll_s)



def register_dossier(ctx: WorkContext, procedure_code: str) -> str:
    """A new dossier code in status 1 (mới đăng ký), for a cover printed before scanning."""
    code = ctx.catalog.new_dossier(procedure_code, ctx.settings.agency_code, vietnam_now())
    ctx.catalog.set_status(code, DossierStatus.MOI_DANG_KY)
    return code


REASON_MAX_CHARS = 500
"""A reason longer than this is no longer a reason; it must fit the slip's page."""


def refuse_dossier(ctx: WorkContext, code: str, reason: str) -> str:
    """The clerk refuses a dossier the counter has not received (1 → 3, không được tiếp
    nhận): it is never routed and takes no more scans; what was digitized stays on record.

    The reason is required: the citizen is handed the Phiếu từ chối tiếp nhận, giải quyết
    hồ sơ (Mẫu 03, Thông tư 01/2018/TT-VPCP), whose whole point is to say why; a clerk who
    refuses knows why, and a blank line on a legal paper is worse than a question asked now.
    Returns the reason as stored (trimmed)."""
    text = " ".join(reason.split())
    if not text:
        raise UsageError(f"Nhập lý do từ chối tiếp nhận hồ sơ {code}: lý do được in trên "
                         "Phiếu từ chối tiếp nhận, giải quyết hồ sơ giao cho công dân.")
    if len(text) > REASON_MAX_CHARS:
        raise UsageError(f"Lý do từ chối quá dài ({len(text)} ký tự): tối đa "
                         f"{REASON_MAX_CHARS} ký tự.")
    refuse_at_counter(ctx.catalog, code, text, datetime.now(UTC))
    return text


def review_latest(ctx: WorkContext, code: str, changes: Corrections,
                  accept: bool = False) -> IntakeReport:
    """The clerk's further corrections to the dossier's latest (held) batch, merged into the
    earlier ones, the verdict again; with ``accept``, build, sign and store its documents."""
    number = ctx.catalog.batches.latest_number(code)
    batch = ctx.catalog.batches.batch(code, number)
    if not changes.empty:
        reviewing.review(ctx, code, number, batch.corrections.merged(changes))
    if accept:
        process_messages(ctx, reviewing.accept(ctx, code, number))
    return latest_report(ctx, code)


def batches_of(ctx: WorkContext, code: str) -> list[BatchRecord]:
    """Every batch of the dossier, oldest first (none while nothing is scanned)."""
    ledger = ctx.catalog.batches
    try:
        latest = ledger.latest_number(code)
    except StorageError:  # a dossier registered, nothing scanned yet
        return []
    return [ledger.batch(code, n) for n in range(1, latest + 1)]
