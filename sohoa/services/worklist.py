"""The clerk's work list: the dossiers of their own counter, as the home screen lists them.

Each row says what a clerk needs while a citizen waits — who handed it in (as kept with the
dossier: typed by the clerk on a paper, else from the CCCD QR), the procedure by name,
whether the papers are complete (the latest verdict, before or after acceptance) and the
status by its national label — and the list is filtered by status, procedure and day, and
searched by code, applicant or procedure without diacritics.

The search runs in the database, over every dossier of the counter, paged like the list:
code, procedure code and the applicant's folded name by ``LIKE``, the procedure's name by
the codes (of those this counter has used) whose folded name contains the words.

The applicant is stored when the batch is analysed
(:func:`sohoa.processing.owner.keep_scanned_applicant`) or when the clerk types it on a
paper. A dossier analysed before migration 0015 has none stored: its row reads the card
from the scans, as the list always did, and keeps it, so it is found by name from then on
(a list page is at most :data:`PAGE` rows, so that reading stays bounded). Migration 0015
does not backfill: the card is in the pages' stored QR payloads, parsed by the pipeline,
which a migration should not import; until a dossier is listed once, a search by name
misses it (by code and procedure it is found).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sohoa.domain.catalog.directory import ProcedureDirectory
from sohoa.errors import UnknownProcedureError
from sohoa.processing.context import WorkContext
from sohoa.search.index import STATUS_NAMES
from sohoa.search.textfold import fold
from sohoa.services.intake import batches_of
from sohoa.services.receipts import applicant_from_scans
from sohoa.storage.applicants import record_applicant
from sohoa.storage.procedures import procedure_usage
from sohoa.storage.records import DossierApplicant, DossierSummary
from sohoa.storage.routing import DossierFilter, ListedDossier, counter_dossiers

PAGE = 50


@dataclass(frozen=True)
class WorklistQuery:
    """What the clerk asks the list for; empty or None means any."""

    text: str = ""
    status: int | None = None
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    page: int = 1
    """Which page of :data:`PAGE` rows, from 1; past the last page, the last page."""


@dataclass(frozen=True)
class WorklistRow:
    summary: DossierSummary
    procedure_name: str
    applicant: str
    complete: bool | None
    """The latest verdict: True đủ, False thiếu, None not yet judged."""

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.summary.status, str(self.summary.status))


@dataclass(frozen=True)
class Worklist:
    rows: list[WorklistRow]
    total: int
    """How many dossiers match, on every page."""
    page: int = 1
    """The page shown, from 1."""

    @property
    def pages(self) -> int:
        """How many pages of :data:`PAGE` rows the matches fill (1 when there are none)."""
        return max(1, -(-self.total // PAGE))

    @property
    def first(self) -> int:
        """Position (from 1) of the first row shown, in the whole list."""
        return (self.page - 1) * PAGE + 1


def worklist(ctx: WorkContext, query: WorklistQuery) -> Worklist:
    """Page ``query.page`` of this counter's dossiers that match ``query``, newest first; a
    page past the end (the list shrank since the link was made) shows the last one."""
    text = " ".join(fold(query.text).split())
    directory = ctx.procedures()
    wanted = DossierFilter(query.status, query.procedure_code, query.received_from,
                           query.received_to, PAGE, (max(query.page, 1) - 1) * PAGE,
                           text=text, named=_named(ctx, directory, text) if text else ())
    total, found = counter_dossiers(ctx.catalog, ctx.settings.agency_code, wanted)
    last = Worklist([], total).pages
    if not found and total and query.page > last:
        return worklist(ctx, replace(query, page=last))
    return Worklist([_row(ctx, directory, listed) for listed in found], total,
                    min(max(query.page, 1), last))


def _named(ctx: WorkContext, directory: ProcedureDirectory, folded: str) -> tuple[str, ...]:
    """The procedures this counter has used whose folded name contains ``folded``: only
    they can match (the directory lists some 2,600, which an IN list need not carry)."""
    used = procedure_usage(ctx.catalog, ctx.settings.agency_code)
    return tuple(sorted(code for code in used
                        if folded in fold(procedure_name(directory, code))))


def _row(ctx: WorkContext, directory: ProcedureDirectory, listed: ListedDossier
         ) -> WorklistRow:
    summary = listed.summary
    batches = batches_of(ctx, summary.code)
    latest = batches[-1] if batches else None
    verdict = latest.plan.verdict if latest and latest.plan else None
    name = listed.applicant.name
    if not name and latest is not None:  # analysed before 0015, or the step was cut short
        name = _kept_from_scans(ctx, summary.code, latest.number)
    return WorklistRow(summary, procedure_name(directory, summary.procedure_code), name,
                       verdict.complete if verdict else None)


def _kept_from_scans(ctx: WorkContext, code: str, number: int) -> str:
    """The card holder's name read from the scans, now kept with the dossier ("" if none)."""
    card = applicant_from_scans(ctx, code, number)
    if not card.name:
        return ""
    return record_applicant(ctx.catalog, code, DossierApplicant(card.name, card.address),
                            typed=False).name


def procedure_name(directory: ProcedureDirectory, code: str) -> str:
    """The procedure's name, or its code when the directory no longer lists it."""
    try:
        return directory.get(code).name
    except UnknownProcedureError:
        return code
