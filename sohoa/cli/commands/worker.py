"""``sohoa worker``: the scale profile's dramatiq workers (needs ``SOHOA_BROKER_URL``)."""

from __future__ import annotations

import argparse
import os

from sohoa.cli.options import INTEGER
from sohoa.settings import Settings
from sohoa.workers.broker import broker_label
from sohoa.workers.run import (
    check_worker_imports,
    dramatiq_command,
    parse_lanes,
    prepare_workers,
    supervise,
)

NAME = "worker"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="chạy máy xử lý (cần SOHOA_BROKER_URL)",
        description="Khởi động các tiến trình xử lý nhận việc từ hàng đợi Redis/RabbitMQ: "
        "OCR từng trang, phân loại, ghép, ký số và lưu tài liệu. Khi khởi động, việc dở "
        "dang trong danh mục (sau sự cố) được đưa lại vào hàng đợi. Dừng bằng Ctrl+C / "
        "SIGTERM: việc đang làm được làm xong.")
    parser.add_argument("--processes", type=INTEGER, metavar="N",
                        help="số tiến trình (mặc định: số lõi CPU)")
    parser.add_argument("--lanes", default="counter,backlog", metavar="LANES",
                        help="hàng đợi nhận việc: counter, backlog hoặc cả hai [cả hai]")
    parser.add_argument("--no-recover", action="store_true",
                        help="không đưa lại việc dở dang khi khởi động")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="mô-đun Python nạp thêm vào mỗi tiến trình (middleware riêng "
                        "của đơn vị, công cụ chẩn đoán)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Check the worker code imports, migrate, re-enqueue unfinished work, then run dramatiq
    under :func:`~sohoa.workers.run.supervise` (a dead worker process is replaced within
    seconds; SIGTERM finishes the pages in flight)."""
    lanes = parse_lanes(args.lanes)
    check_worker_imports(args.plugin)
    requeued = prepare_workers(settings, recover_work=not args.no_recover)
    if requeued is not None:
        print(f"Đưa lại vào hàng đợi {requeued} việc dở dang.", flush=True)
    processes = args.processes or os.cpu_count() or 1
    print(f"Máy xử lý: {processes} tiến trình, hàng đợi {', '.join(lanes)} tại "
          f"{broker_label(settings.queue.broker_url)}", flush=True)
    return supervise(dramatiq_command(settings, processes, lanes, args.plugin))
