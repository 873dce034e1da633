"""``sohoa recover``: resume the batches a crash left unfinished."""

from __future__ import annotations

import argparse
from datetime import timedelta

from sohoa.cli.options import NUMBER, common_options
from sohoa.cli.progress import progress
from sohoa.processing.context import open_context
from sohoa.processing.embedded import run_embedded
from sohoa.processing.messages import PROCESS_PAGE
from sohoa.processing.recovery import recover
from sohoa.settings import Settings
from sohoa.workers.actors import connect

NAME = "recover"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="làm tiếp các lô quét dở dang sau sự cố",
        description="Tìm trong danh mục các lô quét chưa xong (không tiến triển trong "
        "--idle giây) và làm tiếp: chạy ngay (cấu hình nhúng) hoặc đưa vào hàng đợi.")
    parser.add_argument("--idle", type=NUMBER, default=0.0, metavar="SECONDS",
                        help="chỉ các lô không tiến triển ít nhất chừng này giây [0]")
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Resume here (embedded: exit 0 when nothing is left) or through the queue."""
    with open_context(settings) as ctx:
        messages = recover(ctx, timedelta(seconds=args.idle))
        if settings.queue.broker_url is not None:
            connect(settings.queue).send(messages)
            print(f"Đã đưa {len(messages)} việc dở dang vào hàng đợi.")
            return 0
        pages = sum(m.step == PROCESS_PAGE for m in messages)
        with progress(pages, args.quiet, desc="Làm tiếp") as bar:
            run_embedded(ctx, messages, bar.update)
        left = ctx.catalog.batches.unfinished()
    print(f"Đã làm tiếp {len(messages)} việc; còn {len(left)} lô chưa xong.")
    return 0 if not left else 1
