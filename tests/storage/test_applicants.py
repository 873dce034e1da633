"""The applicant kept with the dossier (migration 0015): typed wins over the card, and the
counter's list finds it by name in SQL — on SQLite and PostgreSQL, over every dossier."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sohoa.storage.applicants import record_applicant
from sohoa.storage.catalog import Catalog
from sohoa.storage.records import DossierApplicant
from sohoa.storage.routing import DossierFilter, counter_dossiers
from sohoa.storage.rows import add_dossier

VN = timezone(timedelta(hours=7))
COUNTER = "000.00.14.H56"
OLD = datetime(2026, 11, 2, 8, 0, tzinfo=VN)
NEWER = 501
"""More newer dossiers than the 500 the list once searched through."""


def _codes(catalog: Catalog, wanted: DossierFilter) -> tuple[int, list[str]]:
    total, found = counter_dossiers(catalog, COUNTER, wanted)
    return total, [d.summary.code for d in found]


def test_typed_fields_win_and_a_card_only_fills_what_is_blank(catalog: Catalog) -> None:
    code = catalog.new_dossier("1.001193", COUNTER, OLD)
    assert catalog.dossier(code).applicant == DossierApplicant()
    typed = record_applicant(catalog, code, DossierApplicant(" Đặng  Thị Hoà ", "",
                                                             "0912 345 678"), typed=True)
    assert typed == DossierApplicant("Đặng Thị Hoà", "", "0912 345 678")
    card = record_applicant(catalog, code, DossierApplicant("DANG THI HOA", "Phố Huế, Hà Nội"),
                            typed=False)
    assert card == DossierApplicant("Đặng Thị Hoà", "Phố Huế, Hà Nội", "0912 345 678")
    again = record_applicant(catalog, code, DossierApplicant("Đặng Thị Hòa"), typed=True)
    assert again.name == "Đặng Thị Hòa" and again.address == "Phố Huế, Hà Nội"  # blank keeps
    assert catalog.dossier(code).applicant == again


def test_the_list_finds_an_old_dossier_by_name_without_diacritics(catalog: Catalog) -> None:
    old = catalog.new_dossier("1.001193", COUNTER, OLD)
    record_applicant(catalog, old, DossierApplicant("Đặng Thị Hoà", "Hà Nội"), typed=True)
    with catalog.write_session() as session:  # one transaction: cheap on both backends
        newer = [add_dossier(session, "1.003010", COUNTER, OLD + timedelta(minutes=1 + n))
                 for n in range(NEWER)]
    total, page = _codes(catalog, DossierFilter())
    assert total == NEWER + 1 and old not in page  # far below the first page
    assert _codes(catalog, DossierFilter(text="dang thi hoa")) == (1, [old])
    assert _codes(catalog, DossierFilter(text="thi hoa", procedure_code="1.001193")) == (
        1, [old])
    assert _codes(catalog, DossierFilter(text="thi hoa", procedure_code="1.003010")) == (0, [])
    _, found = counter_dossiers(catalog, COUNTER, DossierFilter(text="hoa"))
    assert found[0].applicant == DossierApplicant("Đặng Thị Hoà", "Hà Nội")
    assert _codes(catalog, DossierFilter(text=newer[7][-9:].lower())) == (1, [newer[7]])


def test_procedure_names_match_by_code_and_wildcards_are_letters(catalog: Catalog) -> None:
    birth = catalog.new_dossier("1.001193", COUNTER, OLD)
    land = catalog.new_dossier("1.003010", COUNTER, OLD + timedelta(hours=1))
    assert _codes(catalog, DossierFilter(text="khai sinh", named=("1.001193",))) == (1, [birth])
    assert _codes(catalog, DossierFilter(text="1.00301")) == (1, [land])  # procedure code
    for wildcard in ("%", "_", "1.00_193"):
        assert _codes(catalog, DossierFilter(text=wildcard)) == (0, [])
    assert _codes(catalog, DossierFilter(text="")) == (2, [land, birth])  # no text: all
