"""From page results to documents and a checklist verdict.

The pages of all the files a clerk scanned for one dossier form one page stream, in scanning
order. Each page is classified (QR codes, title rules, the learned model), the stream is cut
into documents, the clerk's corrections are applied, and the documents are checked against
the procedure's checklist. Blank back sides of duplex scans stay with the sheet they belong
to instead of becoming documents of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from sohoa.digitize import FileResult
from sohoa.domain.doctypes import type_name
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.pipeline.classify.analysis import Analysis, StreamPage


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
