"""Fixtures for whole deployments: A4 scans, a private S3 server, a stack per broker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa_dev.services.brokers import RedisServer
from sohoa_dev.services.seaweed import SeaweedServer
from sohoa_dev.synth import Scan, make_page, save_scan
from tests.helpers.seaweed import fresh_bucket_name, started_server
from tests.support import SERVICE_START_S, unavailable
from tests.workers.stack import Stack


@pytest.fixture(scope="session")
def a4_scans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three A4 pages at 300 dpi (~1.5 s of OCR each: long enough to be caught mid-OCR)."""
    folder = tmp_path_factory.mktemp("a4")
    titles = ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH", None)
    return [save_scan(make_page(90 + n, Scan(dpi=300, skew=0.8), sentences=10, title=t),
                      folder / f"a4-{n}.png") for n, t in enumerate(titles)]


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """A private S3 server for deployments: fault tests stop and restart it."""
    try:
        server = started_server(tmp_path_factory.mktemp("seaweed"))
    except (FileNotFoundError, RuntimeError) as exc:
        unavailable(f"SeaweedFS cannot be started: {exc}")
    yield server
    server.close()


def _stack(tmp_path: Path, postgres_url: str, broker_url: str,
           seaweed: SeaweedServer) -> Iterator[Stack]:
    if not seaweed.running:
        seaweed.start(timeout=SERVICE_START_S)
    env = {
        "SOHOA_DATA_DIR": str(tmp_path / "data"),
        "SOHOA_DATABASE_URL": postgres_url,
        "SOHOA_BROKER_URL": broker_url,
        "SOHOA_BROKER_NAMESPACE": f"sohoa-{uuid.uuid4().hex[:8]}",
        "SOHOA_S3_ENDPOINT": seaweed.endpoint,
        "SOHOA_S3_ACCESS_KEY": seaweed.access_key,
        "SOHOA_S3_SECRET_KEY": seaweed.secret_key,
        "SOHOA_S3_BUCKET": fresh_bucket_name(),
        "SOHOA_MIN_BACKOFF_S": "1",
        "SOHOA_MAX_BACKOFF_S": "5",
        "OMP_THREAD_LIMIT": "1",
    }
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_AGENCY"):
        os.environ.pop(name, None)
    built = Stack(tmp_path, env)
    yield built
    built.close()


@pytest.fixture
def stack(tmp_path: Path, postgres_url: str, redis_server: RedisServer, seaweed: SeaweedServer,
          tesseract_vie: str) -> Iterator[Stack]:
    """A deployment on a private Redis (fault tests restart it), PostgreSQL and S3."""
    yield from _stack(tmp_path, postgres_url, redis_server.url, seaweed)


@pytest.fixture
def rabbitmq_stack(tmp_path: Path, postgres_url: str, rabbitmq_url: str,
                   seaweed: SeaweedServer, tesseract_vie: str) -> Iterator[Stack]:
    """A deployment on RabbitMQ (its queues are named after a fresh namespace)."""
    yield from _stack(tmp_path, postgres_url, rabbitmq_url, seaweed)
