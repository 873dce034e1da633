"""The national procedure catalog in the database: the latest import (procedures as read,
with the parse report) and the administrator's corrections, kept in their own table so a
re-import replaces the procedures and leaves the corrections in place.

:class:`ImportedCatalog` is a national source for
:class:`~sohoa.domain.catalog.directory.ProcedureDirectory`: it answers one code with one
primary-key lookup, and lists codes and names without reading the checklists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from sohoa.domain.catalog.corrections import CatalogCorrection
from sohoa.domain.catalog.directory import ProcedureDirectory, ProcedureEntry
from sohoa.domain.catalog.report import ParseReport
from sohoa.domain.catalog.shipped import load_directory
from sohoa.domain.procedures import Procedure
from sohoa.storage.models import (
    Dossier,
    NationalProcedure,
    ProcedureCorrectionRow,
    ProcedureImport,
)
from sohoa.storage.session import Database


@dataclass(frozen=True)
class ImportRecord:
    """One import, as ``sohoa catalog import --report`` shows it."""

    id: int
    source: str
    sha256: str
    imported_at: datetime
    author: str
    procedures: int
    report: ParseReport


def store_import(db: Database, procedures: Mapping[str, Procedure], report: ParseReport,
                 source: str, sha256: str, author: str = "") -> ImportRecord:
    """Replace the imported procedures with these, in one transaction; corrections stay."""
    with db.write_session() as session:
        row = ProcedureImport(source=source, sha256=sha256, author=author,
                              procedures=len(procedures),
                              report=report.model_dump(mode="json", exclude_defaults=True))
        session.add(row)
        session.flush()
        session.execute(delete(NationalProcedure))
        session.add_all(
            NationalProcedure(code=p.code, name=p.name, import_id=row.id,
                              level=", ".join(p.details.level) if p.details else "",
                              data=p.model_dump(mode="json", exclude_defaults=True))
            for p in procedures.values())
        return _import_record(row)


def latest_import(db: Database) -> ImportRecord | None:
    with db.read_session() as session:
        row = session.scalars(select(ProcedureImport).order_by(ProcedureImport.id.desc())
                              .limit(1)).first()
        return _import_record(row) if row is not None else None


def _import_record(row: ProcedureImport) -> ImportRecord:
    return ImportRecord(row.id, row.source, row.sha256, row.imported_at, row.author,
                        row.procedures, ParseReport.model_validate(row.report))


class ImportedCatalog:
    """The imported procedures, looked up by primary key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def raw(self, code: str) -> dict[str, Any] | None:
        with self.db.read_session() as session:
            row = session.get(NationalProcedure, code)
            return dict(row.data) if row is not None else None

    def entries(self) -> list[ProcedureEntry]:
        with self.db.read_session() as session:
            rows = session.execute(select(NationalProcedure.code, NationalProcedure.name,
                                          NationalProcedure.level)
                                   .order_by(NationalProcedure.code)).all()
        return [ProcedureEntry(code, name, level) for code, name, level in rows]

    def count(self) -> int:
        with self.db.read_session() as session:
            return session.scalar(select(func.count()).select_from(NationalProcedure)) or 0


# --- corrections -------------------------------------------------------------------------------


def save_correction(db: Database, fix: CatalogCorrection) -> None:
    """Set (or replace) the correction of this procedure, item and field."""
    with db.write_session() as session:
        row = session.scalars(select(ProcedureCorrectionRow).where(
            ProcedureCorrectionRow.procedure_code == fix.procedure_code,
            ProcedureCorrectionRow.item_id == fix.item_id,
            ProcedureCorrectionRow.field == fix.field)).first()
        if row is None:
            session.add(ProcedureCorrectionRow(procedure_code=fix.procedure_code,
                                               item_id=fix.item_id, field=fix.field,
                                               value=fix.value, author=fix.author))
        else:
            row.value, row.author = fix.value, fix.author


def remove_correction(db: Database, procedure_code: str, item_id: str, field: str) -> bool:
    with db.write_session() as session:
        result = session.execute(delete(ProcedureCorrectionRow).where(
            ProcedureCorrectionRow.procedure_code == procedure_code,
            ProcedureCorrectionRow.item_id == item_id, ProcedureCorrectionRow.field == field))
        return bool(result.rowcount)


def corrections(db: Database, procedure_code: str | None = None) -> list[CatalogCorrection]:
    """In the order they were made."""
    with db.read_session() as session:
        query = select(ProcedureCorrectionRow).order_by(ProcedureCorrectionRow.id)
        if procedure_code is not None:
            query = query.where(ProcedureCorrectionRow.procedure_code == procedure_code)
        return [CatalogCorrection(procedure_code=r.procedure_code, item_id=r.item_id,
                                  field=r.field, value=r.value, author=r.author)
                for r in session.scalars(query)]


def open_directory(db: Database, curated_path: Path | None = None) -> ProcedureDirectory:
    """What the counter works with: curated procedures, then the latest import if there is
    one (else the shipped catalog), with every correction applied."""
    imported = ImportedCatalog(db)
    national = imported if latest_import(db) is not None else None
    directory = load_directory(curated_path, national)
    fixes = corrections(db)
    if fixes:
        directory = ProcedureDirectory(directory.curated, directory.national, fixes)
    return directory


def procedure_usage(db: Database, agency_code: str) -> dict[str, int]:
    """Dossiers per procedure code received by this agency: the picker puts the procedures
    this counter handles most first."""
    with db.read_session() as session:
        rows = session.execute(select(Dossier.procedure_code, func.count())
                               .where(Dossier.agency_code == agency_code)
                               .group_by(Dossier.procedure_code)).all()
    return {code: count for code, count in rows}
