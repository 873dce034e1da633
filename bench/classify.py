"""Classification benchmark: page types, document splits and checklist verdicts on labelled
synthetic dossiers, through the real pipeline.

    python -m bench.classify [--dossiers N] [--seed S] [--train-dossiers M] [--mode quick|full]

1. Generate labelled pages (``sohoa_dev.synth``): training dossiers (their own seed) plus a
   few documents of every type, and evaluation dossiers — complete, missing items, extra
   papers — every page through random counter-scanner conditions, written as a scanner would.
2. Read every page with the real pipeline, two processes, one Tesseract thread each: load,
   then the quick look (straighten, OCR of the top part, QR codes — what the fast verdict
   uses) or, with ``--mode full``, the full page pass plus QR decoding. Results are cached on
   disk by page hash and pipeline source, so a rerun only classifies.
3. Train the learned model on the training pages' text, classify each evaluation dossier,
   segment it, judge it against its procedure's checklist, and compare with the truth.

Prints the tables and writes ``OUT/classify-results.json`` and ``OUT/classify-results.md``.
A script that reports figures, never a test: nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sohoa.domain.doctypes import KHAC
from sohoa.domain.procedures import Procedure, ProcedureCatalog, load_catalog
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.learned import LearnedModel, train_model
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import DocumentSpan, PageClass, PageEvidence
from sohoa.pipeline.classify.verdict import checklist_verdict
from sohoa_dev.synth.documents import DOCUMENT_TYPES, random_scan, render_document, scanned
from sohoa_dev.synth.dossiers import VARIANTS, make_dossier
from sohoa_dev.synth.khac import KINDS

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"page_accuracy": 0.97, "verdict_exact": 0.95, "khac_recall": 1.0,
           "latency_s": 3.0}
TRAIN_SEED_OFFSET, EXTRA_SEED_OFFSET, KHAC_SEED_OFFSET = 100_000, 200_000, 300_000
SHEETS_EVERY = 5
"""Every fifth evaluation dossier is scanned with sohoa's cover and separator sheets."""


# --- what to generate ------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One generated unit: a dossier, or a standalone document (training, khac set)."""

    name: str
    procedure: str = ""
    variant: str = ""
    doc_type: str = ""
    kind: str | None = None
    seed: int = 0
    dpi: int = 300
    sheets: bool = False


def dossier_specs(catalog: ProcedureCatalog, count: int, seed: int, prefix: str,
                  sheets: bool) -> list[Spec]:
    """Procedures and variants cycled together (8 and 3 are coprime: every pairing within
    24 dossiers); 300 and 200 dpi alternate; every fifth with cover sheets when asked."""
    codes = list(catalog.procedures)
    out = []
    for i in range(count):
        code, variant = codes[i % len(codes)], VARIANTS[i % len(VARIANTS)]
        out.append(Spec(f"{prefix}{i:03d}-{code}-{variant}-s{seed}", procedure=code,
                        variant=variant, seed=seed + i, dpi=300 if i % 2 == 0 else 200,
                        sheets=sheets and i % SHEETS_EVERY == SHEETS_EVERY - 1))
    return out


def document_specs(seed: int, per_type: int) -> list[Spec]:
    """Standalone documents of every type (and every kind of khac paper) for training."""
    out = [Spec(f"doc-{code}-{seed + k}", doc_type=code, seed=seed + k, dpi=(300, 200)[k % 2])
           for code in DOCUMENT_TYPES if code != KHAC for k in range(per_type)]
    out += khac_specs(seed, "doc", per_kind=per_type)
    return out


def khac_specs(seed: int, prefix: str, per_kind: int = 2) -> list[Spec]:
    return [Spec(f"{prefix}-khac-{kind}-{seed + k}", doc_type=KHAC, kind=kind, seed=seed + k,
                 dpi=(300, 200)[k % 2]) for kind in sorted(set(KINDS)) for k in range(per_kind)]


# --- step 1: render (cached by generator source) ---------------------------------------------


