"""``sohoa digitize FILE... --out DIR``: a signed PDF/A, its text and a JSON report per file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from sohoa.cli.options import common_options, files_argument
from sohoa.cli.progress import progress
from sohoa.pipeline import tesseract
from sohoa.pipeline.signers import load_signer
from sohoa.services import digitize as dg
from sohoa.settings import Settings

NAME = "digitize"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="số hóa tệp quét thành PDF/A đã ký (không lưu vào kho)",
        description="Mỗi tệp vào (JPEG, PNG, TIFF nhiều trang, PDF) cho ra DIR/<tên>.pdf "
        "(PDF/A-2b đã ký số), DIR/<tên>.txt (văn bản OCR, các trang cách nhau bởi ký tự "
        "form feed) và DIR/<tên>.json (từng trang: index, rotation, rotation_confidence, "
        "rotation_evidence, deskew_angle, dpi, flags, confidence). Tệp lỗi không làm mất "
        "tệp khác; mã thoát khác 0 nếu có lỗi.")
    files_argument(parser)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="thư mục kết quả")
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 only when every page of every file was digitized."""
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    stems = dg.unique_stems(args.files)
    failures = 0
    planned = dg.plan_files(args.files, settings)
    with load_signer(settings.signing) as signer, \
            tempfile.TemporaryDirectory(prefix="sohoa-") as work, \
            progress(dg.total_pages(planned), args.quiet) as bar:
        for result in dg.process_files(planned, settings, Path(work), bar.update):
            stem = stems[result.position]
            if result.error is None:
                dg.finish_file(result, signer, settings,
                               dg.document_metadata(stem, signer, settings))
            if result.pdf is not None:
                dg.write_outputs(result, args.out, stem)
            failures += _report(result, args.out / f"{stem}.pdf", bar)
    return 1 if failures else 0


def _report(result: dg.FileResult, target: Path, bar: tqdm) -> int:
    """Print one line per file (and per failed page); 1 when the file did not fully succeed."""
    name = result.source.name
    if result.error is not None:
        bar.write(f"LỖI {name}: {result.error}", file=sys.stderr)
        return 1
    for page in result.failed_pages:
        bar.write(f"LỖI {name} trang {page['index'] + 1}: {page['reason']}", file=sys.stderr)
    flagged = sum(1 for p in result.pages if p.report.flags)
    note = f", {flagged} trang cần xem lại" if flagged else ""
    bar.write(f"OK  {name} → {target} ({len(result.pages)} trang{note})")
    return 1 if result.failed_pages else 0
