"""Values of the classification stage. Plain frozen dataclasses: JSON-friendly via asdict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEvidence:
    """What classification knows about one page of a dossier's page stream."""

    index: int
    """Position in the dossier's page stream, from 0."""

    text: str
    """OCR text: the fast pass over the page's top part, or the full page text."""

    qr_payloads: tuple[str, ...] = ()
    """Decoded QR codes found on the page (UTF-8 text)."""


@dataclass(frozen=True)
class SheetInfo:
    """A sohoa cover or separator sheet, read from its QR code."""

    kind: str
    """"cover" or "separator"."""

    procedure_code: str
    dossier_code: str | None = None
    item_id: str | None = None
    """For a separator: the checklist item the pages after it belong to."""


@dataclass(frozen=True)
class PageClass:
    """The classifier's decision for one page."""

    index: int
    doc_type: str
    """A stable code of sohoa.domain.doctypes, or a checklist item's own type
    ("<procedure>/<item>"); ``khac`` when nothing fits."""

    confidence: float
    """0–1."""

    source: str
    """What decided: "qr", "rule", "item" (a checklist item's title or form number), "model",
    "continuation", "none" or "override"."""

    continuation: bool = False
    """The page has no title of its own and continues the previous document."""

    page_number: tuple[int, int] | None = None
    """(n, total) from "Trang n/total"-style numbering, when printed on the page."""

    sheet: SheetInfo | None = None
    reason: str = ""
    """One line saying why, in Vietnamese, for the clerk."""

    also: tuple[str, ...] = ()
    """Other checklist items' types the page's title fits as well (the same paper listed
    under several items): the verdict lets any of them take the document."""


@dataclass(frozen=True)
class DocumentSpan:
    """One document found in the page stream."""

    doc_type: str
    pages: tuple[int, ...]
    """Page-stream indexes, in order."""

    confidence: float
    item_id: str | None = None
    """Checklist item forced by a separator sheet, if any."""

    reason: str = ""
    earlier: bool = False
    """Received and accepted in an earlier batch of the dossier: counted by the verdict,
    no pages in this stream; its ``item_id`` is the item it filled then."""

    also: tuple[str, ...] = ()
    """Types its first page fits as well as ``doc_type`` (see PageClass.also)."""