def source_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def render_spec(job: tuple[Spec, str, str]) -> dict:
    """Render one spec into ``OUT/pages/<name>/`` and return its truth (reused when the
    generator did not change)."""
    spec, out, generator = job
    folder = Path(out) / "pages" / spec.name
    truth_path = folder / "truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("generator") == generator and truth.get("spec") == asdict(spec):
            return truth
    folder.mkdir(parents=True, exist_ok=True)
    truth = (_render_dossier if spec.procedure else _render_document)(spec, folder)
    truth.update(generator=generator, spec=asdict(spec))
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _render_dossier(spec: Spec, folder: Path) -> dict:
    procedure = load_catalog().get(spec.procedure)
    dossier = make_dossier(procedure, spec.seed, spec.variant, dpi=spec.dpi, scan=True,
                           sheets=spec.sheets)
    pages = [_save(page, folder / f"p{k:03d}") for k, page in enumerate(dossier.pages)]
    return {"name": spec.name, "procedure": spec.procedure, "variant": spec.variant,
            "pages": pages, "documents": [{"doc_type": d.doc_type, "pages": list(d.pages),
                                           "item_id": d.item_id} for d in dossier.documents],
            "statuses": {k: str(v) for k, v in dossier.statuses.items()}}


def _render_document(spec: Spec, folder: Path) -> dict:
    import random

    rng = random.Random(f"{spec.name}/{spec.seed}")
    rendered = render_document(spec.doc_type, spec.seed, spec.dpi, kind=spec.kind)
    pages = [_save(scanned(p, random_scan(rng, spec.dpi), rng.randrange(10**6)),
                   folder / f"p{k:03d}") for k, p in enumerate(rendered)]
    return {"name": spec.name, "procedure": "", "variant": "", "pages": pages,
            "documents": [{"doc_type": spec.doc_type, "pages": list(range(len(pages))),
                           "item_id": None}], "statuses": {}}


def _save(page, stem: Path) -> dict:
    """Write the page as the scanner would: JPEG at its quality, else PNG; dpi recorded."""
    quality = page.scan.jpeg_quality if page.scan else None
    path = stem.with_suffix(".jpg" if quality else ".png")
    kwargs = {"quality": quality} if quality else {"compress_level": 1}
    page.image.save(path, dpi=(page.dpi, page.dpi), **kwargs)
    return {"file": str(path), "doc_type": page.doc_type, "title_page": page.is_title_page,
            "kind": page.kind, "dpi": page.dpi, "page_in_doc": page.page_in_doc,
            "pages_in_doc": page.pages_in_doc, "scan": asdict(page.scan) if page.scan else None}


# --- step 2: read pages with the pipeline (cached by page hash) ------------------------------

PIPELINE_SOURCES = ("sohoa/pipeline/fastpass.py", "sohoa/pipeline/page.py",
                    "sohoa/pipeline/ocr.py", "sohoa/pipeline/tesseract.py",
                    "sohoa/pipeline/deskew.py", "sohoa/pipeline/orient.py",
                    "sohoa/pipeline/load/__init__.py", "sohoa/pipeline/load/image.py",
                    "sohoa/pipeline/classify/qr.py", "sohoa/settings.py")


def read_page(job: tuple[str, str, str]) -> dict:
    """Load one page file and run the quick look (or the full pass + QR) on it, cached."""
    path, mode, cache_dir = job
    data = Path(path).read_bytes()
    key = hashlib.sha256(data + mode.encode() + cache_dir.encode()).hexdigest()[:32]
    cached = Path(cache_dir) / f"{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8")) | {"cached": True}
    from sohoa.pipeline import load
    from sohoa.settings import LoadLimits, OcrSettings

    started = time.perf_counter()
    raster = load.load_page(Path(path), 0, LoadLimits())
    if mode == "quick":
        from sohoa.pipeline.fastpass import quick_look

        look = quick_look(raster, OcrSettings())
        text, qr = look.text, list(look.qr_payloads)
    else:
        from sohoa.pipeline.page import process_page

        page = process_page(raster, OcrSettings())
        text, qr = page.ocr.text, list(page.qr_payloads)
    result = {"text": text, "qr": qr, "seconds": round(time.perf_counter() - started, 3)}
    cached.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


# --- step 3: classify, segment, judge --------------------------------------------------------


@dataclass
class DossierResult:
    name: str
    procedure: str
    variant: str
    truth_types: list[str]
    predicted: list[PageClass]
    truth_documents: list[dict]
    documents: list[DocumentSpan]
    truth_statuses: dict[str, str]
    statuses: dict[str, str]
    latency_s: float
    """Reading the last page (as measured) plus classify + segment + verdict."""

    conditions: list[str]
    """Each page's resolution and scanner conditions, for the wrong-page table."""


