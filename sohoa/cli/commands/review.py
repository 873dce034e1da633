"""``sohoa review CODE``: correct a held batch at the counter, see the verdict, accept."""

from __future__ import annotations

import argparse

from sohoa.cli.options import INTEGER, common_options, correction_options, verbose_option
from sohoa.cli.report import print_report
from sohoa.domain.corrections import Corrections
from sohoa.processing.context import open_context
from sohoa.services.intake import review_latest
from sohoa.settings import Settings

NAME = "review"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="xem lại, sửa và tiếp nhận lô quét đang chờ (intake --review)",
        description="Sửa kết quả phân loại của lô quét mới nhất của hồ sơ CODE (số trang tính "
        "từ 1, theo thứ tự quét của lô), xem lại kết luận, rồi --accept để ký số và lưu.")
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    correction_options(parser)
    parser.add_argument("--remove", action="append", default=[], type=INTEGER, metavar="N",
                        help="bỏ trang N khỏi hồ sơ (bản quét gốc vẫn được giữ)")
    parser.add_argument("--order", metavar="N,N,...",
                        help="thứ tự mới của các trang, ví dụ 3,1,2")
    parser.add_argument("--accept", action="store_true",
                        help="ký số và lưu các tài liệu; hồ sơ đủ thì được tiếp nhận "
                        "(trạng thái 2), thiếu thì chờ công dân bổ sung (vẫn trạng thái 1)")
    common_options(parser)
    verbose_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 unless a page or file of the batch failed."""
    changes = Corrections.from_command_line(args.types, args.split, args.join, args.remove,
                                            args.order)
    with open_context(settings) as ctx:
        report = review_latest(ctx, args.code, changes, accept=args.accept)
    print_report(report, settings, verbose=args.verbose)
    return 0 if not report.failures else 1
