"""``sohoa fetch CODE [DOC] --out DIR``: a dossier's signed documents, hash-checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.operator import operator, origin
from sohoa.cli.options import INTEGER
from sohoa.processing.context import open_context
from sohoa.services.fetch import fetch_documents
from sohoa.settings import Settings

NAME = "fetch"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="tải tài liệu đã ký của một hồ sơ về thư mục (kiểm tra mã băm)",
        description="Chép tài liệu đã ký của hồ sơ CODE (tất cả, hoặc tài liệu số DOC) từ kho "
        "lưu trữ vào thư mục DIR, đúng phiên bản đã ký, kiểm tra SHA-256 với danh mục; ghi "
        "nhật ký truy cập. Sau đó có thể chạy sohoa verify DIR/*.pdf mà không cần công cụ "
        "S3.")
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    parser.add_argument("doc", nargs="?", type=INTEGER, metavar="DOC",
                        help="số thứ tự tài liệu (mặc định: tất cả)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="thư mục nhận tệp")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with open_context(settings) as ctx:
        fetched = fetch_documents(ctx, operator(), args.code, args.doc, args.out, origin())
    for doc in fetched:
        print(f"{doc.path}  {doc.size} byte  sha256 {doc.sha256}")
    print(f"Đã tải {len(fetched)} tài liệu của hồ sơ {args.code} vào {args.out} (mã băm "
          "khớp danh mục). Kiểm tra chữ ký: sohoa verify " + str(args.out / "*.pdf"))
    return 0
