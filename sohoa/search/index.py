"""Archivist search over the OCR text of stored documents, page by page.

One API, two indexes: an FTS5 table on the embedded default (SQLite), ``tsvector`` columns
with GIN indexes at scale (PostgreSQL) — :mod:`.sqlite` and :mod:`.postgres` hold
the only SQL that differs. Words are cut, folded and highlighted in Python
(:mod:`sohoa.search.textfold`), so both give the same hits, snippets and order:

- a query finds pages containing every word (or "phrase"), diacritics or not — "da nang"
  finds "Đà Nẵng", "Da Nang" and "đa năng";
- pages that contain the words typed *with* diacritics rank first ("Đà Nẵng" before
  "đa năng"), then by relevance (BM25 on SQLite, ``ts_rank`` on PostgreSQL);
- every filter, and an agency's restriction to the dossiers routed to it, is part of the
  SQL, so a page of results never leaks (or silently drops) anything;
- user input reaches SQL only as bound values, and the full-text expressions are built from
  letters and digits only.

A document's pages are indexed when the catalog records the document, in the same
transaction (:func:`index_document_pages` is the catalog's indexer: :func:`open_catalog`
in :mod:`sohoa.processing.context` hands it over), and again —
replacing — whenever asked (:meth:`SearchIndex.index_document`, :meth:`SearchIndex.reindex_all`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from sohoa.clock import start_of_day
from sohoa.domain.plan import BatchPlan
from sohoa.errors import DossierNotFoundError, SearchQueryError, StorageError
from sohoa.search import postgres, sqlite
from sohoa.search.rows import Filters, IndexedPage
from sohoa.search.textfold import Fragment, ParsedQuery, index_forms, parse_query, snippet
from sohoa.storage.models import Batch, Document, Dossier, Page, UtcDateTime
from sohoa.storage.records import STATUS_LABELS, DossierStatus

if TYPE_CHECKING:
    from sohoa.storage.session import Database

MAX_LIMIT = 100
MAX_OFFSET = 10_000
"""Deeper pages are refused: refine the search instead."""
COUNT_CAP = 1_000
"""Totals are counted up to this many hits (beyond: "at least"); up to it, every hit is
ranked by relevance."""

STATUS_NAMES = {int(status): label for status, label in STATUS_LABELS.items()}
"""The national portal's status names (:class:`sohoa.storage.records.DossierStatus`)."""


@dataclass(frozen=True)
class SearchQuery:
    """What the archivist asks for; None means any. ``restrict_to_agencies`` (set for an
    agency principal) keeps only dossiers routed to one of those agencies."""

    text: str
    procedure_code: str | None = None
    agency_code: str | None = None
    """The agency that received the dossier."""
    doc_type: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    """Inclusive, in Vietnam's calendar days."""
    status: int | None = None
    limit: int = 20
    offset: int = 0
    restrict_to_agencies: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise SearchQueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_LIMIT}.")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise SearchQueryError(f"Chỉ xem được {MAX_OFFSET} kết quả đầu tiên.")
        if self.status is not None and self.status not in STATUS_NAMES:
            raise SearchQueryError(f"Trạng thái hồ sơ phải từ 1 đến 10, không phải "
                                   f"{self.status}.")
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise SearchQueryError("Ngày tiếp nhận 'từ' phải trước ngày 'đến'.")


@dataclass(frozen=True)
class SearchHit:
    dossier_code: str
    procedure_code: str
    ordinal: int
    """The document within the dossier (its PDF)."""
    title: str
    doc_type: str
    page: int
    """Page number within the document's PDF, from 1."""
    received_at: datetime
    status: int
    score: float
    """Relevance within its rank tier (higher is better)."""
    exact: bool
    """The page contains the words with the diacritics as typed."""
    snippet: tuple[Fragment, ...]
    """Plain-text fragments; the flagged ones are matched words (escape, then mark)."""

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, str(self.status))


@dataclass(frozen=True)
class SearchResults:
    total: int
    total_is_exact: bool
    """False when counting stopped at :data:`COUNT_CAP` ("at least ``total``")."""
    hits: tuple[SearchHit, ...] = field(default=())


