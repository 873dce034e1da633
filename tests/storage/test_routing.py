"""Routes decide what an agency sees: lists restricted in SQL, filters, status changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sohoa.domain.routing import RoutingRules, load_routing
from sohoa.errors import ConfigurationError, StorageError
from sohoa.storage.catalog import Catalog
from sohoa.storage.routing import DossierFilter, change_status, route, routed_dossiers, routes

VN = timezone(timedelta(hours=7))
CENTER = "000.00.14.H56"
LAND = "000.21.14.H56"


def _dossiers(catalog: Catalog) -> list[str]:
    """Four dossiers over three days: two birth registrations, two land ones."""
    made = []
    for day, procedure in ((10, "1.001193"), (11, "1.003010"), (11, "1.001193"),
                           (12, "1.003010")):
        made.append(catalog.new_dossier(procedure, CENTER, datetime(2026, 11, day, 9, 0,
                                                                    tzinfo=VN)))
    return made


def test_an_agency_lists_only_what_is_routed_to_it(catalog: Catalog) -> None:
    births, land, birth2, land2 = _dossiers(catalog)
    for code in (births, birth2):
        route(catalog, code, [CENTER])
    for code in (land, land2):
        assert route(catalog, code, [CENTER, LAND]) == (CENTER, LAND)
    assert route(catalog, land, [LAND]) == (CENTER, LAND)  # idempotent

    total, found = routed_dossiers(catalog, frozenset({LAND}), DossierFilter())
    assert total == 2 and [d.summary.code for d in found] == [land2, land]  # newest first
    assert found[0].routed_to == (CENTER, LAND)
    total, _ = routed_dossiers(catalog, frozenset({"999.99.99.H99"}), DossierFilter())
    assert total == 0
    total, found = routed_dossiers(catalog, None, DossierFilter(limit=3, offset=1))
    assert total == 4 and [d.summary.code for d in found] == [birth2, land, births]


def test_filters_narrow_the_list(catalog: Catalog) -> None:
    births, land, birth2, land2 = _dossiers(catalog)
    for code in (births, land, birth2, land2):
        route(catalog, code, [CENTER])
    every = frozenset({CENTER})

    def codes(**wanted) -> list[str]:  # noqa: ANN003
        return [d.summary.code for d in routed_dossiers(catalog, every,
                                                        DossierFilter(**wanted))[1]]

    assert codes(procedure_code="1.003010") == [land2, land]
    assert codes(received_from=date(2026, 11, 11), received_to=date(2026, 11, 11)) == [
        birth2, land]
    change_status(catalog, land, 4)
    assert codes(status=4) == [land]
    assert codes(status=2, procedure_code="1.001193") == [birth2, births]


def test_status_changes_follow_the_national_codes(catalog: Catalog) -> None:
    code, other = _dossiers(catalog)[:2]
    assert change_status(catalog, code, 4) == (2, 4)  # được tiếp nhận → đang xử lý
    assert change_status(catalog, code, 9) == (4, 9)
    with pytest.raises(StorageError, match="từ trạng thái 9 sang 4"):
        change_status(catalog, code, 4)
    with pytest.raises(StorageError, match="sohoa result handover"):
        change_status(catalog, code, 10)  # 10 is the hand-over, with its recipient
    assert catalog.dossier(code).status == 9
    change_status(catalog, other, 3)
    with pytest.raises(StorageError, match="đã kết thúc"):
        change_status(catalog, other, 4)
    assert routes(catalog, code) == ()


def test_routing_rules(tmp_path) -> None:  # noqa: ANN001
    assert RoutingRules().agencies_for("1.001193", CENTER) == [CENTER]
    path = tmp_path / "routing.yaml"
    path.write_text('default: [own]\nprocedures:\n  "1.003010": [own, 000.21.14.H56]\n')
    rules = load_routing(path)
    assert rules.agencies_for("1.003010", CENTER) == [CENTER, LAND]
    assert rules.agencies_for("1.001193", CENTER) == [CENTER]
    path.write_text("default: []\n")
    with pytest.raises(ConfigurationError, match="routing.yaml sai"):
        load_routing(path)
