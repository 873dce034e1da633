"""Segmentation: split a dossier's classified page stream into documents.

A document starts at a page with its own title (or any page that is not a continuation),
after a separator sheet, or after the cover sheet; continuation pages join the document
before them. Printed numbering refines this: "Trang 1/3" always starts a document, a
document that reached "3/3" is complete, and "2/3" after "1/3" of the same type joins even
when its page repeats the title. Cover and separator sheets belong to no document; a
separator names the checklist item of the documents after it, until the next sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sohoa.domain.doctypes import BY_CODE, COVER, SEPARATOR
from sohoa.pipeline.classify.types import DocumentSpan, PageClass


@dataclass
class _Open:
    """The document being collected."""

    first: PageClass
    item_id: str | None
    pages: list[PageClass] = field(default_factory=list)

    def span(self) -> DocumentSpan:
        indexes = tuple(p.index for p in self.pages)
        return DocumentSpan(self.first.doc_type, indexes,
                            round(min(p.confidence for p in self.pages), 4), self.item_id,
                            _reason(self.first, self.pages, self.item_id),
                            also=self.first.also)


def segment(pages: Sequence[PageClass]) -> list[DocumentSpan]:
    """Documents in stream order; cover and separator pages are not part of any."""
    spans: list[DocumentSpan] = []
    current: _Open | None = None
    item_id: str | None = None
    for page in pages:
        if page.doc_type in (COVER, SEPARATOR):
            if current:
                spans.append(current.span())
            current = None
            item_id = page.sheet.item_id if page.doc_type == SEPARATOR and page.sheet else None
            continue
        if current is None or _starts_document(page, current.pages[-1]):
            if current:
                spans.append(current.span())
            current = _Open(page, item_id)
        current.pages.append(page)
    if current:
        spans.append(current.span())
    return spans


def _starts_document(page: PageClass, last: PageClass) -> bool:
    number, before = page.page_number, last.page_number
    if number and number[0] == 1:
        return True
    if before and before[1] and before[0] >= before[1]:  # "3/3": the last page came
        return True
    if (number and before and number[0] == before[0] + 1 and number[1] == before[1]
            and page.doc_type == last.doc_type):
        return False  # "2/3" after "1/3": the title is printed on every page
    return not page.continuation or page.doc_type != last.doc_type


def _reason(first: PageClass, pages: list[PageClass], item_id: str | None) -> str:
    where = (f"trang {pages[0].index + 1}" if len(pages) == 1
             else f"trang {pages[0].index + 1}–{pages[-1].index + 1}")
    name = BY_CODE[first.doc_type].name if first.doc_type in BY_CODE else first.doc_type
    item = f"; thành phần {item_id} (tờ phân cách)" if item_id else ""
    return f"{name}, {where}: {first.reason}{item}"
