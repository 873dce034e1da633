"""The checklist verdict the clerk reads while the citizen waits, as JSON-serialisable models.

Stored with the dossier and printed by ``sohoa intake`` / ``sohoa classify --json``; the same
models validate it when read back. Page and document numbers are 0-based indexes (machines);
the Vietnamese ``reason`` texts say 1-based page numbers (people).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sohoa.domain.procedures import Requirement


class ItemStatus(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"
    """A conditional item not handed in, or a paper that is only shown."""


_FROZEN = ConfigDict(frozen=True, extra="forbid")


class ItemVerdict(BaseModel):
    """The decision for one checklist item."""

    model_config = _FROZEN

    item_id: str
    name: str
    status: ItemStatus
    requirement: Requirement
    documents: list[int] = Field(
        default=[], description="indexes into the dossier's document list, from 0")
    pages: list[int] = Field(default=[], description="page-stream indexes, from 0")
    reason: str = Field(description="one line in Vietnamese saying why")


class ExtraDocument(BaseModel):
    """A document that matches no checklist item (kept, but the clerk should look at it)."""

    model_config = _FROZEN

    document: int = Field(ge=0, description="index into the dossier's document list")
    doc_type: str
    pages: list[int]
    reason: str


class Verdict(BaseModel):
    """Is the dossier complete for its procedure, and if not, what is missing."""

    model_config = _FROZEN

    procedure_code: str
    procedure_name: str
    complete: bool = Field(description="no missing item and no unreadable page")
    items: list[ItemVerdict]
    extra_documents: list[ExtraDocument] = []
    unreadable_pages: list[int] = Field(
        default=[], description="page-stream indexes (from 0) that need a rescan")
    summary: str = Field(description="one line for the clerk")
    case: str | None = Field(
        default=None, description="the trường hợp judged, when the procedure lists several")
    case_reason: str = ""

    @property
    def missing(self) -> list[ItemVerdict]:
        return [item for item in self.items if item.status is ItemStatus.MISSING]
