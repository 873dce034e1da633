"""``sohoa settings``: every ``SOHOA_*`` variable, its default and what it means — and, with
``--current``, the value this shell would use (secrets hidden)."""

from __future__ import annotations

import argparse
import os

from sohoa.settings import ENVIRONMENT, Settings

NAME = "settings"
SECRET_WORDS = ("PASSWORD", "SECRET", "PIN", "TOKEN")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="các biến môi trường SOHOA_*: mặc định và ý nghĩa",
        description="Liệt kê mọi biến cấu hình SOHOA_* theo nhóm, với giá trị mặc định và ý "
        "nghĩa. Chỉ điểm vào (dòng lệnh, ứng dụng web, máy xử lý) đọc các biến này.")
    parser.add_argument("--current", action="store_true",
                        help="thêm giá trị đang đặt trong môi trường này (ẩn mật khẩu, khóa)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    for section, variables in ENVIRONMENT:
        print(f"{section}:")
        for var in variables:
            print(f"  {var.name:<26} {var.meaning} [{var.default}]")
            if args.current and os.environ.get(var.name):
                print(f"  {'':<26} đang đặt: {_shown(var.name, os.environ[var.name])}")
    return 0


def _shown(name: str, value: str) -> str:
    return "***" if any(word in name for word in SECRET_WORDS) else value
