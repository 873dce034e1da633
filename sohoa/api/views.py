"""What the counter screen shows, read from the catalog (the source of truth).

The screen follows the dossier's latest batch: its pages in the clerk's order (removed
pages stay visible, greyed), each with its quality warnings in Vietnamese and its type, the
documents they form, and the checklist verdict. Positions in forms are the pages' positions
*as scanned* in the batch, the unit the review overrides use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sohoa.domain.access import Principal
from sohoa.domain.doctypes import DOC_TYPES, is_item_type, type_name
from sohoa.domain.papers import with_reused
from sohoa.domain.procedures import Procedure
from sohoa.domain.reports import PageReport
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.processing.context import WorkContext
from sohoa.search.index import STATUS_NAMES
from sohoa.services.intake import batches_of
from sohoa.services.reuse import CounterOffer, counter_offers
from sohoa.storage.papers import accepted_reuses
from sohoa.storage.records import (
    BatchRecord,
    BatchState,
    DocumentRecord,
    DossierRecord,
    DossierStatus,
    PageState,
)

FLAG_TEXT = {
    "blank": "trang trắng",
    "blurred": "mờ, cần quét lại",
    "low_resolution": "độ phân giải thấp",
    "dark_border": "viền đen",
    "cut_off": "bị cắt mất phần nội dung",
    "unreadable": "không đọc được",
}
STATE_TEXT = {
    BatchState.RECEIVING: "Đang lưu bản quét",
    BatchState.PAGES: "Đang đọc các trang",
    BatchState.REVIEW: "Chờ cán bộ kiểm tra và tiếp nhận",
    BatchState.ANALYSED: "Đang ký số và lưu tài liệu",
    BatchState.DONE: "Đã tiếp nhận",
}
NOT_RECEIVED_TEXT = ("Chưa tiếp nhận (trạng thái 1): hồ sơ còn thiếu, các trang đã số hóa "
                     "được giữ lại; quét thêm giấy tờ khi công dân bổ sung")
MARKS = {ItemStatus.PRESENT: "✓", ItemStatus.MISSING: "✗", ItemStatus.NOT_APPLICABLE: "–"}
DOC_TYPE_CHOICES = tuple((t.code, t.name) for t in DOC_TYPES if t.is_document)


@dataclass(frozen=True)
class PageView:
    position: int
    """Position in the batch as scanned (0-based): what the correction forms send."""
    index: int
    """Page index in the dossier (thumbnail URL)."""
    number: int | None
    """1-based number in the clerk's order; None for a removed page."""
    state: str
    warnings: tuple[str, ...]
    doc_type: str | None
    doc_name: str
    document: int | None
    """1-based number of the document the page belongs to (in the plan)."""
    starts_document: bool
    failure: str | None
    source: str
    text: str = ""
    """The OCR text, shown beside the page in the viewer."""
    confidence: float | None = None
    """How sure the page's type is (0..1), when it was classified."""
    reason: str = ""
    """Why the verdict counts the page's document as it does, in the clerk's words."""

    @property
    def removed(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class ItemView:
    mark: str
    status: str
    name: str
    reason: str
    item_id: str = ""


@dataclass(frozen=True)
class DossierView:
    record: DossierRecord
    procedure: Procedure
    batch: BatchRecord | None
    pages: list[PageView] = field(default_factory=list)
    items: list[ItemView] = field(default_factory=list)
    verdict: Verdict | None = None
    busy: bool = False
    error: str | None = None
    held_batches: int = 0
    reuse: dict[str, list[CounterOffer]] = field(default_factory=dict)
    """Earlier digitized papers of the owner that can fill a missing item, by item id."""

    @property
    def code(self) -> str:
        return self.record.code

    @property
    def state(self) -> str:
        return self.batch.state if self.batch else "empty"

    @property
    def refused(self) -> bool:
        """The clerk refused it (3): it takes no more scans, so the screen offers none."""
        return self.record.status == DossierStatus.KHONG_DUOC_TIEP_NHAN

    @property
    def status_name(self) -> str:
        """The dossier's national status, by its label."""
        return STATUS_NAMES.get(self.record.status, str(self.record.status))

    @property
    def state_text(self) -> str:
        """The batch's progress, but the dossier's status once it is done: an incomplete
        dossier is not received (docs/domain.md), a refused one says so."""
        status = self.record.status
        if status == DossierStatus.KHONG_DUOC_TIEP_NHAN:
            return "Không được tiếp nhận (trạng thái 3)"
        if self.batch is None:
            return "Chưa có trang nào: quét hoặc tải tệp lên"
        if self.batch.state == BatchState.DONE and status == DossierStatus.MOI_DANG_KY:
            return NOT_RECEIVED_TEXT
        return STATE_TEXT.get(self.batch.state, self.batch.state)

    @property
    def can_refuse(self) -> bool:
        """The clerk may refuse a dossier the counter has not received, when nothing runs."""
        return self.record.status == DossierStatus.MOI_DANG_KY and not self.busy

    @property
    def pages_done(self) -> int:
        return sum(1 for p in self.pages if p.state != PageState.PENDING)

    @property
    def documents(self) -> tuple[DocumentRecord, ...]:
        return self.record.documents

    @property
    def can_review(self) -> bool:
        return self.state == BatchState.REVIEW and not self.busy

    @property
    def finished(self) -> bool:
        return self.record.verdict is not None and self.state == BatchState.DONE

    @property
    def doc_types(self) -> tuple[tuple[str, str], ...]:
        """The procedure's own items first (a national procedure's item types), then the
        common types."""
        own = tuple(dict.fromkeys((item.doc_types[0], item.name) for item in
                                  self.procedure.scanned_items
                                  if is_item_type(item.doc_types[0])))
        return own + DOC_TYPE_CHOICES


def dossier_view(ctx: WorkContext, code: str, busy: bool = False,
                 error: str | None = None, who: Principal | None = None) -> DossierView:
    """Everything the counter screen shows for dossier ``code`` (offers to reuse earlier
    papers only when ``who`` is given)."""
    record = ctx.catalog.dossier(code)
    procedure = ctx.procedures().get(record.procedure_code)
    batches = batches_of(ctx, code)
    if not batches:
        return DossierView(record, procedure, None, busy=busy, error=error)
    batch = batches[-1]
    verdict = with_reused(batch.plan.verdict, accepted_reuses(ctx.catalog, code)) \
        if batch.plan else None
    busy = busy or batch.state in (BatchState.RECEIVING, BatchState.PAGES, BatchState.ANALYSED)
    held = sum(1 for b in batches if b.state == BatchState.REVIEW)
    missing = {i.item_id for i in verdict.items if i.status == ItemStatus.MISSING} \
        if verdict and not busy and who is not None else set()
    return DossierView(record, procedure, batch, page_views(ctx, record, batch, procedure),
                       item_views(verdict), verdict, busy, error, held,
                       counter_offers(ctx, who, code, missing) if who else {})


def page_views(ctx: WorkContext, record: DossierRecord, batch: BatchRecord,
               procedure: Procedure | None = None) -> list[PageView]:
    """The batch's pages in the clerk's order, removed pages last."""
    works = ctx.catalog.batches.pages(batch.dossier_code, batch.number)
    stored = {p.index: p for p in record.pages}
    order = batch.corrections.page_order(len(works))
    removed = set(batch.corrections.removed)
    shown = [i for i in order if i not in removed] + sorted(removed)
    document_of, starts = _documents_of_pages(batch)
    reasons = document_reasons(batch)
    views, number = [], 0
    for position in shown:
        work = works[position]
        page = stored.get(work.index)
        number = number + 1 if position not in removed else number
        read = work.stored
        doc_type = page.doc_type if page else None
        views.append(PageView(
            position=position, index=work.index,
            number=None if position in removed else number, state=work.state,
            warnings=warnings(read.report if read else None, work.state),
            doc_type=doc_type, doc_name=(procedure.type_name(doc_type) if procedure else
                                         type_name(doc_type)) if doc_type else "",
            document=document_of.get(work.index), starts_document=work.index in starts,
            failure=work.failure,
            source=f"{work.raw_scan_name} trang {work.source_page_index + 1}",
            text=work.text, confidence=page.doc_confidence if page else None,
            reason=reasons.get(document_of.get(work.index), "")))
    return views


def warnings(report: PageReport | None, state: str) -> tuple[str, ...]:
    """Quality warnings in the clerk's words (a turned page was straightened, but say so)."""
    found = [FLAG_TEXT.get(flag, flag) for flag in (report.flags if report else ())]
    if state == PageState.FAILED:
        found.append(FLAG_TEXT["unreadable"])
    if report and report.rotation:
        found.append(f"bị xoay {report.rotation}°")
    return tuple(found)


def _documents_of_pages(batch: BatchRecord) -> tuple[dict[int, int], set[int]]:
    document_of: dict[int, int] = {}
    starts: set[int] = set()
    for n, doc in enumerate(batch.plan.documents if batch.plan else (), start=1):
        for i in doc.pages:
            document_of[i] = n
        if doc.pages:
            starts.add(doc.pages[0])
    return document_of, starts


def document_reasons(batch: BatchRecord) -> dict[int, str]:
    """For each planned document (1-based, as the screen numbers them), the verdict's line
    about it: the checklist item it fills and why, or why it fills none."""
    if batch.plan is None:
        return {}
    verdict = batch.plan.verdict
    items = {item.item_id: item for item in verdict.items}
    extras = {extra.doc_type: extra.reason for extra in verdict.extra_documents}
    reasons = {}
    for n, doc in enumerate(batch.plan.documents, start=1):
        item = items.get(doc.item_id) if doc.item_id else None
        if item is not None:
            reasons[n] = f"Thành phần “{item.name}” ({MARKS[item.status]}): {item.reason}"
        else:
            reasons[n] = "Ngoài danh mục: " + extras.get(
                doc.doc_type, "không thuộc thành phần hồ sơ của thủ tục")
    return reasons


def item_views(verdict: Verdict | None) -> list[ItemView]:
    if verdict is None:
        return []
    return [ItemView(MARKS[i.status], str(i.status), i.name, i.reason, i.item_id)
            for i in verdict.items]
