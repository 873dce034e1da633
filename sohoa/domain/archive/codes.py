"""Coded values of the archival metadata: retention periods and confidence levels.

An archive does not take "17 năm": it files each record under one of six retention codes
(01 vĩnh viễn, 02 70 năm, 03 50 năm, 04 30 năm, 05 20 năm, 06 10 năm — the codes used by
provincial implementations of Circular 02/2019/TT-BNV, DESIGN.md §8). A period from
``retention.yaml`` that falls between two codes takes the *longer* one, because an archive
must never keep a record shorter than any rule requires (``sohoa.domain.retention``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sohoa.domain.retention import Retention


@dataclass(frozen=True)
class Code:
    """A coded value and its Vietnamese label, as both are written into the package."""

    code: str
    label: str

    @property
    def text(self) -> str:
        return f"{self.code} {self.label}"


PERMANENT = Code("01", "Vĩnh viễn")
RETENTION_CODES: tuple[tuple[int, Code], ...] = (
    (10, Code("06", "10 năm")),
    (20, Code("05", "20 năm")),
    (30, Code("04", "30 năm")),
    (50, Code("03", "50 năm")),
    (70, Code("02", "70 năm")),
)
"""(years up to, code), shortest first."""

DIGITIZED = Code("02", "Số hóa")
"""Confidence level (mức độ tin cậy): 01 gốc điện tử, 02 số hóa, 03 hỗn hợp. Every record
sohoa hands over was scanned from paper."""

RESTRICTED = Code("02", "Hạn chế sử dụng")
"""Access mode (chế độ sử dụng): a citizen's dossier carries personal data (01 would be
"Công khai")."""

VIETNAMESE = Code("vie", "Tiếng Việt")
"""Language, ISO 639-2/B as EAD 2002 asks."""


def retention_code(retention: Retention) -> Code:
    """The archive's code for ``retention``: the shortest coded period that is not shorter;
    beyond 70 years, permanent."""
    if retention.years is None:
        return PERMANENT
    for years, code in RETENTION_CODES:
        if retention.years <= years:
            return code
    return PERMANENT
