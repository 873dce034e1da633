"""The hand-over ledger (issue 17) on SQLite and PostgreSQL: closed dossiers found by one
aggregate query, transfers appended and read back per dossier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sohoa.storage.catalog import Catalog
from sohoa.storage.objects import StoredObject, sha256_hex
from sohoa.storage.records import DossierStatus
from sohoa.storage.transfers import ArchiveTransfers, TransferRecord

VN = timezone(timedelta(hours=7))
AGENCY = "000.00.14.H56"


def _with_documents(catalog: Catalog, procedure: str, day: int, documents: int) -> str:
    code = catalog.new_dossier(procedure, AGENCY, datetime(2026, 11, day, 9, 0, tzinfo=VN))
    for ordinal in range(1, documents + 1):
        stored = StoredObject(f"dossiers/{code}/documents/{ordinal:02d}-khac.pdf",
                              sha256_hex(f"{code}{ordinal}".encode()), 1)
        catalog.add_document(code, ordinal, stored, title="Khác", page_count=1,
                             signed_at=datetime(2026, 11, day + ordinal, 23, 30, tzinfo=UTC))
    return code


def test_dossiers_with_documents_and_transfers(catalog: Catalog) -> None:
    birth = _with_documents(catalog, "1.001193", 10, 2)
    land = _with_documents(catalog, "1.013831", 11, 1)
    empty = catalog.new_dossier("1.001193", AGENCY, datetime(2026, 11, 12, tzinfo=VN))
    for code in (birth, land, empty):
        catalog.set_status(code, DossierStatus.DANG_XU_LY)
        catalog.set_status(code, DossierStatus.DA_XU_LY_XONG)
    ledger = ArchiveTransfers(catalog)
    rows = ledger.dossiers_with_documents([9, 10])
    assert [(r.summary.code, r.documents) for r in rows] == [(birth, 2), (land, 1)]
    assert rows[0].last_signed_at == datetime(2026, 11, 12, 23, 30, tzinfo=UTC)
    assert [r.summary.code for r in ledger.dossiers_with_documents([9], "1.013831")] == [land]
    assert ledger.dossiers_with_documents([9], agency_code="khac") == []
    assert ledger.dossiers_with_documents([2]) == []

    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for n in (1, 2):
        ledger.record(TransferRecord(birth, f"urn:{AGENCY}:uuid:{n}", "SIP", at, "luutru",
                                     "a" * 64))
    assert [t.package_id for t in ledger.of_dossier(birth)] == [f"urn:{AGENCY}:uuid:1",
                                                                 f"urn:{AGENCY}:uuid:2"]
    assert ledger.of_dossier(birth)[0].exported_at == at
    assert ledger.handed_over()[birth].package_id == f"urn:{AGENCY}:uuid:2"
    assert land not in ledger.handed_over()
