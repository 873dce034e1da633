"""``sohoa demo``: intake of the bundled sample dossier on the embedded default, then a check.

Shows the whole path a clerk's scan takes — raw scan stored, pages straightened and read,
signed PDF/A stored under the dossier, catalog updated — and then proves the stored files
are intact and their signatures valid.
"""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from sohoa import digitize as dg
from sohoa.commands import progress
from sohoa.intake import Stores, intake_dossier, load_classifier, print_report
from sohoa.pipeline import tesseract
from sohoa.pipeline.signers import load_signer
from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.schemas.procedures import load_catalog
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
    stores = Stores.embedded(settings)
    planned = dg.plan_files(files, settings)
    with load_signer(settings.signing) as signer, \
            progress(dg.total_pages(planned), args.quiet) as bar:
        report = intake_dossier(procedure, planned, settings, stores, signer,
                                load_classifier(settings), on_page=bar.update)
    print_report(report, settings)
    record = stores.catalog.dossier(report.dossier_code)
    print("Kiểm tra lại từ kho (re-read from the store, SHA-256 and signature checked):")
    trust = trust_roots_for(settings.signing)
    valid = 0
    for doc in record.documents:
        data = stores.objects.get(doc.key, doc.sha256)
        check = verify_pdf(data, trust)
        valid += check.valid
        where = getattr(stores.objects, "data_path", lambda k: k)(doc.key)
        state = "chữ ký hợp lệ" if check.valid else "CHỮ KÝ KHÔNG HỢP LỆ"
        print(f"  {doc.title}: {doc.page_count} trang, {state} → {where}")
    print(f"Xong: {valid}/{len(record.documents)} tài liệu đã ký và lưu cho hồ sơ "
          f"{report.dossier_code}. Xem: sohoa verify <tệp.pdf>")
    return 0 if report.ok and valid == len(record.documents) else 1
