"""The checklist verdict: the dossier's documents matched against its procedure's checklist.

Pure and fast (no OCR, no I/O): it reruns whenever the clerk overrides a page type or a split.
Documents are assigned to items in a fixed order so a decision never depends on luck:

1. documents after a separator sheet go to the item the sheet names, whatever their type;
2. required items take documents of their types (any alternative) up to ``sets``,
   then conditional items do — so a conditional item never takes what a required one needs;
3. shown-only items collect documents scanned anyway (noted, not counted as extra);
   an item accepts its types, and a national item also the own type of a same-named item
   (the same paper listed once per case);
4. further documents of a type some scanned item accepts join that item (a second CCCD);
5. what is left is extra.

Each document is used by at most one item. An item that asks for several sets ("02 bộ") is
present when one is scanned: the sets are digitized once and the clerk counts the paper. When
the procedure lists alternative cases, every case is tried and the one the documents fit
(fewest required items missing, then most of its own items present) is judged; the verdict
says which and why. A document none of whose pages was read (failed or still pending)
proves nothing: it fills no item — not even after a separator sheet — and its pages are
listed to be rescanned.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from sohoa.domain.doctypes import BY_CODE, KHAC, is_item_type
from sohoa.domain.procedures import ChecklistItem, Procedure, Requirement
from sohoa.domain.verdict import ExtraDocument, ItemStatus, ItemVerdict, Verdict
from sohoa.pipeline.classify.items import paper_key
from sohoa.pipeline.classify.types import DocumentSpan

Assignment = dict[str, list[int]]
"""Checklist item id -> indexes of the documents it uses."""


def checklist_verdict(procedure: Procedure, documents: Sequence[DocumentSpan],
                      unreadable_pages: Sequence[int] = (),
                      unread_pages: Sequence[int] = ()) -> Verdict:
    """Per item present / missing / not applicable, the extra documents, and ``complete``.
    When the procedure lists alternative cases, the case the documents fit best is judged
    and the other cases' items are not applicable.

    ``unreadable_pages`` must be rescanned (not read, or too blurred); ``unread_pages``
    were not read at all, so a document made only of them counts for nothing."""
    unreadable = sorted(set(unreadable_pages) | set(unread_pages))
    unread = set(unread_pages)
    read = [doc for doc in documents if not (doc.pages and set(doc.pages) <= unread)]
    if len(read) < len(documents):
        documents = [doc if doc in read else _unread(doc) for doc in documents]
    case, case_reason, case_pages = choose_case(procedure, documents)
    judged = for_case(procedure, case)
    assignment, forced, left = assign_documents(judged, documents, procedure)
    _share_listed_twice(judged, assignment)
    items = []
    for item in procedure.items:
        if item.id in assignment:
            items.append(_item_verdict(item, assignment[item.id], documents, forced,
                                       unreadable, procedure))
        else:
            items.append(ItemVerdict(
                item_id=item.id, name=item.name, status=ItemStatus.NOT_APPLICABLE,
                requirement=item.requirement,
                reason=f"thuộc trường hợp khác ({item.case}), không xét: {case_pages}"))
    extra = [_extra(index, documents[index], procedure) for index in left]
    missing = [item for item in items if item.status is ItemStatus.MISSING]
    summary = _summary(procedure, missing, extra, unreadable)
    if case is not None:
        summary += f"; trường hợp: {case}"
    return Verdict(
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        complete=not missing and not unreadable,
        items=items,
        extra_documents=extra,
        unreadable_pages=unreadable,
        summary=summary,
        case=case,
        case_reason=case_reason,
    )


def for_case(procedure: Procedure, case: str | None) -> Procedure:
    """The procedure as judged in one case: its common items and that case's own."""
    if not procedure.cases:
        return procedure
    kept = [item for item in procedure.items if item.case is None or item.case == case]
    return procedure.model_copy(update={"items": kept})


