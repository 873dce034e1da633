"""The clerk's work list: the dossiers of their own counter, as the home screen lists them.

Each row says what a clerk needs while a citizen waits — who handed it in (from the CCCD
QR when a card was scanned), the procedure by name, whether the papers are complete (the
latest verdict, before or after acceptance) and the status by its national label — and
the list is filtered by status, procedure and day, and searched by code, applicant or
procedure without diacritics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sohoa.domain.catalog.directory import ProcedureDirectory
from sohoa.errors import UnknownProcedureError
from sohoa.processing.context import WorkContext
from sohoa.search.index import STATUS_NAMES
from sohoa.search.textfold import fold
from sohoa.services.intake import batches_of
from sohoa.services.receipts import applicant_from_scans
from sohoa.storage.records import DossierSummary
from sohoa.storage.routing import DossierFilter, counter_dossiers

PAGE = 50
SEARCHED = 500
"""A text search looks through this many of the newest dossiers that pass the filters
(the applicant's name is read from the scans, not from a column)."""


@dataclass(frozen=True)
class WorklistQuery:
    """What the clerk asks the list for; empty or None means any."""

    text: str = ""
    status: int | None = None
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None


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
    """How many dossiers match (at most :data:`SEARCHED` when searching text)."""


def worklist(ctx: WorkContext, query: WorklistQuery) -> Worklist:
    """The newest dossiers of this counter that match ``query``."""
    text = fold(query.text.strip())
    wanted = DossierFilter(query.status, query.procedure_code, query.received_from,
                           query.received_to, SEARCHED if text else PAGE)
    total, found = counter_dossiers(ctx.catalog, ctx.settings.agency_code, wanted)
    directory = ctx.procedures()
    rows = []
    for summary in found:
        row = _row(ctx, directory, summary)
        if text and not _matches(row, text):
            continue
        rows.append(row)
        if len(rows) == PAGE:
            break
    return Worklist(rows, len(rows) if text else total)


def _row(ctx: WorkContext, directory: ProcedureDirectory, summary: DossierSummary
         ) -> WorklistRow:
    batches = batches_of(ctx, summary.code)
    latest = batches[-1] if batches else None
    verdict = latest.plan.verdict if latest and latest.plan else None
    applicant = applicant_from_scans(ctx, summary.code, latest.number) if latest else None
    return WorklistRow(summary, procedure_name(directory, summary.procedure_code),
                       applicant.name if applicant else "",
                       verdict.complete if verdict else None)


def _matches(row: WorklistRow, folded: str) -> bool:
    haystack = " ".join((row.summary.code, row.summary.procedure_code, row.procedure_name,
                         row.applicant))
    return folded in fold(haystack)


def procedure_name(directory: ProcedureDirectory, code: str) -> str:
    """The procedure's name, or its code when the directory no longer lists it."""
    try:
        return directory.get(code).name
    except UnknownProcedureError:
        return code
