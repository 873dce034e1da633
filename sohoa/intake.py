"""Intake of a new dossier on the embedded default: raw scans first, then signed documents.

Order matters: every raw scan is stored and recorded before any processing starts, so a
crash later loses nothing the citizen handed in. The pages of all files form one page stream
that is classified and cut into documents (:mod:`sohoa.classification`); each document
becomes one signed PDF/A, and the checklist verdict is stored with the dossier.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sohoa import digitize as dg
from sohoa.classification import (
    NO_OVERRIDES,
    Analysis,
    Overrides,
    StreamPage,
    analyse,
    describe,
    page_stream,
    type_name,
)
from sohoa.pipeline import tesseract
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.classify.learned import LearnedModel, load_model
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.pipeline.document import build_document, document_text
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.signers import SignerHandle, load_signer
from sohoa.schemas.procedures import Procedure, load_catalog
from sohoa.settings import Settings
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.objects import ObjectStore, document_key, raw_scan_key, sha256_hex, text_key
from sohoa.storage.records import DossierStatus


@dataclass
class IntakeReport:
    """What the clerk is told after an intake."""

    dossier_code: str
    procedure: Procedure
    analysis: Analysis | None = None
    documents: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    first_ordinal: int = 1
    first_page: int = 0
    """Where this batch's documents and pages start in the dossier (after earlier batches)."""

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


def cover_dossier(planned: Sequence[dg.FileResult], procedure: Procedure, stores: Stores,
                  settings: Settings) -> str | None:
    """The registered dossier a sohoa cover sheet on the stack's first page names, if any.

    A cover printed with ``sohoa cover --new`` carries the dossier code in its QR: scanning
    it on top of the stack links the batch to that dossier instead of opening a new one.
    """
    from sohoa.errors import SohoaError
    from sohoa.pipeline import load
    from sohoa.pipeline.classify.qr import decode_qr, parse_sheet

    first = next((r for r in planned if r.error is None), None)
    if first is None:
        return None
    try:
        page = load.load_page(first.source, 0, settings.limits)
    except SohoaError:
        return None
    for payload in decode_qr(page.pixels, page.dpi):
        sheet = parse_sheet(payload)
        if (sheet and sheet.kind == "cover" and sheet.dossier_code
                and sheet.procedure_code == procedure.code
                and stores.catalog.has_dossier(sheet.dossier_code)):
            return sheet.dossier_code
    return None


def intake_dossier(procedure: Procedure, planned: Sequence[dg.FileResult], settings: Settings,
                   stores: Stores, signer: SignerHandle, model: LearnedModel | None = None,
                   overrides: Overrides = NO_OVERRIDES,
                   on_page: Callable[[], None] = lambda: None) -> IntakeReport:
    """Register a dossier (or take the one the stack's cover sheet names), store its raw
    scans, digitize, classify, store its documents.

    ``planned`` comes from :func:`sohoa.digitize.plan_files` (so the caller knows the page
    count for its progress bar before the work starts).
    """
    received_at = dg.vietnam_now()
    code = cover_dossier(planned, procedure, stores, settings)
    if code is None:
        code = stores.catalog.new_dossier(procedure.code, settings.agency_code, received_at)
    else:
        stores.catalog.set_status(code, DossierStatus.DUOC_TIEP_NHAN)
    earlier = stores.catalog.dossier(code)
    report = IntakeReport(code, procedure, first_ordinal=len(earlier.documents) + 1,
                          first_page=len(earlier.pages))
    raw_keys = store_raw_scans(code, [r.source for r in planned], stores, received_at,
                               settings.limits.max_file_bytes)
    with tempfile.TemporaryDirectory(prefix="sohoa-") as work:
        results = list(dg.process_files(planned, settings, Path(work), on_page))
        report.failures = [line for r in sorted(results, key=lambda r: r.position)
                           for line in _failures(r)]
        stream = page_stream(results)
        report.analysis = analyse(procedure, stream, model, overrides)
        for n, span in enumerate(report.analysis.documents):
            stored = _store_document(stores, report, n, span, stream, signer, settings)
            if stored is not None:
                report.documents.append(stored)
    _record_pages(stores, code, stream, report, raw_keys)
    verdict = report.analysis.verdict
    stores.catalog.set_verdict(code, verdict.model_dump(mode="json"), verdict.complete)
    return report


def _failures(result: dg.FileResult) -> list[str]:
    name = result.source.name
    lines = [f"{name}: {result.error}"] if result.error else []
    return lines + [f"{name} trang {p['index'] + 1}: {p['reason']}" for p in result.failed_pages]


