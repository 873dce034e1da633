"""Digitization benchmark: sohoa against a plain Tesseract pass and OCRmyPDF, same pages.

Why these three: the plain pass (``tesseract PAGE out -l vie`` on the page turned upright and
nothing else) is the floor any OCR pipeline pays, so sohoa's cost is stated as a multiple of
it; OCRmyPDF is the best-known peer doing the same job (rotate, deskew, PDF/A). Every engine
reads the same corpus files (:mod:`bench.corpus`) in the same run, one Tesseract thread per
process, so the ratios hold even when the machine's absolute speed drifts.

    python -m bench.digitize [--pages N] [--seed S] [--out bench/out] [--skip-ocrmypdf]

Prints the table and writes ``OUT/results.json`` and ``OUT/results.md``. This is a script
that reports figures, never a test: nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from bench.corpus import CorpusPage, write_corpus
from sohoa_dev.synth import Scan, character_error_rate, make_page, normalise_text, save_scan

VENV_BIN = Path(sys.executable).parent
GNU_TIME = "/usr/bin/time"
CER_PAGE_LIMIT = 0.05
TARGETS = {"corpus_cer": 0.01, "page_cer": CER_PAGE_LIMIT, "sohoa_wall_ratio": 1.3,
           "ocrmypdf_wall_ratio_expected": 4.0}


@dataclass
class Measured:
    """One external command: wall time, exit code, peak RSS of its largest process."""

    wall_s: float
    returncode: int
    peak_rss_mb: float
    stderr: str = ""


@dataclass
class PageScore:
    """One page as one engine read it."""

    page: str
    wall_s: float
    cer: float
    chars: int
    """Length of the normalised truth (weights the corpus CER)."""

    error: str | None = None
    rotation_ok: bool | None = None
    skew_error: float | None = None


@dataclass
class EngineRun:
    """An engine over the whole corpus: per-page scores and the pass's totals."""

    engine: str
    jobs: int
    wall_s: float
    peak_rss_mb: float
    pages: list[PageScore] = field(default_factory=list)
    note: str = ""


# --- running and measuring commands -------------------------------------------------------

def bench_env(**extra: str) -> dict[str, str]:
    """The environment every engine runs in: one OpenMP thread per Tesseract process."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    env.update(extra)
    return env


def measure(cmd: Sequence[str], env: dict[str, str]) -> Measured:
    """Run ``cmd`` and time it; GNU time reports the peak RSS of its biggest process.

    GNU time rather than ``wait4`` here: a child exec'd straight from this process inherits
    this process's (large) RSS high-water mark, which would hide the engine's own.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        rss_file, err_file = Path(tmp) / "rss", Path(tmp) / "stderr"
        prefix = [GNU_TIME, "-f", "%M", "-o", str(rss_file)] if Path(GNU_TIME).exists() else []
        with err_file.open("wb") as err:
            start = time.perf_counter()
            code = subprocess.run([*prefix, *cmd], env=env, stdout=subprocess.DEVNULL,
                                  stderr=err, check=False).returncode
            wall = time.perf_counter() - start
        rss = rss_file.read_text().strip().splitlines() if rss_file.exists() else []
        peak = int(rss[-1]) / 1024 if rss and rss[-1].isdigit() else 0.0
        tail = err_file.read_bytes().decode("utf-8", "replace")[-2000:]
    return Measured(wall, code, peak, tail)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def score(page: CorpusPage, text: str | None, wall_s: float, error: str | None) -> PageScore:
    """CER of ``text`` against the truth; missing output counts as an empty page (CER 1)."""
    if text is None and error is None:
        error = "no text output"
    return PageScore(page.name, round(wall_s, 3),
                     round(character_error_rate(page.text, text or ""), 5),
                     len(normalise_text(page.text)), error)


def first_line(stderr: str) -> str:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "failed"


# --- engine 1: plain Tesseract on the upright page ----------------------------------------

def upright_files(pages: Sequence[CorpusPage], corpus: Path, work: Path) -> dict[str, Path]:
    """Each page turned back by its known quarter turn (lossless PNG), or the file itself.

    Only the turn is undone: skew, noise, blur and border stay, which is what the plain
    pass is meant to pay for.
    """
    files = {}
    for page in pages:
        source = corpus / page.file
        if not page.scan.turn:
            files[page.name] = source
            continue
        with Image.open(source) as img:
            upright = img.rotate(page.scan.turn, expand=True)
            target = work / f"{page.name}.png"
            upright.save(target, dpi=(page.scan.dpi, page.scan.dpi))
        files[page.name] = target
    return files


