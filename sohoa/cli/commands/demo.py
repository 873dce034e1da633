"""``sohoa demo``: intake of the bundled sample dossier on the embedded default, then a check
that every stored document is intact and validly signed."""

from __future__ import annotations

import argparse

from sohoa.cli.options import common_options, verbose_option
from sohoa.cli.progress import progress
from sohoa.cli.report import print_report
from sohoa.pipeline import tesseract
from sohoa.processing.context import open_context
from sohoa.services.demo import DEMO_PROCEDURE, check_stored, sample_files
from sohoa.services.intake import accept_batch, intake_report, process_batch
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings

NAME = "demo"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="chạy thử trên hồ sơ mẫu kèm theo",
        description="Tiếp nhận hồ sơ mẫu (tờ khai khai sinh, giấy chứng sinh) với cấu hình "
        "nhúng mặc định, rồi kiểm tra chữ ký của các tài liệu đã lưu.")
    common_options(parser)
    verbose_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when the sample dossier was digitized and every signature checks out."""
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    files = sample_files()
    print(f"Hồ sơ mẫu (thủ tục {DEMO_PROCEDURE} Đăng ký khai sinh): "
          + ", ".join(p.name for p in files))
    procedure = procedure_directory(settings).get(DEMO_PROCEDURE)
    with open_context(settings) as ctx:
        batch, refused = accept_batch(ctx, procedure, files)
        with progress(batch.page_count, args.quiet) as bar:
            process_batch(ctx, batch, bar.update)
        report = intake_report(ctx, procedure, batch, refused)
        print_report(report, settings, verbose=args.verbose)
        checks = check_stored(ctx, report.dossier_code)
    print("Đọc lại từ kho, kiểm tra SHA-256 và chữ ký số:")
    for check in checks:
        state = "chữ ký hợp lệ" if check.valid else "CHỮ KÝ KHÔNG HỢP LỆ"
        print(f"  {check.title}: {check.page_count} trang, {state} → {check.where}")
    valid = sum(c.valid for c in checks)
    print(f"Xong: {valid}/{len(checks)} tài liệu đã ký và lưu cho hồ sơ "
          f"{report.dossier_code}. Xem: sohoa verify <tệp.pdf>")
    return 0 if report.ok and valid == len(checks) else 1
