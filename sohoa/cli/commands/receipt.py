"""``sohoa receipt CODE``: the receipt with the appointment, the supplement notice, or the
refusal slip of a refused dossier."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sohoa.pipeline.receipt import Applicant
from sohoa.processing.context import open_context
from sohoa.services.receipts import PAPER_NAMES, clerk_name, dossier_paper, paper_file_name
from sohoa.settings import Settings

NAME = "receipt"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="in giấy tiếp nhận và hẹn trả kết quả (hoặc phiếu yêu cầu bổ sung, phiếu "
        "từ chối)",
        description="Hồ sơ đủ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (ngày hẹn tính theo "
        "ngày làm việc, nhận sau 15:00 tính từ ngày làm việc kế tiếp). Hồ sơ thiếu: Phiếu yêu "
        "cầu bổ sung, hoàn thiện hồ sơ, liệt kê thành phần còn thiếu và lý do. Hồ sơ đã bị từ "
        "chối (trạng thái 3): Phiếu từ chối tiếp nhận, giải quyết hồ sơ, ghi lý do từ chối.")
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    parser.add_argument("--out", type=Path, metavar="FILE.pdf",
                        help="tệp sẽ ghi [giay-tiep-nhan-<mã>.pdf / yeu-cau-bo-sung-<mã>.pdf / "
                        "tu-choi-<mã>.pdf]")
    parser.add_argument("--name", default="", help="họ tên người nộp, được lưu với hồ sơ "
                        "(mặc định: đã lưu, hoặc từ mã QR CCCD)")
    parser.add_argument("--address", default="", help="địa chỉ người nộp")
    parser.add_argument("--contact", default="", help="số điện thoại / email")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--clerk", metavar="USER",
                     help="tên đăng nhập của cán bộ tiếp nhận: in họ tên của tài khoản")
    who.add_argument("--receiver", help="họ tên cán bộ tiếp nhận (ghi trực tiếp)")
    parser.add_argument("--fees", help="phí, lệ phí [Theo quy định]")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with open_context(settings) as ctx:
        typed = Applicant(args.name, args.address, args.contact)
        receiver = args.receiver or clerk_name(ctx, args.clerk)
        if args.clerk and receiver is None:
            print(f"Tài khoản {args.clerk} không có hoặc chưa có họ tên: in tên mặc định "
                  f"\"{settings.digitizer}\".", file=sys.stderr)
        kind, pdf = dossier_paper(ctx, args.code, typed, receiver, args.fees)
    out = args.out or Path(paper_file_name(kind, args.code))
    out.write_bytes(pdf)
    print(f"Đã ghi {out}: {PAPER_NAMES[kind]}")
    return 0
