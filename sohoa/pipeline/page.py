"""Per-page work: the running order of the page stages, as one short explicit sequence.

``process_page`` is pure (pixels in, ProcessedPage out). ``read_page`` runs it for one page
of a file, writing the large artefacts (compressed image, text layer) to files, and
``run_page_job`` is its process-boundary form: a JSON job in (file path, page index,
settings), the typed result (:mod:`sohoa.domain.pages`) out as JSON — so a local process pool
and a queue worker exchange only plain data.
"""

from __future__ import annotations

from pathlib import Path

from sohoa.domain.pages import (
    GlanceReport,
    PageGlance,
    PageImageFile,
    PageJobResult,
    PageRead,
    PageUnread,
)
from sohoa.domain.reports import PageReport
from sohoa.errors import SohoaError
from sohoa.pipeline import deskew, imaging, load, ocr, orient, quality
from sohoa.pipeline.classify.qr import decode_qr
from sohoa.pipeline.fastpass import quick_look
from sohoa.pipeline.imaging import to_gray
from sohoa.pipeline.model import ProcessedPage, RasterPage
from sohoa.settings import LoadLimits, OcrSettings


def process_page(page: RasterPage, settings: OcrSettings) -> ProcessedPage:
    """Quality flags, crop the scanner border, turn upright, straighten, OCR once, QR codes.

    The border is cropped first: once the page is straightened, the dark band is slanted
    and no longer lines up with the image edge.
    """
    flags = quality.assess(page.pixels, page.dpi)
    gray = to_gray(page.pixels)
    box = deskew.sheet_box(gray)
    pixels, gray = deskew.crop(page.pixels, box), deskew.crop(gray, box)
    # Measures the skew on the way; reads the candidate turns only when the lines are weak.
    turn = orient.decide_rotation(gray, page.dpi, settings)
    if turn.rotation:
        pixels = orient.apply_rotation(pixels, turn.rotation)
    angle = turn.skew if abs(turn.skew) >= 0.05 else 0.0  # below that, rotating only blurs
    if angle:
        pixels = deskew.straighten(pixels, angle)
    gray = to_gray(pixels) if turn.rotation or angle else gray
    return ProcessedPage(
        index=page.index,
        pixels=pixels,
        dpi=page.dpi,
        rotation=turn.rotation,
        rotation_confidence=turn.confidence,
        rotation_evidence=turn.evidence,
        deskew_angle=round(angle, 2),
        flags=flags,
        ocr=ocr.recognize(gray, page.dpi, settings),
        qr_payloads=decode_qr(gray, page.dpi),
        input_text_layer=page.input_text_layer,
    )


def page_report(page: ProcessedPage, image_mode: str) -> PageReport:
    """The per-page entry of ``<stem>.json`` (see the README for the fields)."""
    return PageReport(index=page.index, rotation=page.rotation,
                      rotation_confidence=page.rotation_confidence,
                      rotation_evidence=page.rotation_evidence,
                      deskew_angle=page.deskew_angle, dpi=round(page.dpi, 1),
                      flags=[str(f) for f in page.flags],
                      confidence=page.ocr.mean_confidence, image_mode=image_mode,
                      input_text_layer=page.input_text_layer)


def run_page_job(job: dict) -> dict:
    """Process page ``job['index']`` of ``job['path']``, writing artefacts to ``job['workdir']``.

    The process-boundary form of :func:`read_page`: plain JSON in and out, so a local process
    pool and a queue worker exchange only plain data; :func:`sohoa.domain.pages.page_job_result`
    types the result again. Never raises for a bad page, so one page cannot take the rest of
    the dossier down. A crashed or timed-out external program
    (:class:`~sohoa.errors.ProgramCrashError`) gives a ``transient`` failure: the caller tries
    the page again instead of failing it.
    """
    return read_page(job).model_dump(mode="json")


def read_page(job: dict) -> PageJobResult:
    """Read one page (``job["mode"] == "quick"``: only the quick look,
    :mod:`sohoa.pipeline.fastpass`); a page that cannot be read is a :class:`PageUnread`."""
    index = job["index"]
    try:
        limits = LoadLimits(**job.get("limits", {}))
        raster = load.load_page(Path(job["path"]), index, limits)
        if job.get("mode") == "quick":
            return _glance(raster, OcrSettings(**job.get("ocr", {})))
        page = process_page(raster, OcrSettings(**job.get("ocr", {})))
        return _write_artefacts(page, Path(job["workdir"]), job["stem"])
    except SohoaError as exc:
        return PageUnread(index=index, reason=exc.message, transient=exc.transient)
    except Exception as exc:  # noqa: BLE001 - a crash on one page is reported, not spread
        return PageUnread(index=index, reason=f"{type(exc).__name__}: {exc}")


def _glance(raster: RasterPage, settings: OcrSettings) -> PageGlance:
    """A quick look's result: enough to classify, no image or text layer."""
    look = quick_look(raster, settings)
    report = GlanceReport(index=raster.index, rotation=look.rotation, dpi=round(raster.dpi, 1),
                          flags=[str(f) for f in quality.assess(raster.pixels, raster.dpi)])
    return PageGlance(report=report, text=look.text, qr=list(look.qr_payloads))


def _write_artefacts(page: ProcessedPage, workdir: Path, stem: str) -> PageRead:
    mode = imaging.choose_mode(page.pixels, page.dpi)
    encoded = imaging.encode(page.pixels, mode)
    base = workdir / f"{stem}-p{page.index:04d}"
    image_path, layer_path = base.with_suffix(".img"), base.with_suffix(".layer.pdf")
    image_path.write_bytes(encoded.data)
    layer_path.write_bytes(page.ocr.text_layer_pdf)
    image = PageImageFile(width=encoded.width, height=encoded.height, mode=str(mode),
                          filter=encoded.filter, path=str(image_path))
    return PageRead(report=page_report(page, str(mode)), text=page.ocr.text,
                    qr=list(page.qr_payloads), image=image, text_layer=str(layer_path))
