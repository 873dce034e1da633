"""Network scanners speaking eSCL (AirScan), reached through SANE's ``airscan`` backend.

eSCL is HTTP + XML; rather than a second client, the bridge writes a SANE configuration
directory that loads only sane-airscan with the counter's scanners listed by URL, and then
uses :mod:`sohoa.scanner_bridge.sane` as for any other scanner (the devices appear as
``airscan:eN:<Name>``, see :func:`escl_device`). Automatic discovery (DNS-SD, WS-Discovery)
is switched off: a counter scans from the machines its configuration names, listing is
instant, and nothing multicasts.

Configuration syntax from sane-airscan's ``airscan.conf`` (``[devices]`` ``"Name" = URL,
eSCL``; ``[options]`` ``discovery = disable``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from sohoa.errors import ConfigurationError, ScannerError
from sohoa.scanner_bridge.sane import Device, SaneSettings, list_devices


def airscan_config(devices: Mapping[str, str]) -> str:
    """``airscan.conf`` text listing ``devices`` (name → eSCL base URL, e.g.
    ``http://192.168.1.20/eSCL``) with discovery disabled."""
    lines = ["# Written by sohoa: the counter's eSCL scanners, no network discovery.",
             "[devices]"]
    for name, url in devices.items():
        _check(name, url)
        lines.append(f'"{name}" = {url}, eSCL')
    lines += ["", "[options]", "discovery = disable", ""]
    return "\n".join(lines)


def sane_config_dir_for_escl(directory: Path, devices: Mapping[str, str],
                             base: SaneSettings | None = None) -> SaneSettings:
    """Write ``dll.conf`` (airscan only) and ``airscan.conf`` into ``directory``; the returned
    settings point scanimage at it. ``base`` supplies the program and timeout to keep."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dll.conf").write_text("airscan\n", encoding="utf-8")
    (directory / "airscan.conf").write_text(airscan_config(devices), encoding="utf-8")
    base = base or SaneSettings()
    return SaneSettings(config_dir=directory, scanimage=base.scanimage, timeout_s=base.timeout_s)


def escl_device(settings: SaneSettings, name: str) -> Device:
    """The SANE device sane-airscan made for the scanner configured as ``name``. Its SANE name
    is ``airscan:eN:<name>`` with N the position in the configuration, so look it up rather
    than build it."""
    for device in list_devices(settings):
        if device.name.startswith("airscan:") and device.name.split(":", 2)[2] == name:
            return device
    raise ScannerError(f"Máy quét mạng {name} không trả lời hoặc không có trong cấu hình "
                       f"[no such eSCL device]", "no-device")


def _check(name: str, url: str) -> None:
    """Names and URLs go into an INI-like file: refuse what would break its syntax."""
    if not name or any(c in name for c in '"\n\r;='):
        raise ConfigurationError(f"Tên máy quét không hợp lệ: {name!r} "
                                 f"(không được chứa dấu ngoặc kép, ';', '=' hay xuống dòng)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(
            c in url for c in " \n\r;,"):
        raise ConfigurationError(f"Địa chỉ eSCL không hợp lệ cho {name}: {url!r} "
                                 f"(cần dạng http://ĐỊA-CHỈ:CỔNG/eSCL)")