def _store_document(stores: Stores, report: IntakeReport, n: int, span: DocumentSpan,
                    stream: Sequence[StreamPage], signer: SignerHandle,
                    settings: Settings) -> dict | None:
    """Assemble, sign and store document ``n``; None when none of its pages was readable."""
    results = [stream[i].result for i in span.pages if stream[i].result is not None]
    if not results:
        return None
    assert report.analysis is not None
    ordinal = report.first_ordinal + len(report.documents)
    meta = DocumentMetadata(title=type_name(span.doc_type), digitized_at=dg.vietnam_now(),
                            digitized_by=signer.signer_name, dossier_code=report.dossier_code,
                            procedure_code=report.procedure.code)
    pdf = sign_pdf(build_document(results, meta), signer, settings.signing,
                   now=meta.digitized_at)
    code, slug = report.dossier_code, span.doc_type
    stored = stores.objects.put(document_key(code, ordinal, slug), pdf, "application/pdf")
    stores.objects.put(text_key(code, ordinal, slug), document_text(results).encode(),
                       "text/plain")
    item = report.analysis.item_of(n)
    stores.catalog.add_document(code, ordinal, stored, title=meta.title,
                                page_count=len(results), doc_type=span.doc_type,
                                signed_at=meta.digitized_at, signer=meta.digitized_by,
                                item_id=item)
    return {"ordinal": ordinal, "key": stored.key, "sha256": stored.sha256,
            "pages": [i for i in span.pages if stream[i].result is not None],
            "doc_type": span.doc_type, "item_id": item}


def _record_pages(stores: Stores, code: str, stream: Sequence[StreamPage],
                  report: IntakeReport, raw_keys: dict[int, str]) -> None:
    """Every page of the stream in the catalog, with its type and its document."""
    assert report.analysis is not None
    ordinal_of = {i: doc["ordinal"] for doc in report.documents for i in doc["pages"]}
    for page in stream:
        if page.file_position not in raw_keys:
            continue
        cls = report.analysis.pages[page.index]
        rep = page.result["report"] if page.result else {}
        stores.catalog.add_page(
            code, report.first_page + page.index, raw_scan_key=raw_keys[page.file_position],
            source_page_index=page.source_index, document_ordinal=ordinal_of.get(page.index),
            rotation=rep.get("rotation", 0), deskew_angle=rep.get("deskew_angle", 0.0),
            dpi=rep.get("dpi"), flags=rep.get("flags", ["unreadable"]),
            ocr_confidence=rep.get("confidence"),
            text=page.result["text"] if page.result else "",
            doc_type=cls.doc_type, doc_confidence=cls.confidence)


def print_report(report: IntakeReport, settings: Settings, out: TextIO | None = None) -> None:
    """The clerk's summary: dossier code, verdict, documents, pages to rescan, where things are."""
    out = out or sys.stdout
    print(f"Mã hồ sơ: {report.dossier_code}   (thủ tục {report.procedure.code} "
          f"{report.procedure.name})", file=out)
    if report.analysis is not None:
        print("\n".join(describe(report.analysis)), file=out)
    print("Tài liệu đã ký số và lưu:", file=out)
    for doc in report.documents:
        pages = ", ".join(str(i + 1) for i in doc["pages"])
        print(f"  {doc['ordinal']:>2}. {type_name(doc['doc_type'])} (trang {pages}) → "
              f"{doc['key']}", file=out)
    for line in report.failures:
        print(f"  LỖI {line}", file=out)
    print(f"Kho lưu trữ: {settings.storage.object_root.resolve()}", file=out)
    print(f"Danh mục:    {settings.storage.database_url}", file=out)


def load_classifier(settings: Settings) -> LearnedModel | None:
    return load_model(settings.model_path) if settings.model_path else None


def run_intake(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa intake``: exit 0 when everything was digitized (the verdict is printed; an
    incomplete dossier is the clerk's decision, not an error)."""
    from sohoa.commands import progress

    procedure = load_catalog(settings.catalog_path).get(args.procedure)
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    model = load_classifier(settings)
    stores = Stores.embedded(settings)
    planned = dg.plan_files(args.files, settings)
    with load_signer(settings.signing) as signer, \
            progress(dg.total_pages(planned), args.quiet) as bar:
        report = intake_dossier(procedure, planned, settings, stores, signer, model,
                                on_page=bar.update)
    print_report(report, settings)
    return 0 if report.ok else 1
