"""Intake of a new dossier on the embedded default: raw scans first, then signed documents.

Order matters: every raw scan is stored and recorded before any processing starts, so a
crash later loses nothing the citizen handed in. Each input file becomes one document until
classification and segmentation (a later stage) split stacks by content.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sohoa import digitize as dg
from sohoa.errors import InputError
from sohoa.pipeline import tesseract
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.signers import SignerHandle, load_signer
from sohoa.settings import Settings
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.objects import ObjectStore, document_key, raw_scan_key, sha256_hex, text_key

PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")


@dataclass
class IntakeReport:
    """What the clerk is told after an intake."""

    dossier_code: str
    procedure_code: str
    documents: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Stores:
    """The catalog and object store an intake writes to."""

    catalog: Catalog
    objects: ObjectStore

    @classmethod
    def embedded(cls, settings: Settings) -> Stores:
        """SQLite catalog (migrated to the latest schema) and local-directory object store."""
        engine = make_engine(settings.storage.database_url)
        migrate(engine)
        return cls(Catalog(engine), LocalObjectStore(settings.storage.object_root))


def check_procedure(code: str) -> str:
    if not PROCEDURE_CODE.match(code):
        raise InputError(f"Mã thủ tục không hợp lệ: '{code}' (dạng đúng: 1.001193)")
    return code


def store_raw_scans(code: str, files: Sequence[Path], stores: Stores, received_at: datetime,
                    max_bytes: int) -> dict[int, str]:
    """Store each readable input as it is; returns input position → raw scan key."""
    keys = {}
    for n, path in enumerate(files):
        try:
            if path.stat().st_size > max_bytes:
                continue  # refused later by the loader with its typed error
            data = path.read_bytes()
        except OSError:
            continue  # reported by the loader with the reason
        stored = stores.objects.put(raw_scan_key(code, sha256_hex(data), path.name), data)
        stores.catalog.add_raw_scan(code, stored, path.name, received_at)
        keys[n] = stored.key
    return keys


def intake_dossier(procedure: str, planned: Sequence[dg.FileResult], settings: Settings,
                   stores: Stores, signer: SignerHandle,
                   on_page: Callable[[], None] = lambda: None) -> IntakeReport:
    """Register a dossier, store its raw scans, digitize and store each file as a document.

    ``planned`` comes from :func:`sohoa.digitize.plan_files` (so the caller knows the page
    count for its progress bar before the work starts).
    """
    received_at = dg.vietnam_now()
    code = stores.catalog.new_dossier(check_procedure(procedure), settings.agency_code,
                                      received_at)
    report = IntakeReport(code, procedure)
    raw_keys = store_raw_scans(code, [r.source for r in planned], stores, received_at,
                               settings.limits.max_file_bytes)
    finished = []
    with tempfile.TemporaryDirectory(prefix="sohoa-") as work:
        # Each file is assembled and signed as soon as its pages are back, while the pool
        # goes on with the next file.
        for result in dg.process_files(planned, settings, Path(work), on_page):
            meta = _metadata(result, signer, code, procedure)
            if result.error is None:
                dg.finish_file(result, signer, settings, meta)
            finished.append((result, meta))
    page_index = 0
    for result, meta in sorted(finished, key=lambda pair: pair[0].position):
        report.failures += _failures(result)
        if result.pdf is not None and result.position in raw_keys:
            ordinal = len(report.documents) + 1
            report.documents.append(
                _store_document(stores, code, ordinal, result, meta, raw_keys[result.position],
                                page_index))
            page_index += len(result.pages)
    return report


def _metadata(result: dg.FileResult, signer: SignerHandle, code: str,
              procedure: str) -> DocumentMetadata:
    return DocumentMetadata(title=result.source.stem or f"Tài liệu {result.position + 1}",
                            digitized_at=dg.vietnam_now(), digitized_by=signer.signer_name,
                            dossier_code=code, procedure_code=procedure)


def _failures(result: dg.FileResult) -> list[str]:
    name = result.source.name
    lines = [f"{name}: {result.error}"] if result.error else []
    return lines + [f"{name} trang {p['index'] + 1}: {p['reason']}" for p in result.failed_pages]


def _store_document(stores: Stores, code: str, ordinal: int, result: dg.FileResult,
                    meta: DocumentMetadata, raw_key: str, first_index: int) -> dict:
    assert result.pdf is not None
    slug = result.source.stem or "tai-lieu"
    stored = stores.objects.put(document_key(code, ordinal, slug), result.pdf, "application/pdf")
    stores.objects.put(text_key(code, ordinal, slug), result.text.encode(), "text/plain")
    pages = sorted(result.pages, key=lambda r: r["report"]["index"])
    stores.catalog.add_document(code, ordinal, stored, title=meta.title, page_count=len(pages),
                                signed_at=meta.digitized_at, signer=meta.digitized_by)
    for offset, page in enumerate(pages):
        rep = page["report"]
        stores.catalog.add_page(
            code, first_index + offset, raw_scan_key=raw_key, source_page_index=rep["index"],
            document_ordinal=ordinal, rotation=rep["rotation"], deskew_angle=rep["deskew_angle"],
            dpi=rep["dpi"], flags=rep["flags"], ocr_confidence=rep["confidence"],
            text=page["text"])
    flagged = [p["report"] for p in pages if p["report"]["flags"]]
    return {"ordinal": ordinal, "key": stored.key, "sha256": stored.sha256,
            "pages": len(pages), "flagged": flagged, "source": result.source.name}


def print_report(report: IntakeReport, settings: Settings, out: TextIO | None = None) -> None:
    """The clerk's summary: dossier code, documents, pages to rescan, where things are."""
    out = out or sys.stdout
    print(f"Mã hồ sơ: {report.dossier_code}   (thủ tục {report.procedure_code})", file=out)
    for doc in report.documents:
        print(f"  {doc['ordinal']:>2}. {doc['source']}: {doc['pages']} trang, đã ký số → "
              f"{doc['key']}", file=out)
        for page in doc["flagged"]:
            flags = ", ".join(page["flags"])
            print(f"      trang {page['index'] + 1} cần xem lại: {flags}", file=out)
    for line in report.failures:
        print(f"  LỖI {line}", file=out)
    print(f"Kho lưu trữ: {settings.storage.object_root.resolve()}", file=out)
    print(f"Danh mục:    {settings.storage.database_url}", file=out)


def run_intake(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa intake``."""
    from sohoa.commands import progress

    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    check_procedure(args.procedure)
    stores = Stores.embedded(settings)
    planned = dg.plan_files(args.files, settings)
    with load_signer(settings.signing) as signer, \
            progress(dg.total_pages(planned), args.quiet) as bar:
        report = intake_dossier(args.procedure, planned, settings, stores, signer, bar.update)
    print_report(report, settings)
    return 0 if report.ok else 1
