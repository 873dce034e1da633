"""Filter choices come from the dossiers a person may see, and never reveal the others."""

from __future__ import annotations

from datetime import UTC, datetime

from sohoa.storage.catalog import Catalog
from sohoa.storage.facets import dossier_facets
from sohoa.storage.routing import route

CENTER = "000.00.14.H56"


def test_an_officer_is_offered_only_received_dossiers_routed_to_the_agency(
        catalog: Catalog) -> None:
    when = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    received = catalog.new_dossier("1.001193", CENTER, when)
    held = catalog.new_dossier("1.003010", CENTER, when)  # incomplete at the counter: status 1
    catalog.new_dossier("2.000568", CENTER, when)  # routed nowhere
    for code in (received, held):
        route(catalog, code, [CENTER])
    catalog.set_status(held, 1)

    officer = dossier_facets(catalog, [CENTER])
    assert officer.procedure_codes == ("1.001193",) and officer.agency_codes == (CENTER,)
    everyone = dossier_facets(catalog)  # an archivist or an administrator
    assert everyone.procedure_codes == ("1.001193", "1.003010", "2.000568")
    assert dossier_facets(catalog, ["999.99.99.H99"]).procedure_codes == ()
