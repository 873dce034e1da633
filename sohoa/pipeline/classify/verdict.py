"""The checklist verdict: the dossier's documents matched against its procedure's checklist.

Pure and fast (no OCR, no I/O): it reruns whenever the clerk overrides a page type or a split.
Documents are assigned to items in a fixed order so a decision never depends on luck:

1. documents after a separator sheet go to the item the sheet names, whatever their type;
2. required items take documents of their types (any alternative) up to ``sets``,
   then conditional items do — so a conditional item never takes what a required one needs;
3. shown-only items collect documents scanned anyway (noted, not counted as extra);
4. further documents of a type some scanned item accepts join that item (a second CCCD);
5. what is left is extra.

Each document is used by at most one item. A document none of whose pages was read (failed
or still pending) proves nothing: it fills no item — not even after a separator sheet — and
its pages are listed to be rescanned.
"""

from __future__ import annotations

from collections.abc import Sequence

from sohoa.domain.doctypes import BY_CODE, KHAC
from sohoa.domain.procedures import ChecklistItem, Procedure, Requirement
from sohoa.domain.verdict import ExtraDocument, ItemStatus, ItemVerdict, Verdict
from sohoa.pipeline.classify.types import DocumentSpan

Assignment = dict[str, list[int]]
"""Checklist item id -> indexes of the documents it uses."""


def checklist_verdict(procedure: Procedure, documents: Sequence[DocumentSpan],
                      unreadable_pages: Sequence[int] = (),
                      unread_pages: Sequence[int] = ()) -> Verdict:
    """Per item present / missing / not applicable, the extra documents, and ``complete``.

    ``unreadable_pages`` must be rescanned (not read, or too blurred); ``unread_pages``
    were not read at all, so a document made only of them counts for nothing."""
    unreadable = sorted(set(unreadable_pages) | set(unread_pages))
    unread = set(unread_pages)
    read = [doc for doc in documents if not (doc.pages and set(doc.pages) <= unread)]
    if len(read) < len(documents):
        documents = [doc if doc in read else _unread(doc) for doc in documents]
    assignment, forced, left = assign_documents(procedure, documents)
    items = [_item_verdict(item, assignment[item.id], documents, forced, unreadable)
             for item in procedure.items]
    extra = [_extra(index, documents[index], procedure) for index in left]
    missing = [item for item in items if item.status is ItemStatus.MISSING]
    return Verdict(
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        complete=not missing and not unreadable,
        items=items,
        extra_documents=extra,
        unreadable_pages=unreadable,
        summary=_summary(procedure, missing, extra, unreadable),
    )


def assign_documents(procedure: Procedure, documents: Sequence[DocumentSpan]
                     ) -> tuple[Assignment, set[int], list[int]]:
    """(item id -> document indexes, separator-forced indexes, indexes left over)."""
    assignment: Assignment = {item.id: [] for item in procedure.items}
    free = [i for i, doc in enumerate(documents) if _is_document(doc)]
    forced = set()
    for index in list(free):
        item = procedure.item(documents[index].item_id or "")
        if item is not None:
            assignment[item.id].append(index)
            forced.add(index)
            free.remove(index)
    for requirement in (Requirement.REQUIRED, Requirement.CONDITIONAL):
        for item in procedure.items:
            if item.requirement is requirement:
                need = item.sets - len(assignment[item.id])
                _take(assignment[item.id], free, documents, item, limit=max(need, 0))
    for item in procedure.items:
        if not item.scanned:
            _take(assignment[item.id], free, documents, item)
    for index in list(free):
        item = _first_accepting(procedure, documents[index].doc_type)
        if item is not None:
            assignment[item.id].append(index)
            free.remove(index)
    return {key: sorted(value) for key, value in assignment.items()}, forced, free


_UNREAD = "__chua_doc__"
"""Type given to a document none of whose pages was read: it matches nothing."""


def _unread(doc: DocumentSpan) -> DocumentSpan:
    return DocumentSpan(_UNREAD, doc.pages, 0.0, None, doc.reason, doc.earlier)


def _is_document(doc: DocumentSpan) -> bool:
    """Cover and separator sheets are the project's own; they are never dossier documents;
    nor is a span of pages none of which was read."""
    if doc.doc_type == _UNREAD:
        return False
    kind = BY_CODE.get(doc.doc_type)
    return kind is None or kind.is_document


def _take(taken: list[int], free: list[int], documents: Sequence[DocumentSpan],
          item: ChecklistItem, limit: int | None = None) -> None:
    matching = [i for i in free if documents[i].doc_type in item.doc_types]
    for index in matching[:limit]:
        taken.append(index)
        free.remove(index)


