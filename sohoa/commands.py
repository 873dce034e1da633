"""What each ``sohoa`` sub-command does, between argument parsing and the library."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from sohoa import digitize as dg
from sohoa.clock import vietnam_now
from sohoa.domain.corrections import Corrections
from sohoa.pipeline import tesseract
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.signers import SignerHandle, load_signer
from sohoa.pipeline.verify import describe, trust_roots_for, verify_pdf
from sohoa.settings import Settings, check_production


@contextmanager
def progress(total: int, quiet: bool, desc: str = "Số hóa") -> Iterator[tqdm]:
    """A page progress bar on stderr (hidden with --quiet or when nothing to count)."""
    with tqdm(total=total, desc=desc, unit="trang", disable=quiet or total == 0,
              file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar


def digitize(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa digitize``: one signed PDF/A, text and JSON per input file."""
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
                dg.finish_file(result, signer, settings, _metadata(stem, signer, settings))
            if result.pdf is not None:
                dg.write_outputs(result, args.out, stem)
            failures += _report(result, args.out / f"{stem}.pdf", bar)
    return 1 if failures else 0


def _metadata(title: str, signer: SignerHandle, settings: Settings,
              dossier: str | None = None, procedure: str | None = None) -> DocumentMetadata:
    return DocumentMetadata(title=title, digitized_at=vietnam_now(),
                            digitized_by=signer.signer_name or settings.digitizer,
                            dossier_code=dossier, procedure_code=procedure)


def _report(result: dg.FileResult, target: Path, bar: tqdm) -> int:
    """Print one line per file (and per failed page); 1 when the file did not fully succeed."""
    name = result.source.name
    if result.error is not None:
        bar.write(f"LỖI {name}: {result.error}", file=sys.stderr)
        return 1
    for page in result.failed_pages:
        bar.write(f"LỖI {name} trang {page['index'] + 1}: {page['reason']}", file=sys.stderr)
    flagged = sum(1 for p in result.pages if p["report"]["flags"])
    note = f", {flagged} trang cần xem lại" if flagged else ""
    bar.write(f"OK  {name} → {target} ({len(result.pages)} trang{note})")
    return 1 if result.failed_pages else 0


