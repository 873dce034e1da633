"""Fixtures for the storage layer: one per backend, as dramatiq does.

PostgreSQL is the real server on 127.0.0.1:5432 (trust auth, user postgres, database
"test"); each test gets a throwaway database that is dropped afterwards. When the server or
the psycopg driver is missing the test is skipped locally and fails under CI=true.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import unavailable

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _admin_engine():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg (v3) is not installed")
    from sqlalchemy import create_engine, text

    engine = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "no server here"
        engine.dispose()
        unavailable(f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc.__class__.__name__}")
    return engine


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import text

    admin = _admin_engine()
    name = f"sohoa_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a catalog file in a folder that does not exist yet."""
    return f"sqlite:///{tmp_path / 'data' / 'catalog.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest) -> str:
    """Each catalog test runs on both backends."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)
