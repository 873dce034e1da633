"""Stable codes of a citizen's papers, and a verdict with the clerk's reuses applied."""

from __future__ import annotations

from datetime import date

from sohoa.domain.papers import CitizenPaper, PaperKind, paper_code_prefix, with_reused
from sohoa.domain.procedures import Requirement
from sohoa.domain.verdict import ItemStatus, ItemVerdict, Verdict

OWNER = "001190012345"


def test_stable_codes() -> None:
    assert paper_code_prefix(OWNER, PaperKind.COMPONENT, "1.001612", "can_cuoc") == \
        f"{OWNER}.1.001612.can_cuoc"
    assert paper_code_prefix(OWNER, PaperKind.RESULT, "1.001612", "KQ.G06.000001",
                             " 15/2026/QĐ-UBND ") == f"{OWNER}.KQ.G06.000001.15-2026-QD-UBND"


def _item(item_id: str, status: ItemStatus) -> ItemVerdict:
    return ItemVerdict(item_id=item_id, name=item_id.upper(), status=status,
                       requirement=Requirement.REQUIRED, reason="…")


def test_a_reused_paper_fills_its_item_and_only_its_item() -> None:
    verdict = Verdict(procedure_code="2.001583", procedure_name="Công ty TNHH", complete=False,
                      items=[_item("a", ItemStatus.PRESENT), _item("b", ItemStatus.MISSING),
                             _item("c", ItemStatus.MISSING)], summary="Thiếu 2 thành phần")
    paper = CitizenPaper(code=f"{OWNER}.1.001612.can_cuoc.01", owner_id=OWNER,
                         kind=PaperKind.COMPONENT, doc_type="can_cuoc", item_id=None,
                         title="Căn cước", dossier_code="000.00.14.H56-261102-0001", ordinal=2,
                         valid_until=date(2030, 1, 1))
    assert with_reused(verdict, {}) is verdict
    one = with_reused(verdict, {"b": paper})
    assert [i.status for i in one.items] == [ItemStatus.PRESENT, ItemStatus.PRESENT,
                                             ItemStatus.MISSING]
    assert one.items[1].reason == f"dùng lại bản số hóa {paper.code} (hồ sơ {paper.dossier_code})"
    assert (one.complete, one.summary) == (False, "Thiếu 1 thành phần: C; dùng lại bản số "
                                                  "hóa: B")
    both = with_reused(verdict, {"b": paper, "c": paper})
    assert (both.complete, both.summary) == (True, "Hồ sơ đầy đủ; dùng lại bản số hóa: B; C")
    assert paper.valid_on(date(2030, 1, 1)) and not paper.valid_on(date(2030, 1, 2))
