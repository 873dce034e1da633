"""The ``scanimage`` program (SANE's command-line frontend): list devices, read their options,
scan a flatbed page or an ADF batch into image files for intake.

Wrapped in its own module, like every external program (OCRmyPDF's ``_exec/*``), so nothing
else builds a scanimage command line. Talking to ``scanimage`` instead of libsane keeps a
misbehaving backend (a driver crash, a hung USB or network device) in a child process that a
timeout can kill, and needs no compiled binding. Network scanners speaking eSCL/AirScan come
in through SANE's ``airscan`` backend (see :mod:`sohoa.scanner_bridge.escl`), so they are just
more devices here.

Why options are read from ``scanimage -A`` before every scan: scanimage silently *rounds* a
value the device does not offer ("rounded value of resolution from 5000 to 1200"), and every
backend names its sources and modes differently ("Automatic Document Feeder", "ADF Front",
"Duplex"...). Checking first lets us refuse with the list of what the device does support, and
map our three source names onto the device's own.

Why pages already scanned are never lost: an ADF batch that jams at sheet 7 has six good
pages on disk. :func:`scan` returns them together with the error (:class:`ScanResult`); it
raises only when nothing at all was scanned. scanimage itself deletes a half-written page.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sohoa.errors import ScannerError

Mode = Literal["Color", "Gray", "Lineart"]
Source = Literal["Flatbed", "ADF", "ADF Duplex"]
ImageFormat = Literal["png", "tiff"]
A4_MM = (210.0, 297.0)
LIST_FORMAT = "%d\t%v\t%m\t%t%n"
FEEDER_EMPTY = "Document feeder out of documents"

# scanimage prints SANE's status strings (sane_strstatus); the child runs with LC_ALL=C so
# they are the English originals. Each maps to a reason and the clerk's message.
STATUS_MESSAGES = {
    "Device busy": ("busy", "Máy quét {device} đang bận, hãy thử lại sau [device busy]"),
    "Document feeder jammed": ("jammed", "Kẹt giấy trong khay nạp [feeder jammed]"),
    "Scanner cover is open": ("cover-open", "Nắp máy quét đang mở [cover open]"),
    "Access to resource has been denied": (
        "failed", "Không có quyền dùng máy quét {device} [access denied]"),
    "Error during device I/O": (
        "failed", "Lỗi truyền dữ liệu với máy quét {device} [device I/O error]"),
}


@dataclass(frozen=True)
class SaneSettings:
    """How scanimage is run."""

    config_dir: Path | None = None
    """SANE configuration directory (``dll.conf``, ``airscan.conf``...) for the child process
    only (``SANE_CONFIG_DIR``); None uses the system's (/etc/sane.d). The parent's environment
    is never changed, so two counters with different configurations can run side by side."""

    scanimage: str = "scanimage"
    """Program to run (Debian package ``sane-utils``)."""

    timeout_s: float = 600.0
    """Longest a single scanimage run may take: a whole ADF batch (50 sheets at 300 dpi take a
    few minutes on a counter scanner). Listing devices and reading options use at most 60 s.
    Pages finished before the timeout are kept."""


@dataclass(frozen=True)
class Device:
    """One scanner as SANE lists it."""

    name: str
    """What ``-d`` takes, e.g. ``test:0``, ``airscan:e0:Counter 1``."""
    vendor: str
    model: str
    kind: str
    """SANE's type string ("flatbed scanner", "virtual device"; airscan: ``ip=...``)."""


@dataclass(frozen=True)
class ScanOptions:
    """What the clerk asks for; names are ours, mapped onto each device's own."""

    resolution: int = 300
    mode: Mode = "Gray"
    source: Source = "Flatbed"
    page_size_mm: tuple[float, float] = A4_MM
    """Scan area (width, height) from the top-left corner; cut to the device's maximum."""
    max_pages: int | None = None
    """Stop an ADF batch after this many pages (None: until the feeder is empty)."""
    image_format: ImageFormat = "png"
    """``png`` by default: lossless and compressed, where scanimage's TIFF is uncompressed
    (an A4 colour page at 300 dpi is ~26 MB). PNG stores dpi in pixels per metre, so 300 dpi
    reads back as 299.9994."""
    extra_args: tuple[str, ...] = ()
    """Backend-specific options passed verbatim (e.g. the test backend's ``--test-picture``)."""


@dataclass(frozen=True)
class Option:
    """One device option from ``scanimage -A``: its allowed values and current value."""

    name: str
    choices: tuple[str, ...] = ()
    """Listed values (``Gray|Color``); empty for a range."""
    range: tuple[float, float, float] | None = None
    """(min, max, step) for ``1..1200dpi (in steps of 1)``; step 0 when not given."""
    current: str = ""
    active: bool = True


