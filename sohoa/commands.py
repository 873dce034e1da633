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
from sohoa.pipeline import tesseract
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.signers import SignerHandle, load_signer
from sohoa.pipeline.verify import describe, trust_roots_for, verify_pdf
from sohoa.settings import Settings


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
    return DocumentMetadata(title=title, digitized_at=dg.vietnam_now(),
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


def catalog(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa catalog [CODE]``: the procedures, or one procedure's checklist."""
    from sohoa.schemas.procedures import describe_catalog, describe_procedure, load_catalog

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
