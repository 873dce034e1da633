"""A batch's plan: which documents to build from which pages, and the verdict they give.

The analysis step computes it from the pages already read and the clerk's corrections
(:mod:`sohoa.processing.review`); the catalog stores it on the batch as JSON and numbers its
documents (ordinals after every document the dossier already has); the build steps read it
back to assemble, sign and store each document; the counter screen and ``sohoa dossier``
show it. Page numbers are dossier page indexes (0-based).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sohoa.domain.verdict import Verdict


class PlannedDocument(BaseModel):
    """One document to build."""

    model_config = ConfigDict(frozen=True)  # older stored plans may say more: ignored

    doc_type: str
    item_id: str | None = None
    """The checklist item it fills, if any."""
    title: str
    pages: list[int] = Field(description="dossier page indexes, in the document's order")
    confidence: float = 1.0
    ordinal: int | None = None
    """Its number in the dossier, given by the catalog when the plan is recorded."""


class EarlierDocument(BaseModel):
    """A document of an earlier, accepted batch of the dossier: a later verdict counts it."""

    model_config = ConfigDict(frozen=True)

    doc_type: str
    item_id: str | None = None


class BatchPlan(BaseModel):
    """What the analysis of one batch decided (see the module docstring)."""

    model_config = ConfigDict(frozen=True)  # older stored plans may say more: ignored

    documents: list[PlannedDocument] = []
    verdict: Verdict
    page_count: int | None = None
    """How many pages the batch had when the plan was made: a plan made before more pages
    were appended is stale and never recorded."""
    arranged: list[int] = []
    """The dossier page index at each position of the analysed stream (the clerk's order,
    removed pages left out): the verdict's page numbers refer to these positions."""

    def numbered(self, first_ordinal: int) -> BatchPlan:
        """The plan with its documents numbered from ``first_ordinal``."""
        documents = [d.model_copy(update={"ordinal": first_ordinal + n})
                     for n, d in enumerate(self.documents)]
        return self.model_copy(update={"documents": documents})

    @property
    def ordinals(self) -> list[int]:
        return [d.ordinal for d in self.documents if d.ordinal is not None]

    def document(self, ordinal: int) -> PlannedDocument | None:
        return next((d for d in self.documents if d.ordinal == ordinal), None)

    def to_json(self) -> dict:
        """The stored form."""
        return self.model_dump(mode="json")
