"""``sohoa demo``: intake of the bundled sample dossier on the embedded default, then a check.

Shows the whole path a clerk's scan takes — raw scan stored, pages straightened and read,
signed PDF/A stored under the dossier, catalog updated — and then proves the stored files
are intact and their signatures valid.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from sohoa.commands import progress
from sohoa.domain.procedures import load_catalog
from sohoa.intake import (
    IntakeReport,
    accept_batch,
    intake_report,
    print_report,
    process_batch,
)
from sohoa.pipeline import tesseract
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext, open_context
from sohoa.settings import Settings

DEMO_PROCEDURE = "1.001193"  # Đăng ký khai sinh


def sample_files() -> list[Path]:
    """The bundled sample scans (a birth registration form and a birth certificate)."""
    folder = resources.files("sohoa") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name[0] != "_"
                  and p.suffix.lower() in {".jpg", ".pdf", ".png", ".tif", ".tiff"})


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    files = sample_files()
    print(f"Hồ sơ mẫu (thủ tục {DEMO_PROCEDURE} Đăng ký khai sinh): "
          + ", ".join(p.name for p in files))
    procedure = load_catalog(settings.catalog_path).get(DEMO_PROCEDURE)
    ctx = open_context(settings)
    try:
        batch, refused = accept_batch(ctx, procedure, files)
        with progress(batch.page_count, args.quiet) as bar:
            process_batch(ctx, batch, bar.update)
        report = intake_report(ctx, procedure, batch, refused)
        print_report(report, settings)
        return _check(ctx, report)
    finally:
        ctx.close()


def _check(ctx: WorkContext, report: IntakeReport) -> int:
    """Read every stored document back: SHA-256 checked by the store, signature verified."""
    record = ctx.catalog.dossier(report.dossier_code)
    print("Kiểm tra lại từ kho (re-read from the store, SHA-256 and signature checked):")
    trust = trust_roots_for(ctx.settings.signing)
    valid = 0
    for doc in record.documents:
        data = ctx.objects.get(doc.key, doc.sha256)
        check = verify_pdf(data, trust)
        valid += check.valid
        where = getattr(ctx.objects, "data_path", lambda k: k)(doc.key)
        state = "chữ ký hợp lệ" if check.valid else "CHỮ KÝ KHÔNG HỢP LỆ"
        print(f"  {doc.title}: {doc.page_count} trang, {state} → {where}")
    print(f"Xong: {valid}/{len(record.documents)} tài liệu đã ký và lưu cho hồ sơ "
          f"{report.dossier_code}. Xem: sohoa verify <tệp.pdf>")
    return 0 if report.ok and valid == len(record.documents) else 1
