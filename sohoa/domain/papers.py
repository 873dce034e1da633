"""The store of digitized papers by citizen (kho giấy tờ số hóa của công dân), and reuse.

Every digitized document of a dossier whose owner is known — a submitted component or a
result — is indexed by the owner's personal identification number (số định danh cá nhân,
12 digits) with a stable code, so a later dossier of the same citizen can reuse it instead
of asking for the paper again.

Stable codes follow the form a provincial implementation uses (the issue's text; not found
in an official text here, so treat it as a convention to confirm with the province):

- component: ``{số định danh}.{mã TTHC}.{mã giấy tờ}.{NN}`` — mã giấy tờ is the checklist
  item's id (the document type when the document filled no item);
- result: ``{số định danh}.{mã kết quả}.{số ký hiệu}.{NN}`` — a result without a catalog
  code uses ``KQ``.

``NN`` numbers the owner's papers that share the rest of the code (01, 02 …). Characters
other than letters, digits, ``_`` and ``-`` in số ký hiệu (the ``/`` of "123/2026/GKS") become
``-`` and Vietnamese letters lose their marks (QĐ → QD), so a code is one word and one URL
path segment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict

from sohoa.domain.verdict import ItemStatus, Verdict

PERSONAL_ID = re.compile(r"^\d{12}$")


class PaperKind(IntEnum):
    COMPONENT = 0
    """A submitted component (thành phần hồ sơ)."""
    RESULT = 1
    """A result (kết quả giải quyết)."""


class ReuseDecision(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


def _part(text: str) -> str:
    """Vietnamese letters without their marks (QĐ → QD), anything else but letters, digits,
    ``_`` and ``-`` → ``-``."""
    plain = unicodedata.normalize("NFKD", text.strip().replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^0-9A-Za-z_-]+", "-", plain).strip("-") or "0"


def paper_code_prefix(owner_id: str, kind: PaperKind, procedure_code: str, paper: str,
                      number: str | None = None) -> str:
    """The code without its ``NN``: see the module docstring."""
    if kind is PaperKind.RESULT:
        return f"{owner_id}.{paper or 'KQ'}.{_part(number or '0')}"  # KQ.Gxx.nnnnnn as is
    return f"{owner_id}.{procedure_code}.{_part(paper)}"


class CitizenPaper(BaseModel):
    """One digitized paper of a citizen, as the store lists it."""

    model_config = ConfigDict(frozen=True)

    code: str
    owner_id: str
    kind: PaperKind
    doc_type: str
    item_id: str | None
    title: str
    issuing_agency: str = ""
    number: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    """None: no end of validity recorded (permanent)."""
    dossier_code: str
    ordinal: int
    digitized_at: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class ReuseOffer(BaseModel):
    """An earlier paper that can fill a checklist item of a new dossier."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    item_name: str
    paper: CitizenPaper
    may_read: bool
    """Whether the person asking may open its content (else: only that it exists)."""

    @property
    def message(self) -> str:
        day = self.paper.digitized_at.strftime("%d/%m/%Y") if self.paper.digitized_at else "?"
        return (f"đã có bản số hóa ngày {day} (hồ sơ {self.paper.dossier_code}) — không cần "
                "nộp lại")


def with_reused(verdict: Verdict, reused: Mapping[str, CitizenPaper]) -> Verdict:
    """The verdict once the clerk's confirmed reuses fill their items: a missing item with
    a reused paper is present (the paper is linked, not handed in again); the dossier is
    complete when nothing else is missing and every page was readable."""
    filled = [i for i in verdict.items if i.status is ItemStatus.MISSING and i.item_id in reused]
    if not filled:
        return verdict
    items = [i.model_copy(update={
        "status": ItemStatus.PRESENT,
        "reason": f"dùng lại bản số hóa {reused[i.item_id].code} "
                  f"(hồ sơ {reused[i.item_id].dossier_code})"}) if i in filled else i
        for i in verdict.items]
    still_missing = [i for i in items if i.status is ItemStatus.MISSING]
    complete = not still_missing and not verdict.unreadable_pages
    if complete:
        summary = "Hồ sơ đầy đủ"
    elif still_missing:
        summary = (f"Thiếu {len(still_missing)} thành phần: "
                   + "; ".join(i.name for i in still_missing))
    else:
        summary = "Hồ sơ chưa đầy đủ: có trang không đọc được, cần quét lại"
    names = "; ".join(i.name for i in filled)
    return verdict.model_copy(update={
        "items": items, "complete": complete,
        "summary": f"{summary}; dùng lại bản số hóa: {names}"})
