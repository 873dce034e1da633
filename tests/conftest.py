"""Shared fixtures: real programs are required; absent ones skip locally, fail in CI."""

from __future__ import annotations

import os

import pytest

from tests.helpers.catalogs import catalog, catalog_url, sqlite_url  # noqa: F401 - fixtures
from tests.helpers.postgres import postgres_url  # noqa: F401 - fixture
from tests.helpers.seaweed import s3_server, s3_settings, s3_store  # noqa: F401 - S3 fixtures
from tests.helpers.services import (  # noqa: F401 - fixtures
    rabbitmq_url,
    redis_namespace,
    redis_server,
    redis_url,
)
from tests.support import require_program, unavailable


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_tesseract() -> None:
    """Tesseract's OpenMP threads fight each other on 2 cores; one per process is fastest."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def tesseract_vie() -> str:
    """The tesseract program with the Vietnamese model installed."""
    from sohoa.pipeline import tesseract

    path = require_program("tesseract")
    if "vie" not in tesseract.languages(path):
        unavailable("tesseract has no 'vie' model")
    return path
