"""Dossiers with signed documents stored through the document step, without OCR: for tests
of what happens *after* intake (agency API, search, scrub). Each page carries the text
given, as OCR would have left it, so the stored documents are searchable."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import pikepdf

from sohoa.domain.corrections import Corrections
from sohoa.domain.doctypes import type_name
from sohoa.domain.plan import PlannedDocument
from sohoa.pipeline.sign import sign_pdf
from sohoa.processing.context import WorkContext
from sohoa.processing.documents import store_document
from sohoa.storage.objects import raw_scan_key, sha256_hex
from sohoa.storage.records import BatchRecord

Document = tuple[str, Sequence[str]]
"""A document type and the text of each of its pages."""


def tiny_pdf(marker: str, pages: int = 1) -> bytes:
    """Small blank pages; the Info dictionary carries ``marker``."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Title"] = marker
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def store_dossier(ctx: WorkContext, procedure: str, documents: Sequence[Document],
                  received_at: datetime) -> str:
    """A new dossier of ``procedure``: one raw scan, the pages with their text, and one
    signed document per entry (in order, ordinals from 1)."""
    code = ctx.catalog.new_dossier(procedure, ctx.settings.agency_code, received_at)
    raw = ctx.objects.put(raw_scan_key(code, sha256_hex(code.encode()), "scan.pdf"),
                          tiny_pdf(code), "application/pdf")
    ctx.catalog.add_raw_scan(code, raw, "scan.pdf", received_at)
    batch = BatchRecord(code, 1, procedure, "counter", "analysed", 0, 0, 1, Corrections(),
                        None)
    page = 0
    for ordinal, (doc_type, texts) in enumerate(documents, start=1):
        indexes = list(range(page, page + len(texts)))
        for index, text in zip(indexes, texts, strict=True):
            ctx.catalog.add_page(code, index, raw_scan_key=raw.key, source_page_index=index,
                                 text=text, doc_type=doc_type)
        page += len(texts)
        pdf = sign_pdf(tiny_pdf(f"{code}-{ordinal}", len(texts)), ctx.signer(),
                       ctx.settings.signing, now=received_at)
        doc = PlannedDocument(ordinal=ordinal, doc_type=doc_type, title=type_name(doc_type),
                              pages=indexes)
        store_document(ctx, batch, doc, pdf, "\n".join(texts), received_at, ctx.signer())
    return code
