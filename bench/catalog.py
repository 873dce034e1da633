"""Classification against checklists no one hand-wrote: dossiers for procedures of the national
catalog, picked at random, judged by the same classifier, segmenter and verdict as the counter.

    python -m bench.catalog [--procedures 60] [--seed 14] [--ocr [N]] [--jobs 2] [--catalog FILE]

1. Pick ``--procedures`` procedures at random (seeded) from the shipped national catalog,
   leaving out the eight curated ones and those whose checklist has no required paper.
2. For each, two dossiers: *complete* (every required paper of one case — the case drawn at
   random when the procedure lists several — and each conditional paper half the time) and
   *one missing* (a required paper left out). Papers are generated from the item's name as
   offices print them (``sohoa_dev/synth/catalog.py``: upper case, parentheses dropped,
   one in five shortened, one in seven reworded; national motto, form number when the item
   has one, fields, signature; one or two pages); one page in ten is an unrelated paper (news,
   letter, receipt, novel, notice) slipped into the stack.
3. Classify every page from its generated text (what a perfect OCR would read), segment,
   judge; and with ``--ocr`` (60 dossiers, or ``--ocr N``), the pages of dossiers drawn
   evenly over the procedures and both kinds are also drawn at 150 dpi and read by the real
   quick look (Tesseract, ``--jobs`` processes), to see what OCR costs.

Prints: the parse figures over the whole catalog, verdict exactness, page → checklist item
accuracy, unrelated → ``khac``, with the targets (≥ 95 % each). Figures, never assertions.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from sohoa.domain.catalog.reader import read_catalog
from sohoa.domain.catalog.shipped import ShippedCatalog, load_directory
from sohoa.domain.doctypes import KHAC
from sohoa.domain.procedures import ChecklistItem, Procedure, Requirement
from sohoa.domain.verdict import ItemStatus
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.items import paper_key
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import PageEvidence
from sohoa.pipeline.classify.verdict import SAME_PAPER, checklist_verdict, for_case
from sohoa.search.textfold import fold
from sohoa_dev.synth.catalog import render_item
from sohoa_dev.synth.khac import KINDS, render_khac

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.95
UNRELATED_EVERY = 10
OCR_DOSSIERS = 60
"""Dossiers read through OCR by `--ocr` without a number: one of each of the 60 default
procedures, complete and missing alternately, about 340 pages."""


@dataclass
class Page:
    text: str
    truth: str
    """The checklist item's own type, or ``khac`` for an unrelated page."""
    item: ChecklistItem | None
    filled: object = None


@dataclass
class Dossier:
    procedure: Procedure
    kind: str
    case: str | None
    pages: list[Page]
    missing: set[str]
    """Names (folded) of the papers the verdict must report missing: by name, since the same
    paper is listed once per case under different item ids."""
    titles: Counter = field(default_factory=Counter)


def pick_procedures(n: int, seed: int) -> list[Procedure]:
    directory = load_directory()
    codes = [e.code for e in directory.entries() if not e.curated]
    rng = random.Random(seed)
    rng.shuffle(codes)
    chosen = []
    for code in codes:
        procedure = directory.get(code)
        if any(_droppable(procedure, case) for case in _cases_with_required(procedure)):
            chosen.append(procedure)
        if len(chosen) == n:
            break
    return chosen


def _cases_with_required(procedure: Procedure) -> list[str | None]:
    """The cases (None: the procedure has none) whose checklist asks for a required paper."""
    cases: list[str | None] = list(procedure.cases) or [None]
    return [case for case in cases if any(
        i.requirement is Requirement.REQUIRED and i.scanned
        for i in for_case(procedure, case).items)]


def _droppable(procedure: Procedure, case: str | None) -> list[ChecklistItem]:
    """Required papers of the case that every case requires: leaving one out makes the
    dossier incomplete whichever case it is judged in (else it may fit another case)."""
    judged = for_case(procedure, case)
    wanted = [i for i in judged.scanned_items if i.requirement is Requirement.REQUIRED]
    cases: list[str | None] = list(procedure.cases) or [None]
    return [i for i in wanted if all(any(
        fold(o.name) == fold(i.name) and o.requirement is Requirement.REQUIRED
        for o in for_case(procedure, c).items) for c in cases)]


