"""Fixtures for the storage layer: one per backend, as dramatiq does (``catalog``,
``catalog_url`` and ``postgres_url`` live in :mod:`tests.helpers`, shared by every package)."""
