"""The procedure catalog (danh mục thủ tục hành chính): each procedure's document checklist.

The catalog is data an administrator edits (sohoa/domain/procedures.yaml), so a malformed
entry must be refused with a message that says where — the procedure, the checklist item and
the field — rather than a pydantic traceback. Models are frozen: the loaded catalog is cached
and shared.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sohoa.domain.data_files import load_data_file, yaml_data
from sohoa.domain.doctypes import BY_CODE, KHAC, is_item_type, type_name
from sohoa.errors import CatalogError, UnknownProcedureError

PACKAGED_CATALOG = Path(__file__).with_name("procedures.yaml")


class Requirement(StrEnum):
    REQUIRED = "bat_buoc"
    CONDITIONAL = "neu_co"
    """Needed only in some cases ("nếu có"); absent is fine."""
    SHOWN_ONLY = "xuat_trinh"
    """Shown to the clerk, never scanned (Circular 01/2023/TT-VPCP Art. 8)."""

    @property
    def label(self) -> str:
        """How a clerk says it."""
        return _REQUIREMENT_LABELS[self]


_REQUIREMENT_LABELS = {
    Requirement.REQUIRED: "bắt buộc",
    Requirement.CONDITIONAL: "nếu có",
    Requirement.SHOWN_ONLY: "chỉ xuất trình",
}


class FieldProblem(ValueError):
    """A cross-field check that knows which field is wrong (``loc`` below the model)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def _nfc(value: Any) -> Any:
    """Names typed on different keyboards compare equal only once normalised."""
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def _split_alternatives(value: Any) -> Any:
    """Accept ``"A | B"`` (the wording of the legal texts) as well as a YAML list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split("|")]
    return value


Text = Annotated[str, BeforeValidator(_nfc), Field(min_length=1)]
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class ChecklistItem(BaseModel):
    """One thành phần hồ sơ: what the citizen hands in, how many, and whether it is needed."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    doc_types: Annotated[list[str], BeforeValidator(_split_alternatives)] = Field(min_length=1)
    """Alternatives: any one of these document types satisfies the item."""
    originals: int = Field(default=0, ge=0)
    """Bản chính per document."""
    copies: int = Field(default=0, ge=0)
    """Bản sao per document."""
    copy_kinds: Text | None = None
    """What counts as a copy, when the law says more than "bản sao" (e.g. "hoặc bản chụp")."""
    sets: int = Field(default=1, ge=1)
    """How many documents are needed (2 bộ bản vẽ thiết kế)."""
    requirement: Requirement
    condition: Text | None = None
    """For a conditional item: when it is needed ("nếu ...")."""
    form: Text | None = None
    """The form (mẫu) the document is written on: "Mẫu số 09", "Mẫu 01/TK-SDDPNN"."""
    form_source: Text | None = None
    """Where the form is published: "Phụ lục II Nghị định số 121/2021/NĐ-CP", a file name."""
    alternatives: list[Text] = []
    """Other papers that satisfy the item, by name ("văn bản của người làm chứng")."""
    case: Text | None = None
    """The trường hợp the item belongs to, when the procedure lists alternative cases."""
    text: str | None = None
    """The catalog's row as published, for the clerk and the administrator to read."""

    @field_validator("doc_types")
    @classmethod
    def _known_document_types(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if is_item_type(code):
                continue
            if code not in BY_CODE:
                raise ValueError(f"không có loại giấy tờ {code!r} trong danh mục loại giấy tờ")
            if code == KHAC or not BY_CODE[code].is_document:
                raise ValueError(f"{code!r} không phải là một loại giấy tờ của hồ sơ")
        if len(set(codes)) != len(codes):
            raise ValueError("một loại giấy tờ được ghi hai lần")
        return codes

    @model_validator(mode="after")
    def _counts_match_requirement(self) -> ChecklistItem:
        scanned = self.originals + self.copies
        if self.requirement is Requirement.SHOWN_ONLY and scanned:
            field = "originals" if self.originals else "copies"
            raise FieldProblem((field,), "thành phần chỉ xuất trình không được số hóa: "
                               "số bản chính và bản sao phải là 0")
        if self.requirement is not Requirement.SHOWN_ONLY and not scanned:
            raise FieldProblem(("originals",), "cần ít nhất 1 bản chính hoặc 1 bản sao")
        if self.condition and self.requirement is not Requirement.CONDITIONAL:
            raise FieldProblem(("condition",), "chỉ thành phần 'neu_co' mới có điều kiện")
        return self

    @property
    def scanned(self) -> bool:
        """False for papers that are only shown at the counter."""
        return self.requirement is not Requirement.SHOWN_ONLY


class Channel(StrEnum):
    """Hình thức nộp (KENH of the national database: 1, 2, 3)."""

    IN_PERSON = "truc_tiep"
    ONLINE = "truc_tuyen"
    POST = "buu_chinh"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {Channel.IN_PERSON: "Trực tiếp", Channel.ONLINE: "Trực tuyến",
                   Channel.POST: "Dịch vụ bưu chính"}


class Fee(BaseModel):
    """Phí, lệ phí of one channel: an amount in đồng when stated, and the published words."""

    model_config = _FROZEN

    amount: int | None = Field(default=None, ge=0)
    """Đồng; 0 = miễn phí; None = not stated as a number."""
    text: str = ""


class ChannelTime(BaseModel):
    """Thời hạn giải quyết and fee for one channel."""

    model_config = _FROZEN

    channel: Channel
    value: float | None = None
    """As published, in ``unit``; None = "Không có thông tin"."""
    unit: str = ""
    """"Ngày làm việc", "Ngày", "Giờ", "Tháng", or "" when the number stands alone."""
    working_days: int | None = Field(default=None, ge=0)
    """The same time in working days (calendar days × 5/7, 8 working hours a day)."""
    fees: list[Fee] = []
    note: str = ""


class ProcedureResult(BaseModel):
    """Kết quả thực hiện: what the citizen receives, with its national code (KQ.Gxx.nnnnnn)."""

    model_config = _FROZEN

    name: Text
    code: str | None = None


class LegalDocument(BaseModel):
    """Căn cứ pháp lý: a legal text by number and title."""

    model_config = _FROZEN

    number: str = ""
    title: str = ""


class ProcedureDetails(BaseModel):
    """The national database's description of a procedure beyond its checklist."""

    model_config = _FROZEN

    level: list[str] = []
    """Cấp thực hiện: "Cấp tỉnh", "Cấp xã", "Cấp bộ", "Cơ quan khác"."""
    field: str = ""
    """Lĩnh vực."""
    agencies: list[str] = []
    """Cơ quan thực hiện."""
    channels: list[ChannelTime] = []
    results: list[ProcedureResult] = []
    legal_basis: list[LegalDocument] = []
    decision: str = ""
    """Số quyết định công bố."""
    url: str = ""


class Procedure(BaseModel):
    """One thủ tục hành chính with its checklist."""

    model_config = _FROZEN

    code: str = Field(pattern=r"^\d\.\d{6}$")
    """Code in the National Database on Administrative Procedures, e.g. "1.001193"."""
    name: Text
    agency: Text
    """Cơ quan giải quyết — editable data, it moves with reorganizations."""
    processing_days: int = Field(ge=0)
    """Working days; 0 = the same day."""
    processing_note: Text | None = None
    items: list[ChecklistItem] = []
    """Empty only for an imported procedure whose published checklist could not be read
    (the import report flags it); a curated procedure has at least one item."""
    source: Literal["curated", "national"] = "curated"
    """curated: procedures.yaml, written by hand; national: imported from the national
    database on administrative procedures (sohoa/domain/catalog/)."""
    details: ProcedureDetails | None = None
    """What the national database says beyond the checklist (level, field, channels, fees,
    results, legal basis)."""
    cases: list[Text] = []
    """Alternative trường hợp: items with a ``case`` count only in the case the dossier fits."""
    notes: list[Text] = []
    """Rows of the published checklist that are notes, not documents ("0 bản chính")."""

    @model_validator(mode="after")
    def _unique_item_ids(self) -> Procedure:
        if not self.items and self.source == "curated":
            raise FieldProblem(("items",), "không được để trống")
        seen: dict[str, int] = {}
        for position, item in enumerate(self.items):
            if item.id in seen:
                raise FieldProblem(("items", position, "id"), f"mã thành phần {item.id!r} "
                                   f"trùng với thành phần {seen[item.id] + 1}")
            seen[item.id] = position
        return self

    @property
    def processing_time(self) -> str:
        """Thời hạn giải quyết as printed: "trong ngày", "10 ngày làm việc (15 nếu ...)"."""
        if self.processing_days == 0:
            return self.processing_note or "trong ngày"
        text = f"{self.processing_days} ngày làm việc"
        return f"{text} ({self.processing_note})" if self.processing_note else text

    @property
    def scanned_items(self) -> list[ChecklistItem]:
        """Items that are scanned (a separator sheet is printed for each)."""
        return [item for item in self.items if item.scanned]

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((item for item in self.items if item.id == item_id), None)

    def type_name(self, code: str) -> str:
        """A document type's name as the clerk reads it: a checklist item's own type
        ("1.002693/don_de_nghi_cap_giay_phep") by the item's name."""
        if is_item_type(code):
            owner = next((item for item in self.items if item.doc_types[0] == code), None)
            if owner is not None:
                return owner.name
        return type_name(code)


class ProcedureCatalog(BaseModel):
    """All procedures the counter handles, by code, in catalog order."""

    model_config = _FROZEN

    procedures: dict[str, Procedure]

    def get(self, code: str) -> Procedure:
        try:
            return self.procedures[code.strip()]
        except KeyError:
            raise UnknownProcedureError(
                f"không có thủ tục mã {code!r} trong danh mục thủ tục") from None

    def __contains__(self, code: object) -> bool:
        return code in self.procedures

    def __len__(self) -> int:
        return len(self.procedures)


# --- loading -------------------------------------------------------------------------------


def load_catalog(path: Path | None = None) -> ProcedureCatalog:
    """The catalog at ``path`` (None: the packaged one). Cached per file until it changes."""
    return load_data_file(Path(path or PACKAGED_CATALOG), "danh mục thủ tục", parse_catalog)


def parse_catalog(text: str, source: str = "procedures.yaml") -> ProcedureCatalog:
    """Validate catalog YAML; the first malformed entry raises CatalogError naming it."""
    procedures: dict[str, Procedure] = {}
    for position, entry in enumerate(_entries(text, source), start=1):
        procedure = _validate_entry(entry, position, source)
        if procedure.code in procedures:
            raise CatalogError(f"{source}: thủ tục {procedure.code} (thứ {position}), trường "
                               "code: trùng mã với một thủ tục khai báo trước")
        procedures[procedure.code] = procedure
    return ProcedureCatalog(procedures=procedures)


def _entries(text: str, source: str) -> list[Any]:
    data = yaml_data(text, source)
    if not isinstance(data, dict) or set(data) != {"procedures"}:
        raise CatalogError(f"{source}: phải có đúng một khóa 'procedures' ở cấp ngoài cùng")
    entries = data["procedures"]
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{source}: 'procedures' phải là danh sách thủ tục, không rỗng")
    return entries


def _validate_entry(entry: Any, position: int, source: str) -> Procedure:
    try:
        return Procedure.model_validate(entry)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        first = errors[0]
        raise CatalogError(f"{source}: {_where(entry, position, first)}: "
                           f"{_message(first)}{more}") from None


# --- turning a pydantic error into "thủ tục X, thành phần N (id), trường F: ..." -----------


def _where(entry: Any, position: int, error: Any) -> str:
    loc = list(error["loc"])
    problem = (error.get("ctx") or {}).get("error")
    if isinstance(problem, FieldProblem):
        loc += list(problem.loc)
    parts = [_procedure_label(entry, position)]
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        parts.append(_item_label(entry, loc[1]))
        loc = loc[2:]
    fields = [str(part) for part in loc if not isinstance(part, int)]
    if fields:
        parts.append(f"trường {'.'.join(fields)}")
    return ", ".join(parts)


def _procedure_label(entry: Any, position: int) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"thủ tục {code}" if isinstance(code, str) and code else f"thủ tục thứ {position}"


def _item_label(entry: Any, index: int) -> str:
    items = entry.get("items") if isinstance(entry, dict) else None
    item = items[index] if isinstance(items, list) and index < len(items) else None
    item_id = item.get("id") if isinstance(item, dict) else None
    label = f"thành phần {index + 1}"
    return f"{label} ({item_id})" if isinstance(item_id, str) and item_id else label


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không có trong mẫu danh mục (sai tên trường?)",
    "string_type": "phải là chuỗi ký tự",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "list_type": "phải là danh sách",
    "model_type": "phải là bảng khóa: giá trị",
    "dict_type": "phải là bảng khóa: giá trị",
    "too_short": "không được để trống",
    "string_too_short": "không được để trống",
}