def straightened_files(pages: Sequence[CorpusPage], upright: dict[str, Path],
                       work: Path) -> dict[str, Path]:
    """The upright pages with their known skew undone too: OCR's cost on an ideally
    prepared page, for when the skewed plain pass is cheap only because it lost lines."""
    files = {}
    for page in pages:
        with Image.open(upright[page.name]) as img:
            white = (255,) * len(img.getbands()) if len(img.getbands()) > 1 else 255
            straight = img.rotate(page.scan.skew, resample=Image.Resampling.BICUBIC,
                                  expand=True, fillcolor=white)
        target = work / f"{page.name}.png"
        straight.save(target, dpi=(page.scan.dpi, page.scan.dpi))
        files[page.name] = target
    return files


def tesseract_pass(pages: Sequence[CorpusPage], files: dict[str, Path], work: Path,
                   jobs: int, engine: str = "tesseract",
                   note: str = "plain `tesseract PAGE out -l vie`, page upright") -> EngineRun:
    """``tesseract PAGE out -l vie`` per page, ``jobs`` processes at a time."""
    fresh_dir(work)
    env = bench_env()

    def one(page: CorpusPage) -> tuple[PageScore, Measured]:
        base = work / page.name
        run = measure(["tesseract", str(files[page.name]), str(base), "-l", "vie"], env)
        error = None if run.returncode == 0 else first_line(run.stderr)
        return score(page, read_text(base.with_suffix(".txt")), run.wall_s, error), run

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(one, pages))
    wall = time.perf_counter() - start
    return EngineRun(engine, jobs, round(wall, 2), max(r.peak_rss_mb for _, r in done),
                     [s for s, _ in done], note)


STRAIGHT_NOTE = "plain `tesseract PAGE out -l vie`, known turn and skew undone"


# --- engine 2: sohoa digitize -------------------------------------------------------------

def sohoa_env(data_dir: Path, languages: str | None) -> dict[str, str]:
    extra = {"SOHOA_DATA_DIR": str(data_dir)}
    if languages:
        extra["SOHOA_OCR_LANGUAGES"] = languages
    return bench_env(**extra)


def sohoa_languages(env: dict[str, str]) -> str:
    from sohoa.settings import Settings

    return Settings.from_env(env).ocr.languages


def warm_up_sohoa(work: Path, env: dict[str, str]) -> Measured:
    """One small page first: creates the test CA and warms caches outside the timed runs."""
    fresh_dir(work)
    page = make_page(1, Scan(dpi=200, skew=1.0), size_in=(4.1, 5.8), sentences=4)
    source = save_scan(page, work / "warmup.png")
    return measure(["sohoa", "digitize", str(source), "--out", str(work / "out"),
                    "--jobs", "1", "--quiet"], env)


def sohoa_page(page: CorpusPage, out: Path, wall_s: float, run: Measured) -> PageScore:
    """Score one page from ``<stem>.txt`` and check ``<stem>.json``'s rotation and skew."""
    text = read_text(out / f"{page.name}.txt")
    error = None if text is not None else first_line(run.stderr)
    result = score(page, text, wall_s, error)
    report = out / f"{page.name}.json"
    if report.exists():
        entries = json.loads(report.read_text(encoding="utf-8")).get("pages") or [{}]
        entry = entries[0]
        if "rotation" in entry:
            result.rotation_ok = entry["rotation"] == (360 - page.scan.turn) % 360
        if entry.get("deskew_angle") is not None:
            result.skew_error = round(abs(entry["deskew_angle"] - page.scan.skew), 3)
    return result


def sohoa_pass(pages: Sequence[CorpusPage], corpus: Path, work: Path, jobs: int,
               env: dict[str, str]) -> EngineRun:
    """All pages in one ``sohoa digitize --jobs N`` call; per-page wall is total / pages."""
    out = fresh_dir(work)
    files = [str(corpus / p.file) for p in pages]
    run = measure(["sohoa", "digitize", *files, "--out", str(out), "--jobs", str(jobs),
                   "--quiet"], env)
    per_page = run.wall_s / len(pages)
    note = f"exit {run.returncode}" + (f": {first_line(run.stderr)}" if run.returncode else "")
    return EngineRun("sohoa", jobs, round(run.wall_s, 2), run.peak_rss_mb,
                     [sohoa_page(p, out, per_page, run) for p in pages], note)


