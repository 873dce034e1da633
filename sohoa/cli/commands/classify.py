"""``sohoa classify --procedure CODE FILE...``: page types, documents, verdict; nothing stored."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sohoa.cli.options import (
    common_options,
    correction_options,
    files_argument,
    json_option,
    procedure_option,
)
from sohoa.cli.progress import progress
from sohoa.cli.report import describe
from sohoa.domain.corrections import Corrections
from sohoa.pipeline import tesseract
from sohoa.pipeline.classify.learned import load_model
from sohoa.services.classify import classify_files, planned_pages
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings

NAME = "classify"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="phân loại trang, tách tài liệu và kết luận đủ/thiếu (không lưu)",
        description="Nhận diện loại giấy tờ của từng trang, tách xấp giấy thành các tài liệu "
        "và đối chiếu với thành phần hồ sơ của thủ tục CODE. Không lưu gì. Cán bộ có thể sửa "
        "kết quả: --type, --split, --join (số trang tính từ 1, theo thứ tự quét).")
    procedure_option(parser)
    files_argument(parser)
    json_option(parser)
    parser.add_argument("--fast", action="store_true",
                        help="chỉ đọc phần đầu trang (nhanh, như tại quầy)")
    parser.add_argument("--model", type=Path, metavar="PATH",
                        help="mô hình phân loại đã huấn luyện (sohoa train)")
    correction_options(parser)
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when every page of every file was read."""
    procedure = procedure_directory(settings).get(args.procedure)
    model_path = args.model or settings.model_path
    model = load_model(model_path) if model_path else None
    corrections = Corrections.from_command_line(args.types, args.split, args.join)
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    planned, pages = planned_pages(args.files, settings)
    with progress(pages, args.quiet, "Phân loại") as bar:
        found = classify_files(procedure, planned, settings, model, corrections,
                               quick=args.fast, on_page=bar.update)
    for result in found.files:
        if result.error:
            print(f"LỖI {result.source.name}: {result.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(found.analysis, procedure)))
    return 0 if found.ok else 1
