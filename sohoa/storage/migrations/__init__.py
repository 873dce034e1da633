"""Alembic migrations of the catalog, shipped inside the package (see ``db.migrate``)."""
