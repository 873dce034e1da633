"""Fast verdict: seconds from the last page leaving the scanner to the checklist verdict.

Not a test — it prints figures. Each generated ~10-page dossier is written to disk as the
scanner would (JPEG, dpi recorded), then replayed in two scenarios on warm worker processes:

- ``adf``: pages arrive one every ``--interval`` seconds (2.0 s = 30 pages/minute, a
  counter ADF). Each page's quick look (``sohoa.pipeline.fastpass``) runs as it arrives on
  two processes, while the full pass (deskew, OCR, PDF/A inputs) runs behind it on one
  lower-priority process, as at a counter.
- ``stack``: the whole stack arrives at once (a batch dropped in a hot folder); only quick
  looks run, on two processes.

Latency = verdict ready − last page arrived. The verdict is also checked against the
dossier's truth (every checklist item's status). Run: ``python -m bench.verdict``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

from sohoa.domain.pages import PageGlance, page_job_result
from sohoa.domain.procedures import load_catalog
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.types import PageEvidence
from sohoa.pipeline.classify.verdict import checklist_verdict
from sohoa.pipeline.page import run_page_job
from sohoa.settings import LoadLimits, OcrSettings
from sohoa_dev.synth.dossiers import SynthDossier, make_dossier

PROCEDURES = ("1.001612", "2.001583", "1.013831", "1.013225", "2.001827", "3.000347")


def _background() -> None:
    os.nice(10)  # the full pass yields the CPU to the quick looks the clerk waits for


def ten_page_dossiers(count: int, seed: int, target: int = 10) -> list[SynthDossier]:
    """Complete or incomplete dossiers of about ``target`` pages, varied procedures."""
    catalog, found, n = load_catalog(), [], seed
    while len(found) < count:
        procedure = catalog.get(PROCEDURES[n % len(PROCEDURES)])
        variant = ("complete", "missing", "extra")[n % 3]
        dossier = make_dossier(procedure, n, variant, dpi=300)
        if abs(len(dossier.pages) - target) <= 2:
            found.append(dossier)
        n += 1
    return found


def write_pages(dossier: SynthDossier, folder: Path) -> list[Path]:
    paths = []
    for n, page in enumerate(dossier.pages):
        path = folder / f"{dossier.seed}-{n:02d}.jpg"
        page.image.convert("RGB" if page.image.mode == "RGB" else "L").save(
            path, quality=85, dpi=(300, 300))
        paths.append(path)
    return paths


def _job(path: Path, mode: str, workdir: Path) -> dict:
    return {"path": str(path), "index": 0, "workdir": str(workdir), "stem": path.stem,
            "limits": asdict(LoadLimits()), "ocr": asdict(OcrSettings()), "mode": mode}


def replay(dossier: SynthDossier, paths: list[Path], quick: ProcessPoolExecutor,
           full: ProcessPoolExecutor | None, interval: float, workdir: Path) -> dict:
    """Feed the pages at scanner pace; return latency and whether the verdict is right."""
    start = time.perf_counter()
    looks: list[Future] = []
    for n, path in enumerate(paths):
        delay = start + n * interval - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        looks.append(quick.submit(run_page_job, _job(path, "quick", workdir)))
        if full is not None:
            full.submit(run_page_job, _job(path, "full", workdir))
    last_arrival = time.perf_counter()
    results = [page_job_result(f.result()) for f in looks]
    evidence = [PageEvidence(i, r.text, tuple(r.qr)) if isinstance(r, PageGlance)
                else PageEvidence(i, "", ()) for i, r in enumerate(results)]
    procedure = load_catalog().get(dossier.procedure_code)
    verdict = checklist_verdict(procedure, segment(classify_pages(evidence)))
    latency = time.perf_counter() - last_arrival
    right = {i.item_id: i.status for i in verdict.items} == dict(dossier.statuses)
    return {"latency": latency, "right": right, "pages": len(paths)}


def run(dossiers: list[SynthDossier], interval: float, background_full: bool) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp, \
            ProcessPoolExecutor(2) as quick, \
            ProcessPoolExecutor(1, initializer=_background) as full:
        folder = Path(tmp)
        warm = write_pages(dossiers[0], folder)[:2]
        for path in warm:  # start-up and imports are paid once per worker, not per dossier
            quick.submit(run_page_job, _job(path, "quick", folder)).result()
            full.submit(run_page_job, _job(path, "full", folder)).result()
        for dossier in dossiers:
            paths = write_pages(dossier, folder)
            rows.append(replay(dossier, paths, quick, full if background_full else None,
                               interval, folder))
    return rows


def summary(name: str, rows: list[dict]) -> str:
    latencies = [r["latency"] for r in rows]
    pages = [r["pages"] for r in rows]
    return (f"| {name} | {len(rows)} | {min(pages)}–{max(pages)} | "
            f"{statistics.mean(latencies):.2f} | {max(latencies):.2f} | "
            f"{sum(r['right'] for r in rows)}/{len(rows)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=6)
    parser.add_argument("--seed", type=int, default=300)
    parser.add_argument("--interval", type=float, default=2.0,
                        help="seconds between pages in the adf scenario [2.0 = 30 ppm]")
    args = parser.parse_args(argv)
    dossiers = ten_page_dossiers(args.dossiers, args.seed)
    adf = run(dossiers, args.interval, background_full=True)
    stack = run(dossiers, 0.0, background_full=False)
    print("| scenario | dossiers | pages | mean s to verdict | max s | verdict right |")
    print("|---|---|---|---|---|---|")
    print(summary(f"adf, a page every {args.interval:g} s, full OCR behind", adf))
    print(summary("whole stack at once, quick looks only", stack))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
