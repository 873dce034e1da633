"""An administrator's corrections to the catalog, kept apart from what was imported.

Each correction names a procedure, optionally one of its checklist items (by item id), a
field and the new value. They are stored on their own (``sohoa/storage/procedures.py``) and
applied every time a procedure is read, so a new import of the national catalog never loses
them; a correction whose item no longer exists after a re-import is reported, not dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sohoa.domain.procedures import Procedure, Requirement
from sohoa.errors import CatalogError

ITEM_FIELDS = ("name", "requirement", "condition", "originals", "copies", "sets", "doc_types",
               "form", "form_source", "alternatives", "case", "removed")
"""What may be corrected on a checklist item ("removed": the row is a note, not a paper)."""
PROCEDURE_FIELDS = ("name", "agency", "processing_days", "processing_note")
_INTEGERS = {"originals", "copies", "sets", "processing_days"}
_LISTS = {"doc_types", "alternatives"}


class CatalogCorrection(BaseModel):
    """One field of one procedure or item, as the administrator set it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    procedure_code: str = Field(pattern=r"^\d\.\d{6}$")
    item_id: str = ""
    """"" for the procedure itself."""
    field: str
    value: Any
    author: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.procedure_code, self.item_id, self.field

    def describe(self) -> str:
        where = f"{self.procedure_code}" + (f" [{self.item_id}]" if self.item_id else "")
        return f"{where} {self.field} = {self.value!r}"


def correction(procedure_code: str, item_id: str, field: str, text: str,
               author: str = "") -> CatalogCorrection:
    """A correction from what an administrator typed ("originals=2", "doc_types=a|b",
    "requirement=neu_co", "removed=true"); a field that cannot be corrected is refused."""
    allowed = ITEM_FIELDS if item_id else PROCEDURE_FIELDS
    if field not in allowed:
        what = "thành phần" if item_id else "thủ tục"
        raise CatalogError(f"không sửa được trường {field!r} của {what}; "
                           f"các trường sửa được: {', '.join(allowed)}")
    value: Any = text.strip()
    if field in _INTEGERS:
        if not value.isdigit():
            raise CatalogError(f"trường {field} phải là số nguyên ≥ 0 (giá trị: {text!r})")
        value = int(value)
    elif field in _LISTS:
        value = [part.strip() for part in value.split("|") if part.strip()]
    elif field == "removed":
        value = value.lower() in ("1", "true", "co", "có", "yes")
    elif field == "requirement" and value not in {r.value for r in Requirement}:
        raise CatalogError(f"requirement phải là một trong "
                           f"{', '.join(r.value for r in Requirement)} (giá trị: {text!r})")
    elif field in ("condition", "form", "form_source", "case", "processing_note") and not value:
        value = None
    return CatalogCorrection(procedure_code=procedure_code, item_id=item_id, field=field,
                             value=value, author=author)


def apply_corrections(procedure: Procedure, corrections: Iterable[CatalogCorrection]
                      ) -> tuple[Procedure, list[CatalogCorrection]]:
    """The corrected procedure, and the corrections that found no item to apply to."""
    data = procedure.model_dump()
    items = {item["id"]: item for item in data["items"]}
    unmatched, removed = [], set()
    applied = False
    for fix in corrections:
        if fix.procedure_code != procedure.code:
            continue
        if not fix.item_id:
            data[fix.field] = fix.value
        elif fix.item_id not in items:
            unmatched.append(fix)
            continue
        elif fix.field == "removed":
            if fix.value:
                removed.add(fix.item_id)
        else:
            items[fix.item_id][fix.field] = fix.value
        applied = True
    if not applied:
        return procedure, unmatched
    data["items"] = [item for item in data["items"] if item["id"] not in removed]
    try:
        return Procedure.model_validate(data), unmatched
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogError(f"thủ tục {procedure.code}: sửa đổi không hợp lệ ({where}: "
                           f"{first['msg']})") from None
