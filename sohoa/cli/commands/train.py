"""``sohoa train DIR --out MODEL``: a page classifier learned from labelled scans."""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.options import common_options
from sohoa.cli.progress import progress
from sohoa.pipeline import tesseract
from sohoa.services.training import labelled_files, page_count, train_from_folder
from sohoa.settings import Settings

NAME = "train"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="huấn luyện mô hình phân loại trang từ bản quét đã gán nhãn",
        description="DIR chứa một thư mục con cho mỗi loại giấy tờ, đặt tên theo mã loại "
        "(ví dụ DIR/giay_chung_sinh/*.jpg); mọi trang của các tệp trong đó được gán loại "
        "ấy. Mô hình được ghi ra --out và dùng qua --model hoặc SOHOA_MODEL.")
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--out", required=True, type=Path, metavar="MODEL",
                        help="tệp mô hình sẽ ghi")
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    total = page_count(labelled_files(args.folder), settings)
    with progress(total, args.quiet, "Đọc trang") as bar:
        model, counts = train_from_folder(args.folder, settings, bar.update)
    model.save(args.out)
    print(f"Đã huấn luyện mô hình {model.version} từ {sum(counts.values())} trang, "
          f"{len(counts)} loại giấy tờ → {args.out}")
    for label, n in sorted(counts.items()):
        print(f"  {label}: {n} trang")
    return 0
