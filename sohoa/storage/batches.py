"""Work state in the catalog: batches of scans, their pages, and how far each has come.

The catalog is the source of truth for what is done; queues only carry work. Every method
here is one short transaction, and every state change is *conditional* (``pending → done``
only if still pending, ``pages → analysed`` only once), so a step delivered twice, or run by
two workers at once after a redelivery, changes the catalog once and the second run sees
the work already done.

A batch is received in one transaction (dossier, raw scan rows, batch, pending pages); its
raw scans are uploaded after that and the batch is then marked ``pages``. If the upload
fails the batch is discarded again, so a dossier is never left half-written.

At the counter the clerk often scans in several goes (a paper forgotten in the citizen's
bag, a page to scan again): while the dossier's latest batch is held for review, further
scans are *appended* to it, so the clerk sees and corrects one page stream and one verdict.
A plan records how many pages it was computed from; a plan computed before pages were
appended is never recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from sohoa.domain.corrections import Corrections
from sohoa.domain.pages import StoredPage
from sohoa.domain.plan import BatchPlan, EarlierDocument
from sohoa.errors import StorageError
from sohoa.storage.models import Batch, Document, Dossier, Page, RawScan
from sohoa.storage.objects import raw_scan_key
from sohoa.storage.outbox import set_dossier_status
from sohoa.storage.records import (
    BatchRecord,
    BatchState,
    DossierStatus,
    Lane,
    PageState,
    PageWork,
    ReceivedFile,
)
from sohoa.storage.rows import add_dossier, dossier_row
from sohoa.storage.session import Database


def _now() -> datetime:
    return datetime.now(UTC)


class BatchLedger:
    """Batches and page work of the catalog (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- receiving -----------------------------------------------------------------------

    def receive(self, *, procedure_code: str, agency_code: str, received_at: datetime,
                files: Sequence[ReceivedFile], lane: Lane = Lane.COUNTER,
                dossier_code: str | None = None, hold: bool = False,
                replace: int | None = None) -> BatchRecord:
        """Record a new batch (and, without ``dossier_code``, a new dossier) in one go.

        Pages are recorded ``pending``; files the probe could not read get a raw scan row
        with their error and no pages. Nothing is enqueued until :meth:`mark_stored`.
        A ``hold`` batch for a dossier whose latest batch is still held is appended to that
        batch instead (its raw scans must already be stored: it goes on at once); with
        ``replace`` (a position as scanned in that batch) the new pages take that page's
        place and it is removed (:meth:`Corrections.replacing`).
        """
        if dossier_code is None:
            with self.db.write_session() as session:
                dossier_code = add_dossier(session, procedure_code, agency_code, received_at)
            return self._receive_into(dossier_code, received_at, files, lane, new=True,
                                      hold=hold)
        return self._receive_into(dossier_code, received_at, files, lane, new=False,
                                  hold=hold, replace=replace)

    def _receive_into(self, code: str, received_at: datetime, files: Sequence[ReceivedFile],
                      lane: Lane, *, new: bool,
                      hold: bool, replace: int | None = None) -> BatchRecord:
        try:
            with self.db.write_session() as session:
                dossier = _dossier(session, code, lock=True)
                if dossier.status == DossierStatus.KHONG_DUOC_TIEP_NHAN:
                    raise StorageError(f"Hồ sơ {code} đã bị từ chối tiếp nhận (trạng thái 3): "
                                       "không nhận thêm bản quét; hãy lập hồ sơ mới")
                held = _open_held_batch(session, dossier) if hold and not new else None
                if replace is not None and held is None:
                    raise StorageError(f"Hồ sơ {code} không có lô nào đang chờ xem lại để "
                                       "thay trang")
                if held is not None:
                    return _append(session, dossier, held, files, received_at, replace)
                if new:  # received only once complete (see finish)
                    set_dossier_status(session, dossier, DossierStatus.MOI_DANG_KY)
                batch = Batch(dossier_id=dossier.id, number=_next_number(session, dossier.id),
                              lane=str(lane), state=BatchState.RECEIVING,
                              first_page=_page_count(session, dossier.id), page_count=0,
                              hold=hold)
                session.add(batch)
                session.flush()
                for received in files:
                    _add_file(session, dossier, batch, received, received_at)
                return _batch_record(session, batch)
        except BaseException:
            if new:
                self._forget_dossier(code)
            raise

    def _forget_dossier(self, code: str) -> None:
        """Undo a new dossier whose batch could not be recorded (best effort)."""
        try:
            with self.db.write_session() as session:
                dossier = session.scalar(select(Dossier).where(Dossier.code == code))
                if dossier is not None and not dossier.batches:
                    _delete_dossier(session, dossier)
        except StorageError:
            pass  # the database is gone too; recovery finds a dossier with no batch

    def mark_stored(self, code: str, number: int) -> BatchRecord:
        """Raw scans are safely stored: the batch's pages may now be processed."""
        with self.db.write_session() as session:
            batch = _batch(session, code, number)
            if batch.state == BatchState.RECEIVING:
                batch.state, batch.touched_at = BatchState.PAGES, _now()
            return _batch_record(session, batch)

    def discard(self, code: str, number: int) -> None:
        """Remove a batch whose raw scans could not be stored (and its dossier if it was new
        and has nothing else), so no half-written dossier remains."""
        with self.db.write_session() as session:
            batch = _batch(session, code, number)
            if batch.state != BatchState.RECEIVING:
                raise StorageError(f"Lô {number} của hồ sơ {code} đã qua bước tiếp nhận")
            dossier = batch_dossier(session, batch)
            session.execute(delete(Page).where(Page.batch_id == batch.id))
            session.execute(delete(RawScan).where(RawScan.batch_id == batch.id))
            session.execute(delete(Batch).where(Batch.id == batch.id))
            others = session.scalar(select(func.count(Batch.id))
                                    .where(Batch.dossier_id == dossier.id))
            if not others:
                _delete_dossier(session, dossier)

    # --- pages ---------------------------------------------------------------------------

    def page(self, code: str, index: int) -> PageWork:
        with self.db.read_session() as session:
            return _page_work(session, _page(session, code, index), code)

    def pages(self, code: str, number: int) -> list[PageWork]:
        with self.db.read_session() as session:
            batch = _batch(session, code, number)
            return [_page_work(session, p, code) for p in _batch_pages(session, batch)]

    def pending_count(self, code: str, number: int) -> int:
        """Pages of the batch not yet done or failed (one COUNT, asked after every page)."""
        with self.db.read_session() as session:
            batch = _batch(session, code, number)
            return session.scalar(select(func.count(Page.id)).where(
                Page.batch_id == batch.id, Page.state == PageState.PENDING)) or 0

    def done_batches(self, keys: Sequence[tuple[str, int]]) -> set[tuple[str, int]]:
        """Which of these (dossier code, batch number) are done, in one query: for screens
        and tools following many batches at once."""
        if not keys:
            return set()
        with self.db.read_session() as session:
            rows = session.execute(
                select(Dossier.code, Batch.number).join(Dossier, Batch.dossier_id == Dossier.id)
                .where(Batch.state == BatchState.DONE,
                       Dossier.code.in_({code for code, _ in keys})))
            return {(code, number) for code, number in rows} & set(keys)

    def complete_page(self, code: str, index: int, result: StoredPage, text: str) -> bool:
        """Record a processed page; False when it was already done (a redelivery)."""
        report = result.report
        values = {"state": PageState.DONE, "result": result.model_dump(mode="json"),
                  "text": text, "rotation": report.rotation,
                  "deskew_angle": report.deskew_angle, "dpi": report.dpi,
                  "flags": list(report.flags), "ocr_confidence": report.confidence,
                  "failure": None}
        return self._finish_page(code, index, values)

    def fail_page(self, code: str, index: int, reason: str) -> bool:
        """Record a page that cannot be processed; False when it was already finished."""
        values = {"state": PageState.FAILED, "failure": reason[:2000], "flags": ["unreadable"]}
        return self._finish_page(code, index, values)

    def _finish_page(self, code: str, index: int, values: dict) -> bool:
        with self.db.write_session() as session:
            page = _page(session, code, index)
            changed = session.execute(
                update(Page).where(Page.id == page.id, Page.state == PageState.PENDING)
                .values(**values)).rowcount
            if changed and page.batch_id is not None:
                session.execute(update(Batch).where(Batch.id == page.batch_id)
                                .values(touched_at=_now()))
            return bool(changed)

    # --- batches -------------------------------------------------------------------------

    def batch(self, code: str, number: int) -> BatchRecord:
        with self.db.read_session() as session:
            batch = _batch(session, code, number)
            return _batch_record(session, batch)

    def batch_of_page(self, code: str, index: int) -> int:
        with self.db.read_session() as session:
            page = _page(session, code, index)
            if page.batch_id is None:
                raise StorageError(f"Trang {index + 1} của hồ sơ {code} không thuộc lô quét nào")
            return session.get(Batch, page.batch_id).number

    def record_plan(self, code: str, number: int, plan: BatchPlan,
                    page_types: dict[int, tuple[str, float] | None]) -> BatchRecord:
        """Store the analysis once: document ordinals are allocated after every document
        already planned or stored in the dossier, page types recorded (by dossier page
        index; None for a page the clerk removed), state ``analysed`` — or ``review`` for a
        held batch. A second call (redelivery) returns the batch as the first left it."""
        with self.db.write_session() as session:
            batch = _batch(session, code, number)
            dossier = batch_dossier(session, batch)
            if batch.state != BatchState.PAGES or _stale(plan, batch):
                return _batch_record(session, batch)  # a redelivery, or pages were appended
            batch.first_ordinal = _next_ordinal(session, dossier, batch)
            _set_plan(session, batch, plan, page_types)
            batch.state = BatchState.REVIEW if batch.hold else BatchState.ANALYSED
            return _batch_record(session, batch)

    def replan(self, code: str, number: int, corrections: Corrections, plan: BatchPlan,
               page_types: dict[int, tuple[str, float] | None]) -> BatchRecord:
        """The clerk corrected a held batch: new corrections, new plan (same first ordinal)."""
        with self.db.write_session() as session:
            batch = _review_batch(session, code, number)
            if _stale(plan, batch):
                raise StorageError(f"Lô {number} của hồ sơ {code} vừa có thêm trang: hãy xem "
                                   "lại rồi sửa tiếp.")
            batch.overrides = corrections.to_json()
            _set_plan(session, batch, plan, page_types)
            return _batch_record(session, batch)

    def accept(self, code: str, number: int) -> BatchRecord:
        """The clerk accepts the held batch: its documents may now be built and signed.
        Accepting twice is harmless."""
        with self.db.write_session() as session:
            batch = _batch(session, code, number)
            if batch_dossier(session, batch).status == DossierStatus.KHONG_DUOC_TIEP_NHAN:
                raise StorageError(f"Hồ sơ {code} đã bị từ chối tiếp nhận (trạng thái 3)")
            if batch.state == BatchState.REVIEW:  # received once complete (see finish)
                batch.state, batch.hold, batch.touched_at = BatchState.ANALYSED, False, _now()
            elif batch.state not in (BatchState.ANALYSED, BatchState.DONE):
                raise StorageError(f"Lô {number} của hồ sơ {code} chưa phân loại xong, "
                                   "chưa thể tiếp nhận.")
            return _batch_record(session, batch)

    def finish(self, code: str, number: int, verdict: dict, complete: bool) -> bool:
        """Record the verdict and close the batch; False when it was already closed.

        A dossier still in status 1 becomes 2 (được tiếp nhận) when it is complete, or when
        it is an archive's backlog (received long ago); an incomplete one at the counter is
        not received and stays 1 until the citizen brings the rest (docs/domain.md), and is
        received then (its received time is that moment: the receipt and the deadline count
        from it)."""
        with self.db.write_session() as session:
            batch = _batch(session, code, number)
            if batch.state == BatchState.DONE:
                return False
            dossier = batch_dossier(session, batch)
            returned = dossier.verdict is not None  # an earlier batch left it incomplete
            dossier.verdict, dossier.complete = verdict, complete
            if dossier.status == DossierStatus.MOI_DANG_KY and \
                    receivable(complete, Lane(batch.lane)):
                set_dossier_status(session, dossier, DossierStatus.DUOC_TIEP_NHAN)
                if returned:  # received now, when the citizen brought the rest
                    dossier.received_at = _now()
            batch.state, batch.finished_at = BatchState.DONE, _now()
            return True

    def latest_number(self, code: str) -> int:
        """Number of the dossier's most recent batch."""
        with self.db.read_session() as session:
            dossier = _dossier(session, code)
            number = session.scalar(select(func.max(Batch.number))
                                    .where(Batch.dossier_id == dossier.id))
            if number is None:
                raise StorageError(f"Hồ sơ {code} chưa có lô quét nào")
            return number

    def touch(self, code: str, number: int) -> None:
        """Note that work for the batch was (re-)enqueued now."""
        with self.db.write_session() as session:
            _batch(session, code, number).touched_at = _now()

    def unfinished(self, idle_for: timedelta = timedelta(0)) -> list[BatchRecord]:
        """Batches not done whose last progress is older than ``idle_for``, oldest first
        (batches waiting for the clerk's review are not stuck: they are left out)."""
        cutoff = _now() - idle_for
        with self.db.read_session() as session:
            rows = session.scalars(
                select(Batch).where(Batch.state.not_in([BatchState.DONE, BatchState.REVIEW]),
                                    Batch.touched_at <= cutoff)
                .order_by(Batch.created_at, Batch.id)).all()
            return [_batch_record(session, b) for b in rows]

    def claim_unfinished(self, idle_for: timedelta) -> list[BatchRecord]:
        """Like :meth:`unfinished`, but claimed: the one UPDATE that finds the idle batches
        also marks them touched now, so of several sweepers running at once exactly one
        resumes each batch. On PostgreSQL a second UPDATE that meets a row the first just
        claimed waits for it, re-checks ``touched_at <= cutoff`` on the new row and skips it;
        SQLite runs one write at a time."""
        cutoff = _now() - idle_for
        with self.db.write_session() as session:
            claimed = session.scalars(
                update(Batch)
                .where(Batch.state.not_in([BatchState.DONE, BatchState.REVIEW]),
                       Batch.touched_at <= cutoff)
                .values(touched_at=_now())
                .returning(Batch.id)
                .execution_options(synchronize_session=False)).all()
            if not claimed:
                return []
            rows = session.scalars(select(Batch).where(Batch.id.in_(claimed))
                                   .order_by(Batch.created_at, Batch.id)).all()
            return [_batch_record(session, b) for b in rows]

    def earlier_documents(self, code: str, number: int) -> list[EarlierDocument]:
        """The planned documents (type, checklist item) of the dossier's batches before
        ``number`` that the clerk accepted: a later batch's verdict counts them (a citizen
        coming back with the missing paper completes the dossier)."""
        with self.db.read_session() as session:
            dossier = _dossier(session, code)
            rows = session.scalars(select(Batch).where(
                Batch.dossier_id == dossier.id, Batch.number < number,
                Batch.state.in_([BatchState.ANALYSED, BatchState.DONE]))
                .order_by(Batch.number))
            return [EarlierDocument(doc_type=d.doc_type, item_id=d.item_id)
                    for batch in rows if batch.plan for d in _plan(batch).documents]

    def stored_ordinals(self, code: str) -> set[int]:
        """Ordinals of the documents recorded for the dossier."""
        with self.db.read_session() as session:
            dossier = _dossier(session, code)
            return set(session.scalars(select(Document.ordinal)
                                       .where(Document.dossier_id == dossier.id)))


# --- helpers (inside the caller's transaction) ----------------------------------------------


def receivable(complete: bool, lane: Lane) -> bool:
    """Whether a finished batch makes its dossier received: complete at the counter, or any
    backlog batch (archived dossiers were received when they were handed in)."""
    return complete or lane == Lane.BACKLOG


def _dossier(session: Session, code: str, lock: bool = False) -> Dossier:
    dossier = dossier_row(session, code)
    if lock:  # PostgreSQL: one writer at a time adds batches and pages to a dossier
        session.refresh(dossier, with_for_update=True)
    return dossier


def batch_dossier(session: Session, batch: Batch) -> Dossier:
    return session.get(Dossier, batch.dossier_id)


def _batch(session: Session, code: str, number: int) -> Batch:
    dossier = _dossier(session, code)
    batch = session.scalar(select(Batch).where(Batch.dossier_id == dossier.id,
                                               Batch.number == number))
    if batch is None:
        raise StorageError(f"Hồ sơ {code} không có lô quét {number}")
    return batch


def _page(session: Session, code: str, index: int) -> Page:
    dossier = _dossier(session, code)
    page = session.scalar(select(Page).where(Page.dossier_id == dossier.id,
                                             Page.index_in_dossier == index))
    if page is None:
        raise StorageError(f"Hồ sơ {code} không có trang {index + 1}")
    return page


def _batch_pages(session: Session, batch: Batch) -> list[Page]:
    return list(session.scalars(select(Page).where(Page.batch_id == batch.id)
                                .options(joinedload(Page.raw_scan))
                                .order_by(Page.index_in_dossier)))


def _next_number(session: Session, dossier_id: int) -> int:
    last = session.scalar(select(func.max(Batch.number)).where(Batch.dossier_id == dossier_id))
    return (last or 0) + 1


def _page_count(session: Session, dossier_id: int) -> int:
    last = session.scalar(select(func.max(Page.index_in_dossier))
                          .where(Page.dossier_id == dossier_id))
    return 0 if last is None else last + 1


def _next_ordinal(session: Session, dossier: Dossier, batch: Batch) -> int:
    """After every stored document and every document another batch has planned."""
    stored = session.scalar(select(func.max(Document.ordinal))
                            .where(Document.dossier_id == dossier.id)) or 0
    planned = [n for b in dossier.batches if b.plan and b.id != batch.id
               for n in _plan(b).ordinals]
    return max([stored, *planned]) + 1


def _open_held_batch(session: Session, dossier: Dossier) -> Batch | None:
    """The dossier's latest batch when it is held for the clerk and not yet accepted."""
    latest = session.scalar(select(Batch).where(Batch.dossier_id == dossier.id)
                            .order_by(Batch.number.desc()).limit(1))
    if latest is not None and latest.hold and latest.state in (BatchState.PAGES,
                                                               BatchState.REVIEW):
        return latest
    return None


def _append(session: Session, dossier: Dossier, batch: Batch, files: Sequence[ReceivedFile],
            received_at: datetime, replace: int | None) -> BatchRecord:
    """More scans for a held batch: new pending pages at its end, analysed again once read."""
    before = batch.page_count
    if replace is not None and not 0 <= replace < before:
        raise StorageError(f"Lô {batch.number} của hồ sơ {dossier.code} không có trang "
                           f"{replace + 1} để thay")
    for received in files:
        _add_file(session, dossier, batch, received, received_at)
    if replace is not None and batch.page_count > before:
        corrections = Corrections.from_json(batch.overrides)
        batch.overrides = corrections.replacing(before, batch.page_count, replace).to_json()
    batch.state, batch.touched_at = BatchState.PAGES, _now()
    return _batch_record(session, batch)



def _stale(plan: BatchPlan, batch: Batch) -> bool:
    """Was ``plan`` computed from fewer pages than the batch has now?"""
    return plan.page_count is not None and plan.page_count != batch.page_count


def _plan(batch: Batch) -> BatchPlan:
    """The batch's stored plan (the caller knows it has one)."""
    return BatchPlan.model_validate(batch.plan)


def _review_batch(session: Session, code: str, number: int) -> Batch:
    batch = _batch(session, code, number)
    if batch.state != BatchState.REVIEW:
        raise StorageError(f"Lô {number} của hồ sơ {code} không ở bước chờ cán bộ xem lại "
                           f"(trạng thái {batch.state}).")
    return batch


def _set_plan(session: Session, batch: Batch, plan: BatchPlan,
              page_types: dict[int, tuple[str, float] | None]) -> None:
    batch.plan = plan.numbered(batch.first_ordinal).to_json()
    for page in _batch_pages(session, batch):
        page.doc_type, page.doc_confidence = page_types.get(page.index_in_dossier) or (None,
                                                                                        None)
    batch.touched_at = _now()



def _add_file(session: Session, dossier: Dossier, batch: Batch, received: ReceivedFile,
              received_at: datetime) -> None:
    """Raw scan row (shared when the same file comes twice) and its pending pages."""
    key = raw_scan_key(dossier.code, received.sha256, received.original_name)
    raw = session.scalar(select(RawScan).where(RawScan.object_key == key))
    if raw is None:
        raw = RawScan(dossier_id=dossier.id, object_key=key, sha256=received.sha256,
                      original_name=received.original_name, size=received.size,
                      received_at=received_at, error=received.error, batch_id=batch.id)
        session.add(raw)
        session.flush()
    first = _page_count(session, dossier.id)
    for source_index in range(received.page_count if received.error is None else 0):
        session.add(Page(dossier_id=dossier.id, batch_id=batch.id, raw_scan_id=raw.id,
                         index_in_dossier=first + source_index,
                         source_page_index=source_index, state=PageState.PENDING,
                         flags=[]))
        batch.page_count += 1
    session.flush()


def _delete_dossier(session: Session, dossier: Dossier) -> None:
    """Remove a dossier with nothing else in it (its rows go by the foreign keys' cascade)."""
    session.execute(delete(Dossier).where(Dossier.id == dossier.id))


def _batch_record(session: Session, batch: Batch) -> BatchRecord:
    dossier = batch_dossier(session, batch)
    keys = session.scalars(select(RawScan.object_key).where(RawScan.batch_id == batch.id)
                           .order_by(RawScan.id))
    return BatchRecord(dossier.code, batch.number, dossier.procedure_code, batch.lane,
                       batch.state, batch.first_page, batch.page_count, batch.first_ordinal,
                       Corrections.from_json(batch.overrides),
                       BatchPlan.model_validate(batch.plan) if batch.plan else None,
                       tuple(keys), batch.hold)


def _page_work(session: Session, page: Page, code: str) -> PageWork:
    batch = session.get(Batch, page.batch_id) if page.batch_id is not None else None
    raw = page.raw_scan
    return PageWork(code, page.index_in_dossier, batch.number if batch else 0,
                    batch.lane if batch else Lane.COUNTER, raw.object_key, raw.sha256,
                    raw.original_name, page.source_page_index, page.state, page.result,
                    page.text or "", page.failure)
