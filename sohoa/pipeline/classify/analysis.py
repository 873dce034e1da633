"""From a dossier's page stream to documents and a checklist verdict.

The pages of all the files a clerk scanned for one dossier form one page stream, in the
clerk's order. Each page is classified (QR codes, title rules, the learned model), the
clerk's corrections are applied, the stream is cut into documents, and the documents —
together with those an earlier visit already brought — are checked against the procedure's
checklist. Blank back sides of duplex scans stay with the sheet they belong to instead of
becoming documents of their own.

Pure and fast (no OCR, no I/O): it runs again on every correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sohoa.domain.corrections import NO_CORRECTIONS, Corrections
from sohoa.domain.pages import PageText
from sohoa.domain.procedures import Procedure
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.pipeline.classify.classifier import apply_overrides, classify_pages
from sohoa.pipeline.classify.learned import LearnedModel
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import DocumentSpan, PageClass, PageEvidence
from sohoa.pipeline.classify.verdict import checklist_verdict


@dataclass(frozen=True)
class StreamPage:
    """One page of the dossier's page stream."""

    index: int
    """Position in the stream, from 0."""

    file_position: int
    """Which input file (position among the inputs)."""

    source_index: int
    """Page number inside that file, from 0."""

    read: PageText | None
    """What was read from the page; None when the page could not be processed."""

    failure: str | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        return self.read.flags if self.read else ()


@dataclass(frozen=True)
class Analysis:
    """Per-page types, documents and the verdict of one dossier."""

    pages: list[PageClass]
    documents: list[DocumentSpan]
    verdict: Verdict
    earlier: int = 0
    """Documents of earlier batches the verdict counted before these (its indexes)."""

    def item_of(self, document: int) -> str | None:
        """Checklist item the document at ``document`` fills, if any."""
        for item in self.verdict.items:
            if document + self.earlier in item.documents and item.status is ItemStatus.PRESENT:
                return item.item_id
        return None


def evidence(stream: Sequence[StreamPage]) -> list[PageEvidence]:
    return [PageEvidence(p.index, p.read.text if p.read else "", p.read.qr if p.read else ())
            for p in stream]


def blank_backs(stream: Sequence[StreamPage]) -> tuple[int, ...]:
    """Blank pages after the first: back sides, joined to the sheet before them."""
    return tuple(p.index for p in stream[1:] if "blank" in p.flags)


def unreadable(stream: Sequence[StreamPage]) -> list[int]:
    """Pages that must be rescanned: not processed at all, or too blurred to read."""
    return [p.index for p in stream if p.read is None or "blurred" in p.flags]


def analyse(procedure: Procedure, stream: Sequence[StreamPage],
            model: LearnedModel | None = None, corrections: Corrections = NO_CORRECTIONS,
            earlier: Sequence[DocumentSpan] = ()) -> Analysis:
    """Classify, apply the clerk's corrections (by stream position), segment, and judge
    against the checklist — together with the ``earlier`` documents the dossier already
    has, if any."""
    classes = classify_pages(evidence(stream), model, procedure=procedure)
    joins = tuple(sorted(set(blank_backs(stream)) - set(corrections.split_before)))
    classes = apply_overrides(classes, corrections.types, corrections.split_before,
                              (*joins, *corrections.join))
    documents = segment(classes)
    unread = [p.index for p in stream if p.read is None]
    verdict = checklist_verdict(procedure, [*earlier, *documents], unreadable(stream), unread)
    return Analysis(list(classes), documents, verdict, len(earlier))
