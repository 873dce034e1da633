"""What the catalog says is stored: every document, its text and every raw scan, as plain
records a scrub checks one by one against the object store.

The catalog of a province holds millions of rows, so they are read in pages by primary key
(one short read transaction per page) and yielded one at a time; nothing holds the whole list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select

from sohoa.storage.models import Document, Dossier, Page, RawScan
from sohoa.storage.objects import text_key
from sohoa.storage.session import Database

PAGE_ROWS = 500


class ItemKind(StrEnum):
    DOCUMENT = "document"
    """A signed PDF/A: hash, signature and retention are checked."""
    TEXT = "text"
    """A document's OCR text: checked against the store's own checksum (the catalog keeps
    none)."""
    RAW_SCAN = "raw_scan"
    """A file as it came from the scanner: hash only."""


@dataclass(frozen=True)
class CatalogedObject:
    """One object the catalog expects in the store."""

    kind: ItemKind
    dossier_code: str
    key: str
    sha256: str | None
    """What the catalog recorded; None for texts (checked against the store's record)."""
    retain_until: datetime | None = None
    """Documents: end of retention; None with ``permanent`` False means not applicable."""
    permanent: bool = False


@dataclass(frozen=True)
class Scope:
    """Which part of the catalog to go through."""

    dossier_code: str | None = None
    since: datetime | None = None
    """Documents signed (raw scans received) at or after this moment."""


def count_objects(catalog: Database, scope: Scope) -> int:
    """How many objects :func:`cataloged_objects` will yield (for a progress bar)."""
    with catalog.read_session() as session:
        documents = session.scalar(_documents(scope, select(func.count(Document.id))))
        scans = session.scalar(_raw_scans(scope, select(func.count(RawScan.id))))
    return 2 * (documents or 0) + (scans or 0)


def cataloged_objects(catalog: Database, scope: Scope) -> Iterator[CatalogedObject]:
    """Every document (followed by its text), then every raw scan, oldest first."""
    yield from _paged(catalog, scope, _document_page)
    yield from _paged(catalog, scope, _raw_scan_page)


def _paged(catalog: Database, scope: Scope, page) -> Iterator[CatalogedObject]:
    after = 0
    while True:
        with catalog.read_session() as session:
            rows = page(session, scope, after)
        if not rows:
            return
        after = rows[-1][0]
        for _id, objects in rows:
            yield from objects


def _document_page(session, scope: Scope, after: int) -> list:
    query = _documents(scope, select(Document, Dossier.code)).where(Document.id > after)
    rows = session.execute(query.order_by(Document.id).limit(PAGE_ROWS)).all()
    return [(doc.id, _document_objects(doc, code)) for doc, code in rows]


def _document_objects(doc: Document, code: str) -> list[CatalogedObject]:
    return [
        CatalogedObject(ItemKind.DOCUMENT, code, doc.object_key, doc.sha256,
                        doc.retain_until, permanent=doc.retain_until is None),
        CatalogedObject(ItemKind.TEXT, code, text_key(code, doc.ordinal, doc.doc_type), None),
    ]


def _raw_scan_page(session, scope: Scope, after: int) -> list:
    query = _raw_scans(scope, select(RawScan, Dossier.code)).where(RawScan.id > after)
    rows = session.execute(query.order_by(RawScan.id).limit(PAGE_ROWS)).all()
    return [(scan.id, [CatalogedObject(ItemKind.RAW_SCAN, code, scan.object_key, scan.sha256)])
            for scan, code in rows]


def _documents(scope: Scope, query: Select) -> Select:
    return _scoped(scope, query, Document.dossier_id, Document.signed_at)


def _raw_scans(scope: Scope, query: Select) -> Select:
    return _scoped(scope, query, RawScan.dossier_id, RawScan.received_at)


def _scoped(scope: Scope, query: Select, dossier_id: Any, moment: Any) -> Select:
    """``query`` joined to its dossier, limited to the scope's dossier and time."""
    query = query.join(Dossier, dossier_id == Dossier.id)
    if scope.dossier_code is not None:
        query = query.where(Dossier.code == scope.dossier_code)
    if scope.since is not None:
        query = query.where(moment >= scope.since)
    return query


def dossier_codes(catalog: Database, scope: Scope) -> Iterator[str]:
    """Codes of the dossiers in ``scope`` (received at or after ``since``), oldest first."""
    after = 0
    while True:
        query = select(Dossier.id, Dossier.code).where(Dossier.id > after)
        if scope.dossier_code is not None:
            query = query.where(Dossier.code == scope.dossier_code)
        if scope.since is not None:
            query = query.where(Dossier.received_at >= scope.since)
        with catalog.read_session() as session:
            rows = session.execute(query.order_by(Dossier.id).limit(PAGE_ROWS)).all()
        if not rows:
            return
        after = rows[-1][0]
        yield from (code for _id, code in rows)


def page_artefact_keys(catalog: Database, dossier_code: str) -> set[str]:
    """Keys of the page artefacts (cleaned image, text layer) the dossier's page rows
    reference: anything else under ``dossiers/<code>/pages/`` is an orphan."""
    with catalog.read_session() as session:
        results = session.scalars(select(Page.result).join(Dossier, Page.dossier_id == Dossier.id)
                                  .where(Dossier.code == dossier_code,
                                         Page.result.is_not(None)))
        keys = set()
        for result in results:
            for part in ("image", "text_layer"):
                key = (result or {}).get(part, {}).get("key")
                if key:
                    keys.add(key)
        return keys