_PATTERNS = {
    "code": "mã thủ tục phải có dạng d.dddddd, ví dụ \"1.001193\"",
    "id": "mã thành phần chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới",
}


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    field = next((p for p in reversed(error["loc"]) if isinstance(p, str)), "")
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "greater_than_equal":
        text = f"phải ≥ {ctx['ge']}"
    elif kind == "enum":
        text = f"phải là một trong {ctx['expected'].replace(' or ', ', ')}"
    elif kind == "string_pattern_mismatch":
        text = _PATTERNS.get(field, f"không đúng dạng {ctx.get('pattern')}")
    elif kind == "string_type" and field == "code":
        text = "mã thủ tục phải đặt trong dấu nháy, ví dụ \"1.001193\""
    else:
        text = _MESSAGES.get(kind, error["msg"])
    value = error.get("input")
    if kind != "missing" and isinstance(value, str | int | float):
        text += f" (giá trị: {value!r})"
    return text


# --- what `sohoa catalog [CODE]` prints ----------------------------------------------------


def describe_catalog(catalog: ProcedureCatalog) -> list[str]:
    """One line per procedure: code, name, processing time."""
    lines = [f"Danh mục thủ tục ({len(catalog)} thủ tục):"]
    for procedure in catalog.procedures.values():
        lines.append(f"  {procedure.code}  {procedure.name} — {procedure.processing_time}")
    return lines


