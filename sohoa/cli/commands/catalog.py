"""``sohoa catalog [CODE]``: the procedures, or one procedure's checklist."""

from __future__ import annotations

import argparse

from sohoa.domain.procedures import describe_catalog, describe_procedure, load_catalog
from sohoa.settings import Settings

NAME = "catalog"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="danh mục thủ tục và thành phần hồ sơ",
        description="Không có CODE: liệt kê các thủ tục. Có CODE: thành phần hồ sơ của thủ "
        "tục đó (giấy tờ, bản chính/bản sao, bắt buộc / nếu có / chỉ xuất trình).")
    parser.add_argument("code", nargs="?", metavar="CODE", help="mã thủ tục, ví dụ 1.001193")


def run(args: argparse.Namespace, settings: Settings) -> int:
    procedures = load_catalog(settings.catalog_path)
    if args.code is None:
        print("\n".join(describe_catalog(procedures)))
    else:
        print("\n".join(describe_procedure(procedures.get(args.code))))
    return 0
