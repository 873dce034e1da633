"""The applicant (người nộp hồ sơ) kept with the dossier: the only writer of the dossier's
``applicant_*`` columns (migration 0015).

Two sources, one rule — what the clerk typed wins over what the card said, field by field,
as on the paper (``services.receipts._merge``):

* the clerk types name, address or contact when printing a paper (web form or
  ``sohoa receipt --name``): each field typed replaces the stored one;
* a CCCD QR read with the scans gives name and residence when the batch is finished
  (``processing.owner.record_owner``): it only fills fields still empty, so it never
  overwrites what the clerk typed.

The folded name (no diacritics, đ → d, lower case) is written with the name, in the same
statement, so the work list can search it in SQL with a plain ``LIKE`` on both SQLite and
PostgreSQL; it is never written on its own and can never disagree with the name.
"""

from __future__ import annotations

from sohoa.domain.catalog.words import fold, nfc
from sohoa.storage.models import Dossier
from sohoa.storage.records import DossierApplicant
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database


def record_applicant(db: Database, code: str, applicant: DossierApplicant, typed: bool
                     ) -> DossierApplicant:
    """Keep ``applicant`` with dossier ``code``; returns what is stored now.

    ``typed`` (the clerk's fields): every non-blank field replaces the stored one. Not typed
    (read from a card): a field is written only where nothing is stored yet. Blank fields
    never erase anything (a reprint without typing keeps the applicant)."""
    with db.write_session() as session:
        row = dossier_row(session, code)
        for field in ("name", "address", "contact"):
            value = nfc(getattr(applicant, field))
            column = f"applicant_{field}"
            if value and (typed or not getattr(row, column)):
                setattr(row, column, value)
        row.applicant_folded = fold(row.applicant_name) if row.applicant_name else None
        return stored_applicant(row)


def stored_applicant(row: Dossier) -> DossierApplicant:
    """The applicant columns of a dossier row as a record ("" for what is not known)."""
    return DossierApplicant(row.applicant_name or "", row.applicant_address or "",
                            row.applicant_contact or "")

