"""Retention periods of signed documents (thời hạn lưu trữ): how long each must be kept.

The periods are data an administrator edits (``retention.yaml``, or ``SOHOA_RETENTION``),
because they come from legal texts that change and from each province's archive. A document
falls under several rules at once — the default, its dossier's procedure, its own type — and
an archive must never keep a record *shorter* than any of them, so the longest applies and
``vĩnh viễn`` (permanent) beats every number. Land and civil-registry records are permanent
(docs/domain.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from sohoa.clock import VIETNAM
from sohoa.domain.data_files import load_data_file, yaml_data
from sohoa.domain.doctypes import BY_CODE
from sohoa.errors import CatalogError

PACKAGED_RETENTION = Path(__file__).with_name("retention.yaml")
PERMANENT_WORDS = ("vĩnh viễn", "vinh vien")
"""How a permanent period is written (the second for keyboards without Vietnamese input)."""
MAX_YEARS = 1000
_PROCEDURE_KEY = re.compile(r"^(\d\.\d{6}|\d(\.\d{0,6})?\*)$")


@dataclass(frozen=True)
class Retention:
    """How long one document is kept, and which rule said so."""

    years: int | None
    """None: permanent (vĩnh viễn)."""
    source: str
    """The rule that decided, as a clerk reads it ("thủ tục 1.001193", "mặc định")."""

    @property
    def permanent(self) -> bool:
        return self.years is None

    @property
    def label(self) -> str:
        return "vĩnh viễn" if self.years is None else f"{self.years} năm"

    def outlasts(self, other: Retention) -> bool:
        """Strictly longer than ``other`` (permanent outlasts any number of years)."""
        if other.years is None:
            return False
        return self.years is None or self.years > other.years


def _period(value: Any) -> Any:
    """``vĩnh viễn`` (any case or Unicode form) → None; numbers stay numbers."""
    if isinstance(value, str):
        text = " ".join(unicodedata.normalize("NFC", value).lower().split())
        if text in PERMANENT_WORDS:
            return None
        raise ValueError("thời hạn phải là số năm hoặc \"vĩnh viễn\"")
    if isinstance(value, bool) or value is None:
        raise ValueError("thời hạn phải là số năm hoặc \"vĩnh viễn\"")
    return value


Years = Annotated[int, Field(ge=1, le=MAX_YEARS)]
Period = Annotated[Years | None, BeforeValidator(_period)]


def _procedure_key(value: Any) -> Any:
    if not isinstance(value, str) or not _PROCEDURE_KEY.match(value.strip()):
        raise ValueError("mã thủ tục phải có dạng d.dddddd (ví dụ \"1.001193\") hoặc là tiền "
                         "tố kết thúc bằng * (ví dụ \"1.0011*\")")
    return value.strip()


def _doc_type_key(value: Any) -> Any:
    if not isinstance(value, str) or value not in BY_CODE or not BY_CODE[value].is_document:
        raise ValueError("không có loại giấy tờ này trong danh mục loại giấy tờ (doctypes.py)")
    return value


class RetentionRules(BaseModel):
    """The rules of ``retention.yaml`` (see its comments for the meaning of each key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    default: Period
    permanent_lock_years: int = Field(default=100, ge=1, le=MAX_YEARS)
    """Object-lock retention (years from signing) put on permanent documents besides the
    legal hold: S3 retention needs a date."""
    procedures: dict[Annotated[str, BeforeValidator(_procedure_key)], Period] = {}
    doc_types: dict[Annotated[str, BeforeValidator(_doc_type_key)], Period] = {}

    def retention_for(self, procedure_code: str | None, doc_type: str | None) -> Retention:
        """The longest period of every rule that applies (permanent beats everything).

        On a tie the most specific rule is named: the exact procedure, then the document
        type, then a procedure prefix (longest first), then the default."""
        best = Retention(self.default, "mặc định")
        for candidate in reversed(self._applicable(procedure_code or "", doc_type or "")):
            if not best.outlasts(candidate):
                best = candidate
        return best

    def _applicable(self, procedure_code: str, doc_type: str) -> list[Retention]:
        """Rules that apply, most specific first."""
        found = []
        if procedure_code in self.procedures:
            found.append(Retention(self.procedures[procedure_code], f"thủ tục {procedure_code}"))
        if doc_type in self.doc_types:
            found.append(Retention(self.doc_types[doc_type], f"loại giấy tờ {doc_type}"))
        prefixes = sorted((k for k in self.procedures if k.endswith("*")), key=len, reverse=True)
        found.extend(Retention(self.procedures[p], f"nhóm thủ tục {p}") for p in prefixes
                     if procedure_code.startswith(p[:-1]))
        return found


def retention_for(procedure_code: str | None, doc_type: str | None,
                  path: Path | None = None) -> Retention:
    """The retention of a document of ``doc_type`` in a dossier of ``procedure_code``, by
    the rules at ``path`` (None: the packaged ones)."""
    return load_retention(path).retention_for(procedure_code, doc_type)


def retain_until(retention: Retention, signed_at: datetime) -> datetime | None:
    """End of the retention: 1 January (Vietnam time) after ``years`` full calendar years
    counted from the end of the signing year; None for a permanent document.

    The archives count a period from the year the work ended, never from the day; so a
    document signed on 05/03/2026 kept 10 years is kept until 01/01/2037."""
    if retention.years is None:
        return None
    if signed_at.tzinfo is None:
        raise ValueError("signed_at must carry a time zone")
    year = signed_at.astimezone(VIETNAM).year + 1 + retention.years
    return datetime(year, 1, 1, tzinfo=VIETNAM)


# --- loading -------------------------------------------------------------------------------


def load_retention(path: Path | None = None) -> RetentionRules:
    """The rules at ``path`` (None: the packaged ones), cached until the file changes."""
    return load_data_file(Path(path or PACKAGED_RETENTION), "tệp thời hạn lưu trữ",
                          parse_retention)


def parse_retention(text: str, source: str = "retention.yaml") -> RetentionRules:
    """Validate retention YAML; the first bad entry raises CatalogError naming it."""
    data = yaml_data(text, source)
    if not isinstance(data, dict):
        raise CatalogError(f"{source}: phải là bảng khóa: giá trị (default, procedures, "
                           "doc_types, permanent_lock_years)")
    try:
        return RetentionRules.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        raise CatalogError(f"{source}: {_where(errors[0])}: {_message(errors[0])}{more}") \
            from None


_SECTIONS = {"procedures": "thủ tục", "doc_types": "loại giấy tờ"}
_FIELDS = {"default": "thời hạn mặc định (default)",
           "permanent_lock_years": "số năm khóa của tài liệu vĩnh viễn (permanent_lock_years)"}


def _where(error: Any) -> str:
    loc = [part for part in error["loc"] if part != "[key]"]
    if len(loc) >= 2 and loc[0] in _SECTIONS:
        return f"{_SECTIONS[loc[0]]} {loc[1]!s}"
    if loc and loc[0] in _FIELDS:
        return _FIELDS[loc[0]]
    return f"khóa {'.'.join(str(p) for p in loc)}"


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
    elif kind == "missing":
        return "thiếu khóa bắt buộc"
    elif kind == "extra_forbidden":
        return "khóa không có trong mẫu (default, permanent_lock_years, procedures, doc_types)"
    elif kind in ("greater_than_equal", "less_than_equal"):
        text = f"số năm phải từ 1 đến {MAX_YEARS}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        text = "thời hạn phải là số năm nguyên hoặc \"vĩnh viễn\""
    elif kind == "dict_type":
        text = "phải là bảng khóa: giá trị"
    else:
        text = error["msg"]
    value = error.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text += f" (giá trị: {value!r})"
    return text