def build(procedure: Procedure, kind: str, seed: int) -> Dossier:
    rng = random.Random(f"{procedure.code}/{kind}/{seed}")
    case = rng.choice([c for c in _cases_with_required(procedure) if _droppable(procedure, c)])
    judged = for_case(procedure, case)
    required = [i for i in judged.scanned_items if i.requirement is Requirement.REQUIRED]
    papers = required + [i for i in judged.scanned_items
                         if i.requirement is Requirement.CONDITIONAL and rng.random() < 0.5]
    papers = _distinct(papers)
    missing: set[str] = set()
    if kind == "missing":
        dropped = rng.choice(_droppable(procedure, case))
        papers = [i for i in papers if fold(i.name) != fold(dropped.name)]
        missing = {fold(dropped.name)}
    rng.shuffle(papers)
    others = {fold(i.name) for i in procedure.items}
    documents: list[list[Page]] = []
    titles: Counter = Counter()
    for n, item in enumerate(papers):
        filled, _, how = render_item(item, seed * 1000 + n, avoid=others - {fold(item.name)})
        titles[how] += 1
        documents.append([Page("\n".join(sheet.sheet.lines), item.doc_types[0], item, sheet)
                          for sheet in filled])
    count = sum(len(d) for d in documents)
    unrelated = max(1, round(count / (UNRELATED_EVERY - 1))) if count >= 3 else \
        int(rng.random() < 0.5)
    for k in range(unrelated):  # between papers: a stray page, not inside one
        sheet = render_khac(random.Random(f"khac/{procedure.code}/{kind}/{k}/{seed}"), 150, 1,
                            rng.choice(KINDS))[0]
        documents.insert(rng.randrange(len(documents) + 1),
                         [Page("\n".join(sheet.sheet.lines), KHAC, None, sheet)])
    pages = [page for document in documents for page in document]
    return Dossier(procedure, kind, case, pages, missing, titles)