@dataclass(frozen=True)
class DeviceOptions:
    """What a device offers (for its currently selected source)."""

    device: str
    options: dict[str, Option] = field(default_factory=dict)

    @property
    def sources(self) -> tuple[str, ...]:
        return self._choices("source")

    @property
    def modes(self) -> tuple[str, ...]:
        return self._choices("mode")

    @property
    def resolutions(self) -> tuple[int, ...]:
        """Discrete resolutions; empty when the device takes a range (see :attr:`options`)."""
        return tuple(int(float(v)) for v in self._choices("resolution"))

    @property
    def resolution_range(self) -> tuple[float, float] | None:
        """(lowest, highest) dpi when the device takes any value in a range."""
        option = self.options.get("resolution")
        return option.range[:2] if option and option.range else None

    @property
    def max_size_mm(self) -> tuple[float | None, float | None]:
        """Largest scan area (width, height); None where the device does not say."""
        return _range_max(self.options.get("x")), _range_max(self.options.get("y"))

    def _choices(self, name: str) -> tuple[str, ...]:
        option = self.options.get(name)
        return option.choices if option else ()

    def supports_resolution(self, dpi: int) -> bool:
        option = self.options.get("resolution")
        if option is None:
            return False
        if option.range is None:
            return any(float(v) == dpi for v in option.choices)
        low, high, step = option.range
        return low <= dpi <= high and (not step or (dpi - low) % step == 0)

    def resolution_text(self) -> str:
        """Supported resolutions for a message: ``150, 300 dpi`` or ``1–1200 dpi``."""
        option = self.options.get("resolution")
        if option is None:
            return "không chọn được"
        if option.range is not None:
            return f"{option.range[0]:g}–{option.range[1]:g} dpi"
        return ", ".join(option.choices) + " dpi"

    def source_for(self, wanted: Source) -> str | None:
        """The device's own name for our source, or None when it has no such source."""
        if not self.sources:
            return "" if wanted == "Flatbed" else None  # a single-source flatbed
        matches = [s for s in self.sources if _source_kind(s) == wanted]
        return matches[0] if matches else None

    def mode_args(self, wanted: Mode) -> tuple[str, ...] | None:
        """``--mode`` (and ``--depth``) arguments for our mode, None when not offered. A device
        without a line-art mode but with 1-bit grey (the test backend) does line-art that way."""
        for mode in self.modes:
            if _mode_kind(mode) == wanted:
                return ("--mode", mode, *(() if wanted == "Lineart" else self._depth("8")))
        gray = [m for m in self.modes if _mode_kind(m) == "Gray"]
        if wanted == "Lineart" and gray and self._depth("1"):
            return ("--mode", gray[0], *self._depth("1"))
        return None

    def _depth(self, bits: str) -> tuple[str, ...]:
        """``--depth`` when the device has an active depth option offering ``bits``."""
        option = self.options.get("depth")
        return ("--depth", bits) if option and option.active and bits in option.choices else ()


@dataclass(frozen=True)
class ScanResult:
    """Pages scanned, in order, and the error that ended the batch early (if any)."""

    pages: tuple[Path, ...]
    error: ScannerError | None = None

    @property
    def complete(self) -> bool:
        return self.error is None


@functools.cache
def version(scanimage: str = "scanimage") -> str:
    """``1.1.1``-style version of sane-backends; ScannerError when scanimage is missing."""
    out = _run([scanimage, "--version"], SaneSettings(scanimage=scanimage), 30)
    match = re.search(r"sane-backends\)\s+(\d+(?:\.\d+)+)", out.stdout)
    if not match:
        raise ScannerError(f"Không đọc được phiên bản từ '{scanimage} --version' "
                           f"[unexpected scanimage output]")
    return match.group(1)


def list_devices(settings: SaneSettings) -> list[Device]:
    """Every scanner SANE can see with this configuration (may be empty)."""
    out = _run([settings.scanimage, "-f", LIST_FORMAT], settings, min(settings.timeout_s, 60))
    if out.returncode != 0:
        raise ScannerError(f"Không liệt kê được máy quét: {_detail(out.stderr)} "
                           f"[device listing failed]")
    devices = []
    for line in out.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0]:
            devices.append(Device(*parts))
    return devices


def device_options(settings: SaneSettings, device: Device | str,
                   source: str | None = None) -> DeviceOptions:
    """The device's options, after selecting ``source`` (the device's own name) when given:
    resolutions and scan area often differ between flatbed and feeder."""
    name = _name(device)
    args = [settings.scanimage, "-d", name, *(("--source", source) if source else ()), "-A"]
    out = _run(args, settings, min(settings.timeout_s, 60))
    if out.returncode != 0:
        raise _open_error(name, out.stderr)
    return DeviceOptions(name, parse_options(out.stdout))


