"""The unit of work every catalog service shares: one engine, short transactions, and the
database's failures turned into typed errors in one place.

:class:`Database` is what :class:`~sohoa.storage.catalog.Catalog`,
:class:`~sohoa.storage.batches.BatchLedger`, :class:`~sohoa.storage.accounts.Accounts`,
:class:`~sohoa.storage.audit.AuditLog`, :mod:`~sohoa.storage.routing`,
:mod:`~sohoa.storage.inventory` and the search index (:mod:`sohoa.search.index`) open their
sessions from. Sessions and ORM rows stay inside those services: what they return are the
plain records of :mod:`sohoa.storage.records`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from sohoa.errors import DatabaseUnavailableError, StorageError

UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError)
"""What SQLAlchemy raises when the database does not answer (server down, disk gone)."""


class Database:
    """The catalog database: each ``with`` block of a session is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A write transaction; SQLite takes the write lock at BEGIN, so no upgrade deadlock.
        A constraint the change breaks is a :class:`StorageError`; a database that does not
        answer, :class:`DatabaseUnavailableError` (nothing was committed)."""
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
        except sa_exc.IntegrityError as exc:
            raise StorageError(f"Danh mục từ chối thay đổi: {exc.orig}") from exc
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read transaction (same errors as :meth:`write_session`)."""
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc


def unavailable(exc: sa_exc.DBAPIError) -> DatabaseUnavailableError:
    """A database that does not answer (server down, disk gone): nothing was committed."""
    return DatabaseUnavailableError(
        f"Không kết nối được cơ sở dữ liệu danh mục (catalog database unavailable): "
        f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}")
