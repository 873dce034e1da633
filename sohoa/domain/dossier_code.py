"""Dossier codes (mã hồ sơ): parse both official formats, format the one we allocate.

- Legacy (Circular 01/2018): ``<agency identifier>-<YYMMDD>-<sequence of >=4 digits>``,
  e.g. ``000.00.14.H56-200203-0118``. The agency identifier is the agency's electronic
  identification code: dot-separated groups of digits and capital letters.
- Centrally provided services (Circular 04/2025/TT-VPCP): ``MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX``,
  e.g. ``M01.123.45-250315-AB0012``: 'M' and fixed digit groups, then a sequence made of two
  letters (kept as :attr:`DossierCode.prefix`) and at least four digits.

The sequence restarts every day for every agency, so (agency, day, sequence) is the identity.
Parsing is strict about structure (dates must exist, groups must have the right widths) but
tolerant of surrounding blanks and lower case, because codes also come back from QR codes and
OCR of printed receipts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sohoa.errors import InvalidDossierCodeError

DossierKind = Literal["legacy", "central"]

_LEGACY_AGENCY = re.compile(r"[0-9A-Z]{1,6}(?:\.[0-9A-Z]{1,6}){0,5}", re.ASCII)
_CENTRAL_AGENCY = re.compile(r"M\d{2}\.\d{3}\.\d{2}", re.ASCII)
_LEGACY = re.compile(r"(?P<agency>[^-]+)-(?P<day>\d{6})-(?P<seq>\d{4,9})", re.ASCII)
_CENTRAL = re.compile(
    r"(?P<agency>[^-]+)-(?P<day>\d{6})-(?P<prefix>[A-Z]{2})(?P<seq>\d{4,9})", re.ASCII
)


@dataclass(frozen=True)
class DossierCode:
    """One dossier code, split into what it means."""

    agency: str
    """Agency identifier (legacy) or the ``MX1X2.Y1Y2Y3.Z1Z2`` service code (central)."""
    day: date
    """Day the dossier was received (Vietnam time)."""
    sequence: int
    """Number of the dossier within that agency's day, from 1."""
    kind: DossierKind = "legacy"
    prefix: str = ""
    """The two letters before the sequence digits in the central format; empty for legacy."""

    def __str__(self) -> str:
        return f"{self.agency}-{self.day:%y%m%d}-{self.prefix}{self.sequence:04d}"


def _parse_day(text: str, code: str) -> date:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise InvalidDossierCodeError(f"Mã hồ sơ {code!r} có ngày không hợp lệ (YYMMDD).") from None


def _sequence(text: str, code: str) -> int:
    number = int(text)
    if number < 1:
        raise InvalidDossierCodeError(f"Mã hồ sơ {code!r} có số thứ tự 0 (bắt đầu từ 1).")
    return number


def parse_dossier_code(text: str) -> DossierCode:
    """Parse a dossier code in either official format, or raise InvalidDossierCodeError."""
    code = (text or "").strip().upper()
    central = _CENTRAL.fullmatch(code)
    if central and _CENTRAL_AGENCY.fullmatch(central["agency"]):
        day = _parse_day(central["day"], code)
        seq = _sequence(central["seq"], code)
        return DossierCode(central["agency"], day, seq, "central", central["prefix"])
    legacy = _LEGACY.fullmatch(code)
    if legacy and _LEGACY_AGENCY.fullmatch(legacy["agency"]):
        day = _parse_day(legacy["day"], code)
        return DossierCode(legacy["agency"], day, _sequence(legacy["seq"], code), "legacy")
    raise InvalidDossierCodeError(
        f"{text!r} không phải mã hồ sơ hợp lệ "
        "(dạng 000.00.14.H56-261121-0001 hoặc M01.123.45-261121-AB0012).")


def format_dossier_code(agency: str, day: date, sequence: int, prefix: str = "") -> str:
    """The code of the ``sequence``-th dossier of ``agency`` on ``day``.

    Without ``prefix`` this is the legacy format (what a counter allocates); with two letters
    and a central ``MX1X2.Y1Y2Y3.Z1Z2`` agency it is the Circular 04/2025 format. The result
    is parsed back, so an agency identifier that would not round-trip is refused here rather
    than printed on a receipt.
    """
    if sequence < 1:
        raise InvalidDossierCodeError(f"Số thứ tự hồ sơ phải từ 1, không phải {sequence}.")
    code = str(DossierCode(agency, day, sequence, prefix=prefix))
    parsed = parse_dossier_code(code)
    if (parsed.agency, parsed.day, parsed.sequence, parsed.prefix) != (
        agency,
        day,
        sequence,
        prefix,
    ):
        raise InvalidDossierCodeError(
            f"Không tạo được mã hồ sơ cho cơ quan {agency!r} (mã cơ quan không hợp lệ).")
    return code