# --- engine 3: OCRmyPDF -------------------------------------------------------------------

OCRMYPDF_ARGS = ("-l", "vie", "--deskew", "--rotate-pages", "--output-type", "pdfa", "-j", "1")


def ocrmypdf_page(page: CorpusPage, corpus: Path, work: Path,
                  env: dict[str, str]) -> tuple[PageScore, Measured]:
    """One page through OCRmyPDF from the image file (it wraps images itself via img2pdf)."""
    sidecar, target = work / f"{page.name}.txt", work / f"{page.name}.pdf"
    cmd = ["ocrmypdf", *OCRMYPDF_ARGS, "--sidecar", str(sidecar),
           "--image-dpi", str(page.scan.dpi), str(corpus / page.file), str(target)]
    run = measure(cmd, env)
    error = None if run.returncode == 0 else f"exit {run.returncode}: {first_line(run.stderr)}"
    return score(page, read_text(sidecar), run.wall_s, error), run


def ocrmypdf_pass(pages: Sequence[CorpusPage], corpus: Path, work: Path) -> EngineRun:
    fresh_dir(work)
    env = bench_env()
    start = time.perf_counter()
    done = [ocrmypdf_page(p, corpus, work, env) for p in pages]
    wall = time.perf_counter() - start
    return EngineRun("ocrmypdf", 1, round(wall, 2), max(r.peak_rss_mb for _, r in done),
                     [s for s, _ in done],
                     "ocrmypdf " + " ".join(OCRMYPDF_ARGS) + " --sidecar --image-dpi DPI")


# --- summaries ----------------------------------------------------------------------------

def per_page_wall(run: EngineRun | None) -> float | None:
    return run.wall_s / len(run.pages) if run else None


def ratio(run: EngineRun, reference: EngineRun | None) -> float | None:
    base = per_page_wall(reference)
    return round(per_page_wall(run) / base, 2) if base else None


def summarise(run: EngineRun, reference: EngineRun | None,
              straight: EngineRun | None = None) -> dict:
    """The row of the table for one engine run, its wall time relative to both references."""
    pages = run.pages
    per_page = run.wall_s / len(pages)
    total_chars = sum(p.chars for p in pages)
    row = {
        "engine": run.engine, "jobs": run.jobs, "pages": len(pages),
        "wall_s": run.wall_s, "wall_s_per_page": round(per_page, 3),
        "ratio_to_tesseract": ratio(run, reference),
        "ratio_to_straight": ratio(run, straight),
        "corpus_cer": round(sum(p.cer * p.chars for p in pages) / total_chars, 5),
        "mean_page_cer": round(sum(p.cer for p in pages) / len(pages), 5),
        "max_page_cer": max(p.cer for p in pages),
        "pages_over_5pct": sum(p.cer > CER_PAGE_LIMIT for p in pages),
        "failed_pages": sum(p.error is not None for p in pages),
        "peak_rss_mb": round(run.peak_rss_mb, 1), "note": run.note,
    }
    rotations = [p.rotation_ok for p in pages if p.rotation_ok is not None]
    skews = [p.skew_error for p in pages if p.skew_error is not None]
    if run.engine == "sohoa":
        row["orientation_exact"] = f"{sum(rotations)}/{len(pages)}"
        row["skew_error_mean"] = round(sum(skews) / len(skews), 3) if skews else None
        row["skew_error_max"] = max(skews) if skews else None
    return row


def targets(rows: dict[str, dict]) -> dict[str, dict]:
    """The project's targets, met or not, from the jobs-1 rows (None: not judged)."""
    sohoa, checks = rows.get("sohoa j1"), {}
    if sohoa:
        failed = sohoa["failed_pages"] > 0
        checks["sohoa corpus CER <= 1%"] = {
            "value": f"{sohoa['corpus_cer'] * 100:.2f}%",
            "met": sohoa["corpus_cer"] <= TARGETS["corpus_cer"]}
        checks["sohoa no page CER > 5%"] = {
            "value": f"{sohoa['pages_over_5pct']} pages over",
            "met": sohoa["pages_over_5pct"] == 0}
        for key, label in (("ratio_to_tesseract", "plain tesseract pass"),
                           ("ratio_to_straight", "tesseract on straightened pages")):
            if sohoa[key] is not None:
                checks[f"sohoa wall <= 1.3x {label}"] = {
                    "value": f"{sohoa[key]:.2f}x",
                    "met": None if failed else sohoa[key] <= TARGETS["sohoa_wall_ratio"]}
    if "ocrmypdf j1" in rows:
        checks["ocrmypdf ~4x plain tesseract (expected)"] = {
            "value": f"{rows['ocrmypdf j1']['ratio_to_tesseract']:.2f}x", "met": None}
    return checks


