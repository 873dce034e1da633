"""A catalog that indexes what it records, on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sohoa.search.index import index_document_pages
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[Catalog]:
    """A migrated catalog on each backend whose documents are indexed when recorded."""
    migrate(catalog_url)
    engine = make_engine(catalog_url)
    yield Catalog(engine, indexer=index_document_pages)
    engine.dispose()
