"""The national catalog the package ships (``national.json.gz`` beside this module, built by
``scripts/build_national_catalog.py`` from shared/catalog), so every code in it works at the
counter with no import step.

The file is read on first use only — a process that handles curated procedures never opens
it — and held as an index by code; a procedure is validated when asked for.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from sohoa.domain.catalog.directory import ProcedureDirectory, ProcedureEntry
from sohoa.domain.catalog.report import ParseReport
from sohoa.domain.procedures import load_catalog
from sohoa.errors import CatalogError

SHIPPED = Path(__file__).with_name("national.json.gz")
FORMAT = 1


class ShippedCatalog:
    """The packaged national catalog: ``raw(code)`` through a dict index, built once."""

    def __init__(self, path: Path = SHIPPED) -> None:
        self.path = path

    def raw(self, code: str) -> dict[str, Any] | None:
        return _index(self.path)[0].get(code)

    def entries(self) -> list[ProcedureEntry]:
        return _index(self.path)[1]

    def report(self) -> ParseReport | None:
        data = _load(self.path).get("report")
        return ParseReport.model_validate(data) if data else None

    @property
    def source(self) -> str:
        return str(_load(self.path).get("source", self.path.name))


def entry_of(raw: dict[str, Any]) -> ProcedureEntry:
    level = ", ".join((raw.get("details") or {}).get("level", []))
    return ProcedureEntry(raw["code"], raw["name"], level)


@cache
def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError) as exc:
        raise CatalogError(f"{path.name}: không đọc được danh mục thủ tục quốc gia ({exc})") \
            from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogError(f"{path.name}: không đúng định dạng danh mục (format {FORMAT})")
    return data


@cache
def _index(path: Path) -> tuple[dict[str, dict[str, Any]], list[ProcedureEntry]]:
    procedures = _load(path)["procedures"]
    return {raw["code"]: raw for raw in procedures}, [entry_of(raw) for raw in procedures]


def write_shipped(path: Path, procedures: list[dict[str, Any]], report: ParseReport,
                  source: str) -> int:
    """Write the compact file; returns its size in bytes. Deterministic (no time stamp)."""
    data = {"format": FORMAT, "source": source, "procedures": procedures,
            "report": report.model_dump(mode="json", exclude_defaults=True)}
    blob = gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), compresslevel=9, mtime=0)
    path.write_bytes(blob)
    return len(blob)


def compact(procedure_json: dict[str, Any]) -> dict[str, Any]:
    """What the shipped copy keeps of a procedure: all the checklist but the published row
    texts (an import keeps them), channel notes and legal titles cut to 160 characters."""
    for item in procedure_json.get("items", []):
        item.pop("text", None)
    details = procedure_json.get("details", {})
    for channel in details.get("channels", []):
        channel["note"] = _cut(channel.get("note", ""))
        for fee in channel.get("fees", []):
            fee["text"] = _cut(fee.get("text", ""))
    for law in details.get("legal_basis", []):
        law["title"] = _cut(law.get("title", ""))
    procedure_json["notes"] = [_cut(note) for note in procedure_json.get("notes", [])]
    return procedure_json


def _cut(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def load_directory(path: Path | None = None, national: Any = None) -> ProcedureDirectory:
    """The curated catalog at ``path`` (None: the packaged one) over the shipped national
    catalog (or ``national``, e.g. an import in the database)."""
    return ProcedureDirectory(load_catalog(path),
                              national if national is not None else ShippedCatalog())
