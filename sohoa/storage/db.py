"""Catalog database engines and migrations, for SQLite (embedded) and PostgreSQL (scale).

SQLite connections get the pragmas a multi-process catalog needs: WAL (readers never block
the writer), foreign keys (off by default in SQLite!), a busy timeout (a second worker waits
for the lock instead of failing), and ``synchronous=FULL`` because a committed dossier code
is printed on a receipt and must survive a power cut. pysqlite's own transaction handling is
switched off so SQLAlchemy's BEGIN / SAVEPOINT work as written; a connection can ask for
``BEGIN IMMEDIATE`` (take the write lock up front) with the execution option
``sqlite_begin="IMMEDIATE"``.

Migrations are Alembic scripts shipped inside the package (``migrations/``), configured in
code, so ``migrate(url)`` works from an installed wheel with no ``alembic.ini`` around.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from sohoa.errors import DatabaseUnavailableError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another process's write lock before giving up."""
CONNECT_TIMEOUT_S = 5
"""How long a PostgreSQL connection attempt may take before the catalog counts as down."""
MIGRATION_LOCK = 7_464_321_001  # any fixed bigint; the same in every sohoa process
"""PostgreSQL advisory lock key held while migrating."""


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
    cursor = dbapi_connection.cursor()
    for pragma in (  # the timeout first: switching a new file to WAL waits for the lock too
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "journal_mode=WAL",
        "foreign_keys=ON",
        "synchronous=FULL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Engine for the catalog at ``url``; SQLite files get their folder and pragmas."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        if url.get_backend_name() == "postgresql":
            # a server that is down must fail the intake in seconds, not hang the counter
            kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_S})
        return create_engine(url, **kwargs)
    if _is_memory(url):
        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    else:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _lock_migrations(connection: Connection) -> None:
    """Serialise concurrent migrate() calls (every worker runs it at start-up).

    SQLite already holds the write lock (BEGIN IMMEDIATE); PostgreSQL takes a transaction
    advisory lock, so the second caller waits, then finds the schema at head.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def migrate(url_or_engine: str | URL | Engine, revision: str = "head") -> None:
    """Bring the catalog schema up to ``revision``; running it again changes nothing."""
    engine = url_or_engine if isinstance(url_or_engine, Engine) else make_engine(url_or_engine)
    config = alembic_config()
    try:
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
            _lock_migrations(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
        raise DatabaseUnavailableError(
            "Không kết nối được cơ sở dữ liệu danh mục (catalog database unavailable): "
            f"{engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}") from exc
    finally:
        if engine is not url_or_engine:
            engine.dispose()