def evaluate(truth: dict, reads: Sequence[dict], procedure: Procedure,
             model: LearnedModel | None) -> DossierResult:
    evidence = [PageEvidence(i, r["text"], tuple(r["qr"])) for i, r in enumerate(reads)]
    started = time.perf_counter()
    classes = classify_pages(evidence, model, procedure=procedure)  # as the counter does
    documents = segment(classes)
    verdict = checklist_verdict(procedure, documents)
    decided = time.perf_counter() - started
    return DossierResult(
        truth["name"], truth["procedure"], truth["variant"],
        [p["doc_type"] for p in truth["pages"]], classes, truth["documents"], documents,
        truth["statuses"], {i.item_id: str(i.status) for i in verdict.items},
        reads[-1]["seconds"] + decided, [_conditions(p) for p in truth["pages"]])


def _conditions(page: dict) -> str:
    scan = page.get("scan") or {}
    parts = [f"{page['dpi']} dpi", f"page {page['page_in_doc']}/{page['pages_in_doc']}"]
    if scan:
        parts += [f"skew {scan['skew']:+.1f}°", f"turn {scan['turn']}",
                  f"noise {scan['noise']}", f"jpeg {scan['jpeg_quality'] or '–'}"]
    return ", ".join(parts)


def segmentation_scores(result: DossierResult) -> tuple[int, int, bool]:
    """(true documents found with exact pages and type, true documents, dossier exact)."""
    found = {(d.doc_type, tuple(d.pages)) for d in result.documents}
    truth = {(d["doc_type"], tuple(d["pages"])) for d in result.truth_documents}
    return len(truth & found), len(truth), truth == found


# --- reporting -------------------------------------------------------------------------------


def summarise(results: Sequence[DossierResult], khac_pages: Sequence[tuple[str, str, str]],
              no_model: Sequence[DossierResult]) -> dict:
    pages = [(t, p.doc_type) for r in results for t, p in zip(r.truth_types, r.predicted,
                                                               strict=True)]
    correct = sum(t == p for t, p in pages)
    per_type: dict[str, Counter] = {}
    for t, p in pages:
        per_type.setdefault(t, Counter())[p] += 1
    seg = [segmentation_scores(r) for r in results]
    exact = [r.statuses == r.truth_statuses for r in results]
    latencies = sorted(r.latency_s for r in results)
    khac_in_dossiers = [(t, p) for t, p in pages if t == KHAC]
    kinds: dict[str, list[bool]] = {}
    for kind, truth, predicted in khac_pages:
        kinds.setdefault(kind, []).append(predicted == truth)
    return {
        "dossiers": len(results), "pages": len(pages), "page_correct": correct,
        "page_accuracy": correct / max(1, len(pages)),
        "page_accuracy_without_model": _accuracy(no_model),
        "per_type": {t: dict(c) for t, c in sorted(per_type.items())},
        "documents_exact": sum(s[0] for s in seg), "documents": sum(s[1] for s in seg),
        "dossiers_segmented_exactly": sum(s[2] for s in seg),
        "verdict_exact": sum(exact), "verdict_exact_rate": sum(exact) / max(1, len(exact)),
        "complete_flag_right": sum(_complete(r.statuses) == _complete(r.truth_statuses)
                                   for r in results),
        "khac_pages_in_dossiers": len(khac_in_dossiers),
        "khac_pages_in_dossiers_right": sum(p == KHAC for _, p in khac_in_dossiers),
        "khac_set": {k: [sum(v), len(v)] for k, v in sorted(kinds.items())},
        "latency_s": {"median": statistics.median(latencies),
                      "p90": latencies[int(0.9 * (len(latencies) - 1))],
                      "max": latencies[-1]} if latencies else {},
    }


def _accuracy(results: Sequence[DossierResult]) -> float:
    pairs = [(t, p.doc_type) for r in results for t, p in zip(r.truth_types, r.predicted,
                                                               strict=True)]
    return sum(t == p for t, p in pairs) / max(1, len(pairs))


def _complete(statuses: dict[str, str]) -> bool:
    return "missing" not in statuses.values()


