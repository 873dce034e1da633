"""A catalog that indexes what it records, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sohoa.search.index import index_document_pages
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate


@contextmanager
def indexed_catalog(url: str) -> Iterator[Catalog]:
    """A migrated catalog at ``url`` whose documents are indexed when recorded."""
    migrate(url)
    engine = make_engine(url)
    try:
        yield Catalog(engine, indexer=index_document_pages)
    finally:
        engine.dispose()


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[Catalog]:
    """An indexing catalog on each backend."""
    with indexed_catalog(catalog_url) as catalog:
        yield catalog
