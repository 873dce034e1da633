"""Digitize files: probe each, fan its pages out to worker processes, then assemble and sign.

Pages of all files share one process pool so both cores stay busy; each file is assembled
and signed in this process as soon as its last page is back, while the pool works on the
next file. Outputs are written under temporary names and renamed together, so a failed file
leaves nothing behind, and one bad file never stops the others.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sohoa.clock import vietnam_now
from sohoa.domain.pages import (
    PageGlance,
    PageJobResult,
    PageRead,
    PageUnread,
    page_job_result,
)
from sohoa.domain.reports import FailedPage, FileReport
from sohoa.errors import SohoaError
from sohoa.pipeline import load
from sohoa.pipeline.assemble import DocumentMetadata
from sohoa.pipeline.classify.analysis import StreamPage
from sohoa.pipeline.document import build_document, document_text
from sohoa.pipeline.page import read_page, run_page_job
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.signers import SignerHandle
from sohoa.settings import Settings


@dataclass
class FileResult:
    """What became of one input file."""

    source: Path
    position: int = 0
    """Index of the file among the inputs."""

    pages: list[PageRead | PageGlance] = field(default_factory=list)
    failed_pages: list[PageUnread] = field(default_factory=list)
    error: str | None = None
    pdf: bytes | None = None
    text: str = ""
    expected_pages: int = 0

    def summary(self) -> FileReport:
        """The report written beside the PDF as ``<stem>.json``."""
        return FileReport(
            source=self.source.name,
            pages=[r.report for r in sorted(self.pages, key=lambda r: r.index)
                   if isinstance(r, PageRead)],
            failed_pages=[FailedPage(index=f.index, reason=f.reason) for f in self.failed_pages],
        )


@contextmanager
def page_pool(jobs: int) -> Iterator[Executor | None]:
    """A process pool for ``jobs`` > 1; None means run pages in this process."""
    if jobs <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield pool


def _page_jobs(path: Path, count: int, workdir: Path, stem: str, settings: Settings,
               mode: str) -> list:
    limits, ocr = asdict(settings.limits), asdict(settings.ocr)
    return [{"path": str(path), "index": i, "workdir": str(workdir), "stem": stem,
             "limits": limits, "ocr": ocr, "mode": mode} for i in range(count)]


def plan_files(files: Sequence[Path], settings: Settings) -> list[FileResult]:
    """Probe every input before any work: page counts for the progress bar, and files that
    cannot be opened at all get their error now."""
    planned = []
    for n, path in enumerate(files):
        result = FileResult(path, n)
        try:
            result.expected_pages = load.probe(path, settings.limits).page_count
        except SohoaError as exc:
            result.error = exc.message
        planned.append(result)
    return planned


def total_pages(planned: Sequence[FileResult]) -> int:
    return sum(r.expected_pages for r in planned if r.error is None)


def process_files(planned: Sequence[FileResult], settings: Settings, workdir: Path,
                  on_page: Callable[[], None] = lambda: None,
                  mode: str = "full") -> Iterator[FileResult]:
    """Yield each planned file once all its pages are back (unopenable files first).

    ``mode="quick"`` runs only the quick look (text of the title area, QR codes): enough to
    classify, nothing to assemble."""
    yield from (r for r in planned if r.error is not None)
    tasks = [(job, r) for r in planned if r.error is None
             for job in _page_jobs(r.source, r.expected_pages, workdir, f"f{r.position:04d}",
                                   settings, mode)]
    with page_pool(settings.jobs) as pool:
        for page_result, result in _run(tasks, pool):
            if isinstance(page_result, PageUnread):
                result.failed_pages.append(page_result)
            else:
                result.pages.append(page_result)
            on_page()
            if len(result.pages) + len(result.failed_pages) == result.expected_pages:
                yield result


def _run(tasks: list[tuple[dict, FileResult]],
         pool: Executor | None) -> Iterator[tuple[PageJobResult, FileResult]]:
    """Page results as they complete (in order when running in this process)."""
    if pool is None:
        yield from ((read_page(job), result) for job, result in tasks)
        return
    futures = {pool.submit(run_page_job, job): result for job, result in tasks}
    yield from ((page_job_result(future.result()), futures[future])
                for future in as_completed(futures))


def finish_file(result: FileResult, signer: SignerHandle, settings: Settings,
                meta: DocumentMetadata) -> FileResult:
    """Assemble and sign the file's good pages; any failure is recorded, not raised."""
    result.failed_pages.sort(key=lambda r: r.index)
    result.pages.sort(key=lambda r: r.index)  # they come back as they finish
    if not result.pages:
        result.error = result.error or "không trang nào xử lý được: " + "; ".join(
            f"trang {r.index + 1}: {r.reason}" for r in result.failed_pages)
        return result
    try:
        read = [p for p in result.pages if isinstance(p, PageRead)]
        pdfa = build_document(read, meta)
        result.pdf = sign_pdf(pdfa, signer, settings.signing, now=meta.digitized_at)
        result.text = document_text(read)
    except SohoaError as exc:
        result.error = exc.message
    return result


def document_metadata(title: str, signer: SignerHandle, settings: Settings,
                      dossier: str | None = None,
                      procedure: str | None = None) -> DocumentMetadata:
    """What the PDF/A says about itself: title, who digitized it and when (now)."""
    return DocumentMetadata(title=title, digitized_at=vietnam_now(),
                            digitized_by=signer.signer_name or settings.digitizer,
                            dossier_code=dossier, procedure_code=procedure)


def unique_stems(files: Sequence[Path]) -> list[str]:
    """Output stems for the inputs: the file stem, with -2, -3 ... when two inputs share it."""
    seen: dict[str, int] = {}
    stems = []
    for path in files:
        stem = path.stem or "tai-lieu"
        seen[stem] = seen.get(stem, 0) + 1
        stems.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return stems


def write_outputs(result: FileResult, out_dir: Path, stem: str) -> Path:
    """Write ``<stem>.pdf/.txt/.json`` under temporary names, then rename all three."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assert result.pdf is not None
    payloads = {".pdf": result.pdf, ".txt": result.text.encode("utf-8"),
                ".json": result.summary().model_dump_json(indent=2).encode()}
    temps = {}
    try:
        for suffix, data in payloads.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{stem}", suffix=suffix + ".part", dir=out_dir)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            temps[suffix] = Path(tmp)
        for suffix, tmp in temps.items():
            os.replace(tmp, out_dir / f"{stem}{suffix}")
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return out_dir / f"{stem}.pdf"


def page_stream(results: Sequence[FileResult]) -> list[StreamPage]:
    """Pages of the files in input order; files that could not be opened have no pages."""
    stream: list[StreamPage] = []
    for result in sorted(results, key=lambda r: r.position):
        if result.error is not None:
            continue
        done = {p.index: p.page_text() for p in result.pages}
        failed = {f.index: f.reason for f in result.failed_pages}
        for index in range(result.expected_pages):
            stream.append(StreamPage(len(stream), result.position, index, done.get(index),
                                     failed.get(index)))
    return stream
