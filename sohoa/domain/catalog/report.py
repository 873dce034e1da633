"""The parse report of an import: which procedures and checklist items were read cleanly,
which are flagged for an administrator to review and why, and which records were refused.

Stored with each import (``sohoa catalog import --report`` shows it again) and printed after
the import, so it is a pydantic model like everything passed between layers.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict

_FROZEN = ConfigDict(frozen=True, extra="forbid")

# The reasons a procedure or an item is flagged, as the administrator reads them.
NO_TABLE = "không có bảng thành phần hồ sơ"
NO_ITEMS = "không đọc được giấy tờ nào trong thành phần hồ sơ"
TRAILING_TEXT = "văn bản sau dòng cuối cùng không có số lượng (bản chính/bản sao)"
GLUED_FORM = "tên tệp mẫu dính liền với tên giấy tờ, không tách chắc chắn"
NOTE_LIKE_DOCUMENT = "dòng \"0 bản chính\" giống tên giấy tờ: ghi chú hay giấy tờ?"
SEVERAL_DOCUMENTS = "một dòng kể nhiều giấy tờ; đã coi là một thành phần"
UNSURE_CASES = "nhiều phần hồ sơ không ghi \"trường hợp\": có phải là các trường hợp thay thế?"
NO_TIME = "thời hạn giải quyết không có thông tin"
NO_AGENCY = "không có cơ quan thực hiện"
LONG_NAME = "tên giấy tờ quá dài, đã rút gọn"


class Flag(BaseModel):
    """One thing to review: on the procedure (``item_id`` None) or on one checklist item."""

    model_config = _FROZEN

    reason: str
    item_id: str | None = None
    detail: str = ""


class ProcedureParse(BaseModel):
    """How one procedure was read."""

    model_config = _FROZEN

    code: str
    name: str
    items: int
    notes: int = 0
    cases: int = 0
    flags: list[Flag] = []

    @property
    def clean(self) -> bool:
        return not self.flags

    @property
    def flagged_items(self) -> set[str]:
        return {flag.item_id for flag in self.flags if flag.item_id}


class RefusedRecord(BaseModel):
    """A record that is not a procedure at all (no code, wrong field types, not an object)."""

    model_config = _FROZEN

    where: str
    """"dòng 17", "bản ghi 3"."""
    code: str | None = None
    reason: str


class ParseReport(BaseModel):
    """Every procedure of one imported file, and what was refused."""

    model_config = _FROZEN

    source: str
    procedures: list[ProcedureParse] = []
    refused: list[RefusedRecord] = []

    @property
    def clean(self) -> list[ProcedureParse]:
        return [p for p in self.procedures if p.clean]

    @property
    def flagged(self) -> list[ProcedureParse]:
        return [p for p in self.procedures if not p.clean]

    @property
    def items(self) -> int:
        return sum(p.items for p in self.procedures)

    @property
    def flagged_items(self) -> int:
        return sum(len(p.flagged_items) for p in self.procedures)

    def reasons(self) -> Counter[str]:
        """How many procedures each reason flags."""
        counter: Counter[str] = Counter()
        for procedure in self.procedures:
            for reason in {flag.reason for flag in procedure.flags}:
                counter[reason] += 1
        return counter

    def summary_lines(self) -> list[str]:
        """The figures, as the README and ``sohoa catalog import`` show them."""
        total, items = len(self.procedures), self.items
        clean_items = items - self.flagged_items
        lines = [
            f"Tệp {self.source}: {total} thủ tục, {len(self.refused)} bản ghi bị từ chối",
            f"  thủ tục đọc sạch: {len(self.clean)}/{total} ({_share(len(self.clean), total)})",
            f"  thành phần hồ sơ đọc sạch: {clean_items}/{items} ({_share(clean_items, items)})",
            f"  thủ tục cần xem lại: {len(self.flagged)}",
        ]
        lines += [f"    {count:>5}  {reason}" for reason, count in self.reasons().most_common()]
        lines += [f"  từ chối {r.where}{f' (thủ tục {r.code})' if r.code else ''}: {r.reason}"
                  for r in self.refused]
        return lines

    def review_lines(self) -> list[str]:
        """One block per flagged procedure: each reason, with the item it is about."""
        lines = []
        for procedure in self.flagged:
            lines.append(f"{procedure.code}  {procedure.name}")
            for flag in procedure.flags:
                item = f" [{flag.item_id}]" if flag.item_id else ""
                detail = f": {flag.detail}" if flag.detail else ""
                lines.append(f"    - {flag.reason}{item}{detail}")
        return lines


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"