def parse_options(text: str) -> dict[str, Option]:
    """``scanimage -A`` output to options keyed by name without dashes (``mode``, ``x``)."""
    options = {}
    for line in text.splitlines():
        match = OPTION_LINE.match(line)
        if match:
            option = _parse_option(*match.groups())
            options[option.name] = option
    return options


OPTION_LINE = re.compile(r"^    (--?[\w-]+)(?:\[=\([^)]*\)\])? ?(.*?) ?\[([^\]]*)\]$")
RANGE = re.compile(r"^(-?[\d.]+)\.\.(-?[\d.]+)[a-z%]*(?: \(in steps of ([\d.]+)\))?$")
NUMBER_WITH_UNIT = re.compile(r"^(-?[\d.]+)(?:dpi|mm|%|us|pel|bit)?$")


def _parse_option(flag: str, constraint: str, current: str) -> Option:
    name = flag.lstrip("-")
    active = current != "inactive"
    ranged = RANGE.match(constraint)
    if ranged:
        low, high, step = ranged.groups()
        return Option(name, range=(float(low), float(high), float(step or 0)),
                      current=current, active=active)
    choices = tuple(constraint.split("|")) if "|" in constraint else ()
    numbers = [NUMBER_WITH_UNIT.match(c) for c in choices]
    if choices and all(numbers):
        choices = tuple(m.group(1) for m in numbers if m)
    return Option(name, choices=choices, current=current, active=active)


def scan(settings: SaneSettings, device: Device | str, options: ScanOptions,
         out_dir: Path) -> ScanResult:
    """Scan into ``out_dir`` as ``page-0001.png``...; numbering continues after pages already
    there, so reloading the feeder and scanning again appends. Raises ScannerError when no page
    at all was scanned; otherwise returns the pages with the error that stopped the batch."""
    name = _name(device)
    command = scan_command(settings, name, options, out_dir)
    first = _next_number(out_dir, options.image_format)
    try:
        out = _run(command, settings, settings.timeout_s)
        error = _scan_error(name, out)
    except ScannerError as exc:
        if exc.reason != "timeout":
            raise
        error = exc
    for partial in out_dir.glob(f"page-*.{options.image_format}.part"):  # cut off by a kill
        partial.unlink(missing_ok=True)
    pages = _pages(out_dir, options.image_format, first)
    if not pages:
        if error is None or error.reason == "feeder-empty":
            raise _nothing_scanned(name, options)
        raise error
    if error is not None and error.reason == "feeder-empty":
        error = None  # after at least one page an empty feeder is the normal end
    return ScanResult(tuple(pages), error)


def scan_command(settings: SaneSettings, name: str, options: ScanOptions,
                 out_dir: Path) -> list[str]:
    """The scanimage command line, after checking ``options`` against the device."""
    offered = device_options(settings, name)
    source = offered.source_for(options.source)
    if source is None:
        raise _unsupported(name, f"nguồn giấy {options.source}",
                           ", ".join(offered.sources) or "chỉ mặt kính", "source")
    if source and source != offered.options["source"].current:
        offered = device_options(settings, name, source)
    if not offered.supports_resolution(options.resolution):
        raise _unsupported(name, f"độ phân giải {options.resolution} dpi",
                           offered.resolution_text(), "resolution")
    mode = offered.mode_args(options.mode)
    if mode is None:
        raise _unsupported(name, f"chế độ màu {options.mode}", ", ".join(offered.modes), "mode")
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 1 if options.source == "Flatbed" else options.max_pages
    return [
        settings.scanimage, "-d", name, *(("--source", source) if source else ()), *mode,
        "--resolution", str(options.resolution), *_geometry(offered, options.page_size_mm),
        f"--format={options.image_format}",
        f"--batch={str(out_dir).replace('%', '%%')}/page-%04d.{options.image_format}",
        f"--batch-start={_next_number(out_dir, options.image_format)}",
        *((f"--batch-count={count}",) if count else ()), *options.extra_args,
    ]


def _geometry(offered: DeviceOptions, size_mm: tuple[float, float]) -> list[str]:
    args = []
    for flag, wanted, limit in zip(("-x", "-y"), size_mm, offered.max_size_mm, strict=True):
        if flag.lstrip("-") in offered.options:
            args += [flag, f"{min(wanted, limit) if limit is not None else wanted:g}"]
    return args


def describe_devices(devices: Sequence[Device]) -> list[str]:
    """One Vietnamese line per scanner, for ``sohoa scanners``."""
    if not devices:
        return ["Không tìm thấy máy quét nào (kiểm tra cáp/mạng và cấu hình SANE)."]
    return [f"{d.name} — {d.vendor} {d.model} ({_kind_text(d)})" for d in devices]


