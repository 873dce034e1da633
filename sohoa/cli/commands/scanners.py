"""``sohoa scanners``: the scanners SANE sees, and what one of them offers."""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.errors import ScannerError
from sohoa.scanner_bridge import sane
from sohoa.settings import Settings

NAME = "scanners"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="liệt kê máy quét (SANE, eSCL/AirScan)",
        description="Các máy quét SANE nhìn thấy (USB, mạng qua sane-airscan) và, với --device, "
        "những gì máy đó hỗ trợ (nguồn giấy, chế độ màu, độ phân giải).")
    parser.add_argument("--device", help="tên thiết bị, ví dụ airscan:e0:Quay-1")
    parser.add_argument("--sane-config", type=Path, metavar="DIR",
                        help="thư mục cấu hình SANE (SANE_CONFIG_DIR)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    sane_settings = sane.SaneSettings(config_dir=args.sane_config)
    devices = sane.list_devices(sane_settings)
    print("\n".join(sane.describe_devices(devices)))
    if args.device:
        device = next((d for d in devices if d.name == args.device), None)
        if device is None:
            raise ScannerError(f"Không có máy quét {args.device!r}", reason="no-device")
        print("\n".join(sane.describe_options(sane.device_options(sane_settings, device))))
    return 0
