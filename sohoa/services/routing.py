"""Routing by hand (``sohoa route CODE --agency …``): only to an agency this deployment
knows, and only once the counter has received the dossier (docs/domain.md)."""

from __future__ import annotations

from collections.abc import Iterable

from sohoa.domain.routing import load_routing
from sohoa.errors import StorageError, UsageError
from sohoa.settings import Settings
from sohoa.storage import routing
from sohoa.storage.accounts import Accounts
from sohoa.storage.session import Database


def configured_agencies(catalog: Database, settings: Settings) -> set[str]:
    """The receiving agency, the agencies the routing rules name (``SOHOA_ROUTING``), and
    those an agency account acts for: a code elsewhere is a typing slip."""
    accounts = {code for user in Accounts(catalog).users() for code in user.agency_codes}
    return load_routing(settings.routing_path).agencies(settings.agency_code) | accounts


def check_agencies(catalog: Database, settings: Settings, agencies: Iterable[str]) -> None:
    known = configured_agencies(catalog, settings)
    if unknown := sorted({a.strip() for a in agencies} - known):
        raise UsageError(
            f"Cơ quan {', '.join(unknown)} chưa được cấu hình (không có trong quy tắc định "
            f"tuyến SOHOA_ROUTING, không phải cơ quan tiếp nhận, không có tài khoản cơ quan "
            f"nào); các cơ quan đã cấu hình: {', '.join(sorted(known))}")


def route_by_hand(catalog: Database, code: str, agencies: Iterable[str]) -> tuple[str, ...]:
    """Route a received dossier to ``agencies`` (checked with :func:`check_agencies`)."""
    status = catalog.dossier_status(code)
    if int(status) in routing.NOT_RECEIVED:
        raise StorageError(f"Hồ sơ {code} ở trạng thái {int(status)} ({status.label}): "
                           "chưa được tiếp nhận nên không chuyển tới cơ quan nào")
    return routing.route(catalog, code, agencies)


