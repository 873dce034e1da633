"""What the filters of the officer's list and the archive search can offer: the procedures,
receiving agencies and document types that occur among the dossiers a person may see.

The filter forms show these as names to pick from (not codes to remember), and a value that
is not among them, nor known to the system, is refused next to its field instead of
quietly finding nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select

from sohoa.storage.models import Document, Dossier, DossierRoute
from sohoa.storage.session import Database


@dataclass(frozen=True)
class Facets:
    """Distinct values, sorted."""

    procedure_codes: tuple[str, ...]
    agency_codes: tuple[str, ...]
    """Receiving agencies."""
    doc_types: tuple[str, ...]


def dossier_facets(catalog: Database, agencies: Iterable[str] | None = None) -> Facets:
    """The values among all dossiers (``agencies`` None), or among those routed to one of
    ``agencies`` (an agency officer: SQL-restricted, as every question an agency asks)."""
    visible = select(Dossier.id)
    if agencies is not None:
        visible = visible.where(Dossier.id.in_(
            select(DossierRoute.dossier_id).where(DossierRoute.agency_code.in_(
                sorted(set(agencies))))))
    with catalog.read_session() as session:
        def values(query: Select) -> tuple[str, ...]:
            return tuple(sorted(v for v in session.scalars(query) if v))

        return Facets(
            values(select(Dossier.procedure_code).distinct().where(Dossier.id.in_(visible))),
            values(select(Dossier.agency_code).distinct().where(Dossier.id.in_(visible))),
            values(select(Document.doc_type).distinct()
                   .where(Document.dossier_id.in_(visible))))