# --- output -------------------------------------------------------------------------------

COLUMNS = (("engine", "engine"), ("jobs", "jobs"), ("wall_s_per_page", "s/page"),
           ("ratio_to_tesseract", "× tess"), ("ratio_to_straight", "× straight"),
           ("corpus_cer", "CER corpus"),
           ("mean_page_cer", "CER mean"), ("max_page_cer", "CER max"),
           ("pages_over_5pct", ">5%"), ("failed_pages", "failed"),
           ("peak_rss_mb", "peak RSS MB"), ("orientation_exact", "orient ok"),
           ("skew_error_mean", "skew err mean°"), ("skew_error_max", "skew err max°"))
PERCENT = {"corpus_cer", "mean_page_cer", "max_page_cer"}


def cell(key: str, value: object) -> str:
    if value is None:
        return "–"
    if key in PERCENT:
        return f"{float(value) * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def summary_table(rows: dict[str, dict]) -> str:
    return markdown_table([h for _, h in COLUMNS],
                          [[cell(k, row.get(k)) for k, _ in COLUMNS] for row in rows.values()])


def conditions(page: CorpusPage) -> str:
    s = page.scan
    return (f"{s.dpi} dpi, skew {s.skew:+.2f}°, turn {s.turn}, blur {s.blur}, noise {s.noise}, "
            f"{'jpeg q' + str(s.jpeg_quality) if s.jpeg_quality else 'png'}"
            f"{', border ' + str(s.dark_border) if s.dark_border else ''}"
            f"{', seal' if s.seal else ''}")


def cer_cell(cer: float) -> str:
    """A page CER in percent, bold above the 5% page limit."""
    return f"**{cer * 100:.2f}%**" if cer > CER_PAGE_LIMIT else f"{cer * 100:.2f}%"


def page_table(pages: Sequence[CorpusPage], runs: dict[str, EngineRun]) -> str:
    """Per-page CER of each engine, with sohoa's orientation and skew error and the page's
    conditions, so a failing condition stands out."""
    names = list(runs)
    by_engine = {n: {p.page: p for p in runs[n].pages} for n in names}
    header = ["page", *[f"CER {n}" for n in names], "sohoa orient", "sohoa skew err°",
              "conditions"]
    sohoa = by_engine.get("sohoa j1", {})
    rows = []
    for page in pages:
        s = sohoa.get(page.name)
        rows.append([page.name, *[cer_cell(by_engine[n][page.name].cer) for n in names],
                     cell("", None if s is None or s.rotation_ok is None else
                          ("ok" if s.rotation_ok else "WRONG")),
                     cell("", s.skew_error if s else None), conditions(page)])
    return markdown_table(header, rows)


def errors_section(runs: dict[str, EngineRun]) -> str:
    lines = [f"- {name} {p.page}: {p.error}" for name, run in runs.items()
             for p in run.pages if p.error]
    return "\n".join(["Errors:", *lines[:40]]) if lines else ""


VERDICT = {True: "met", False: "NOT met", None: "not judged (reference only, or pages failed)"}


