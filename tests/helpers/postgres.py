"""PostgreSQL for tests: each test gets a throwaway database on the real server
(:mod:`sohoa_dev.services.postgres`), dropped afterwards. When the server or the psycopg driver
is missing the test is skipped locally and fails under CI=true.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sohoa_dev.services.postgres import admin_engine, fresh_database
from tests.support import unavailable


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg (v3) is not installed")
    try:
        admin_engine().dispose()
    except Exception as exc:  # any failure means "no server here"
        unavailable(f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc.__class__.__name__}")
    with fresh_database() as url:
        yield url