def verify(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa verify``: signature status of one PDF; exit 0 only when valid."""
    report = verify_pdf(_read_input(args.file), trust_roots_for(settings.signing))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(report)))
    return 0 if report.valid else 1


def _read_input(path: Path) -> bytes:
    from sohoa.errors import VerificationError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise VerificationError(f"Không đọc được tệp {path.name}: {exc.strerror}") from None


def classify(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa classify``: page types, documents and the verdict; nothing is stored."""
    from sohoa.classification import describe, page_stream
    from sohoa.domain.procedures import load_catalog
    from sohoa.pipeline.classify.analysis import analyse
    from sohoa.pipeline.classify.learned import load_model

    procedure = load_catalog(settings.catalog_path).get(args.procedure)
    model_path = args.model or settings.model_path
    model = load_model(model_path) if model_path else None
    corrections = Corrections.from_command_line(args.types, args.split, args.join)
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    planned = dg.plan_files(args.files, settings)
    with tempfile.TemporaryDirectory(prefix="sohoa-") as work, \
            progress(dg.total_pages(planned), args.quiet, "Phân loại") as bar:
        results = list(dg.process_files(planned, settings, Path(work), bar.update,
                                        mode="quick" if args.fast else "full"))
    stream = page_stream(results)
    analysis = analyse(procedure, stream, model, corrections)
    for result in results:
        if result.error:
            print(f"LỖI {result.source.name}: {result.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(analysis_json(analysis, stream), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(analysis)))
    return 0 if all(r.error is None and not r.failed_pages for r in results) else 1



def analysis_json(analysis, stream) -> dict:
    """Everything ``sohoa classify --json`` prints (page numbers 0-based, as stored)."""
    from dataclasses import asdict

    pages = [{**asdict(cls), "file": stream[cls.index].file_position,
              "page_in_file": stream[cls.index].source_index} for cls in analysis.pages]
    return {"pages": pages, "documents": [asdict(d) for d in analysis.documents],
            "verdict": analysis.verdict.model_dump(mode="json")}


def train(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa train DIR --out MODEL``."""
    from sohoa.training import labelled_files, train_from_folder

    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    total = dg.total_pages(dg.plan_files([f.path for f in labelled_files(args.folder)],
                                         settings))
    with progress(total, args.quiet, "Đọc trang") as bar:
        model, counts = train_from_folder(args.folder, settings, bar.update)
    model.save(args.out)
    print(f"Đã huấn luyện mô hình {model.version} từ {sum(counts.values())} trang, "
          f"{len(counts)} loại giấy tờ → {args.out}")
    for label, n in sorted(counts.items()):
        print(f"  {label}: {n} trang")
    return 0


def cover(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa cover``: a printable cover sheet and separator sheets for a procedure."""
    from sohoa.domain.dossier_code import parse_dossier_code
    from sohoa.domain.procedures import load_catalog
    from sohoa.pipeline.cover import cover_sheets_pdf

    procedure = load_catalog(settings.catalog_path).get(args.procedure)
    dossier = str(parse_dossier_code(args.dossier)) if args.dossier else None
    if args.new:
        dossier = register_dossier(procedure.code, settings)
        print(f"Đã đăng ký hồ sơ {dossier} (mới đăng ký)")
    out = args.out or Path(f"bia-{procedure.code}{'-' + dossier if dossier else ''}.pdf")
    out.write_bytes(cover_sheets_pdf(procedure, dossier))
    sheets = 1 + len(procedure.scanned_items)
    print(f"Đã ghi {out} ({sheets} tờ: bìa hồ sơ và {sheets - 1} tờ phân cách)")
    return 0


def register_dossier(procedure_code: str, settings: Settings) -> str:
    """A new dossier code in status 1 (mới đăng ký), for a cover printed before scanning."""
    from sohoa.processing.context import open_catalog
    from sohoa.storage.records import DossierStatus

    catalog_ = open_catalog(settings.storage)
    code = catalog_.new_dossier(procedure_code, settings.agency_code, vietnam_now())
    catalog_.set_status(code, DossierStatus.MOI_DANG_KY)
    return code


def catalog(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa catalog [CODE]``: the procedures, or one procedure's checklist."""
    from sohoa.domain.procedures import describe_catalog, describe_procedure, load_catalog

    procedures = load_catalog(settings.catalog_path)
    if args.code is None:
        print("\n".join(describe_catalog(procedures)))
    else:
        print("\n".join(describe_procedure(procedures.get(args.code))))
    return 0


def intake(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.intake import run_intake

    return run_intake(args, settings)


def demo(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.demo import run_demo

    return run_demo(args, settings)


def worker(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.workers.run import run_worker

    return run_worker(args, settings)


def recover(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.workers.run import run_recover

    return run_recover(args, settings)


def dossier(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa dossier CODE``: exit 0 when its latest batch is done without failures."""
    from sohoa.intake import latest_report, print_report
    from sohoa.processing.context import open_context

    ctx = open_context(settings)
    try:
        report = latest_report(ctx, args.code)
    finally:
        ctx.close()
    print_report(report, settings)
    return 0 if report.ok else 1


def receipt(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa receipt CODE``: the receipt, or the supplement notice for an incomplete one."""
    from sohoa.pipeline.receipt import Applicant
    from sohoa.processing.context import open_context
    from sohoa.receipts import dossier_paper

    ctx = open_context(settings)
    try:
        typed = Applicant(args.name, args.address, args.contact)
        kind, pdf = dossier_paper(ctx, args.code, typed, args.receiver, args.fees)
    finally:
        ctx.close()
    stem = "giay-tiep-nhan" if kind == "receipt" else "yeu-cau-bo-sung"
    out = args.out or Path(f"{stem}-{args.code}.pdf")
    out.write_bytes(pdf)
    what = ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả" if kind == "receipt"
            else "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (hồ sơ chưa đầy đủ)")
    print(f"Đã ghi {out}: {what}")
    return 0


def review(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa review CODE``: corrections merged into the batch's, verdict again; --accept."""
    from sohoa.intake import latest_report, print_report, process_messages
    from sohoa.processing import review as reviewing
    from sohoa.processing.context import open_context

    ctx = open_context(settings)
    try:
        number = ctx.catalog.batches.latest_number(args.code)
        batch = ctx.catalog.batches.batch(args.code, number)
        changes = Corrections.from_command_line(args.types, args.split, args.join, args.remove,
                                                args.order)
        if not changes.empty:
            reviewing.review(ctx, args.code, number, batch.corrections.merged(changes))
        if args.accept:
            process_messages(ctx, reviewing.accept(ctx, args.code, number))
        report = latest_report(ctx, args.code)
    finally:
        ctx.close()
    print_report(report, settings)
    return 0 if not report.failures else 1


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa serve``: the counter web app (:mod:`sohoa.api`) under uvicorn."""
    import uvicorn

    from sohoa.api.app import create_app
    from sohoa.api.settings import CounterSettings

    check_production(settings)
    counter = CounterSettings.from_env()
    if settings.production and not counter.secure_cookies:
        from sohoa.errors import ConfigurationError

        raise ConfigurationError("SOHOA_SECURE_COOKIES=0 chỉ dùng khi phát triển: khi vận hành "
                                 "phiên đăng nhập chỉ đi qua HTTPS")
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    app = create_app(settings, counter)
    print(f"Quầy tiếp nhận: http://{args.host}:{args.port}/  (Ctrl+C để dừng)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def scanners(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa scanners``: the devices SANE sees, or what one device offers."""
    from sohoa.scanner_bridge import sane

    sane_settings = sane.SaneSettings(config_dir=args.sane_config)
    devices = sane.list_devices(sane_settings)
    print("\n".join(sane.describe_devices(devices)))
    if args.device:
        device = next((d for d in devices if d.name == args.device), None)
        if device is None:
            from sohoa.errors import ScannerError

            raise ScannerError(f"Không có máy quét {args.device!r}", reason="no-device")
        print("\n".join(sane.describe_options(sane.device_options(sane_settings, device))))
    return 0


def hot_folder_settings(folder: Path, group_s: float):
    """Inbox ``folder``; done, quarantine and the ledger beside it (one file system)."""
    from sohoa.scanner_bridge.hotfolder import HotFolderSettings

    base = folder.resolve().parent
    return HotFolderSettings(inbox=folder, done=base / "da-nhan", quarantine=base / "cach-ly",
                             state=base / ".sohoa-thu-muc-nong", group_s=group_s)


def watch(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa watch DIR``: every scan session written to DIR becomes a dossier."""
    import time

    from sohoa.domain.procedures import load_catalog
    from sohoa.processing.context import open_context
    from sohoa.scanner_bridge.feeds import intake_handler
    from sohoa.scanner_bridge.hotfolder import HotFolder

    procedure = load_catalog(settings.catalog_path).get(args.procedure)
    ctx = open_context(settings)
    handle = intake_handler(ctx, procedure, hold=args.review,
                            on_batch=lambda code: print(f"Đã tiếp nhận hồ sơ {code}", flush=True))
    folder = HotFolder(hot_folder_settings(args.folder, args.group), handle_batch=handle)
    print(f"Đang theo dõi {args.folder} (thủ tục {procedure.code}); dừng: Ctrl+C", flush=True)
    try:
        with folder:
            while True:
                time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        ctx.close()
