"""``sohoa dossier CODE``: a dossier's latest batch — progress, documents, verdict, failures
— and the packages it was handed over to the archive in (đã nộp lưu)."""

from __future__ import annotations

import argparse

from sohoa.cli.options import verbose_option
from sohoa.cli.report import print_report
from sohoa.clock import VIETNAM
from sohoa.processing.context import open_context
from sohoa.services.archive import transfers
from sohoa.services.intake import latest_report
from sohoa.settings import Settings

NAME = "dossier"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="xem một hồ sơ: trạng thái, tiến độ, tài liệu, kết luận, trang lỗi",
        description="In trạng thái của hồ sơ CODE (mã và tên theo Cổng dịch vụ công, giờ "
        "tiếp nhận theo giờ Việt Nam) và lô quét mới nhất của nó từ danh mục: đã xử lý xong "
        "chưa, tài liệu đã ký và lưu, kết luận đủ/thiếu, trang nào lỗi và vì sao.")
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    verbose_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when its latest batch is done without failures."""
    with open_context(settings) as ctx:
        report = latest_report(ctx, args.code)
        handed_over = transfers(ctx, args.code)
    print_report(report, settings, verbose=args.verbose)
    for transfer in handed_over:
        print(f"Đã nộp lưu: gói {transfer.package_type} {transfer.package_id}, "
              f"{transfer.exported_at.astimezone(VIETNAM):%H:%M %d/%m/%Y}, bởi "
              f"{transfer.actor}")
    return 0 if report.ok else 1