def describe_procedure(procedure: Procedure) -> list[str]:
    """The procedure and its checklist, two lines per item (name, then what is needed)."""
    lines = [
        f"Thủ tục {procedure.code} — {procedure.name}",
        f"Cơ quan giải quyết: {procedure.agency}",
        f"Thời hạn giải quyết: {procedure.processing_time}",
        f"Thành phần hồ sơ ({len(procedure.items)}):",
    ]
    for number, item in enumerate(procedure.items, start=1):
        lines.append(f"  {number}. {item.name}  [{item.id}]")
        lines.append(f"     giấy tờ: {' | '.join(item.doc_types)} — {_needs(item)}")
    return lines


def quantity_text(item: ChecklistItem) -> str:
    """"1 bản chính", "2 bộ, mỗi bộ 1 bản chính", "1 bản sao (bản sao hoặc bản chụp)"."""
    counts = [f"{n} {kind}" for n, kind in ((item.originals, "bản chính"),
                                            (item.copies, "bản sao")) if n]
    text = ", ".join(counts)
    if item.copy_kinds:
        text += f" ({item.copy_kinds})"
    return f"{item.sets} bộ, mỗi bộ {text}" if item.sets > 1 else text


def _needs(item: ChecklistItem) -> str:
    if item.requirement is Requirement.SHOWN_ONLY:
        return "chỉ xuất trình, không số hóa"
    needs = f"{quantity_text(item)} — {item.requirement.label}"
    return f"{needs}: {item.condition}" if item.condition else needs