def choose_case(procedure: Procedure, documents: Sequence[DocumentSpan]
                ) -> tuple[str | None, str, str]:
    """The case the documents fit: one that some scanned paper of its own belongs to, then
    fewest required items missing, then most items present, then the first listed — a case
    none of whose own papers is here does not win for asking fewer papers; with the reason
    naming the pages it rests on, and those pages alone (for the other cases' items)."""
    if not procedure.cases:
        return None, "", ""
    best: tuple[tuple[bool, int, int, int], str, list[int]] | None = None
    for position, case in enumerate(procedure.cases):
        judged = for_case(procedure, case)
        assignment, _, _ = assign_documents(judged, documents, procedure)
        own = [item for item in judged.items if item.case == case]
        required = [item for item in judged.items if item.requirement is Requirement.REQUIRED]
        missing = sum(not assignment[item.id] for item in required)
        present = sum(bool(assignment[item.id]) for item in own)
        pages = sorted(page for item in own for index in assignment[item.id]
                       for page in documents[index].pages)
        key = (not present, missing, -present, position)
        if best is None or key < best[0]:
            best = (key, case, pages)
    assert best is not None
    (_, missing, present, _), case, pages = best
    where = pages_text(pages) if pages else "không có giấy tờ riêng của trường hợp này"
    reason = (f"hồ sơ khớp trường hợp “{case}”: {-present} thành phần riêng có ({where}), "
              f"{missing} thành phần bắt buộc thiếu")
    chosen = (f"giấy tờ ở {where} thuộc trường hợp được xét" if pages
              else "không có giấy tờ riêng của trường hợp nào")
    return case, reason, chosen


def assign_documents(procedure: Procedure, documents: Sequence[DocumentSpan],
                     whole: Procedure | None = None) -> tuple[Assignment, set[int], list[int]]:
    """(item id -> document indexes, separator-forced indexes, indexes left over).
    ``whole`` is the procedure with every case when ``procedure`` is one case of it: a
    document typed as another case's item of the same name is the same paper."""
    accepts = _Acceptance(whole or procedure)
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
                _take(assignment[item.id], free, documents, item, accepts, limit=max(need, 0))
    for item in procedure.items:
        if not item.scanned:
            _take(assignment[item.id], free, documents, item, accepts)
    for index in list(free):
        item = next((i for i in procedure.scanned_items
                     if accepts(i, documents[index].doc_type, documents[index].also)), None)
        if item is not None:
            assignment[item.id].append(index)
            free.remove(index)
    return {key: sorted(value) for key, value in assignment.items()}, forced, free


def _share_listed_twice(procedure: Procedure, assignment: Assignment) -> None:
    """The national catalog sometimes lists one paper twice in one checklist (under
    sub-cases it does not mark as cases): the citizen hands it in once, and that one paper
    answers both rows — never "missing" beside a row it was counted for. Done on the final
    assignment only: choosing the case counts each paper once."""
    found: dict[str, list[int]] = {}
    for item in procedure.scanned_items:
        if assignment[item.id]:
            found.setdefault(paper_key(item.name), assignment[item.id])
    for item in procedure.scanned_items:
        if not assignment[item.id]:
            assignment[item.id] = list(found.get(paper_key(item.name), []))


_UNREAD = "__chua_doc__"
"""Type given to a document none of whose pages was read: it matches nothing."""


def _unread(doc: DocumentSpan) -> DocumentSpan:
    return DocumentSpan(_UNREAD, doc.pages, 0.0, None, doc.reason, doc.earlier)


SAME_PAPER = 90
"""Two items of one procedure whose names are at least this similar (0–100) name the same
paper: the national catalog lists a paper once per case, sometimes with a word more."""


class _Acceptance:
    """Which document types an item accepts: its own, and — in the national catalog, where
    the same paper is listed once per case — the own type of any item with the same (or an
    almost identical) name."""

    def __init__(self, procedure: Procedure) -> None:
        self._name_of = {item.doc_types[0]: paper_key(item.name) for item in procedure.items
                         if is_item_type(item.doc_types[0])}
        self._same: dict[tuple[str, str], bool] = {}

    def __call__(self, item: ChecklistItem, doc_type: str, also: Sequence[str] = ()) -> bool:
        if doc_type in item.doc_types:
            return True
        if also and any(self(item, other) for other in also):
            return True
        name, own = self._name_of.get(doc_type), self._name_of.get(item.doc_types[0])
        if name is None or own is None:
            return False
        key = (name, own)
        if key not in self._same:
            self._same[key] = name == own or fuzz.ratio(name, own) >= SAME_PAPER
        return self._same[key]


