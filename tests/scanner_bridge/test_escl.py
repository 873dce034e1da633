"""eSCL network scanners through sane-airscan, against the eSCL test server on 127.0.0.1.

The server keeps every image it sent (:attr:`EsclScanner.served`) and every job's settings,
so these tests compare what came out of SANE with what went into it, page by page.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sohoa.errors import ConfigurationError, ScannerError
from sohoa.pipeline.load import load_page
from sohoa.scanner_bridge.escl import airscan_config, escl_device, sane_config_dir_for_escl
from sohoa.scanner_bridge.sane import (
    Device,
    SaneSettings,
    ScanOptions,
    describe_devices,
    device_options,
    list_devices,
    scan,
)
from sohoa.settings import LoadLimits
from tests.helpers.escl_server import EsclServer

A6 = (105.0, 148.0)
NAME = "Quầy 1"


@pytest.fixture
def settings(tmp_path: Path, escl_server: EsclServer, scanimage: str) -> SaneSettings:
    return sane_config_dir_for_escl(tmp_path / "sane.d", {NAME: escl_server.url},
                                    SaneSettings(scanimage=scanimage, timeout_s=30))


@pytest.fixture
def device(settings: SaneSettings) -> Device:
    return escl_device(settings, NAME)


def difference(scanned: Path, served: Image.Image) -> float:
    """Mean absolute grey difference, 0..255 (JPEG round trip leaves a few levels)."""
    a = np.asarray(Image.open(scanned).convert("L"), dtype=np.float32)
    b = np.asarray(served.convert("L"), dtype=np.float32)
    assert a.shape == b.shape
    return float(np.abs(a - b).mean())


def test_airscan_config_lists_devices_without_discovery() -> None:
    text = airscan_config({"Quầy 1": "http://10.0.0.5/eSCL", "Quầy 2": "http://10.0.0.6:80/eSCL"})
    lines = text.splitlines()
    assert lines[lines.index("[devices]") + 1] == '"Quầy 1" = http://10.0.0.5/eSCL, eSCL'
    assert '"Quầy 2" = http://10.0.0.6:80/eSCL, eSCL' in lines
    assert lines[lines.index("[options]") + 1] == "discovery = disable"


@pytest.mark.parametrize(("name", "url"), [
    ('Quầy "1"', "http://10.0.0.5/eSCL"), ("Quầy 1", "10.0.0.5/eSCL"),
    ("Quầy 1", "http://10.0.0.5/eSCL ; x"),
])
def test_airscan_config_refuses_what_would_break_the_file(name: str, url: str) -> None:
    with pytest.raises(ConfigurationError):
        airscan_config({name: url})


def test_config_dir_loads_only_airscan(tmp_path: Path) -> None:
    settings = sane_config_dir_for_escl(tmp_path / "cfg", {"A": "http://127.0.0.1:9/eSCL"})
    assert settings.config_dir == tmp_path / "cfg"
    assert (tmp_path / "cfg" / "dll.conf").read_text() == "airscan\n"
    assert "discovery = disable" in (tmp_path / "cfg" / "airscan.conf").read_text()


def test_list_devices_shows_the_escl_scanner(settings: SaneSettings, device: Device) -> None:
    assert list_devices(settings) == [device]
    assert device.name == f"airscan:e0:{NAME}"
    assert (device.vendor, device.model, device.kind) == ("eSCL", NAME, "ip=127.0.0.1")
    assert "máy quét mạng eSCL" in describe_devices([device])[0]


def test_capabilities_come_through_as_options(settings: SaneSettings, device: Device) -> None:
    offered = device_options(settings, device)
    assert offered.sources == ("Flatbed", "ADF", "ADF Duplex")
    assert offered.resolutions == (150, 300)
    assert offered.modes == ("Color", "Gray")
    assert offered.max_size_mm[0] == pytest.approx(210.0, abs=0.1)


def test_adf_scan_returns_the_served_pages_in_order(settings: SaneSettings, device: Device,
                                                   escl_server: EsclServer,
                                                   tmp_path: Path) -> None:
    result = scan(settings, device, ScanOptions(resolution=150, source="ADF", page_size_mm=A6),
                  tmp_path / "out")
    served = escl_server.scanner.served
    assert result.complete and len(result.pages) == 3 == len(served)
    job = escl_server.scanner.job_settings[0]
    assert (job.source, job.color_mode, job.resolution, job.duplex) == (
        "Feeder", "Grayscale8", 150, False)
    assert (job.width_300ths, job.height_300ths) == (1240, 1748)  # A6 in 1/300 inch
    for i, page in enumerate(result.pages):
        own = difference(page, served[i].image)
        others = [difference(page, s.image) for j, s in enumerate(served) if j != i]
        assert own < 3 < min(others), (i, own, others)
    # What intake's loader sees: the scan area at the requested resolution.
    raster = load_page(result.pages[0], 0, LoadLimits())
    assert raster.dpi == pytest.approx(150, abs=0.05)
    assert raster.pixels.shape == (874, 620)


def test_flatbed_scans_one_colour_page(settings: SaneSettings, device: Device,
                                       escl_server: EsclServer, tmp_path: Path) -> None:
    result = scan(settings, device, ScanOptions(resolution=150, mode="Color",
                                                page_size_mm=A6), tmp_path / "out")
    assert len(result.pages) == 1 and result.complete
    job = escl_server.scanner.job_settings[0]
    assert (job.source, job.color_mode) == ("Platen", "RGB24")
    assert escl_server.scanner.sheets == 3  # the feeder was not touched
    pixels = np.asarray(Image.open(result.pages[0]))
    assert pixels.ndim == 3
    red, green = pixels[5, 300, 0], pixels[5, 300, 1]  # the red band at the top
    assert red > 180 and green < 80
    assert difference(result.pages[0], escl_server.scanner.served[0].image) < 3


def test_duplex_gives_front_and_back_of_each_sheet(settings: SaneSettings, device: Device,
                                                   escl_server: EsclServer,
                                                   tmp_path: Path) -> None:
    escl_server.scanner.sheets = 2
    result = scan(settings, device, ScanOptions(resolution=150, source="ADF Duplex",
                                                page_size_mm=A6), tmp_path / "out")
    served = escl_server.scanner.served
    assert [s.side for s in served] == ["front", "back", "front", "back"]
    assert escl_server.scanner.job_settings[0].duplex
    assert len(result.pages) == 4 and result.complete
    for page, image in zip(result.pages, (s.image for s in served), strict=True):
        assert difference(page, image) < 3


def test_jam_keeps_the_pages_already_scanned(settings: SaneSettings, device: Device,
                                             escl_server: EsclServer, tmp_path: Path) -> None:
    escl_server.scanner.jam_after = 2
    result = scan(settings, device, ScanOptions(resolution=150, source="ADF",
                                                page_size_mm=A6), tmp_path / "out")
    assert [p.name for p in result.pages] == ["page-0001.png", "page-0002.png"]
    assert result.error is not None and result.error.reason == "jammed"
    assert "Kẹt giấy" in str(result.error)


def test_timeout_keeps_the_pages_already_scanned(settings: SaneSettings, device: Device,
                                                 escl_server: EsclServer,
                                                 tmp_path: Path) -> None:
    escl_server.scanner.hang_after = 1  # then silent for 60 s
    # The first page takes a fraction of a second on an idle machine; the timeout must not
    # fire before it is written on a busy one (issue 12), so it is generous rather than short.
    hurried = SaneSettings(settings.config_dir, settings.scanimage, timeout_s=10)
    result = scan(hurried, device, ScanOptions(resolution=150, source="ADF", page_size_mm=A6),
                  tmp_path / "out")
    assert [p.name for p in result.pages] == ["page-0001.png"]
    assert result.error is not None and result.error.reason == "timeout"
    assert difference(result.pages[0], escl_server.scanner.served[0].image) < 3


def test_empty_feeder_is_an_error(settings: SaneSettings, device: Device,
                                  escl_server: EsclServer, tmp_path: Path) -> None:
    escl_server.scanner.sheets = 0
    with pytest.raises(ScannerError) as err:
        scan(settings, device, ScanOptions(resolution=150, source="ADF"), tmp_path / "out")
    assert err.value.reason == "feeder-empty"
    assert "Khay nạp giấy trống" in str(err.value)


def test_unsupported_settings_name_what_the_scanner_offers(settings: SaneSettings,
                                                           device: Device,
                                                           tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as err:
        scan(settings, device, ScanOptions(resolution=200), tmp_path / "out")
    assert err.value.reason == "unsupported" and "150, 300 dpi" in str(err.value)
    with pytest.raises(ScannerError) as err:
        scan(settings, device, ScanOptions(resolution=150, mode="Lineart"), tmp_path / "out")
    assert "Color, Gray" in str(err.value)


def test_unknown_escl_scanner(settings: SaneSettings) -> None:
    with pytest.raises(ScannerError) as err:
        escl_device(settings, "Quầy 9")
    assert err.value.reason == "no-device"
