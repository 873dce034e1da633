"""Settings of the counter workstation itself: which scanner it scans from, and how.

Frozen, like every settings object; only :func:`CounterSettings.from_env` (called by the
``sohoa serve`` entry point) reads the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sohoa.errors import ConfigurationError
from sohoa.scanner_bridge.sane import SaneSettings, ScanOptions
from sohoa.settings import env_number

SOURCES = ("Flatbed", "ADF", "ADF Duplex")
MODES = ("Color", "Gray", "Lineart")


@dataclass(frozen=True)
class CounterSettings:
    """What the "Quét" button does and how pages are shown."""

    sane: SaneSettings = field(default_factory=SaneSettings)
    """How scanimage runs (``SOHOA_SANE_CONFIG_DIR``: SANE configuration directory)."""

    scanner_device: str | None = None
    """SANE device the counter scans from (``SOHOA_SCANNER_DEVICE``, e.g. ``test:0``,
    ``airscan:e0:Counter 1``); None: no "Quét" button, upload only."""

    scan: ScanOptions = ScanOptions(resolution=300, mode="Gray", source="ADF")
    """Resolution, colour mode and source of a counter scan (``SOHOA_SCAN_RESOLUTION``,
    ``SOHOA_SCAN_MODE``, ``SOHOA_SCAN_SOURCE``). 300 dpi: docs/domain.md."""

    thumbnail_width: int = 200
    """Width in pixels of the page thumbnails on the counter screen."""

    max_upload_files: int = 100
    """Most files one upload may carry."""

    max_request_bytes: int = 2 * 1024**3
    """Largest request body (``SOHOA_MAX_REQUEST_BYTES``): refused with 413 before it fills
    the disk; each file is also held to the per-file limit (``LoadLimits.max_file_bytes``)."""

    secure_cookies: bool = True
    """Session cookies only over HTTPS (``SOHOA_SECURE_COOKIES=0`` for plain-http development
    on localhost; tests run http)."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> CounterSettings:
        env = os.environ if environ is None else environ
        config = env.get("SOHOA_SANE_CONFIG_DIR")
        source = env.get("SOHOA_SCAN_SOURCE", "ADF")
        mode = env.get("SOHOA_SCAN_MODE", "Gray")
        if source not in SOURCES or mode not in MODES:
            raise ConfigurationError(
                f"SOHOA_SCAN_SOURCE phải là {'/'.join(SOURCES)}, SOHOA_SCAN_MODE phải là "
                f"{'/'.join(MODES)} (đang là {source!r}, {mode!r})")
        resolution = env_number(env, "SOHOA_SCAN_RESOLUTION", int, minimum=1) or 300
        return cls(sane=SaneSettings(config_dir=Path(config) if config else None),
                   scanner_device=env.get("SOHOA_SCANNER_DEVICE") or None,
                   scan=ScanOptions(resolution=resolution, mode=mode, source=source),  # type: ignore[arg-type]
                   secure_cookies=env.get("SOHOA_SECURE_COOKIES", "1").lower()
                   not in ("0", "false", "no"),
                   max_request_bytes=env_number(env, "SOHOA_MAX_REQUEST_BYTES", int, minimum=1)
                   or cls.max_request_bytes)
