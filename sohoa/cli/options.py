"""Options several commands share, defined once."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from sohoa.cli.vietnamese import typed

INTEGER = typed(int, "số nguyên")
NUMBER = typed(float, "số")
DAY = typed(date.fromisoformat, "ngày dạng YYYY-MM-DD")


def procedure_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--procedure", required=True, metavar="CODE",
                        help="mã thủ tục hành chính, ví dụ 1.001193 (xem: sohoa catalog)")


def files_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="tệp quét: JPEG, PNG, TIFF nhiều trang hoặc PDF")


def correction_options(parser: argparse.ArgumentParser) -> None:
    """The clerk's corrections, by 1-based page number in scanning order."""
    parser.add_argument("--type", action="append", default=[], metavar="N=LOẠI", dest="types",
                        help="đặt loại giấy tờ cho trang N, ví dụ 3=giay_chung_sinh "
                        "(các mã: sohoa types)")
    parser.add_argument("--split", action="append", default=[], type=INTEGER, metavar="N",
                        help="bắt đầu tài liệu mới tại trang N")
    parser.add_argument("--join", action="append", default=[], type=INTEGER, metavar="N",
                        help="gộp trang N vào tài liệu trước nó")


def common_options(parser: argparse.ArgumentParser) -> None:
    """Page processing in this process: how many at once, which OCR languages, a bar."""
    parser.add_argument("--jobs", type=INTEGER, metavar="N",
                        help="số tiến trình xử lý trang (mặc định: số lõi CPU)")
    parser.add_argument("--languages", metavar="LANGS",
                        help="ngôn ngữ OCR của Tesseract, ví dụ vie hoặc vie+eng [vie]")
    quiet_option(parser)


def verbose_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", action="store_true",
                        help="in thêm nơi lưu kho và danh mục (cho người quản trị máy chủ)")


def quiet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")


def json_option(parser: argparse.ArgumentParser, what: str = "in kết quả dạng JSON") -> None:
    parser.add_argument("--json", action="store_true", help=what)
