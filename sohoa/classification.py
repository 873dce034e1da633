"""From page results to documents and a checklist verdict.

The pages of all the files a clerk scanned for one dossier form one page stream, in scanning
order. Each page is classified (QR codes, title rules, the learned model), the stream is cut
into documents, the clerk's corrections are applied, and the documents are checked against
the procedure's checklist. Blank back sides of duplex scans stay with the sheet they belong
to instead of becoming documents of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sohoa.digitize import FileResult
from sohoa.domain.doctypes import BY_CODE
from sohoa.domain.procedures import Procedure
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.pipeline.classify.classifier import apply_overrides, classify_pages
from sohoa.pipeline.classify.learned import LearnedModel
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import DocumentSpan, PageClass, PageEvidence
from sohoa.pipeline.verdict import checklist_verdict


@dataclass(frozen=True)
class StreamPage:
    """One page of the dossier's page stream."""

    index: int
    """Position in the stream, from 0."""

    file_position: int
    """Which input file (position among the inputs)."""

    source_index: int
    """Page number inside that file, from 0."""

    result: dict | None
    """The page job's JSON result; None when the page could not be processed."""

    failure: str | None = None

    @property
    def flags(self) -> list[str]:
        return self.result["report"].get("flags", []) if self.result else []


@dataclass(frozen=True)
class Overrides:
    """The clerk's corrections, by page-stream index (0-based)."""

    types: Mapping[int, str] = field(default_factory=dict)
    split_before: tuple[int, ...] = ()
    join: tuple[int, ...] = ()


NO_OVERRIDES = Overrides()


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


def page_stream(results: Sequence[FileResult]) -> list[StreamPage]:
    """Pages of the files in input order; files that could not be opened have no pages."""
    stream: list[StreamPage] = []
    for result in sorted(results, key=lambda r: r.position):
        if result.error is not None:
            continue
        done = {p["report"]["index"]: p for p in result.pages}
        failed = {f["index"]: f["reason"] for f in result.failed_pages}
        for index in range(result.expected_pages):
            stream.append(StreamPage(len(stream), result.position, index, done.get(index),
                                     failed.get(index)))
    return stream


def evidence(stream: Sequence[StreamPage]) -> list[PageEvidence]:
    return [PageEvidence(p.index, p.result["text"] if p.result else "",
                         tuple(p.result.get("qr", ())) if p.result else ())
            for p in stream]


def blank_backs(stream: Sequence[StreamPage]) -> tuple[int, ...]:
    """Blank pages after the first: back sides, joined to the sheet before them."""
    return tuple(p.index for p in stream[1:] if "blank" in p.flags)


def unreadable(stream: Sequence[StreamPage]) -> list[int]:
    """Pages that must be rescanned: not processed at all, or too blurred to read."""
    return [p.index for p in stream if p.result is None or "blurred" in p.flags]


def analyse(procedure: Procedure, stream: Sequence[StreamPage],
            model: LearnedModel | None = None, overrides: Overrides = NO_OVERRIDES,
            earlier: Sequence[DocumentSpan] = ()) -> Analysis:
    """Classify, segment, apply the clerk's corrections, and judge against the checklist —
    together with the ``earlier`` documents the dossier already has, if any."""
    classes = classify_pages(evidence(stream), model)
    joins = tuple(sorted(set(blank_backs(stream)) - set(overrides.split_before)))
    classes = apply_overrides(classes, overrides.types, overrides.split_before,
                              (*joins, *overrides.join))
    documents = segment(classes)
    verdict = checklist_verdict(procedure, [*earlier, *documents], unreadable(stream))
    return Analysis(list(classes), documents, verdict, len(earlier))


def type_name(code: str) -> str:
    return BY_CODE[code].name if code in BY_CODE else code


def describe(analysis: Analysis) -> list[str]:
    """What the clerk reads: documents found, then the verdict item by item (1-based pages)."""
    found = [(d.doc_type, d.pages, d.confidence) for d in analysis.documents]
    return describe_documents(found) + describe_verdict(analysis.verdict)


def describe_documents(found: Sequence[tuple[str, Sequence[int], float]]) -> list[str]:
    """One line per document found: type, 1-based pages of the stream, confidence."""
    lines = ["Giấy tờ nhận diện được:"]
    for n, (doc_type, pages, confidence) in enumerate(found, start=1):
        numbers = ", ".join(str(i + 1) for i in pages)
        lines.append(f"  {n}. {type_name(doc_type)} [{doc_type}] — trang {numbers} "
                     f"(độ tin cậy {confidence:.0%})")
    return lines


def describe_verdict(verdict: Verdict) -> list[str]:
    """The checklist verdict item by item, extra documents, pages to rescan."""
    lines = [f"Kết luận: {verdict.summary}"]
    marks = {ItemStatus.PRESENT: "✓", ItemStatus.MISSING: "✗", ItemStatus.NOT_APPLICABLE: "–"}
    for item in verdict.items:
        lines.append(f"  {marks[item.status]} {item.name}: {item.reason}")
    for extra in verdict.extra_documents:
        lines.append(f"  + {type_name(extra.doc_type)}: {extra.reason}")
    if verdict.unreadable_pages:
        pages = ", ".join(str(i + 1) for i in verdict.unreadable_pages)
        lines.append(f"  ! Cần quét lại trang: {pages}")
    return lines
