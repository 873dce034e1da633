"""Fixtures for the storage layer: one per backend, as dramatiq does (``catalog_url`` and
``postgres_url`` live in :mod:`tests.helpers`, shared by every package)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[Catalog]:
    """A migrated catalog on each backend (no search indexer: storage alone)."""
    migrate(catalog_url)
    engine = make_engine(catalog_url)
    yield Catalog(engine)
    engine.dispose()
