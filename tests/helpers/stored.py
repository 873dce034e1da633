"""Dossiers with signed documents stored through the document step, without OCR: for tests
of what happens *after* intake (agency API, search, scrub)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import pikepdf

from sohoa.pipeline.sign import sign_pdf
from sohoa.processing.context import WorkContext
from sohoa.processing.documents import _store
from sohoa.storage.records import BatchRecord


def tiny_pdf(marker: str) -> bytes:
    """One small page whose Info dictionary carries ``marker``."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Title"] = marker
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def store_dossier(ctx: WorkContext, procedure: str, doc_types: Sequence[str],
                  received_at: datetime) -> str:
    """A new dossier of ``procedure`` with one signed one-page document per type."""
    code = ctx.catalog.new_dossier(procedure, ctx.settings.agency_code, received_at)
    batch = BatchRecord(code, 1, procedure, "counter", "analysed", 0, 0, 1, None, None)
    for ordinal, doc_type in enumerate(doc_types, start=1):
        pdf = sign_pdf(tiny_pdf(f"{code}-{ordinal}"), ctx.signer(), ctx.settings.signing,
                       now=received_at)
        doc = {"ordinal": ordinal, "doc_type": doc_type, "title": doc_type, "pages": []}
        _store(ctx, batch, doc, pdf, f"văn bản {ordinal}", received_at, ctx.signer())
    return code
