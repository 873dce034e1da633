"""Fixtures for the scanner bridge: SANE's virtual ``test`` backend and an eSCL scanner.

Both run for real: ``scanimage`` (Debian sane-utils) with a private ``SANE_CONFIG_DIR``, and
sane-airscan talking HTTP to :mod:`tests.helpers.escl_server` on a free port of 127.0.0.1.
Missing programs skip the tests locally and fail them under CI=true.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path

import pytest

from sohoa.scanner_bridge.sane import SaneSettings
from tests.helpers.escl_server import EsclScanner, EsclServer
from tests.support import require_program, unavailable

AIRSCAN_LIBS = ("/usr/lib/*/sane/libsane-airscan.so*", "/usr/lib/sane/libsane-airscan.so*",
                "/usr/local/lib/sane/libsane-airscan.so*")


@pytest.fixture(scope="session")
def scanimage() -> str:
    return require_program("scanimage")


@pytest.fixture
def sane_test(tmp_path: Path, scanimage: str) -> SaneSettings:
    """Settings whose SANE configuration loads only the virtual ``test`` backend (test:0/1)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    return SaneSettings(config_dir=config, scanimage=scanimage, timeout_s=60)


@pytest.fixture(scope="session")
def airscan_backend(scanimage: str) -> None:
    if not any(glob.glob(pattern) for pattern in AIRSCAN_LIBS):
        unavailable("SANE airscan backend (Debian package sane-airscan) is not installed")


@pytest.fixture
def escl_server(airscan_backend: None) -> Iterator[EsclServer]:
    """An eSCL scanner with 3 sheets in its feeder; tests change ``.scanner`` as needed."""
    with EsclServer(EsclScanner(sheets=3)) as server:
        yield server
