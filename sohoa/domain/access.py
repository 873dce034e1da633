"""Who is asking: roles and the principal every protected route and command works with.

Four kinds of people: a **clerk** of a one-stop center works the counter; an
**agency** account (a person or an agency's system through an API token) is bound to one or
more agency codes and sees only the dossiers routed to them; an **archivist** searches and
reads everything, changes nothing; an **admin** manages accounts and reads the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    AGENCY = "agency"
    ARCHIVIST = "archivist"
    ADMIN = "admin"


API_ROLES = frozenset({Role.AGENCY, Role.ARCHIVIST, Role.ADMIN})
"""Roles the JSON API (/api/v1) answers: an API token only makes sense for them."""

ROLE_NAMES = {
    Role.CLERK: "Cán bộ tiếp nhận",
    Role.AGENCY: "Cơ quan giải quyết",
    Role.ARCHIVIST: "Lưu trữ viên",
    Role.ADMIN: "Quản trị",
}


@dataclass(frozen=True)
class Principal:
    """An authenticated user (or API token acting for one), as plain data.

    ``via`` says how they proved it ("session", "token", "cli"); ``token_id`` names the API
    token for the audit log.
    """

    username: str
    role: Role
    agency_codes: frozenset[str] = field(default_factory=frozenset)
    via: str = "session"
    token_id: int | None = None

    @property
    def actor(self) -> str:
        """How the audit log names them."""
        return f"{self.username} (token {self.token_id})" if self.token_id else self.username

    def sees_everything(self) -> bool:
        return self.role in (Role.ARCHIVIST, Role.ADMIN)

    def may_read(self, routed_to: Iterable[str]) -> bool:
        """May this principal read a dossier routed to the agencies ``routed_to``?"""
        if self.sees_everything() or self.role is Role.CLERK:
            return True
        return bool(self.agency_codes & set(routed_to))


SYSTEM = Principal("system", Role.ADMIN, via="cli")
"""Commands run by the operator on the server itself (``sohoa scrub`` …)."""
