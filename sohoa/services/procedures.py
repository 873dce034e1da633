"""The procedure catalog as a use case: import the national catalog, show its parse report,
correct a procedure or one of its items, and open the catalog the counter works with.

Which catalog a command sees: the curated procedures (procedures.yaml) first; then the
latest import in the database, or — when nothing was imported — the national catalog the
package ships; the administrator's corrections on top of both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sohoa.domain.catalog.corrections import CatalogCorrection, apply_corrections, correction
from sohoa.domain.catalog.directory import ProcedureDirectory
from sohoa.domain.catalog.reader import read_catalog
from sohoa.domain.catalog.report import ParseReport
from sohoa.domain.catalog.shipped import ShippedCatalog, load_directory
from sohoa.domain.procedures import Procedure
from sohoa.errors import CatalogError, MissingFileError
from sohoa.processing.context import catalog_session, open_catalog
from sohoa.settings import Settings, StorageSettings
from sohoa.storage import procedures as store
from sohoa.storage.session import Database


@dataclass(frozen=True)
class ImportOutcome:
    report: ParseReport
    procedures: int
    unmatched: list[CatalogCorrection]
    """Corrections whose item the new import no longer has (kept, shown to the admin)."""


def import_catalog(settings: Settings, path: Path, author: str = "") -> ImportOutcome:
    """Read the file (crawl JSONL(.gz) or LayThuTuc JSON), store its procedures in place of
    the previous import, keep the corrections; malformed records are refused and named."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFileError(f"Không tìm thấy tệp {path}") from None
    except IsADirectoryError:
        raise MissingFileError(f"{path} là thư mục, không phải tệp danh mục") from None
    procedures, report = read_catalog(data, path.name)
    if not procedures:
        raise CatalogError(f"{path.name}: không có thủ tục nào đọc được"
                           + (f" ({report.refused[0].where}: {report.refused[0].reason})"
                              if report.refused else ""))
    with catalog_session(settings.storage) as db:
        store.store_import(db, procedures, report, path.name,
                           hashlib.sha256(data).hexdigest(), author)
        directory = store.open_directory(db, settings.catalog_path)
        unmatched = directory.unmatched_corrections(
            sorted({fix.procedure_code for fix in store.corrections(db)}))
    return ImportOutcome(report, len(procedures), unmatched)


def import_report(settings: Settings) -> tuple[str, ParseReport | None]:
    """(what was read, its parse report): the latest import, else the shipped catalog."""
    if _has_database(settings.storage):
        with catalog_session(settings.storage) as db:
            record = store.latest_import(db)
        if record is not None:
            when = record.imported_at.strftime("%d/%m/%Y %H:%M")
            return f"lần nhập {record.id} ({record.source}, {when} UTC)", record.report
    shipped = ShippedCatalog()
    return f"danh mục kèm theo phần mềm ({shipped.source})", shipped.report()


def correct(settings: Settings, code: str, item_id: str, assignments: list[str],
            author: str = "") -> Procedure:
    """Store the corrections ``FIELD=VALUE`` of a procedure (``item_id`` "") or of one of its
    items; each is checked against the procedure before anything is stored."""
    with catalog_session(settings.storage) as db:
        return correct_in(db, settings.catalog_path, code, item_id, assignments, author)


def correct_in(db: Database, curated_path: Path | None, code: str, item_id: str,
               assignments: list[str], author: str = "") -> Procedure:
    """:func:`correct` in an open catalog (the web app's)."""
    if not assignments:
        raise CatalogError("cần ít nhất một FIELD=VALUE (ví dụ --set originals=2)")
    directory = store.open_directory(db, curated_path)
    procedure = directory.get(code)
    if item_id and procedure.item(item_id) is None:
        raise CatalogError(f"thủ tục {procedure.code} không có thành phần {item_id!r}")
    fixes = []
    for assignment in assignments:
        field, sep, value = assignment.partition("=")
        if not sep:
            raise CatalogError(f"{assignment!r}: phải có dạng FIELD=VALUE")
        fixes.append(correction(procedure.code, item_id, field.strip(), value, author))
    corrected, _ = apply_corrections(procedure, fixes)  # refuses what would not validate
    for fix in fixes:
        store.save_correction(db, fix)
    return corrected


def list_corrections(settings: Settings, code: str | None = None) -> list[CatalogCorrection]:
    if not _has_database(settings.storage):
        return []
    with catalog_session(settings.storage) as db:
        return store.corrections(db, code)


def remove_correction(settings: Settings, code: str, item_id: str, field: str) -> bool:
    with catalog_session(settings.storage) as db:
        return store.remove_correction(db, code, item_id, field)


def procedure_directory(settings: Settings) -> ProcedureDirectory:
    """The catalog for a command that stores nothing (classify, cover, catalog): with the
    database's import and corrections when there is a database, else curated + shipped.
    The database stays open for the command's run (procedures are read by code)."""
    if not _has_database(settings.storage):
        return load_directory(settings.catalog_path)
    return store.open_directory(open_catalog(settings.storage), settings.catalog_path)


def _has_database(storage: StorageSettings) -> bool:
    """An SQLite file that does not exist yet holds no import and no correction: reading
    the catalog must not create it."""
    url = storage.database_url
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).is_file()
    return True