def render_markdown(summary: dict, results: Sequence[DossierResult], meta: dict) -> str:
    s = summary
    lat = s["latency_s"]
    lines = [f"### Run of {meta['started']}", "",
             f"Command: `{meta['command']}`  ", f"Machine: {meta['machine']}  ",
             f"Data: {meta['data']}", "",
             "| measure | result | target |", "|---|---|---|",
             f"| page accuracy | {s['page_accuracy']:.2%} ({s['page_correct']}/{s['pages']}) "
             f"| ≥ {TARGETS['page_accuracy']:.0%} |",
             f"| page accuracy, rules + QR only (no model) | "
             f"{s['page_accuracy_without_model']:.2%} | – |",
             f"| documents found exactly (pages and type) | {s['documents_exact']}/"
             f"{s['documents']} | – |",
             f"| dossiers segmented exactly | {s['dossiers_segmented_exactly']}/{s['dossiers']}"
             " | – |",
             f"| verdict exactly right (every item status) | {s['verdict_exact_rate']:.2%} "
             f"({s['verdict_exact']}/{s['dossiers']}) | ≥ {TARGETS['verdict_exact']:.0%} |",
             f"| `complete` flag right | {s['complete_flag_right']}/{s['dossiers']} | – |",
             f"| khac pages in dossiers → khac | {s['khac_pages_in_dossiers_right']}/"
             f"{s['khac_pages_in_dossiers']} | all |",
             "| khac set → khac, by kind | " + ", ".join(
                 f"{k} {v[0]}/{v[1]}" for k, v in s["khac_set"].items()) + " | all |",
             f"| last page → verdict, s (median / p90 / max) | {lat.get('median', 0):.2f} / "
             f"{lat.get('p90', 0):.2f} / {lat.get('max', 0):.2f} | ≤ {TARGETS['latency_s']} |",
             "", "Per type (truth → predicted, wrong predictions listed):", "",
             "| type | pages | right | wrong as |", "|---|---|---|---|"]
    for code, counts in s["per_type"].items():
        right = counts.get(code, 0)
        wrong = ", ".join(f"{p} {n}" for p, n in sorted(counts.items()) if p != code)
        lines.append(f"| {code} | {sum(counts.values())} | {right} | {wrong} |")
    lines += ["", "Wrong pages (first 40):", "",
              "| dossier | page | truth | predicted | source | reason | conditions |",
              "|---|---|---|---|---|---|---|"]
    wrong_rows = [(r, i, t, p) for r in results
                  for i, (t, p) in enumerate(zip(r.truth_types, r.predicted, strict=True))
                  if t != p.doc_type]
    for r, i, t, p in wrong_rows[:40]:
        lines.append(f"| {r.name} | {i + 1} | {t} | {p.doc_type} | {p.source} | "
                     f"{p.reason.replace('|', '/')} | {r.conditions[i]} |")
    bad = [r for r in results if r.statuses != r.truth_statuses]
    lines += ["", "Verdicts not exactly right:", ""]
    for r in bad:
        diff = {k: f"{r.truth_statuses[k]}→{r.statuses.get(k)}" for k in r.truth_statuses
                if r.truth_statuses[k] != r.statuses.get(k)}
        lines.append(f"- {r.name}: {diff}")
    return "\n".join(lines) + "\n"


# --- the run ---------------------------------------------------------------------------------


def run_all(pool: ProcessPoolExecutor, specs: list[Spec], out: Path, mode: str
            ) -> tuple[list[tuple[dict, list[dict]]], str]:
    """Render every spec, then read every page: (truth, page reads) per spec, and how long
    each step took."""
    t0 = time.perf_counter()
    generator = source_digest((ROOT / "sohoa_dev" / "synth").glob("*.py"))
    truths = list(pool.map(render_spec, [(s, str(out), generator) for s in specs]))
    t1 = time.perf_counter()
    pipeline = source_digest(ROOT / p for p in PIPELINE_SOURCES if (ROOT / p).exists())
    cache = out / "cache" / f"{mode}-{pipeline}"
    cache.mkdir(parents=True, exist_ok=True)
    jobs = [(p["file"], mode, str(cache)) for t in truths for p in t["pages"]]
    reads = list(pool.map(read_page, jobs, chunksize=2))
    t2 = time.perf_counter()
    cached = sum(bool(r.get("cached")) for r in reads)
    timing = (f"{len(jobs)} pages generated (or reused) in {t1 - t0:.0f} s, read in "
              f"{t2 - t1:.0f} s ({cached} from the cache)")
    pages = iter(reads)
    return [(t, [next(pages) for _ in t["pages"]]) for t in truths], timing