def results_markdown(meta: dict, rows: dict[str, dict], checks: dict[str, dict],
                     pages: Sequence[CorpusPage], runs: dict[str, EngineRun]) -> str:
    check_lines = [f"- {name}: {c['value']} — "
                   f"{VERDICT[c['met']]}"
                   for name, c in checks.items()]
    parts = [
        f"### Digitization benchmark ({meta['date']})",
        f"Command: `{meta['command']}`  \n"
        f"Machine: {meta['cpus']} cores, load average {meta['load_before']} before, "
        f"{meta['load_after']} after; {meta['versions']}  \n"
        f"Corpus: {len(pages)} A4 pages, seed {meta['seed']} (bench/corpus.py); "
        f"sohoa OCR languages `{meta['sohoa_languages']}`; a one-page warm-up call "
        f"(start-up, test CA, signing) took {meta['sohoa_warmup_s']} s.",
        summary_table(rows),
        "Targets:\n" + "\n".join(check_lines),
        "Per page (CER > 5% in bold):",
        page_table(pages, {k: v for k, v in runs.items() if k.endswith("j1")}),
        errors_section(runs),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def versions() -> str:
    def probe(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return "absent"
        return ((out.stdout or out.stderr).strip().splitlines() or ["?"])[0]

    return (f"{probe(['tesseract', '--version'])}, "
            f"ocrmypdf {probe([str(VENV_BIN / 'ocrmypdf'), '--version'])}, "
            f"{probe([str(VENV_BIN / 'sohoa'), '--version'])}")


# --- the run ------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.digitize", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=24, help="corpus size [24]")
    parser.add_argument("--seed", type=int, default=2025, help="corpus seed [2025]")
    parser.add_argument("--out", type=Path, default=Path("bench/out"), help="[bench/out]")
    parser.add_argument("--skip-ocrmypdf", action="store_true", help="leave OCRmyPDF out")
    parser.add_argument("--skip-parallel", action="store_true",
                        help="leave out the 2-process throughput runs")
    parser.add_argument("--sohoa-languages", metavar="LANGS",
                        help="SOHOA_OCR_LANGUAGES for sohoa [its own default]")
    return parser.parse_args(argv)


def step(label: str, action: Callable[[], EngineRun]) -> EngineRun:
    print(f"… {label}", file=sys.stderr, flush=True)
    run = action()
    print(f"  {run.wall_s:.1f} s ({run.note})", file=sys.stderr, flush=True)
    return run


def run_engines(args: argparse.Namespace, pages: list[CorpusPage], corpus: Path,
                env: dict[str, str], meta: dict) -> dict[str, EngineRun]:
    out = args.out
    upright = upright_files(pages, corpus, fresh_dir(out / "upright"))
    warm = warm_up_sohoa(out / "warmup", env)
    meta["sohoa_warmup_s"] = round(warm.wall_s, 2)
    if warm.returncode:
        print(f"  sohoa warm-up failed: {first_line(warm.stderr)}", file=sys.stderr)
    straight = straightened_files(pages, upright, fresh_dir(out / "straight"))
    runs = {"tesseract j1": step("plain tesseract, 1 process",
                                 lambda: tesseract_pass(pages, upright, out / "tesseract-j1", 1)),
            "tesseract-straight j1": step("plain tesseract on straightened pages", lambda:
                                          tesseract_pass(pages, straight, out / "straight-j1", 1,
                                                         "tesseract-straight", STRAIGHT_NOTE)),
            "sohoa j1": step("sohoa digitize --jobs 1",
                             lambda: sohoa_pass(pages, corpus, out / "sohoa-j1", 1, env))}
    if not args.skip_ocrmypdf:
        runs["ocrmypdf j1"] = step("ocrmypdf -j 1, page by page",
                                   lambda: ocrmypdf_pass(pages, corpus, out / "ocrmypdf"))
    if not args.skip_parallel:
        runs["tesseract j2"] = step("plain tesseract, 2 processes",
                                    lambda: tesseract_pass(pages, upright, out / "tesseract-j2", 2))
        runs["sohoa j2"] = step("sohoa digitize --jobs 2",
                                lambda: sohoa_pass(pages, corpus, out / "sohoa-j2", 2, env))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    argv_text = " ".join(sys.argv[1:] if argv is None else argv)
    env = sohoa_env(args.out.resolve() / "sohoa-data", args.sohoa_languages)
    meta = {"command": f"python -m bench.digitize {argv_text}".strip(),
            "date": datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "seed": args.seed, "versions": versions(),
            "sohoa_languages": sohoa_languages(env),
            "load_before": [round(x, 2) for x in os.getloadavg()]}
    print(f"… corpus: {args.pages} pages", file=sys.stderr, flush=True)
    corpus = args.out / "corpus"
    pages = write_corpus(fresh_dir(corpus), args.pages, args.seed)
    runs = run_engines(args, pages, corpus, env, meta)
    meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    rows = {name: summarise(run, runs.get(f"tesseract j{run.jobs}"),
                            runs.get(f"tesseract-straight j{run.jobs}"))
            for name, run in runs.items()}
    checks = targets(rows)
    markdown = results_markdown(meta, rows, checks, pages, runs)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    results = {"meta": meta, "targets": checks, "summary": rows,
               "corpus": [{**p.truth(), "text": None} for p in pages],
               "runs": {name: asdict(run) for name, run in runs.items()}}
    (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
