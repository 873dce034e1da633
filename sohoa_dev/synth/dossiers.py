"""Labelled synthetic dossiers: a procedure's checklist answered by generated documents.

A dossier is planned first (cheap, no pixels: which documents, for which checklist item, in
which order), then rendered and put through the scanner. The truth says what the pipeline
must find: each page's type, the documents and their pages, and the status of every checklist
item — so a benchmark can score page classification, segmentation and the verdict at once.

Variants: "complete" (every required item, one alternative chosen at random, conditional
items sometimes, a shown-only card sometimes scanned anyway), "missing" (one or two required
items left out — or one of two drawing sets, which the verdict counts as present: the clerk
digitizes one set and counts the paper), "extra" (complete plus one or two papers the
procedure does not ask for: another procedure's form or a non-administrative page).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from sohoa.domain.doctypes import COVER, KHAC, SEPARATOR
from sohoa.domain.procedures import ChecklistItem, Procedure, Requirement
from sohoa.domain.verdict import ItemStatus
from sohoa_dev.synth.documents import (
    DOCUMENT_TYPES,
    SynthDocPage,
    random_scan,
    render_document,
    scanned,
)

VARIANTS = ("complete", "missing", "extra")
CONDITIONAL_SHARE = 0.5
"""How often a conditional ("nếu có") item is handed in."""

SHOWN_SCANNED_SHARE = 0.2
"""How often a paper that is only to be shown gets scanned anyway."""

SECOND_CARD_SHARE = 0.3
"""How often a second ID card copy comes with an item that takes ID cards (owner + member)."""


@dataclass(frozen=True)
class PlannedDocument:
    doc_type: str
    item_id: str | None
    """The checklist item it answers (None: an extra paper)."""

    seed: int


@dataclass(frozen=True)
class DossierPlan:
    procedure_code: str
    variant: str
    documents: tuple[PlannedDocument, ...]
    statuses: dict[str, ItemStatus]
    dropped: tuple[str, ...] = ()
    """Items left out by the "missing" variant."""


@dataclass(frozen=True)
class TruthDocument:
    """A document of the dossier as the pipeline should find it."""

    doc_type: str
    pages: tuple[int, ...]
    """Page-stream indexes, from 0."""

    item_id: str | None


@dataclass(frozen=True)
class SynthDossier:
    """A generated dossier: its scanned pages in stream order and the truth about them."""

    procedure_code: str
    variant: str
    seed: int
    pages: tuple[SynthDocPage, ...]
    documents: tuple[TruthDocument, ...]
    """The real documents (cover and separator sheets are not documents)."""

    statuses: dict[str, ItemStatus]
    """Expected verdict status per checklist item id."""

    dropped: tuple[str, ...] = ()
    sheet_pages: tuple[int, ...] = field(default=())
    """Indexes of sohoa cover and separator sheets in the stream."""

    @property
    def page_types(self) -> tuple[str, ...]:
        """The true type of every page (cover / separator sheets included)."""
        return tuple(p.doc_type for p in self.pages)

    @property
    def complete(self) -> bool:
        return ItemStatus.MISSING not in self.statuses.values()


def plan_dossier(procedure: Procedure, seed: int, variant: str = "complete") -> DossierPlan:
    """Which documents, for which item, in which order — and the expected item statuses."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown dossier variant {variant!r}; one of {VARIANTS}")
    rng = random.Random(f"{procedure.code}/{variant}/{seed}")
    by_item = {item.id: _documents_for(item, rng) for item in procedure.items}
    dropped = _drop(procedure, by_item, rng) if variant == "missing" else ()
    statuses = {item.id: _status(item, by_item[item.id]) for item in procedure.items}
    documents = [doc for item in procedure.items for doc in by_item[item.id]]
    if variant == "extra":
        for extra in _extras(procedure, rng):
            documents.insert(rng.randint(0, len(documents)), extra)
    return DossierPlan(procedure.code, variant, tuple(documents), statuses, dropped)


def _documents_for(item: ChecklistItem, rng: random.Random) -> list[PlannedDocument]:
    if item.requirement is Requirement.SHOWN_ONLY:
        count = 1 if rng.random() < SHOWN_SCANNED_SHARE else 0
    elif item.requirement is Requirement.CONDITIONAL:
        count = item.sets if rng.random() < CONDITIONAL_SHARE else 0
    else:
        count = item.sets
    if count and "can_cuoc" in item.doc_types and item.scanned and rng.random() < \
            SECOND_CARD_SHARE:
        count += 1
    return [PlannedDocument(rng.choice(item.doc_types), item.id, rng.randrange(10**9))
            for _ in range(count)]


