"""PostgreSQL for tests: the real server on 127.0.0.1:5432 (trust auth, user postgres,
database "test", started by scripts/ensure-services.sh when absent). Each test gets a
throwaway database that is dropped afterwards. When the server or the psycopg driver is
missing the test is skipped locally and fails under CI=true.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

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
