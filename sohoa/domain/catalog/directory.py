"""Every procedure the counter can handle: the curated ones (procedures.yaml, written by
hand) first, then the national catalog — the copy the package ships, or the one an
administrator imported — with the administrator's corrections applied to both.

Procedures are looked up by code through an index and validated only when asked for, so
opening the counter or a dossier never reads 2,642 checklists; the list the procedure picker
searches holds only codes, names and levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sohoa.domain.catalog.corrections import CatalogCorrection, apply_corrections
from sohoa.domain.procedures import Procedure, ProcedureCatalog
from sohoa.errors import UnknownProcedureError


@dataclass(frozen=True)
class ProcedureEntry:
    """What a list of procedures shows and the picker searches."""

    code: str
    name: str
    level: str = ""
    """"Cấp tỉnh, Cấp xã" as published; "" for curated procedures."""
    curated: bool = False


class NationalSource(Protocol):
    """Where national procedures come from: the shipped file, or an import in the database."""

    def raw(self, code: str) -> dict[str, Any] | None:
        """The stored procedure (Procedure JSON), or None."""

    def entries(self) -> list[ProcedureEntry]:
        """Every procedure's code, name and level, in catalog order."""


class ProcedureDirectory:
    """Curated first, then national; corrections on top; each procedure validated once."""

    def __init__(self, curated: ProcedureCatalog, national: NationalSource | None = None,
                 corrections: Iterable[CatalogCorrection] = ()) -> None:
        self.curated = curated
        self.national = national
        self._corrections: dict[str, list[CatalogCorrection]] = {}
        for fix in corrections:
            self._corrections.setdefault(fix.procedure_code, []).append(fix)
        self._cache: dict[str, Procedure] = {}
        self._entries: list[ProcedureEntry] | None = None
        self._codes: set[str] | None = None

    @property
    def procedures(self) -> dict[str, Procedure]:
        """The curated procedures (the full list is :meth:`entries`)."""
        return self.curated.procedures

    def get(self, code: str) -> Procedure:
        code = code.strip()
        if code not in self._cache:
            procedure = self._find(code)
            if procedure is None:
                raise UnknownProcedureError(
                    f"không có thủ tục mã {code!r} trong danh mục thủ tục")
            fixes = self._corrections.get(code, ())
            self._cache[code] = apply_corrections(procedure, fixes)[0] if fixes else procedure
        return self._cache[code]

    def _find(self, code: str) -> Procedure | None:
        if code in self.curated:
            return self.curated.procedures[code]
        raw = self.national.raw(code) if self.national is not None else None
        return Procedure.model_validate(raw) if raw is not None else None

    def entries(self) -> list[ProcedureEntry]:
        """Curated procedures, then the national ones they do not replace."""
        if self._entries is None:
            curated = [ProcedureEntry(p.code, self._name(p.code, p.name), curated=True)
                       for p in self.curated.procedures.values()]
            national = self.national.entries() if self.national is not None else []
            self._entries = curated + [
                ProcedureEntry(e.code, self._name(e.code, e.name), e.level)
                for e in national if e.code not in self.curated]
        return self._entries

    def _name(self, code: str, name: str) -> str:
        fixes = [f for f in self._corrections.get(code, ()) if not f.item_id
                 and f.field == "name"]
        return str(fixes[-1].value) if fixes else name

    def codes(self) -> set[str]:
        if self._codes is None:
            self._codes = {entry.code for entry in self.entries()}
        return self._codes

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self.codes()

    def __len__(self) -> int:
        return len(self.codes())

    def unmatched_corrections(self, codes: Sequence[str] | None = None
                              ) -> list[CatalogCorrection]:
        """Corrections that no longer find their item (after a re-import changed it)."""
        out = []
        for code in codes if codes is not None else list(self._corrections):
            try:
                procedure = self._find(code)
            except ValueError:
                continue
            if procedure is not None:
                out += apply_corrections(procedure, self._corrections.get(code, ()))[1]
        return out