def _first_accepting(procedure: Procedure, doc_type: str) -> ChecklistItem | None:
    return next((item for item in procedure.scanned_items if doc_type in item.doc_types), None)


# --- reasons -------------------------------------------------------------------------------


def _item_verdict(item: ChecklistItem, used: list[int], documents: Sequence[DocumentSpan],
                  forced: set[int], unreadable: list[int]) -> ItemVerdict:
    pages = sorted(page for index in used for page in documents[index].pages)
    status, reason = _decide(item, used, documents, forced)
    bad = sorted(set(pages) & set(unreadable))
    if bad:
        reason += f"; {pages_text(bad)} không đọc được, cần quét lại"
    return ItemVerdict(item_id=item.id, name=item.name, status=status,
                       requirement=item.requirement, documents=used, pages=pages, reason=reason)


def _decide(item: ChecklistItem, used: list[int], documents: Sequence[DocumentSpan],
            forced: set[int]) -> tuple[ItemStatus, str]:
    found = _documents_text(used, documents, forced)
    if not item.scanned:
        note = f" — đã quét kèm {found}, không tính là giấy tờ thừa" if used else ""
        return ItemStatus.NOT_APPLICABLE, f"chỉ xuất trình, không số hóa{note}"
    if len(used) >= item.sets:
        counted = f"đủ {item.sets} bộ: " if item.sets > 1 else ""
        return ItemStatus.PRESENT, f"có {counted}{found}"
    if not used and item.requirement is Requirement.CONDITIONAL:
        condition = f" ({item.condition})" if item.condition else ""
        return ItemStatus.NOT_APPLICABLE, f"nếu có — không nộp{condition}"
    if used:
        return ItemStatus.MISSING, f"thiếu: chỉ có {len(used)}/{item.sets} bộ — {found}"
    wanted = " hoặc ".join(_type_name(code) for code in item.doc_types)
    return ItemStatus.MISSING, f"thiếu: không tìm thấy {wanted}"


def _documents_text(used: list[int], documents: Sequence[DocumentSpan], forced: set[int]) -> str:
    parts = []
    for index in used:
        doc = documents[index]
        by_sheet = ", theo tờ phân cách" if index in forced and not doc.earlier else ""
        parts.append(f"{_type_name(doc.doc_type)} ({_where(doc)}{by_sheet})")
    return "; ".join(parts)


def _extra(index: int, doc: DocumentSpan, procedure: Procedure) -> ExtraDocument:
    where = _where(doc)
    if doc.doc_type == KHAC:
        reason = f"giấy tờ khác ({where}) — không thuộc thành phần hồ sơ của thủ tục"
    else:
        reason = (f"{_type_name(doc.doc_type)} ({where}) — không thuộc thành phần hồ sơ "
                  f"của thủ tục {procedure.code}")
    if doc.item_id and procedure.item(doc.item_id) is None:
        reason += f"; tờ phân cách ghi thành phần {doc.item_id!r} không có trong thủ tục"
    return ExtraDocument(document=index, doc_type=doc.doc_type, pages=list(doc.pages),
                         reason=reason)


def _summary(procedure: Procedure, missing: list[ItemVerdict], extra: list[ExtraDocument],
             unreadable: list[int]) -> str:
    parts = []
    if missing:
        names = "; ".join(_missing_name(procedure, item) for item in missing)
        parts.append(f"Thiếu {len(missing)} thành phần: {names}")
    if unreadable:
        where = pages_text(unreadable)
        parts.append(f"{len(unreadable)} trang không đọc được, cần quét lại ({where})")
    if not parts:
        parts.append("Hồ sơ đầy đủ")
    elif not missing:
        parts[0] = f"Hồ sơ chưa đầy đủ: {parts[0]}"
    if extra:
        parts.append(f"{len(extra)} giấy tờ ngoài danh mục")
    return "; ".join(parts)


def _missing_name(procedure: Procedure, verdict: ItemVerdict) -> str:
    item = procedure.item(verdict.item_id)
    if item is not None and verdict.documents:
        return f"{item.name} (có {len(verdict.documents)}/{item.sets} bộ)"
    return verdict.name


def _where(doc: DocumentSpan) -> str:
    return "đã nhận lần trước" if doc.earlier else pages_text(doc.pages)


def _type_name(code: str) -> str:
    kind = BY_CODE.get(code)
    return kind.name if kind is not None else code


def pages_text(pages: Sequence[int]) -> str:
    """0-based indexes as people count them: "trang 1-3, 5"."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    spans = [f"{run[0] + 1}-{run[-1] + 1}" if len(run) > 1 else f"{run[0] + 1}" for run in runs]
    return f"trang {', '.join(spans)}" if spans else "không có trang"
