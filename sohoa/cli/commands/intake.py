"""``sohoa intake --procedure CODE FILE...``: a new dossier, digitized, signed and stored."""

from __future__ import annotations

import argparse

from sohoa.cli.options import (
    common_options,
    files_argument,
    procedure_option,
    verbose_option,
)
from sohoa.cli.progress import progress
from sohoa.cli.report import print_report
from sohoa.pipeline import tesseract
from sohoa.processing.context import open_context
from sohoa.services.intake import accept_batch, intake_report, process_batch
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings
from sohoa.storage.records import BatchState, Lane

NAME = "intake"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="tiếp nhận hồ sơ mới: số hóa, lưu kho, cấp mã hồ sơ",
        description="Tạo hồ sơ mới cho thủ tục CODE: lưu bản quét gốc trước, đọc mọi trang "
        "của các tệp như một chồng giấy liên tục, phân loại từng trang, cắt thành các giấy tờ "
        "(một tệp có thể chứa nhiều giấy tờ, một giấy tờ có thể trải qua nhiều tệp), đối "
        "chiếu với thành phần hồ sơ của thủ tục, rồi ký số từng giấy tờ thành một PDF/A, lưu "
        "vào kho dưới dossiers/<mã hồ sơ>/ và ghi danh mục. In mã hồ sơ, các giấy tờ và kết "
        "luận đủ/thiếu.")
    procedure_option(parser)
    files_argument(parser)
    parser.add_argument("--lane", choices=["counter", "backlog"], default="counter",
                        help="counter: công dân đang chờ (ưu tiên); backlog: số hóa hồ sơ "
                        "lưu trữ [counter]")
    parser.add_argument("--review", action="store_true",
                        help="dừng sau khi phân loại để cán bộ xem lại (sohoa review), chỉ ký "
                        "và lưu khi cán bộ tiếp nhận")
    parser.add_argument("--wait", action="store_true",
                        help="khi dùng hàng đợi (SOHOA_BROKER_URL): chờ các máy xử lý xong "
                        "rồi in kết quả")
    common_options(parser)
    verbose_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when everything was digitized (the verdict is printed; an incomplete dossier
    is the clerk's decision, not an error)."""
    procedure = procedure_directory(settings).get(args.procedure)
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    wait = settings.queue.broker_url is None or args.wait
    with open_context(settings) as ctx:
        batch, refused = accept_batch(ctx, procedure, args.files, lane=Lane(args.lane),
                                      hold=args.review)
        with progress(batch.page_count, args.quiet or not wait) as bar:
            process_batch(ctx, batch, bar.update, wait=wait)
        report = intake_report(ctx, procedure, batch, refused)
    print_report(report, settings, verbose=args.verbose)
    waiting = not wait or report.batch.state == BatchState.REVIEW
    return 0 if report.ok or (waiting and not report.failures) else 1