def _drop(procedure: Procedure, by_item: dict[str, list[PlannedDocument]],
          rng: random.Random) -> tuple[str, ...]:
    """Leave out one or two required items (never every document of the dossier)."""
    required = [i for i in procedure.items if i.requirement is Requirement.REQUIRED]
    count = min(rng.choice((1, 1, 2)), len(required) - 1) or 1
    dropped = rng.sample(required, k=count)
    for item in dropped:
        docs = by_item[item.id]
        if item.sets > 1 and rng.random() < 0.5:
            del docs[item.sets - 1:]  # one set short
        else:
            docs.clear()
    return tuple(item.id for item in dropped)


def _status(item: ChecklistItem, docs: list[PlannedDocument]) -> ItemStatus:
    if not item.scanned:
        return ItemStatus.NOT_APPLICABLE
    if docs:  # several sets of the same paper are digitized once (issue 14)
        return ItemStatus.PRESENT
    if not docs and item.requirement is Requirement.CONDITIONAL:
        return ItemStatus.NOT_APPLICABLE
    return ItemStatus.MISSING


def _extras(procedure: Procedure, rng: random.Random) -> list[PlannedDocument]:
    """One or two papers no item of the procedure takes: often a news page."""
    taken = {code for item in procedure.items for code in item.doc_types}
    foreign = [code for code in DOCUMENT_TYPES if code not in taken and code != KHAC]
    out = []
    for _ in range(rng.choice((1, 1, 2))):
        code = KHAC if rng.random() < 0.5 else rng.choice(foreign)
        out.append(PlannedDocument(code, None, rng.randrange(10**9)))
    return out


def make_dossier(procedure: Procedure, seed: int, variant: str = "complete", dpi: int = 300,
                 scan: bool = True, sheets: bool = False) -> SynthDossier:
    """Render the planned dossier; ``scan`` puts every page through random ADF conditions.

    ``sheets`` puts sohoa's cover sheet first and a separator before each handed-in item
    (then extra papers come right after the cover, where no separator claims them).
    """
    plan = plan_dossier(procedure, seed, variant)
    rng = random.Random(f"scan/{procedure.code}/{variant}/{seed}")
    pages: list[SynthDocPage] = []
    truth: list[TruthDocument] = []
    sheet_pages: list[int] = []
    for doc in _ordered(plan, procedure, sheets, dpi):
        if isinstance(doc, SynthDocPage):
            sheet_pages.append(len(pages))
            pages.append(doc)
            continue
        rendered = render_document(doc.doc_type, doc.seed, dpi)
        start = len(pages)
        pages.extend(rendered)
        truth.append(TruthDocument(doc.doc_type, tuple(range(start, len(pages))), doc.item_id))
    if scan:
        pages = [scanned(p, random_scan(rng, dpi), seed=rng.randrange(10**6)) for p in pages]
    return SynthDossier(procedure.code, variant, seed, tuple(pages), tuple(truth),
                        plan.statuses, plan.dropped, tuple(sheet_pages))


def _ordered(plan: DossierPlan, procedure: Procedure, sheets: bool, dpi: int) -> list:
    """The plan's documents, with cover and separator sheet pages when asked for."""
    if not sheets:
        return list(plan.documents)
    cover, separators = _sheet_pages(procedure, dpi)
    unclaimed = [d for d in plan.documents  # extras, and shown-only papers scanned anyway
                 if d.item_id is None or not procedure.item(d.item_id).scanned]
    out: list = [cover] + unclaimed
    for item in procedure.scanned_items:
        docs = [d for d in plan.documents if d.item_id == item.id]
        if docs:
            out += [separators[item.id]] + docs
    return out


def _sheet_pages(procedure: Procedure, dpi: int
                 ) -> tuple[SynthDocPage, dict[str, SynthDocPage]]:
    """sohoa's printed cover and separator sheets, rasterised (sohoa.pipeline.cover); each
    sheet is recognised by its own QR, so the order of the PDF does not matter."""
    from pdf2image import convert_from_bytes

    from sohoa.pipeline.classify.qr import decode_qr, parse_sheet
    from sohoa.pipeline.cover import cover_sheets_pdf

    cover, separators = None, {}
    for image in convert_from_bytes(cover_sheets_pdf(procedure, None), dpi=dpi, grayscale=True):
        payloads = decode_qr(np.asarray(image), dpi)
        info = next((parse_sheet(p) for p in payloads if parse_sheet(p)), None)
        if info is None:
            continue
        image.info["dpi"] = (dpi, dpi)
        page = SynthDocPage(image=image, text="", doc_type=COVER if info.kind == "cover"
                            else SEPARATOR, page_in_doc=1, pages_in_doc=1, is_title_page=True,
                            qr_payloads=payloads)
        if info.kind == "cover":
            cover = page
        else:
            separators[info.item_id] = page
    if cover is None:
        raise ValueError("cover_sheets_pdf gave no readable cover sheet")
    return cover, separators
