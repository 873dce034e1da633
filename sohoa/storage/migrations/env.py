"""Alembic environment: runs on the connection :func:`sohoa.storage.db.migrate` hands over.

Configured in code (no alembic.ini): ``config.attributes["connection"]`` carries an open
connection; with only a ``sqlalchemy.url`` option set (the alembic CLI, for authoring new
revisions), an engine is made from it with the same pragmas as the application.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sohoa.storage.db import make_engine
from sohoa.storage.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("Offline (SQL script) migrations are not supported; run sohoa's migrate().")
run_migrations()
