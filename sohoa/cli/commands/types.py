"""``sohoa types [--procedure CODE]``: the document type codes ``review --type N=LOẠI``
accepts — sohoa's own types, and with a procedure, its checklist items' own types."""

from __future__ import annotations

import argparse

from sohoa.domain.doctypes import DOC_TYPES, is_item_type
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings

NAME = "types"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="các mã loại giấy tờ dùng được với review --type N=LOẠI",
        description="In mã và tên các loại giấy tờ mà sohoa review --type N=LOẠI nhận. Với "
        "--procedure: thêm mã riêng của từng thành phần hồ sơ của thủ tục đó (dạng "
        "<mã thủ tục>/<thành phần>, với thủ tục từ danh mục quốc gia).")
    parser.add_argument("--procedure", metavar="CODE",
                        help="thêm các loại giấy tờ riêng của thủ tục này")


def run(args: argparse.Namespace, settings: Settings) -> int:
    print("Loại giấy tờ (mã — tên):")
    width = max(len(t.code) for t in DOC_TYPES)
    print("\n".join(f"  {t.code:<{width}}  {t.name}" for t in DOC_TYPES if t.is_document))
    if args.procedure:
        procedure = procedure_directory(settings).get(args.procedure)
        own = [(code, item.name) for item in procedure.scanned_items
               for code in item.doc_types if is_item_type(code)]
        print(f"Loại giấy tờ riêng của thủ tục {procedure.code} {procedure.name}:")
        print("\n".join(f"  {code}  {name}" for code, name in own) or
              "  (không có: thủ tục dùng các loại giấy tờ ở trên)")
    return 0
