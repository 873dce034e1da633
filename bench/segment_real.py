"""Where documents begin, on real scans: page segmentation against the files' own boundaries.

    python -m bench.segment_real [--scans DIR] [--jobs 2] [--limit N] [--quiet]

Every ``hoso01__…NNN.pdf`` in ``../shared/real-scans/`` is one document (1–12 pages) of a
provincial office's records, plus the file's cover (``Bia``) and list of documents (``MLVB``).
Laid end to end in sorted file order they are one long stack whose true split is known: a
document begins at the first page of each file and nowhere else. The rule being measured
(issue 14): a page with its own title is never swallowed as a continuation; continuation needs
positive evidence — no title, plus matching layout, page numbering or text that flows on.

1. Every page is read as the counter's quick look reads it (``bench.classify.read_page``'s
   steps: ``load_page`` then ``quick_look``), ``--jobs`` spawned processes, one Tesseract
   thread each; the results are cached under ``bench/out/segment_real/cache`` by file hash,
   page and a digest of the reading code, so a rerun takes seconds.
2. The whole stream is classified with ``classify_pages(evidence, None)`` (no procedure, no
   learned model), and again with procedure 2.001827 (food-safety certificate, the curated
   procedure closest to this office's work) as the checklist prior; each is ``segment``-ed.
3. Figures per run: file starts found as a new document (recall; the stack's first page always
   is one), false splits (a page 2+ of a file that starts a document: over-splitting), files
   whose pages come out as exactly one document, and file starts labelled as continuation
   (joined to the previous file's document). Then the errors of the run without procedure:
   file, page, what decided and the classifier's reason, and the first two lines of the
   page's OCR text — printed to the terminal only, never written anywhere (real text stays out
   of the repository; the cache lives in the git-ignored ``bench/out``).

A script that prints figures, never a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from bench.classify import PIPELINE_SOURCES, source_digest
from bench.realscans import DEFAULT_SCANS, REPO, page_count, scan_files
from sohoa.domain.procedures import load_catalog
from sohoa.pipeline.classify import rules
from sohoa.pipeline.classify.classifier import TITLE_LINES, classify_pages
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.text import title_like
from sohoa.pipeline.classify.types import DocumentSpan, PageClass, PageEvidence

CACHE = REPO / "bench" / "out" / "segment_real" / "cache"
READING_SOURCES = (*PIPELINE_SOURCES, "sohoa/pipeline/load/pdf.py",
                   "sohoa/pipeline/load/common.py")
"""The code a page's quick look depends on: a change to any of them reads the pages again."""

PRIOR = "2.001827"
"""Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm: the curated procedure nearest to
a food-safety office's records, used as the checklist prior of the second run."""


@dataclass(frozen=True)
class StackPage:
    """One page of the stack: which file, which page of it (0-based), where in the stack."""

    file: str
    page: int
    index: int


def reading_version() -> str:
    return source_digest(REPO / p for p in READING_SOURCES)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def read_page(job: tuple[str, int, str, str]) -> dict:
    """Page ``index`` of a PDF through the quick look, as bench.classify reads a page file;
    cached by file hash, page and reading code."""
    path, index = job[0], job[1]
    cached = from_cache(job)
    if cached is not None:
        return cached
    from sohoa.pipeline.fastpass import quick_look
    from sohoa.pipeline.load import load_page
    from sohoa.settings import LoadLimits, OcrSettings

    started = time.perf_counter()
    look = quick_look(load_page(Path(path), index, LoadLimits()), OcrSettings())
    result = {"text": look.text, "qr": list(look.qr_payloads), "rotation": look.rotation,
              "seconds": round(time.perf_counter() - started, 3)}
    cache_path(job).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def cache_path(job: tuple[str, int, str, str]) -> Path:
    _, index, key_prefix, cache_dir = job
    return Path(cache_dir) / f"{key_prefix}-p{index:03d}.json"


def from_cache(job: tuple[str, int, str, str]) -> dict | None:
    """A page read before with the same file and reading code: no process to start for it."""
    cached = cache_path(job)
    if not cached.exists():
        return None
    return json.loads(cached.read_text(encoding="utf-8")) | {"cached": True}


