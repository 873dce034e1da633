"""``sohoa refuse CODE``: the clerk refuses a dossier the counter has not received."""

from __future__ import annotations

import argparse

from sohoa.cli.operator import operator, origin
from sohoa.processing.context import open_context
from sohoa.services.intake import refuse_dossier
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import DossierStatus

NAME = "refuse"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="không tiếp nhận hồ sơ (trạng thái 3): hồ sơ không được chuyển đi",
        description="Cán bộ từ chối tiếp nhận hồ sơ CODE chưa được tiếp nhận (trạng thái 1, "
        "ví dụ hồ sơ thiếu mà công dân không bổ sung): hồ sơ chuyển sang trạng thái 3 "
        "(không được tiếp nhận), không được chuyển tới cơ quan giải quyết và không nhận thêm "
        "bản quét. Bản quét đã lưu vẫn được giữ. Lý do được lưu cùng hồ sơ và in trên Phiếu "
        "từ chối tiếp nhận, giải quyết hồ sơ (sohoa receipt CODE). Thao tác được ghi vào nhật "
        "ký.")
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    parser.add_argument("--reason", required=True, metavar="LÝ_DO",
                        help="lý do từ chối (bắt buộc): in trên Phiếu từ chối tiếp nhận, giải "
                        "quyết hồ sơ (sohoa receipt CODE) và ghi vào nhật ký")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with open_context(settings) as ctx:
        reason = refuse_dossier(ctx, args.code, args.reason)
        AuditLog(ctx.catalog).record(operator(), "dossier.refuse", dossier_code=args.code,
                                     remote_addr=origin(), detail={"reason": reason})
    status = DossierStatus.KHONG_DUOC_TIEP_NHAN
    print(f"Hồ sơ {args.code}: trạng thái {int(status)} ({status.label}).")
    print(f"In phiếu từ chối tiếp nhận, giải quyết hồ sơ: sohoa receipt {args.code}")
    return 0
