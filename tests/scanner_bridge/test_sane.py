"""scanimage wrapper against SANE's virtual ``test`` backend (test:0, test:1).

The test backend's facts these tests rely on (sane-backends 1.1.1, no test.conf): sources
"Flatbed" and "Automatic Document Feeder" (the feeder holds 10 sheets per process), modes
Gray/Color, depth 1/8/16, resolution 1..1200 dpi, scan area at most 200 x 200 mm, and
``--read-return-value`` to make it fail with any SANE status.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sohoa.cli.main import main
from sohoa.errors import ScannerError
from sohoa.scanner_bridge.sane import (
    SaneSettings,
    ScanOptions,
    describe_devices,
    describe_options,
    device_options,
    list_devices,
    scan,
    version,
)

A6 = (105.0, 148.0)
SMALL_MM = (40.0, 40.0)
"""A scan area whose 50 dpi page (~79×79 grey bytes) fits in one pipe buffer: the test
backend's reader then cannot block on a full pipe while scanimage stops reading on an error
status — our suspected cause of a fresh-clone CI run waiting 60 s for SANE_STATUS_NO_DOCS at
200×200 mm (not reproduced in 600 tries here, four at a time)."""


def px(mm: float, dpi: int) -> float:
    return mm / 25.4 * dpi


def assert_page(path: Path, dpi: int, size_mm: tuple[float, float], mode: str) -> None:
    """Pixel size within a pixel of the area at that resolution; dpi recorded; colour mode."""
    with Image.open(path) as img:
        assert img.mode == mode
        assert abs(img.width - px(size_mm[0], dpi)) <= 1
        assert abs(img.height - px(size_mm[1], dpi)) <= 1
        assert img.info["dpi"][0] == pytest.approx(dpi, abs=0.05)


def test_version_probe(scanimage: str) -> None:
    assert re.fullmatch(r"\d+\.\d+(\.\d+)*", version(scanimage))


def test_scanimage_missing_is_a_scanner_error() -> None:
    with pytest.raises(ScannerError) as err:
        list_devices(SaneSettings(scanimage="/nonexistent/scanimage"))
    assert err.value.reason == "missing" and err.value.exit_code == 9
    assert "sane-utils" in str(err.value)


def test_list_devices_finds_the_virtual_scanners(sane_test: SaneSettings) -> None:
    devices = list_devices(sane_test)
    assert [d.name for d in devices] == ["test:0", "test:1"]
    assert {(d.vendor, d.model, d.kind) for d in devices} == {
        ("Noname", "frontend-tester", "virtual device")}
    lines = describe_devices(devices)
    assert lines[0] == "test:0 — Noname frontend-tester (thiết bị ảo)"
    assert describe_devices([])[0].startswith("Không tìm thấy máy quét")


def test_device_options_map_our_names_to_the_devices(sane_test: SaneSettings) -> None:
    offered = device_options(sane_test, "test:0")
    assert offered.sources == ("Flatbed", "Automatic Document Feeder")
    assert offered.source_for("ADF") == "Automatic Document Feeder"
    assert offered.source_for("Flatbed") == "Flatbed"
    assert offered.source_for("ADF Duplex") is None
    assert offered.modes == ("Gray", "Color")
    assert offered.resolution_range == (1.0, 1200.0) and offered.resolutions == ()
    assert offered.supports_resolution(75) and not offered.supports_resolution(1201)
    assert offered.max_size_mm == (200.0, 200.0)
    assert offered.mode_args("Lineart") == ("--mode", "Gray", "--depth", "1")
    assert describe_options(offered)[2] == "Độ phân giải: 1–1200 dpi"


def test_adf_batch_returns_n_pages_in_order(sane_test: SaneSettings, tmp_path: Path) -> None:
    out = tmp_path / "scan"
    options = ScanOptions(resolution=100, mode="Color", source="ADF", page_size_mm=A6,
                          max_pages=4)
    result = scan(sane_test, "test:0", options, out)
    assert result.complete
    assert [p.name for p in result.pages] == [f"page-{n:04d}.png" for n in range(1, 5)]
    for page in result.pages:
        assert_page(page, 100, A6, "RGB")
    # Reloading the feeder and scanning again appends: numbering continues, nothing is replaced.
    again = scan(sane_test, "test:0", ScanOptions(resolution=100, source="ADF",
                                                  page_size_mm=A6, max_pages=2), out)
    assert [p.name for p in again.pages] == ["page-0005.png", "page-0006.png"]
    assert_page(again.pages[0], 100, A6, "L")
    assert len(list(out.iterdir())) == 6


def test_adf_batch_ends_normally_when_the_feeder_runs_out(sane_test: SaneSettings,
                                                          tmp_path: Path) -> None:
    result = scan(sane_test, "test:1", ScanOptions(resolution=50, source="ADF",
                                                   page_size_mm=(50.0, 50.0)), tmp_path)
    assert len(result.pages) == 10  # the test backend's feeder holds 10 sheets
    assert result.error is None


def test_gray_tiff_records_exact_resolution(sane_test: SaneSettings, tmp_path: Path) -> None:
    options = ScanOptions(resolution=150, source="ADF", page_size_mm=A6, max_pages=2,
                          image_format="tiff")
    result = scan(sane_test, "test:0", options, tmp_path)
    assert [p.suffix for p in result.pages] == [".tiff", ".tiff"]
    for page in result.pages:
        assert_page(page, 150, A6, "L")
        with Image.open(page) as img:
            assert img.info["dpi"] == (150.0, 150.0)


def test_flatbed_scans_one_page_of_the_requested_area(sane_test: SaneSettings,
                                                      tmp_path: Path) -> None:
    options = ScanOptions(resolution=75, page_size_mm=A6,
                          extra_args=("--test-picture", "Grid"))
    result = scan(sane_test, "test:0", options, tmp_path)
    assert len(result.pages) == 1 and result.complete
    assert_page(result.pages[0], 75, A6, "L")
    pixels = np.asarray(Image.open(result.pages[0]))
    assert pixels.min() == 0 and pixels.max() == 255  # the grid: black and white squares


def test_area_is_cut_to_the_devices_maximum(sane_test: SaneSettings, tmp_path: Path) -> None:
    result = scan(sane_test, "test:0", ScanOptions(resolution=30), tmp_path)  # A4 asked
    assert_page(result.pages[0], 30, (200.0, 200.0), "L")


def test_lineart_through_one_bit_gray(sane_test: SaneSettings, tmp_path: Path) -> None:
    result = scan(sane_test, "test:0", ScanOptions(resolution=75, mode="Lineart",
                                                   page_size_mm=A6), tmp_path)
    assert_page(result.pages[0], 75, A6, "1")


def test_unsupported_resolution_names_the_supported_ones(sane_test: SaneSettings,
                                                         tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as err:
        scan(sane_test, "test:0", ScanOptions(resolution=2400), tmp_path / "out")
    assert err.value.reason == "unsupported"
    assert "2400 dpi" in str(err.value) and "1–1200 dpi" in str(err.value)
    assert not (tmp_path / "out").exists()  # refused before scanning


def test_duplex_on_a_simplex_device_names_its_sources(sane_test: SaneSettings,
                                                      tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as err:
        scan(sane_test, "test:0", ScanOptions(source="ADF Duplex"), tmp_path)
    assert err.value.reason == "unsupported"
    assert "Flatbed, Automatic Document Feeder" in str(err.value)


def test_no_such_device(sane_test: SaneSettings, tmp_path: Path) -> None:
    with pytest.raises(ScannerError) as err:
        scan(sane_test, "test:7", ScanOptions(), tmp_path)
    assert err.value.reason == "no-device" and "test:7" in str(err.value)


def test_empty_feeder_with_no_page_is_an_error(sane_test: SaneSettings, tmp_path: Path) -> None:
    options = ScanOptions(resolution=50, source="ADF", page_size_mm=SMALL_MM,
                          extra_args=("--read-return-value", "SANE_STATUS_NO_DOCS"))
    with pytest.raises(ScannerError) as err:
        scan(sane_test, "test:0", options, tmp_path)
    assert err.value.reason == "feeder-empty"
    assert "Khay nạp giấy trống" in str(err.value) and "[feeder empty]" in str(err.value)


@pytest.mark.parametrize(("status", "reason", "words"), [
    ("SANE_STATUS_DEVICE_BUSY", "busy", "đang bận"),
    ("SANE_STATUS_JAMMED", "jammed", "Kẹt giấy"),
    ("SANE_STATUS_IO_ERROR", "failed", "Lỗi truyền dữ liệu"),
])
def test_device_failures_are_typed(sane_test: SaneSettings, tmp_path: Path, status: str,
                                   reason: str, words: str) -> None:
    options = ScanOptions(resolution=50, source="ADF", page_size_mm=SMALL_MM,
                          extra_args=("--read-return-value", status))
    with pytest.raises(ScannerError) as err:
        scan(sane_test, "test:0", options, tmp_path / "out")
    assert err.value.reason == reason and words in str(err.value)
    assert not list((tmp_path / "out").iterdir())  # scanimage removed the half-written page


def test_scanners_lists_devices_and_options(sane_test: SaneSettings,
                                            capsys: pytest.CaptureFixture) -> None:
    assert main(["scanners", "--sane-config", str(sane_test.config_dir),
                 "--device", "test:0"]) == 0
    out = capsys.readouterr().out
    assert "test:0" in out and "test:1" in out
    assert "Độ phân giải" in out and "Nguồn giấy" in out
    assert main(["scanners", "--sane-config", str(sane_test.config_dir),
                 "--device", "khong:co"]) == 9
    assert "khong:co" in capsys.readouterr().err
