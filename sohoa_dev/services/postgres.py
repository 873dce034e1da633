"""A throwaway PostgreSQL database on the machine's server (127.0.0.1:5432, trust auth, user
postgres; ``scripts/ensure-services.sh`` starts it when absent), for tests and benchmarks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
"""Where databases are created and dropped from (the ``test`` database always exists)."""


def admin_engine(timeout_s: int = 3):  # noqa: ANN201 - an SQLAlchemy Engine
    """An AUTOCOMMIT engine on the admin database; raises when the server does not answer."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": timeout_s})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        engine.dispose()
        raise
    return engine


@contextmanager
def fresh_database(prefix: str = "sohoa_test") -> Iterator[str]:
    """URL of a new, empty database, dropped (connections and all) when the block ends."""
    from sqlalchemy import text

    admin = admin_engine()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
