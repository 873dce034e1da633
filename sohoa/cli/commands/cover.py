"""``sohoa cover --procedure CODE``: a printable cover sheet and separator sheets."""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.options import procedure_option
from sohoa.domain.dossier_code import parse_dossier_code
from sohoa.pipeline.cover import cover_sheets_pdf
from sohoa.processing.context import open_context
from sohoa.services.intake import register_dossier
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings

NAME = "cover"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="in bìa hồ sơ và tờ phân cách có mã QR",
        description="Ghi tệp PDF để in: bìa hồ sơ (mã QR, mã hồ sơ, thành phần hồ sơ) và một "
        "tờ phân cách cho mỗi thành phần được quét. Đặt bìa lên đầu xấp giấy, tờ phân cách "
        "trước mỗi thành phần: khi quét, hệ thống tự gắn trang vào hồ sơ và tách tài liệu.")
    procedure_option(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dossier", metavar="CODE", help="mã hồ sơ (để trống: viết tay)")
    which.add_argument("--new", action="store_true",
                       help="đăng ký hồ sơ mới (trạng thái 1, mới đăng ký) và in bìa mang mã "
                       "của nó: quét bìa trên xấp giấy, sohoa intake gắn xấp vào hồ sơ này")
    parser.add_argument("--out", type=Path, metavar="FILE.pdf",
                        help="tệp sẽ ghi [bia-<thủ tục>.pdf]")


def run(args: argparse.Namespace, settings: Settings) -> int:
    procedure = procedure_directory(settings).get(args.procedure)
    dossier = str(parse_dossier_code(args.dossier)) if args.dossier else None
    if args.new:
        with open_context(settings) as ctx:
            dossier = register_dossier(ctx, procedure.code)
        print(f"Đã đăng ký hồ sơ {dossier} (mới đăng ký)")
    out = args.out or Path(f"bia-{procedure.code}{'-' + dossier if dossier else ''}.pdf")
    out.write_bytes(cover_sheets_pdf(procedure, dossier))
    sheets = 1 + len(procedure.scanned_items)
    print(f"Đã ghi {out} ({sheets} tờ: bìa hồ sơ và {sheets - 1} tờ phân cách)")
    return 0
