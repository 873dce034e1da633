"""The packaged Alembic migrations, on a fresh SQLite file and on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from sohoa.storage import db
from sohoa.storage.models import Base

HEAD = ScriptDirectory.from_config(db.alembic_config()).get_current_head()

TABLES = {
    "alembic_version", "dossiers", "dossier_sequences", "raw_scans", "documents", "pages",
    "batches", "dossier_routes", "users", "api_tokens", "audit_log", "search_pages",
    "procedure_imports", "national_procedures", "procedure_corrections", "archive_transfers",
    "portal_outbox", "dossier_results", "dossier_handovers", "citizen_papers", "paper_reuses",
}
SEARCH_INDEX = "search_pages"
"""The full-text index (0006): an FTS5 virtual table on SQLite (with its shadow tables
search_pages_data, _idx, ...), a table of tsvectors on PostgreSQL; not an ORM model."""


def _not_search_index(name: str | None, type_: str, parent_names: dict) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX))


def _schema_drift(url: str) -> list:
    """Differences between the migrated schema and the ORM models (empty when in sync)."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _not_search_index})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _migrated_state(url: str) -> tuple[set[str], str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            names = set(inspect(conn).get_table_names())
            return {n for n in names if not n.startswith(f"{SEARCH_INDEX}_")}, version
    finally:
        engine.dispose()


def test_migrations_are_packaged_without_an_ini_file() -> None:
    assert (db.MIGRATIONS_DIR / "env.py").is_file()
    assert (db.MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()
    assert not list(db.MIGRATIONS_DIR.glob("*.ini"))


def test_migrate_creates_a_fresh_sqlite_file_and_its_folder(sqlite_url: str) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert not path.parent.exists()
    db.migrate(sqlite_url)
    assert path.is_file()
    assert _migrated_state(sqlite_url) == (TABLES, HEAD)
    db.migrate(sqlite_url)  # idempotent
    assert _migrated_state(sqlite_url) == (TABLES, HEAD)
    assert _schema_drift(sqlite_url) == []


def test_sqlite_connections_get_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    db.migrate(sqlite_url)
    engine = db.make_engine(sqlite_url)
    with engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    engine.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30000,
        "synchronous": 2,
    }


def test_migrate_accepts_an_engine_and_leaves_it_usable(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    db.migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dossiers")).scalar_one() == 0
    engine.dispose()


def test_migrations_run_on_postgresql(postgres_url: str) -> None:
    db.migrate(postgres_url)
    db.migrate(postgres_url)
    assert _migrated_state(postgres_url) == (TABLES, HEAD)
    assert _schema_drift(postgres_url) == []
    engine = db.make_engine(postgres_url)
    with engine.connect() as conn:
        column = conn.execute(
            text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'dossiers' AND column_name = 'received_at'"
            )
        ).scalar_one()
    engine.dispose()
    assert column == "timestamp with time zone"


def test_downgrade_to_base_and_up_again(catalog_url: str) -> None:
    from alembic import command

    db.migrate(catalog_url)
    engine = db.make_engine(catalog_url)
    config = db.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    db.migrate(catalog_url)
    assert _migrated_state(catalog_url) == (TABLES, HEAD)


def _migrate_after(url: str, barrier) -> None:  # noqa: ANN001
    barrier.wait()
    db.migrate(url)


def test_workers_starting_together_may_all_migrate(catalog_url: str) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    workers = [ctx.Process(target=_migrate_after, args=(catalog_url, barrier)) for _ in "abc"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert _migrated_state(catalog_url) == (TABLES, HEAD)


def test_the_audit_log_refuses_changes_and_deletions(catalog_url: str) -> None:
    """Append-only in the database itself: even a direct SQL session cannot rewrite it."""
    import sqlalchemy.exc

    db.migrate(catalog_url)
    engine = db.make_engine(catalog_url)
    insert = text("INSERT INTO audit_log (at, actor, role, action, outcome) "
                  "VALUES (CURRENT_TIMESTAMP, 'an', 'agency', 'document.read', 'ok')")
    with engine.begin() as conn:
        conn.execute(insert)
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), \
                engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["an"]
    engine.dispose()


def test_the_database_keeps_documents_under_retention(catalog_url: str) -> None:
    """Even SQL sent around sohoa cannot delete a retained document, directly or through
    its dossier; one whose retention has ended can go."""
    import sqlalchemy.exc

    db.migrate(catalog_url)
    engine = db.make_engine(catalog_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO dossiers (id, code, procedure_code, agency_code, status, received_at,"
            " created_at) VALUES (1, 'X-1', '1.001193', 'A', 2, CURRENT_TIMESTAMP,"
            " CURRENT_TIMESTAMP)"))
        for ordinal, until in ((1, None), (2, "2999-01-01 00:00:00"),
                               (3, "2001-01-01 00:00:00")):
            conn.execute(text(
                "INSERT INTO documents (dossier_id, ordinal, doc_type, title, object_key,"
                " sha256, page_count, retain_until) VALUES (1, :n, 'khac', 't', :key, 'h', 1,"
                " :until)"), {"n": ordinal, "key": f"k{ordinal}", "until": until})
    for statement in ("DELETE FROM documents WHERE ordinal = 1",
                      "DELETE FROM documents WHERE ordinal = 2",
                      "DELETE FROM dossiers WHERE id = 1"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="under retention"), \
                engine.begin() as conn:
            conn.execute(text(statement))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE ordinal = 3"))  # its time is over
        left = conn.execute(text("SELECT ordinal FROM documents ORDER BY ordinal")).scalars()
        assert list(left) == [1, 2]
    engine.dispose()
