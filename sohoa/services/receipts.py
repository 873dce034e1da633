"""Gather what the receipt, the supplement notice or the refusal slip says about a stored
dossier.

The verdict decides which paper the citizen gets: complete → the receipt with the
appointment (working days from :mod:`sohoa.domain.calendar`); incomplete → the request to
complete the dossier, listing every missing item with its reason and the pages to hand in
again; refused (status 3) → the refusal slip with the reason stored at the refusal. The
applicant comes from the CCCD QR when a card was scanned; the clerk may type it, and what
is typed is kept with the dossier (:mod:`sohoa.storage.applicants`): the work list shows and
finds it, the portal names the owner by it, and a reprint says it again.
The receiver is the clerk at the counter: the caller names them (the signed-in account's full
name, see :func:`clerk_name`), else the configured digitizer name is printed.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime

from sohoa.domain.calendar import appointment, load_calendar
from sohoa.domain.papers import with_reused
from sohoa.domain.procedures import ChecklistItem
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.errors import AccountError, StorageError
from sohoa.pipeline.receipt import (
    Applicant,
    ComponentLine,
    MissingItem,
    Receipt,
    RefusalSlip,
    SupplementNotice,
    receipt_pdf,
    refusal_pdf,
    supplement_pdf,
)
from sohoa.processing.context import WorkContext
from sohoa.processing.owner import dossier_owner
from sohoa.storage.accounts import Accounts
from sohoa.storage.applicants import record_applicant
from sohoa.storage.audit import AuditLog, AuditRecord
from sohoa.storage.papers import accepted_reuses
from sohoa.storage.records import BatchRecord, DossierApplicant, DossierRecord, DossierStatus


def applicant_from_scans(ctx: WorkContext, code: str, number: int) -> Applicant:
    """Name and residence from the first CCCD QR among the pages of batch ``number`` or,
    failing that, of the batches before it (the card may have come the first time)."""
    card = dossier_owner(ctx, code, number)
    return Applicant(name=card.full_name, address=card.residence) if card else Applicant()


def completed_at(record: DossierRecord, batch: BatchRecord) -> datetime:
    """When the dossier was received complete: the time its latest batch was handed in
    (a dossier completed on a second visit counts from that visit, not the first)."""
    times = [r.received_at for r in record.raw_scans if r.key in batch.raw_keys]
    return max(times, default=record.received_at)


def kind_text(item: ChecklistItem) -> str:
    kinds = [kind for count, kind in ((item.originals, "Bản chính"), (item.copies, "Bản sao"))
             if count]
    text = " và ".join(kinds)
    return f"{text} ({item.copy_kinds})" if item.copy_kinds else text


def needed_text(item: ChecklistItem) -> str:
    """What the citizen must hand in for a missing item, without its name: "01 bản chính"."""
    parts = [f"{count:02d} {kind}" for count, kind in ((item.originals, "bản chính"),
                                                         (item.copies, "bản sao")) if count]
    text = " và ".join(parts)
    if item.copy_kinds:
        text = f"{text} ({item.copy_kinds})" if text else item.copy_kinds
    return text


def clerk_name(ctx: WorkContext, username: str | None) -> str | None:
    """The full name of the account ``username`` (the clerk signed in at the counter);
    None when there is no such account or it has no full name."""
    if not username:
        return None
    try:
        return Accounts(ctx.catalog).user(username).full_name or None
    except AccountError:
        return None


NOBODY = Applicant()


def dossier_paper(ctx: WorkContext, code: str, typed: Applicant = NOBODY,
                  receiver: str | None = None, fees: str | None = None
                  ) -> tuple[str, bytes]:
    """("receipt" | "supplement" | "refusal", PDF bytes): the paper for the dossier's latest
    analysed batch, or the refusal slip once the dossier is refused (status 3), whatever its
    batches say: refused, it is neither received nor waiting for papers.

    Fields the clerk typed are kept with the dossier once the paper is made (typed wins
    over the card, field by field); fields left blank are the stored ones."""
    kind, pdf = _paper(ctx, code, typed, receiver, fees)
    if typed != NOBODY:
        record_applicant(ctx.catalog, code, DossierApplicant(typed.name, typed.address,
                                                             typed.contact), typed=True)
    return kind, pdf


def _paper(ctx: WorkContext, code: str, typed: Applicant, receiver: str | None,
           fees: str | None) -> tuple[str, bytes]:
    record = ctx.catalog.dossier(code)
    typed = _merge(_stored(record), typed)
    if record.status == DossierStatus.KHONG_DUOC_TIEP_NHAN:
        return "refusal", refusal_pdf(refusal_slip(ctx, record, typed, receiver))
    if record.verdict is None:
        raise StorageError(f"Hồ sơ {code} chưa có kết luận đủ/thiếu: chưa xử lý xong.")
    verdict = with_reused(Verdict.model_validate(record.verdict),
                          accepted_reuses(ctx.catalog, code))  # also decided after finishing
    procedure = ctx.procedures().get(record.procedure_code)
    number = ctx.catalog.batches.latest_number(code)
    applicant = _merge(applicant_from_scans(ctx, code, number), typed)
    received = completed_at(record, ctx.catalog.batches.batch(code, number))
    receiver = receiver or ctx.settings.digitizer
    if not verdict.complete:
        missing = [MissingItem(i.name, _needed(procedure.item(i.item_id)))
                   for i in verdict.items if i.status is ItemStatus.MISSING]
        notice = SupplementNotice(ctx.settings.agency_name, code, procedure.code,
                                  procedure.name, applicant, missing, record.received_at,
                                  receiver, [n + 1 for n in verdict.unreadable_pages],
                                  parent_agency=ctx.settings.parent_agency_name)
        return "supplement", supplement_pdf(notice)
    calendar = load_calendar(ctx.settings.holidays_path)
    lines = [ComponentLine(i.name, kind_text(procedure.item(i.item_id)),
                           max(1, len(i.documents)))
             for i in verdict.items if i.status is ItemStatus.PRESENT]
    receipt = Receipt(ctx.settings.agency_name, code, procedure.code, procedure.name,
                      applicant, lines, procedure.processing_time, received,
                      appointment(calendar, received, procedure.processing_days),
                      ctx.settings.result_place, receiver,
                      parent_agency=ctx.settings.parent_agency_name)
    if fees:
        receipt = replace(receipt, fees=fees)
    return "receipt", receipt_pdf(receipt)


PAPER_FILE_STEMS = {"receipt": "giay-tiep-nhan", "supplement": "yeu-cau-bo-sung",
                    "refusal": "tu-choi"}
PAPER_NAMES = {"receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
               "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (hồ sơ chưa đầy đủ)",
               "refusal": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (hồ sơ không được tiếp "
                          "nhận)"}


def paper_file_name(kind: str, code: str) -> str:
    """The file name the paper is saved or downloaded under: "tu-choi-<code>.pdf"..."""
    return f"{PAPER_FILE_STEMS[kind]}-{code}.pdf"


def refusal_slip(ctx: WorkContext, record: DossierRecord, typed: Applicant = NOBODY,
                 receiver: str | None = None) -> RefusalSlip:
    """The refusal slip's data. The reason and the date are those stored with the dossier
    when the clerk refused it (migration 0014), so a reprint says the same as the first
    print. A dossier refused before reasons were stored falls back to its last successful
    ``dossier.refuse`` audit line; with no reason anywhere (an agency's 2 → 3 change made
    before agencies had to give one) the slip is still printed, with dotted lines for the
    clerk to write the reason by hand."""
    reason, refused_at = record.refusal_reason, record.refused_at
    if reason is None or refused_at is None:
        logged = _logged_refusal(ctx, record.code)
        if logged is not None:
            reason = reason or (logged.detail or {}).get("reason")
            refused_at = refused_at or logged.at
        refused_at = refused_at or datetime.now(UTC)
    scanned = NOBODY
    with suppress(StorageError):  # refused before any batch was scanned: no card to read
        scanned = applicant_from_scans(ctx, record.code,
                                       ctx.catalog.batches.latest_number(record.code))
    procedure = ctx.procedures().get(record.procedure_code)
    return RefusalSlip(ctx.settings.agency_name, record.code, procedure.name,
                       _merge(scanned, typed), reason or "", refused_at,
                       receiver or ctx.settings.digitizer,
                       parent_agency=ctx.settings.parent_agency_name)


def _logged_refusal(ctx: WorkContext, code: str) -> AuditRecord | None:
    entries = AuditLog(ctx.catalog).entries(dossier=code, action="dossier.refuse", limit=20)
    return next((e for e in entries if e.outcome == "ok" and e.action == "dossier.refuse"),
                None)


def _needed(item: ChecklistItem | None) -> str:
    return needed_text(item) if item is not None else ""


def _stored(record: DossierRecord) -> Applicant:
    """The applicant kept with the dossier (typed earlier, or from the card)."""
    kept = record.applicant
    return Applicant(name=kept.name, address=kept.address, contact=kept.contact)


def _merge(scanned: Applicant, typed: Applicant) -> Applicant:
    """What the clerk typed wins over what the card said."""
    return Applicant(name=typed.name or scanned.name, address=typed.address or scanned.address,
                     contact=typed.contact or scanned.contact)
