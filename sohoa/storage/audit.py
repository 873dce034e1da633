"""The append-only audit log: who did what to which dossier, when, and from where.

Each line is written in its own short transaction, so a line is kept even when the work it
describes fails afterwards, and a failed write raises (a document is never handed out
unrecorded). The database refuses UPDATE and DELETE on the table (triggers of migration 0005),
so nothing here offers either.

Actions are dotted names: ``login``, ``login.failed``, ``logout``, ``document.read``,
``document.url``, ``dossier.status``, ``dossier.accept``, ``dossier.correct``,
``dossier.scan``, ``user.create``, ``user.disable``, ``user.enable``, ``user.password``,
``token.issue``, ``token.revoke``, ``access.denied``, ...

**One read per opening.** A browser's PDF viewer fetches a document more than once for one
opening (the navigation, the viewer's own request, range requests, "save"), and an officer
flicking back to a document a minute later has not read anything new. :meth:`AuditLog.
record_read` therefore writes a read only when the same person has no read of the same
object from the same address within :data:`READ_WINDOW` (two minutes); the line it finds
already says who read what, when and from where. Any other person, address or document,
or the same one after the window, is a new line. (Checked and written in one transaction
under a per-process lock; two processes racing may both write: a duplicate, never a gap.)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from sohoa.domain.access import Principal
from sohoa.errors import StorageError
from sohoa.storage.models import AuditEntry, require_aware

if TYPE_CHECKING:
    from sohoa.storage.session import Database

ACTION = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)*")
OUTCOMES = ("ok", "denied", "failed")
NO_ROLE = "-"
"""The role column of a line whose actor is only a name (a failed login)."""
MAX_LIMIT = 1000
READ_WINDOW = timedelta(minutes=2)
"""Reads of one object by one person from one address within this window are one read."""
_READS = threading.Lock()


@dataclass(frozen=True)
class AuditRecord:
    """One audit line as plain data."""

    id: int
    at: datetime
    actor: str
    role: str
    action: str
    outcome: str
    dossier_code: str | None
    target: str | None
    remote_addr: str | None
    detail: dict | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor,
                "role": self.role, "action": self.action, "outcome": self.outcome,
                "dossier_code": self.dossier_code, "target": self.target,
                "remote_addr": self.remote_addr, "detail": self.detail}


class AuditLog:
    """Writes and reads the audit log of the catalog."""

    def __init__(self, catalog: Database) -> None:
        self.catalog = catalog

    def record(self, who: Principal | str, action: str, outcome: str = "ok", *,
               dossier_code: str | None = None, target: str | None = None,
               remote_addr: str | None = None, detail: dict | None = None,
               at: datetime | None = None) -> int:
        """Append one line (its own transaction) and return its id; raises when it cannot."""
        if not ACTION.fullmatch(action) or len(action) > 64:
            raise StorageError(f"Thao tác nhật ký {action!r} phải là tên chữ thường có dấu chấm")
        if outcome not in OUTCOMES:
            raise StorageError(f"Kết quả nhật ký {outcome!r} phải là một trong {OUTCOMES}")
        actor, role = (who.actor, who.role.value) if isinstance(who, Principal) \
            else (str(who), NO_ROLE)
        entry = AuditEntry(at=require_aware(at or datetime.now(UTC)), actor=actor[:128],
                           role=role, action=action, outcome=outcome,
                           dossier_code=dossier_code[:64] if dossier_code else None,
                           target=target[:1024] if target else None,
                           remote_addr=remote_addr[:64] if remote_addr else None,
                           detail=detail or None)
        with self.catalog.write_session() as session:
            session.add(entry)
            session.flush()
            return entry.id

    def record_read(self, who: Principal | str, action: str, *, target: str,
                    dossier_code: str | None = None, remote_addr: str | None = None,
                    detail: dict | None = None, window: timedelta = READ_WINDOW,
                    at: datetime | None = None) -> int:
        """A read of ``target``, written unless the same actor read it from the same address
        within ``window`` (then that line's id is returned): see the module's docstring."""
        at = require_aware(at or datetime.now(UTC))
        actor = who.actor if isinstance(who, Principal) else str(who)
        earlier = (select(AuditEntry.id)
                   .where(AuditEntry.actor == actor[:128], AuditEntry.action == action,
                          AuditEntry.outcome == "ok", AuditEntry.target == target[:1024],
                          AuditEntry.at >= at - window, AuditEntry.at <= at)
                   .order_by(AuditEntry.id.desc()).limit(1))
        if remote_addr is None:
            earlier = earlier.where(AuditEntry.remote_addr.is_(None))
        else:
            earlier = earlier.where(AuditEntry.remote_addr == remote_addr[:64])
        with _READS:
            with self.catalog.read_session() as session:
                found = session.scalar(earlier)
            if found is not None:
                return found
            return self.record(who, action, dossier_code=dossier_code, target=target,
                               remote_addr=remote_addr, detail=detail, at=at)

    def entries(self, dossier: str | None = None, actor: str | None = None,
                action: str | None = None, since: datetime | None = None,
                until: datetime | None = None, limit: int = 200,
                before_id: int | None = None) -> list[AuditRecord]:
        """Lines newest first. ``action`` matches itself and its sub-actions (``login``
        also finds ``login.failed``), ``actor`` also the lines of its API tokens; ``until``
        is exclusive; page on with ``before_id`` (the last id of the previous page)."""
        query = select(AuditEntry)
        if dossier:
            query = query.where(AuditEntry.dossier_code == dossier)
        if actor:
            query = query.where((AuditEntry.actor == actor)
                                | AuditEntry.actor.startswith(actor + " (token ",
                                                              autoescape=True))
        if action:
            query = query.where((AuditEntry.action == action)
                                | AuditEntry.action.startswith(action + ".", autoescape=True))
        if since is not None:
            query = query.where(AuditEntry.at >= require_aware(since))
        if until is not None:
            query = query.where(AuditEntry.at < require_aware(until))
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        query = query.order_by(AuditEntry.id.desc()).limit(max(1, min(limit, MAX_LIMIT)))
        with self.catalog.read_session() as session:
            return [audit_record(row) for row in session.scalars(query)]


def audit_record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.role, row.action, row.outcome,
                       row.dossier_code, row.target, row.remote_addr, row.detail)

