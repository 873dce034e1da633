"""Tiny catalogs for the search tests: dossiers whose documents' pages carry given text,
recorded through the catalog as the pipeline does (raw scan, pages, then the document — the
moment its pages become searchable). No OCR, no object store."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from sohoa.storage.catalog import Catalog
from sohoa.storage.objects import StoredObject, document_key, raw_scan_key

VN = timezone(timedelta(hours=7))
AGENCY = "000.00.14.H56"


def _stored(key: str) -> StoredObject:
    return StoredObject(key, hashlib.sha256(key.encode()).hexdigest(), 100, "application/pdf")


def new_dossier(catalog: Catalog, *, procedure: str = "1.001193", agency: str = AGENCY,
                received_at: datetime = datetime(2025, 3, 14, 9, 0, tzinfo=VN)) -> str:
    code = catalog.new_dossier(procedure, agency, received_at)
    raw = _stored(raw_scan_key(code, hashlib.sha256(code.encode()).hexdigest(), "scan.pdf"))
    catalog.add_raw_scan(code, raw, "scan.pdf", received_at)
    return code


def add_document(catalog: Catalog, code: str, ordinal: int, texts: Sequence[str], *,
                 doc_type: str = "khac", title: str = "Giấy tờ khác",
                 order: Sequence[int] | None = None) -> list[int]:
    """Pages with ``texts`` appended to the dossier, then a document made of them (in
    ``order``: positions in ``texts``, default as given). Returns their page indexes."""
    raw_key = catalog.dossier(code).raw_scans[0].key
    first = len(catalog.dossier(code).pages)
    indexes = []
    for n, text in enumerate(texts):
        catalog.add_page(code, first + n, raw_scan_key=raw_key, source_page_index=first + n,
                         text=text, doc_type=doc_type)
        indexes.append(first + n)
    ordered = [indexes[i] for i in order] if order is not None else indexes
    catalog.add_document(code, ordinal, _stored(document_key(code, ordinal, doc_type)),
                         title=title, page_count=len(texts), doc_type=doc_type,
                         page_indexes=ordered)
    return indexes
