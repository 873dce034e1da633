"""Retention in the catalog and the stores: the lock a document gets, and the guard that
keeps its catalog row until the lock ends.

A signed document is stored with an :class:`~sohoa.storage.objects.ObjectLock` computed from
the retention rules (:mod:`sohoa.domain.retention`), and its catalog row records the same
end (``Document.retain_until``; None = permanent). The object stores refuse to delete a
locked object (S3 servers themselves); this module makes the catalog refuse to lose the row:
every DELETE reaching the catalog's engine that would remove a ``documents`` row under
retention — directly, or through the ``ON DELETE CASCADE`` of its dossier — is refused with
:class:`~sohoa.errors.RetentionError` before it runs. It watches the statements SQLAlchemy
sends (ORM flushes and bulk deletes alike), and answers with a clear typed error; behind it,
a database trigger (migration 0007) refuses the same deletes from any SQL at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Delete, Engine, event, func, or_, select

from sohoa.domain.retention import Retention, load_retention, retain_until
from sohoa.errors import RetentionError
from sohoa.storage.models import Document, Dossier
from sohoa.storage.objects import ObjectLock

_DOCUMENTS = Document.__table__
_DOSSIERS = Dossier.__table__


def document_lock(rules_path: Path | None, procedure_code: str | None, doc_type: str | None,
                  signed_at: datetime) -> ObjectLock:
    """The lock of a document signed at ``signed_at``: until its retention ends, or — when
    permanent — a legal hold plus ``permanent_lock_years`` of retention."""
    rules = load_retention(rules_path)
    return lock_for(rules.retention_for(procedure_code, doc_type), signed_at,
                    rules.permanent_lock_years)


def lock_for(retention: Retention, signed_at: datetime, permanent_years: int) -> ObjectLock:
    until = retain_until(retention, signed_at)
    if until is not None:
        return ObjectLock(until)
    longest = retain_until(Retention(permanent_years, retention.source), signed_at)
    return ObjectLock(longest, permanent=True)  # type: ignore[arg-type] - years given


# --- the catalog guard ---------------------------------------------------------------------


def install_deletion_guard(engine: Engine) -> None:
    """Refuse, on ``engine``, deletes that would drop a document row under retention
    (idempotent: one listener per engine)."""
    if not event.contains(engine, "before_execute", _before_execute):
        event.listen(engine, "before_execute", _before_execute)


def _before_execute(conn: Any, statement: Any, multiparams: Any, params: Any,
                    _options: Any) -> None:
    if not isinstance(statement, Delete):
        return
    table = getattr(statement.table, "name", None)
    if table not in (_DOCUMENTS.name, _DOSSIERS.name):
        return
    query = select(func.count()).select_from(
        _DOCUMENTS if table == _DOCUMENTS.name
        else _DOCUMENTS.join(_DOSSIERS, _DOCUMENTS.c.dossier_id == _DOSSIERS.c.id))
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    query = query.where(or_(_DOCUMENTS.c.retain_until.is_(None),
                            _DOCUMENTS.c.retain_until > datetime.now(UTC)))
    for bound in _parameter_sets(multiparams, params):
        kept = conn.execute(query, bound).scalar_one()
        if kept:
            raise RetentionError(
                f"Không được xóa: {kept} tài liệu còn trong thời hạn lưu trữ (danh mục giữ "
                "tài liệu đến hết thời hạn; tài liệu hộ tịch, đất đai lưu vĩnh viễn).")


def _parameter_sets(multiparams: Any, params: Any) -> list[dict]:
    """The parameter dictionaries a statement runs with (one per row of an executemany)."""
    if multiparams:
        first = multiparams[0]
        if isinstance(first, list | tuple):
            return [dict(p) for p in first] or [{}]
        return [dict(p) for p in multiparams]
    return [dict(params or {})]
