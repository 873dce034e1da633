"""Catalog databases for tests: a fresh SQLite file, or each backend in turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a catalog file in a folder that does not exist yet."""
    return f"sqlite:///{tmp_path / 'data' / 'catalog.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_url(request: pytest.FixtureRequest) -> str:
    """Each catalog test runs on both backends."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[Catalog]:
    """A migrated catalog on each backend (no search indexer: storage alone)."""
    migrate(catalog_url)
    engine = make_engine(catalog_url)
    yield Catalog(engine)
    engine.dispose()