def _distinct(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """One paper per name: the same paper listed twice (once per case) is handed in once."""
    seen, out = set(), []
    for item in items:
        if fold(item.name) not in seen:
            seen.add(fold(item.name))
            out.append(item)
    return out


@dataclass
class Scores:
    dossiers: int = 0
    exact: int = 0
    pages: int = 0
    pages_right: int = 0
    unrelated: int = 0
    unrelated_khac: int = 0
    wrong: list[str] = field(default_factory=list)


def judge(dossier: Dossier, texts: list[str], scores: Scores) -> None:
    procedure = dossier.procedure
    evidence = [PageEvidence(i, text) for i, text in enumerate(texts)]
    classes = classify_pages(evidence, None, procedure=procedure)
    verdict = checklist_verdict(procedure, segment(classes))
    found_missing = {fold(i.name) for i in verdict.items if i.status is ItemStatus.MISSING}
    exact = found_missing == dossier.missing and verdict.complete == (not dossier.missing)
    scores.dossiers += 1
    scores.exact += exact
    if not exact:
        scores.wrong.append(f"{procedure.code} {dossier.kind}: missing {sorted(found_missing)} "
                            f"expected {sorted(dossier.missing)}")
    for page, decided in zip(dossier.pages, classes, strict=True):
        if page.item is None:
            scores.unrelated += 1
            scores.unrelated_khac += decided.doc_type == KHAC
            continue
        scores.pages += 1
        right = any(_accepts(procedure, page.item, t) for t in (decided.doc_type, *decided.also))
        scores.pages_right += right
        if not right:
            scores.wrong.append(f"{procedure.code} page → {decided.doc_type} "
                                f"({decided.reason[:90]}), truth {page.truth}")


def _accepts(procedure: Procedure, item: ChecklistItem, doc_type: str) -> bool:
    if doc_type in item.doc_types:
        return True
    owner = next((i for i in procedure.items if i.doc_types[0] == doc_type), None)
    return owner is not None and fuzz.ratio(paper_key(owner.name),
                                            paper_key(item.name)) >= SAME_PAPER


def spread(dossiers: list[Dossier], count: int) -> list[Dossier]:
    """``count`` dossiers taken evenly along the list (procedures in drawn order, each one's
    complete and missing dossiers side by side), so OCR sees as many procedures and both
    kinds, not just the first few procedures."""
    if count >= len(dossiers):
        return list(dossiers)
    step = len(dossiers) / count
    return [dossiers[int(n * step)] for n in range(count)]


def ocr_texts(dossiers: list[Dossier], cache: Path, jobs: int) -> list[list[str]]:
    """Each dossier's pages drawn and read by the quick look, ``jobs`` pages at a time."""
    from bench.classify import read_page

    with tempfile.TemporaryDirectory() as tmp:
        tasks, sizes = [], []
        for d, dossier in enumerate(dossiers):
            sizes.append(len(dossier.pages))
            for n, page in enumerate(dossier.pages):
                path = Path(tmp) / f"{d}-{n}.png"
                page.filled.sheet.image().save(path, dpi=(150, 150))
                tasks.append((str(path), "quick", str(cache)))
        if jobs > 1:
            with multiprocessing.get_context("spawn").Pool(jobs) as pool:
                texts = [r["text"] for r in pool.map(read_page, tasks, chunksize=1)]
        else:
            texts = [read_page(task)["text"] for task in tasks]
    out, start = [], 0
    for size in sizes:
        out.append(texts[start:start + size])
        start += size
    return out


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--procedures", type=int, default=60)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--ocr", type=int, nargs="?", const=OCR_DOSSIERS, default=0,
                        metavar="N", help="also read the pages of N dossiers (spread over the "
                        f"procedures) with Tesseract; {OCR_DOSSIERS} when N is not given")
    parser.add_argument("--jobs", type=int, default=2,
                        help="processes reading pages with Tesseract (2)")
    parser.add_argument("--catalog", type=Path, help="parse this catalog file for the parse "
                        "figures (default: the report shipped with the package)")
    parser.add_argument("--show-wrong", type=int, default=15)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    started = time.perf_counter()
    if args.catalog:
        report = read_catalog(args.catalog.read_bytes(), args.catalog.name)[1]
    else:
        report = ShippedCatalog().report()
    print("Parse figures (whole national catalog):")
    print("\n".join("  " + line for line in report.summary_lines()) if report else "  —")
    parsed = time.perf_counter() - started

    procedures = pick_procedures(args.procedures, args.seed)
    dossiers = [build(p, kind, args.seed) for p in procedures for kind in ("complete", "missing")]
    scores, titles = Scores(), Counter()
    t0 = time.perf_counter()
    for dossier in dossiers:
        judge(dossier, [p.text for p in dossier.pages], scores)
        titles.update(dossier.titles)
    classified = time.perf_counter() - t0
    total_pages = scores.pages + scores.unrelated
    print(f"\nGenerated text, {len(procedures)} procedures (seed {args.seed}), "
          f"{len(dossiers)} dossiers, {total_pages} pages "
          f"({scores.unrelated} unrelated); titles {dict(titles)}; "
          f"{sum(bool(p.cases) for p in procedures)} procedures with cases:")
    print(f"  verdict exactly right     {share(scores.exact, scores.dossiers)}  (target ≥ 95 %)")
    print(f"  page → checklist item     {share(scores.pages_right, scores.pages)}  "
          "(target ≥ 95 %)")
    print(f"  unrelated page → khac     {share(scores.unrelated_khac, scores.unrelated)}  "
          "(target ≥ 95 %)")
    print(f"  classify + segment + verdict: {1000 * classified / max(total_pages, 1):.1f} ms "
          f"a page; parse report read in {parsed:.1f} s")
    for line in scores.wrong[:args.show_wrong]:
        print(f"    ✗ {line}")

    if args.ocr:
        cache = ROOT / "bench" / "out" / "catalog" / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        chosen = spread(dossiers, args.ocr)
        ocr = Scores()
        t0 = time.perf_counter()
        for dossier, texts in zip(chosen, ocr_texts(chosen, cache, args.jobs), strict=True):
            judge(dossier, texts, ocr)
        read = time.perf_counter() - t0
        print(f"\nThrough OCR (quick look, 150 dpi clean renders), {len(chosen)} dossiers of "
              f"{len({d.procedure.code for d in chosen})} procedures, "
              f"{ocr.pages + ocr.unrelated} pages ({read:.0f} s on {args.jobs} processes):")
        print(f"  verdict exactly right     {share(ocr.exact, ocr.dossiers)}")
        print(f"  page → checklist item     {share(ocr.pages_right, ocr.pages)}")
        print(f"  unrelated page → khac     {share(ocr.unrelated_khac, ocr.unrelated)}")
        for line in ocr.wrong[:args.show_wrong]:
            print(f"    ✗ {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