class SearchIndex:
    """The search index of one catalog (either backend)."""

    def __init__(self, catalog: Database) -> None:
        self.catalog = catalog
        self.backend = backend_for(catalog.engine.dialect.name)

    def index_document(self, dossier_code: str, ordinal: int) -> int:
        """(Re)index the pages of one stored document; returns how many were indexed."""
        with self.catalog.write_session() as session:
            document = session.scalar(
                select(Document).join(Dossier, Dossier.id == Document.dossier_id)
                .where(Dossier.code == dossier_code, Document.ordinal == ordinal))
            if document is None:
                raise StorageError(f"Hồ sơ {dossier_code} không có tài liệu số {ordinal}")
            return index_document_pages(session, document)

    def remove_dossier(self, dossier_code: str) -> None:
        """Take every page of a dossier out of the index."""
        with self.catalog.write_session() as session:
            dossier_id = session.scalar(select(Dossier.id).where(Dossier.code == dossier_code))
            if dossier_id is None:
                raise DossierNotFoundError(f"Không có hồ sơ {dossier_code} trong danh mục")
            self.backend.remove_dossier(session, dossier_id)

    def reindex_all(self, progress: Callable[[int, int], None] | None = None,
                    chunk: int = 500) -> int:
        """Rebuild the whole index from the catalog, ``chunk`` documents per transaction;
        ``progress(pages done, total pages)`` after each. Returns the pages indexed."""
        with self.catalog.read_session() as session:
            documents = session.scalars(select(Document.id).order_by(Document.id)).all()
            total = session.scalar(select(func.count(Page.id))
                                   .where(Page.document_id.is_not(None))) or 0
        with self.catalog.write_session() as session:
            self.backend.clear(session)
        seen = indexed = 0
        for start in range(0, len(documents), chunk):
            with self.catalog.write_session() as session:
                rows, pages = _rows_of_documents(session, documents[start:start + chunk])
                self.backend.insert(session, rows)
            seen, indexed = seen + pages, indexed + len(rows)
            if progress:
                progress(min(seen, total), total)
        with self.catalog.write_session() as session:
            self.backend.optimize(session)
        return indexed

    def search(self, query: SearchQuery) -> SearchResults:
        """One page of hits (best first) and how many there are.

        Up to :data:`COUNT_CAP` matches are all ranked: exact tier, then relevance. Beyond
        that (a common word), ranking every match would cost seconds on 100,000 pages, so
        the exact tier comes first and each tier is read newest page first, straight from
        the index in its own order — the first screen of a very broad search shows the
        latest dossiers, and the count reads "at least".
        """
        parsed = parse_query(query.text)
        filters = filters_of(query)
        match = self.backend.match_params(parsed)
        params = {**filters.params, **match}
        with self.catalog.read_session() as session:
            if hasattr(self.backend, "tune_session"):
                self.backend.tune_session(session)
            total = self._count(session, filters, params, match["fq"], None, COUNT_CAP + 1)
            if total == 0 or (total <= COUNT_CAP and query.offset >= total):
                return SearchResults(min(total, COUNT_CAP), total <= COUNT_CAP)
            page = {"limit": query.limit, "offset": query.offset}
            if total <= COUNT_CAP:
                rows = session.execute(self.backend.ranked_sql(filters, parsed),
                                       {**params, **page, "match": match["fq"]}).all()
            else:
                rows = self._streamed(session, filters, params, match, query)
            texts = _page_texts(session, [r.page_id for r in rows])
        hits = tuple(_hit(r, snippet(texts.get(r.page_id, ""), parsed)) for r in rows)
        return SearchResults(min(total, COUNT_CAP), total <= COUNT_CAP, hits)

    def _count(self, session: Session, filters: Filters, params: dict, match: str,
               tier: str | None, cap: int) -> int:
        return session.execute(self.backend.count_sql(filters, tier),
                               {**params, "match": match, "cap": cap}).scalar_one()

    def _streamed(self, session: Session, filters: Filters, params: dict, match: dict,
                  query: SearchQuery) -> list:
        """The exact tier's page of rows, then (if short) the folded-only tier's."""
        def read(tier: str | None, limit: int, offset: int) -> list:
            statement = self.backend.streamed_sql(filters, tier == "t1", tier)
            return list(session.execute(statement, {
                **params, "match": match[tier or "fq"], "limit": limit, "offset": offset}))

        if "t1" not in match:
            return read(None, query.limit, query.offset)
        first = read("t1", query.limit, query.offset)
        if len(first) == query.limit:
            return first
        before = query.offset + len(first) if first else \
            self._count(session, filters, params, match["t1"], "t1", query.offset + 1)
        return first + read("t2", query.limit - len(first), max(0, query.offset - before))


def index_document_pages(session: Session, document: Document,
                         page_indexes: Sequence[int] = ()) -> int:
    """Replace the index entries of ``document``'s pages, inside the caller's transaction.

    ``page_indexes`` (dossier page indexes in the document's page order, as
    :meth:`Catalog.add_document` receives them) give the page numbers; without them the
    order comes from the batch plan that built the document, else scanning order.
    """
    rows, _ = _rows_of_documents(session, [document.id], {document.id: list(page_indexes)})
    backend = backend_for(session.get_bind().dialect.name)
    page_ids = session.scalars(select(Page.id).where(Page.document_id == document.id)).all()
    backend.delete_pages(session, [*page_ids, *(r.page_id for r in rows)])
    backend.insert(session, rows)
    return len(rows)


# --- helpers --------------------------------------------------------------------------------