def training_data(units: Sequence[tuple[dict, list[dict]]]) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for truth, reads in units:
        for page, read in zip(truth["pages"], reads, strict=True):
            if page["doc_type"] in DOCUMENT_TYPES:  # not the cover / separator sheets
                texts.append(read["text"])
                labels.append(page["doc_type"])
    return texts, labels


def main(argv: Sequence[str] | None = None) -> dict:
    args = _parser().parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one Tesseract thread per process (docs/architecture.md)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    catalog = load_catalog()
    train, evaluation, khac = plan_specs(args, catalog)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        units, timing = run_all(pool, train + evaluation + khac, out, args.mode)
    train_units, eval_units = units[:len(train)], units[len(train):len(train) + len(evaluation)]
    khac_units = units[len(train) + len(evaluation):]
    t0 = time.perf_counter()
    texts, labels = training_data(train_units)
    model = train_model(texts, labels)
    model.save(out / f"classify-model-{args.mode}.bin")
    timing += f"; training {time.perf_counter() - t0:.1f} s"
    results = [evaluate(t, r, catalog.get(t["procedure"]), model) for t, r in eval_units]
    plain = [evaluate(t, r, catalog.get(t["procedure"]), None) for t, r in eval_units]
    khac_pages = [(t["pages"][0]["kind"], KHAC, classify_pages(
        [PageEvidence(0, r[0]["text"], tuple(r[0]["qr"]))], model)[0].doc_type)
        for t, r in khac_units]
    summary = summarise(results, khac_pages, plain)
    command = " ".join(argv if argv is not None else sys.argv[1:])
    loads = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    meta = {"started": started, "command": f"python -m bench.classify {command}".strip(),
            "machine": f"{os.cpu_count()} cores, load average {loads[:3]} before, "
                       f"{loads[3:]} after; {timing}",
            "data": f"{len(evaluation)} evaluation dossiers (seed {args.seed}, variants "
                    f"{'/'.join(VARIANTS)}, 300 and 200 dpi, every {SHEETS_EVERY}th with "
                    f"cover and separator sheets), {len(khac)} standalone khac pages; model "
                    f"trained on {len(texts)} pages ({args.train_dossiers} dossiers + "
                    f"{args.per_type} documents per type, seed {args.seed + TRAIN_SEED_OFFSET}"
                    f"); page text from the {args.mode} pass"}
    write_report(out, summary, results, meta)
    return summary


def plan_specs(args: argparse.Namespace, catalog: ProcedureCatalog
               ) -> tuple[list[Spec], list[Spec], list[Spec]]:
    """Training units (own seeds), evaluation dossiers, standalone khac pages."""
    train = (dossier_specs(catalog, args.train_dossiers, args.seed + TRAIN_SEED_OFFSET,
                           "train", sheets=False)
             + document_specs(args.seed + EXTRA_SEED_OFFSET, args.per_type))
    evaluation = dossier_specs(catalog, args.dossiers, args.seed, "eval", sheets=True)
    return train, evaluation, khac_specs(args.seed + KHAC_SEED_OFFSET, "eval")


def write_report(out: Path, summary: dict, results: Sequence[DossierResult], meta: dict
                 ) -> None:
    markdown = render_markdown(summary, results, meta)
    (out / "classify-results.md").write_text(markdown, encoding="utf-8")
    report = {"meta": meta, "summary": summary}
    (out / "classify-results.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                               encoding="utf-8")
    print(markdown)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Page classification / verdict benchmark.")
    parser.add_argument("--dossiers", type=int, default=40,
                        help="evaluation dossiers (procedures and variants cycled)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--train-dossiers", type=int, default=16,
                        help="training dossiers (own seed), besides --per-type documents")
    parser.add_argument("--per-type", type=int, default=2,
                        help="standalone training documents per document type")
    parser.add_argument("--mode", choices=("quick", "full"), default="quick",
                        help="page text from the quick look (default) or the full OCR pass")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "classify")
    return parser


if __name__ == "__main__":
    main()