def describe_options(options: DeviceOptions) -> list[str]:
    """What a device offers, in Vietnamese lines."""
    return [
        f"Nguồn giấy: {', '.join(options.sources) or 'mặt kính'}",
        f"Chế độ màu: {', '.join(options.modes) or 'không chọn được'}",
        f"Độ phân giải: {options.resolution_text()}",
    ]


def _kind_text(device: Device) -> str:
    if device.vendor in ("eSCL", "WSD"):
        return f"máy quét mạng {device.vendor}, {device.kind}"
    known = {"virtual device": "thiết bị ảo", "flatbed scanner": "máy quét mặt kính",
             "sheetfed scanner": "máy quét nạp giấy", "multi-function peripheral":
             "máy đa chức năng"}
    return known.get(device.kind, device.kind)


def _source_kind(name: str) -> Source | None:
    lower = name.lower()
    if "duplex" in lower:
        return "ADF Duplex"
    if any(w in lower for w in ("adf", "feeder", "document", "simplex")) and "back" not in lower:
        return "ADF"
    if any(w in lower for w in ("flatbed", "platen", "normal", "glass")):
        return "Flatbed"
    return None


def _mode_kind(name: str) -> Mode | None:
    lower = name.lower()
    if "halftone" in lower:
        return None
    if any(w in lower for w in ("lineart", "binary", "black & white", "black and white")):
        return "Lineart"
    if "gray" in lower or "grey" in lower:
        return "Gray"
    if "color" in lower or "colour" in lower or lower == "rgb":
        return "Color"
    return None


def _range_max(option: Option | None) -> float | None:
    return option.range[1] if option and option.range else None


def _name(device: Device | str) -> str:
    return device.name if isinstance(device, Device) else device


def _pages(out_dir: Path, ext: str, first: int) -> list[Path]:
    numbered = [(int(m.group(1)), p) for p in out_dir.glob(f"page-*.{ext}")
                if (m := re.fullmatch(rf"page-(\d+)\.{ext}", p.name))]
    return [p for n, p in sorted(numbered) if n >= first]


def _next_number(out_dir: Path, ext: str) -> int:
    existing = _pages(out_dir, ext, 0) if out_dir.is_dir() else []
    return int(existing[-1].stem.split("-")[1]) + 1 if existing else 1


def _run(command: list[str], settings: SaneSettings,
         timeout_s: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LC_ALL="C")
    if settings.config_dir is not None:
        env["SANE_CONFIG_DIR"] = str(settings.config_dir)
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=timeout_s, errors="replace")
    except FileNotFoundError as exc:
        raise ScannerError(f"Không tìm thấy chương trình quét {command[0]} "
                           f"(cài gói sane-utils) [scanimage not found]", "missing") from exc
    except subprocess.TimeoutExpired as exc:
        raise ScannerError(f"Máy quét không trả lời sau {timeout_s:g} giây [timeout]",
                           "timeout") from exc


def _scan_error(name: str, out: subprocess.CompletedProcess[str]) -> ScannerError | None:
    for status, (reason, message) in STATUS_MESSAGES.items():
        if f": {status}" in out.stderr:
            return ScannerError(message.format(device=name), reason)
    if FEEDER_EMPTY in out.stderr:
        return ScannerError("Khay nạp giấy trống [feeder empty]", "feeder-empty")
    if out.returncode != 0:
        if "open of device" in out.stderr:
            return _open_error(name, out.stderr)
        return ScannerError(f"Máy quét {name} báo lỗi: {_detail(out.stderr)} [scan failed]")
    return None


def _open_error(name: str, stderr: str) -> ScannerError:
    if "Device busy" in stderr:
        return ScannerError(STATUS_MESSAGES["Device busy"][1].format(device=name), "busy")
    if "open of device" in stderr and "Invalid argument" in stderr:
        return ScannerError(f"Không có máy quét {name} [no such device]", "no-device")
    return ScannerError(f"Không mở được máy quét {name}: {_detail(stderr)} "
                        f"[cannot open device]", "failed")


def _nothing_scanned(name: str, options: ScanOptions) -> ScannerError:
    if options.source != "Flatbed":
        return ScannerError("Khay nạp giấy trống: không có trang nào được quét "
                            "[feeder empty]", "feeder-empty")
    return ScannerError(f"Máy quét {name} không trả về trang nào [no page scanned]")


def _unsupported(name: str, what: str, supported: str, english: str) -> ScannerError:
    return ScannerError(f"Máy quét {name} không hỗ trợ {what}; hỗ trợ: {supported} "
                        f"[unsupported {english}]", "unsupported")


def _detail(stderr: str) -> str:
    lines = [ln.removeprefix("scanimage: ").strip() for ln in stderr.splitlines()
             if ln.startswith("scanimage: ") and "rounded value" not in ln]
    return lines[-1] if lines else (stderr.strip().splitlines() or ["?"])[-1]