def backend_for(dialect: str):  # noqa: ANN201 - one of the two backend modules
    if dialect == "postgresql":
        return postgres
    if dialect == "sqlite":
        return sqlite
    raise StorageError(f"Full-text search is not available on {dialect}.")


def _rows_of_documents(session: Session, document_ids: Sequence[int],
                       orders: dict[int, list[int]] | None = None,
                       ) -> tuple[list[IndexedPage], int]:
    """Index rows of the pages of these documents, numbered in each document's page order
    (pages without text are numbered but not indexed), and how many pages they have."""
    if not document_ids:
        return [], 0
    docs = {d.id: d for d in session.execute(
        select(Document.id, Document.dossier_id, Document.ordinal)
        .where(Document.id.in_(document_ids)))}
    pages = session.execute(
        select(Page.id, Page.document_id, Page.index_in_dossier, Page.text)
        .where(Page.document_id.in_(document_ids))).all()
    orders = {k: v for k, v in (orders or {}).items() if v}
    planned = _planned_orders(session, [d for d in docs.values() if d.id not in orders])
    rows = []
    for doc_id, doc in docs.items():
        order = orders.get(doc_id) or planned.get((doc.dossier_id, doc.ordinal), [])
        position = {index: n for n, index in enumerate(order)}
        mine = sorted((p for p in pages if p.document_id == doc_id),
                      key=lambda p: (position.get(p.index_in_dossier, len(position)),
                                     p.index_in_dossier))
        for number, page in enumerate(mine, start=1):
            if page.text and page.text.strip():
                written, folded = index_forms(page.text)
                rows.append(IndexedPage(page.id, doc.dossier_id, doc.ordinal, number,
                                        written, folded))
    return rows, len(pages)


def _planned_orders(session: Session, docs: Sequence) -> dict[tuple[int, int], list[int]]:
    """(dossier id, ordinal) → the page indexes in the order the batch plan built them."""
    dossier_ids = {d.dossier_id for d in docs}
    if not dossier_ids:
        return {}
    found: dict[tuple[int, int], list[int]] = {}
    for dossier_id, plan in session.execute(select(Batch.dossier_id, Batch.plan)
                                            .where(Batch.dossier_id.in_(dossier_ids))):
        for doc in BatchPlan.model_validate(plan).documents if plan else ():
            if doc.ordinal is not None:
                found[(dossier_id, doc.ordinal)] = list(doc.pages)
    return found



def filters_of(query: SearchQuery) -> Filters:
    """The SQL conditions of the query's filters, every value bound."""
    conditions, params, binds = [], {}, []
    simple = (("procedure_code", "d.procedure_code"), ("agency_code", "d.agency_code"),
              ("doc_type", "doc.doc_type"), ("status", "d.status"))
    for name, column in simple:
        value = getattr(query, name)
        if value not in (None, ""):
            conditions.append(f"{column} = :{name}")
            params[name] = int(value) if name == "status" else value
    if query.received_from is not None:
        conditions.append("d.received_at >= :rfrom")
        binds.append(bindparam("rfrom", type_=UtcDateTime()))
        params["rfrom"] = start_of_day(query.received_from)
    if query.received_to is not None:
        conditions.append("d.received_at < :rto")
        binds.append(bindparam("rto", type_=UtcDateTime()))
        params["rto"] = start_of_day(query.received_to) + timedelta(days=1)
    if query.restrict_to_agencies is not None:
        if not query.restrict_to_agencies:
            conditions.append("1 = 0")
        else:
            conditions.append("EXISTS (SELECT 1 FROM dossier_routes r WHERE r.dossier_id = "
                              "d.id AND r.agency_code IN :agencies)")
            # not received at the counter: no agency finds it, routed or not
            conditions.append(f"d.status <> {int(DossierStatus.MOI_DANG_KY)}")
            binds.append(bindparam("agencies", expanding=True))
            params["agencies"] = sorted(query.restrict_to_agencies)
    return Filters(tuple(conditions), params, tuple(binds))


def _page_texts(session: Session, page_ids: Sequence[int]) -> dict[int, str]:
    if not page_ids:
        return {}
    return dict(session.execute(select(Page.id, Page.text).where(Page.id.in_(page_ids))).all())


def _hit(row, fragments: tuple[Fragment, ...]) -> SearchHit:  # noqa: ANN001 - a result Row
    return SearchHit(row.code, row.procedure_code, row.ordinal, row.title, row.doc_type,
                     row.page_number, row.received_at, int(row.status), float(row.score),
                     bool(row.exact), fragments)


def status_choices() -> list[tuple[int, str]]:
    return [(int(s), STATUS_NAMES[int(s)]) for s in DossierStatus]


__all__ = ["MAX_LIMIT", "STATUS_NAMES", "IndexedPage", "ParsedQuery", "SearchHit",
           "SearchIndex", "SearchQuery", "SearchResults", "index_document_pages"]