def read_stack(files: Sequence[Path], jobs: int) -> tuple[list[StackPage], list[dict]]:
    """Every page of every file in order, read (or taken from the cache)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    version = reading_version()
    stack: list[StackPage] = []
    work: list[tuple[str, int, str, str]] = []
    for path in files:
        prefix = f"{file_digest(path)}-{version}"
        for page in range(page_count(path)):
            stack.append(StackPage(path.name, page, len(stack)))
            work.append((str(path), page, prefix, str(CACHE)))
    reads: dict[int, dict] = {n: cached for n, job in enumerate(work)
                              if (cached := from_cache(job)) is not None}
    todo = [n for n in range(len(work)) if n not in reads]
    if todo:
        os.environ["OMP_THREAD_LIMIT"] = "1"  # inherited by the spawned workers and Tesseract
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            done = pool.map(read_page, [work[n] for n in todo], chunksize=1)
            for count, (n, read) in enumerate(zip(todo, done, strict=True), 1):
                reads[n] = read
                if count % 20 == 0:
                    print(f"  {count}/{len(todo)} pages read", file=sys.stderr, flush=True)
    return stack, [reads[n] for n in range(len(work))]


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Scores:
    label: str
    files: int
    pages: int
    inner_pages: int
    """Pages 2+ of their file: where a split would be false."""

    starts_found: int
    false_splits: int
    exact: int
    joined: int
    """File starts that came out inside the previous file's document."""

    labelled_continuation: int
    """File starts the classifier marked as continuation (segment may still split them)."""

    sheets: int
    documents_found: int
    missed: list[int]
    split: list[int]


def starts_of(classes: Sequence[PageClass], spans: Sequence[DocumentSpan]) -> set[int]:
    """Stack indexes where a document begins; a cover or separator sheet (no document) counts
    as a break as well."""
    starts = {s.pages[0] for s in spans}
    return starts | {c.index for c in classes if not any(c.index in s.pages for s in spans)}


def score(label: str, stack: Sequence[StackPage], classes: Sequence[PageClass],
          spans: Sequence[DocumentSpan]) -> Scores:
    starts = starts_of(classes, spans)
    first = {p.index for p in stack if p.page == 0}
    by_file: dict[str, tuple[int, ...]] = {}
    for p in stack:
        by_file[p.file] = (*by_file.get(p.file, ()), p.index)
    found = {tuple(s.pages) for s in spans}
    sheets = [c for c in classes if not any(c.index in s.pages for s in spans)]
    return Scores(
        label, len(by_file), len(stack), len(stack) - len(first),
        starts_found=len(first & starts), false_splits=len(starts - first),
        exact=sum(pages in found for pages in by_file.values()),
        joined=len(first - starts),
        labelled_continuation=sum(classes[i].continuation for i in first),
        sheets=len(sheets), documents_found=len(spans),
        missed=sorted(first - starts), split=sorted(starts - first))


# --- reporting -------------------------------------------------------------------------------


def short(name: str) -> str:
    """``hoso01__001.03.08.H30.81.2024.K4.01.01.007.pdf`` → ``007``; ``Bia_hoso01``, …"""
    stem = name.removesuffix(".pdf").removeprefix("hoso01__")
    return stem.rsplit(".", 1)[-1] if stem[:1].isdigit() else stem


def head(text: str, lines: int = 2) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip()][:lines]
    return " ⏎ ".join(kept) or "(không có chữ)"


def print_table(runs: Sequence[Scores]) -> None:
    s0 = runs[0]
    print(f"\n{s0.files} files (= documents in truth), {s0.pages} pages, "
          f"{s0.inner_pages} pages 2+ of a file")
    print("| measure | " + " | ".join(s.label for s in runs) + " |")
    print("|---|" + "---|" * len(runs))
    rows = [
        ("documents found", lambda s: s.documents_found),
        ("file starts found as a new document (recall)",
         lambda s: f"{s.starts_found}/{s.files} ({s.starts_found / s.files:.1%})"),
        ("false splits inside a file (over-splitting)",
         lambda s: f"{s.false_splits}/{s.inner_pages} ({s.false_splits / s.inner_pages:.1%})"),
        ("files exactly one document", lambda s: f"{s.exact}/{s.files} ({s.exact / s.files:.1%})"),
        ("file starts joined to the file before", lambda s: s.joined),
        ("file starts labelled continuation", lambda s: s.labelled_continuation),
        ("pages taken as cover/separator sheets", lambda s: s.sheets),
    ]
    for label, get in rows:
        print(f"| {label} | " + " | ".join(str(get(s)) for s in runs) + " |")


