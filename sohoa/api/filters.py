"""The filter forms of the officer's list and the archive search: dropdowns of names, and
each value typed or picked checked here, its problem kept next to its field.

A filter value the system does not know (a procedure code nobody has, a misspelt document
type, a date that is no date) is an error shown beside the field — never a search that
quietly finds nothing, never the framework's English validation page. Dates are accepted
as ``YYYY-MM-DD`` (what ``<input type=date>`` sends) and as ``dd/mm/yyyy`` (what a person
types).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sohoa.domain.doctypes import DOC_TYPES, is_item_type, type_name
from sohoa.errors import SohoaError
from sohoa.processing.context import WorkContext
from sohoa.search.index import STATUS_NAMES
from sohoa.services.agency import procedure_name
from sohoa.storage.facets import Facets

FieldErrors = dict[str, str]
"""Field name → its problem, in Vietnamese (shown next to the field)."""


@dataclass(frozen=True)
class Choice:
    """One entry of a dropdown: the code sent, the name shown."""

    value: str
    label: str

    @property
    def text(self) -> str:
        """What a searchable field (``<datalist>``) shows and accepts back."""
        return f"{self.value} — {self.label}" if self.label != self.value else self.value


STATUS_CHOICES = tuple(Choice(str(code), f"{code} – {name}")
                       for code, name in STATUS_NAMES.items())


def day_field(value: str, field: str, label: str, errors: FieldErrors) -> date | None:
    """The day typed in ``field`` (None when empty); a problem goes to ``errors``."""
    text = value.strip()
    if not text:
        return None
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    errors[field] = (f"{label}: '{text[:40]}' không phải là ngày; nhập dạng ngày/tháng/năm "
                     "(ví dụ 23/11/2026).")
    return None


def shown_day(typed: str, parsed: date | None) -> str:
    """What a date field shows again: the day as dd/mm/yyyy, or what was typed when it is
    no day (so the person sees their mistake next to its message)."""
    return f"{parsed:%d/%m/%Y}" if parsed else typed


def check_range(start: date | None, end: date | None, field: str,
                errors: FieldErrors) -> None:
    if start and end and start > end:
        errors[field] = "Ngày 'đến' phải sau ngày 'từ'."


def choice_field(value: str, choices: Sequence[Choice], field: str, label: str,
                 errors: FieldErrors, also_known: Iterable[str] = ()) -> str | None:
    """The code picked in ``field``: a choice's code, its name, or "code — name" as the
    searchable field sends it; a code in ``also_known`` (known to the system, if no dossier
    has it yet) is accepted as is. Anything else is a problem in ``errors``."""
    text = " ".join(value.split())
    if not text:
        return None
    wanted = text.casefold()
    for choice in choices:
        if wanted in (choice.value.casefold(), choice.label.casefold(),
                      choice.text.casefold()):
            return choice.value
    code = text.split(" — ")[0].strip()
    if code in set(also_known):
        return code
    errors[field] = (f"{label}: không có '{text[:60]}' trong danh sách; hãy chọn một mục "
                     "có sẵn.")
    return None


def status_field(value: str, errors: FieldErrors) -> int | None:
    picked = choice_field(value, STATUS_CHOICES, "status", "Trạng thái", errors)
    return int(picked) if picked else None


def procedure_choices(ctx: WorkContext, codes: Iterable[str]) -> list[Choice]:
    """The procedures of ``codes`` by name (the code itself when the catalog has none)."""
    return sorted((Choice(code, procedure_name(ctx, code)) for code in codes),
                  key=lambda c: c.label.casefold())


def agency_choices(ctx: WorkContext, codes: Iterable[str]) -> list[Choice]:
    """Receiving agencies: the counter's own by its name, others by code."""
    own = ctx.settings.agency_code
    return [Choice(code, f"{ctx.settings.agency_name} ({code})" if code == own else code)
            for code in sorted(set(codes) | {own})]


def doc_type_choices(ctx: WorkContext, present: Iterable[str]) -> list[Choice]:
    """Every document type by name, and the checklist items' own types that occur."""
    known = [Choice(t.code, t.name) for t in DOC_TYPES if t.is_document]
    extra = [Choice(code, doc_type_name(ctx, code)) for code in sorted(set(present))
             if code not in {c.value for c in known}]
    return sorted(known + extra, key=lambda c: c.label.casefold())


def doc_type_name(ctx: WorkContext, code: str) -> str:
    """A document type's name; a checklist item's type ("<procedure>/<item>") by the item's
    name in its procedure."""
    if is_item_type(code):
        procedure, _, item_id = code.partition("/")
        try:
            items = ctx.procedures().get(procedure).items
        except SohoaError:
            return code
        return next((item.name for item in items if item.id == item_id), code)
    return type_name(code)


@dataclass(frozen=True)
class FilterChoices:
    """The dropdowns of one page."""

    procedures: list[Choice]
    agencies: list[Choice]
    doc_types: list[Choice]
    statuses: Sequence[Choice] = STATUS_CHOICES

    @classmethod
    def of(cls, ctx: WorkContext, facets: Facets) -> FilterChoices:
        return cls(procedure_choices(ctx, facets.procedure_codes),
                   agency_choices(ctx, facets.agency_codes),
                   doc_type_choices(ctx, facets.doc_types))

    def label(self, choices: str, value: str | None) -> str:
        """What the field shows for ``value`` ("" when none)."""
        if not value:
            return ""
        found = next((c for c in getattr(self, choices) if c.value == value), None)
        return found.text if found else value