def _is_document(doc: DocumentSpan) -> bool:
    """Cover and separator sheets are the project's own; they are never dossier documents;
    nor is a span of pages none of which was read."""
    if doc.doc_type == _UNREAD:
        return False
    kind = BY_CODE.get(doc.doc_type)
    return kind is None or kind.is_document


def _take(taken: list[int], free: list[int], documents: Sequence[DocumentSpan],
          item: ChecklistItem, accepts: _Acceptance, limit: int | None = None) -> None:
    matching = [i for i in free if accepts(item, documents[i].doc_type, documents[i].also)]
    for index in matching[:limit]:
        taken.append(index)
        free.remove(index)


# --- reasons -------------------------------------------------------------------------------


def _item_verdict(item: ChecklistItem, used: list[int], documents: Sequence[DocumentSpan],
                  forced: set[int], unreadable: list[int],
                  procedure: Procedure | None = None) -> ItemVerdict:
    pages = sorted(page for index in used for page in documents[index].pages)
    status, reason = _decide(item, used, documents, forced, procedure)
    bad = sorted(set(pages) & set(unreadable))
    if bad:
        reason += f"; {pages_text(bad)} không đọc được, cần quét lại"
    return ItemVerdict(item_id=item.id, name=item.name, status=status,
                       requirement=item.requirement, documents=used, pages=pages, reason=reason)


def _decide(item: ChecklistItem, used: list[int], documents: Sequence[DocumentSpan],
            forced: set[int], procedure: Procedure | None = None) -> tuple[ItemStatus, str]:
    found = _documents_text(used, documents, forced, procedure)
    if not item.scanned:
        note = f" — đã quét kèm {found}, không tính là giấy tờ thừa" if used else ""
        return ItemStatus.NOT_APPLICABLE, f"chỉ xuất trình, không số hóa{note}"
    if len(used) >= item.sets:
        counted = f"đủ {item.sets} bộ: " if item.sets > 1 else ""
        return ItemStatus.PRESENT, f"có {counted}{found}"
    if used:  # several sets of the same paper are digitized once; the clerk counts the paper
        return ItemStatus.PRESENT, (f"có {found} — cần {item.sets} bộ: số hóa một bộ, "
                                    f"đếm đủ {item.sets} bộ bản giấy")
    if item.requirement is Requirement.CONDITIONAL:
        condition = f" ({item.condition})" if item.condition else ""
        return ItemStatus.NOT_APPLICABLE, f"nếu có — không nộp{condition}"
    wanted = " hoặc ".join(dict.fromkeys(_type_name(code, procedure) for code in item.doc_types))
    return ItemStatus.MISSING, f"thiếu: không tìm thấy {wanted}"


def _documents_text(used: list[int], documents: Sequence[DocumentSpan], forced: set[int],
                    procedure: Procedure | None = None) -> str:
    parts = []
    for index in used:
        doc = documents[index]
        by_sheet = ", theo tờ phân cách" if index in forced and not doc.earlier else ""
        parts.append(f"{_type_name(doc.doc_type, procedure)} ({_where(doc)}{by_sheet})")
    return "; ".join(parts)


def _extra(index: int, doc: DocumentSpan, procedure: Procedure) -> ExtraDocument:
    where = _where(doc)
    if doc.doc_type == KHAC:
        reason = f"giấy tờ khác ({where}) — không thuộc thành phần hồ sơ của thủ tục"
    else:
        reason = (f"{_type_name(doc.doc_type, procedure)} ({where}) — không thuộc thành phần hồ sơ "
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
    return verdict.name


def _where(doc: DocumentSpan) -> str:
    return "đã nhận lần trước" if doc.earlier else pages_text(doc.pages)


def _type_name(code: str, procedure: Procedure | None = None) -> str:
    """A type's name; a checklist item's own type is called by the item's name."""
    if procedure is not None:
        return procedure.type_name(code)
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