def print_files(stack: Sequence[StackPage], classes: Sequence[PageClass],
                spans: Sequence[DocumentSpan]) -> None:
    """Per file: its pages as the segmenter cut them ('|' before a page that starts a
    document) and the first page's type."""
    starts = starts_of(classes, spans)
    print("\nPer file (no procedure): pages, cut ('|' = a document starts), first page → type")
    files: dict[str, list[StackPage]] = {}
    for p in stack:
        files.setdefault(p.file, []).append(p)
    for name, pages in files.items():
        cut = "".join(("|" if p.index in starts else "·") + str(p.page + 1) for p in pages)
        ok = "ok " if cut.count("|") == 1 and cut.startswith("|") else "ERR"
        first = classes[pages[0].index]
        print(f"  {ok} {short(name):>10} {len(pages):2d} p  {cut:<34} {first.doc_type} "
              f"({first.source})")


TABLE_ROWS = 2
"""This many of a page's first lines cut by a ruling ("|") make it a table page."""


def split_kind(text: str) -> str:
    """What a falsely split page shows at its top, roughly (for counting kinds of error, not
    a verdict): a national or agency header — a paper of its own filed with the document (a
    letter's enclosure); an uppercase title — an annex, a closing sheet; table rows; or
    running text that gave no sign of going on."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if rules.has_national_header(text):
        return "header"
    if any(title_like(line) for line in lines[:TITLE_LINES]):
        return "title"
    if sum("|" in line for line in lines[:12]) >= TABLE_ROWS:
        return "table"
    return "text"


def print_errors(scores: Scores, stack: Sequence[StackPage], classes: Sequence[PageClass],
                 reads: Sequence[dict]) -> None:
    kinds = Counter(split_kind(reads[i]["text"]) for i in scores.split)
    print(f"\nErrors ({scores.label}): {len(scores.missed)} file starts joined, "
          f"{len(scores.split)} false splits — by what the page shows at its top: "
          + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    for kind, indexes in (("JOINED", scores.missed), ("SPLIT", scores.split)):
        for i in indexes:
            page, cls = stack[i], classes[i]
            what = f" ({split_kind(reads[i]['text'])})" if kind == "SPLIT" else ""
            print(f"- {kind}{what} {short(page.file)} p{page.page + 1}: {cls.doc_type} "
                  f"[{cls.source}{', tiếp' if cls.continuation else ''}] {cls.reason}")
            print(f"      OCR: {head(reads[i]['text'])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.segment_real", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=Path, default=DEFAULT_SCANS,
                        help="folder of the real scans (default ../shared/real-scans)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--quiet", action="store_true", help="figures only, no per-file list")
    args = parser.parse_args(argv)
    if not args.scans.is_dir():
        print(f"real scans not found at {args.scans}: nothing to measure (skipped)")
        return 0
    started = time.perf_counter()
    stack, reads = read_stack(scan_files(args.scans, args.limit), args.jobs)
    fresh = sum(not r.get("cached") for r in reads)
    evidence = [PageEvidence(p.index, r["text"], tuple(r["qr"]))
                for p, r in zip(stack, reads, strict=True)]
    procedure = load_catalog().get(PRIOR)
    runs = []
    for label, proc in (("no procedure", None), (f"prior {PRIOR}", procedure)):
        classes = classify_pages(evidence, None, procedure=proc)
        spans = segment(classes)
        runs.append((score(label, stack, classes, spans), classes, spans))
    print(f"Real scans {args.scans}: {len(stack)} pages read in "
          f"{time.perf_counter() - started:.0f} s ({fresh} read now, the rest from the cache)")
    print_table([r[0] for r in runs])
    scores, classes, spans = runs[0]
    if not args.quiet:
        print_files(stack, classes, spans)
    print_errors(scores, stack, classes, reads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
