"""PDF input: pikepdf reads the structure, poppler's ``pdftoppm`` renders one page at a time.

Why render instead of pulling the scanner's image out with ``pikepdf.PdfImage``: rendering
handles every case the same way — ``/Rotate``, images placed rotated or flipped by their
``cm``, masks, ICC/Indexed colour, JBIG2 and CCITT with their ``/Decode`` quirks, a
scanner's vector stamp over the image. Extraction is lossless only on the happy path and
each of those cases would be its own code. We keep the quality that matters by rendering at
the scanned image's own resolution (its pixel width over the width it is drawn at), so an
image page comes out at about 1:1 and the dpi reported downstream is the scanner's.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from sohoa.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedPdfError,
    ProcessingError,
    ProgramCrashError,
    TooManyPagesError,
)
from sohoa.pipeline.load.common import FileInfo, page_pixels, refuse, scrub
from sohoa.pipeline.model import PageLoadFailure, RasterPage
from sohoa.settings import LoadLimits

MIN_RENDER_DPI, MAX_RENDER_DPI = 72.0, 600.0
SCAN_COVERAGE = 0.5
"""An image covering at least this share of the page is "the scan" and sets the dpi."""

RENDER_SHRINK = 1 - 1e-6
"""Poppler sizes the page as ceil(points x dpi / 72): an 819 px scan at exactly its dpi comes
out 820 px wide after float rounding, and poppler then resamples the whole image (mean error
4 gray levels). A hair less dpi keeps the canvas at 819 and the image is copied 1:1."""

RENDER_TIMEOUT_S = 120.0
LETTER_PT = (612.0, 792.0)
MAX_FORM_DEPTH = 3
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class PagePlan:
    """How one page will be rasterized."""

    dpi: float
    width_px: int
    height_px: int


def probe_pdf(path: Path, size: int, limits: LoadLimits) -> FileInfo:
    """Refuse truncated, encrypted, empty, too long or too large PDFs before rendering."""
    _check_trailer(path)
    with open_pdf(path) as pdf:
        count = len(pdf.pages)
        if count == 0:
            raise refuse(EmptyFileError, path, "Tệp PDF không có trang nào", "0 pages")
        if count > limits.max_pages:
            raise refuse(TooManyPagesError, path, "Tệp có quá nhiều trang",
                         f"{count} pages > limit {limits.max_pages}")
        for index, page in enumerate(pdf.pages):
            _check_page_size(plan_page(page, limits.default_dpi), index, path, limits)
    return FileInfo(kind="pdf", page_count=count, size_bytes=size)


def iter_pdf_pages(path: Path, info: FileInfo, limits: LoadLimits,
                   indexes: Iterable[int] | None = None
                   ) -> Iterator[RasterPage | PageLoadFailure]:
    """Render page by page (all, or only ``indexes``); a page that fails becomes a
    PageLoadFailure, the rest go on."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise ProcessingError("Thiếu chương trình pdftoppm (poppler-utils not installed)")
    with open_pdf(path) as pdf, tempfile.TemporaryDirectory(prefix="sohoa-page-") as tmp:
        for index in range(info.page_count) if indexes is None else indexes:
            yield _render_page(program, pdf, index, path, Path(tmp), limits.default_dpi)


def _render_page(program: str, pdf: pikepdf.Pdf, index: int, path: Path, tmp: Path,
                 default_dpi: float) -> RasterPage | PageLoadFailure:
    """Render one page from a one-page copy of it.

    Poppler gives up on every page after a broken one in the page tree; a copy holding only
    this page isolates it, so one damaged page costs one page, not the rest of the dossier.
    """
    page = pdf.pages[index]
    plan = plan_page(page, default_dpi)
    single = tmp / "page.pdf"
    try:
        with pikepdf.new() as one:
            one.pages.append(page)
            one.save(single)
        pixels = _rasterize(program, single, plan)
    except (pikepdf.PdfError, RuntimeError, OSError, ValueError) as exc:
        why = scrub(_one_line(exc), path)
        reason = f"Không chuyển được trang {index + 1} thành ảnh (render failed: {why})"
        return PageLoadFailure(source=path.name, index=index, reason=reason)
    return RasterPage(pixels=pixels, dpi=plan.dpi, source=path.name, index=index)


def _rasterize(program: str, single: Path, plan: PagePlan) -> np.ndarray:
    """Pixels of a one-page PDF; poppler's silent 1x1 "failed to create page" is an error.

    pdftoppm killed by a signal or past its time limit is a ProgramCrashError (tried again),
    not a damaged page."""
    command = [program, "-r", f"{plan.dpi * RENDER_SHRINK:.6f}", str(single)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProgramCrashError(f"pdftoppm quá thời gian ({RENDER_TIMEOUT_S:.0f} s)") from exc
    if done.returncode < 0:
        raise ProgramCrashError(f"pdftoppm bị dừng đột ngột (mã {done.returncode})")
    if done.returncode != 0:
        raise RuntimeError(f"pdftoppm exit {done.returncode}: {_one_line(done.stderr)}")
    with Image.open(io.BytesIO(done.stdout)) as img:
        if not _size_matches(img.size, plan):
            raise RuntimeError(f"pdftoppm gave {img.width}x{img.height} px instead of "
                               f"{plan.width_px}x{plan.height_px}: {_one_line(done.stderr)}")
        return page_pixels(img)


def _size_matches(size: tuple[int, int], plan: PagePlan) -> bool:
    """Rendered size equals the plan, to rounding, either way round (``/Rotate`` 90)."""
    def close(w: int, h: int) -> bool:
        return abs(w - plan.width_px) <= 2 and abs(h - plan.height_px) <= 2
    return close(*size) or close(size[1], size[0])


def open_pdf(path: Path) -> pikepdf.Pdf:
    """Open read-only; any password protection, even owner-only, is refused."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise _encrypted(path, "user password required") from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise refuse(CorruptFileError, path, "Tệp PDF bị hỏng",
                     f"corrupt PDF: {_one_line(exc)}") from exc
    if pdf.is_encrypted:
        pdf.close()
        raise _encrypted(path, "owner password, permissions restricted")
    return pdf


def plan_page(page: pikepdf.Page, default_dpi: float) -> PagePlan:
    """Render at the scan's own resolution when one image fills the page, else the default."""
    width_pt, height_pt = page_size_pt(page)
    scan_dpi = _scan_image_dpi(page, width_pt * height_pt)
    clamped = None if scan_dpi is None else min(max(scan_dpi, MIN_RENDER_DPI), MAX_RENDER_DPI)
    dpi = default_dpi if clamped is None else clamped
    return PagePlan(dpi=dpi, width_px=math.ceil(width_pt * dpi * RENDER_SHRINK / 72),
                    height_px=math.ceil(height_pt * dpi * RENDER_SHRINK / 72))


def page_size_pt(page: pikepdf.Page) -> tuple[float, float]:
    """Visible size in points: the crop box clipped to the media box, as poppler renders it.

    An unreadable box counts as US Letter, which is also what poppler falls back to.
    """
    try:
        media = [float(v) for v in page.mediabox]
        crop = [float(v) for v in page.cropbox]
    except (TypeError, ValueError, pikepdf.PdfError):
        return LETTER_PT
    left = max(min(media[0], media[2]), min(crop[0], crop[2]))
    right = min(max(media[0], media[2]), max(crop[0], crop[2]))
    bottom = max(min(media[1], media[3]), min(crop[1], crop[3]))
    top = min(max(media[1], media[3]), max(crop[1], crop[3]))
    return max(right - left, 0.0), max(top - bottom, 0.0)


def _scan_image_dpi(page: pikepdf.Page, page_area: float) -> float | None:
    try:
        placed = list(_placed_images(page.obj, page.resources, IDENTITY, 0))
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError):
        return None  # unparseable content: the render decides whether the page is usable
    covering = [p for p in placed if p[2] >= SCAN_COVERAGE * page_area]
    if not covering:
        return None
    dpi_x, dpi_y, _ = max(covering, key=lambda p: p[2])
    return (dpi_x + dpi_y) / 2


def _placed_images(stream: pikepdf.Object, resources: pikepdf.Object, ctm: Matrix,
                   depth: int) -> Iterator[tuple[float, float, float]]:
    """(dpi along width, dpi along height, area in pt²) of every image drawn, forms included."""
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    stack: list[Matrix] = []
    for operands, operator in pikepdf.parse_content_stream(stream, "q Q cm Do"):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif op == "Do" and str(operands[0]) in xobjects:
            yield from _drawn(xobjects[str(operands[0])], ctm, depth)


def _drawn(xobject: pikepdf.Object, ctm: Matrix,
           depth: int) -> Iterator[tuple[float, float, float]]:
    subtype = str(xobject.get("/Subtype", ""))
    if subtype == "/Image":
        a, b, c, d = ctm[:4]
        width_in, height_in = math.hypot(a, b) / 72, math.hypot(c, d) / 72
        if width_in > 0 and height_in > 0:
            yield (int(xobject.Width) / width_in, int(xobject.Height) / height_in,
                   abs(a * d - b * c))
    elif subtype == "/Form" and depth < MAX_FORM_DEPTH:
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        inner = _multiply(matrix, ctm)  # type: ignore[arg-type]
        yield from _placed_images(xobject, xobject.get("/Resources"), inner, depth + 1)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """PDF matrix product m × n (row-vector convention, as ``cm`` composes with the CTM)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _check_page_size(plan: PagePlan, index: int, path: Path, limits: LoadLimits) -> None:
    if plan.width_px * plan.height_px > limits.max_pixels:
        raise refuse(DecompressionBombError, path, "Trang PDF quá lớn để chuyển thành ảnh",
                     f"decompression bomb: page {index + 1} is {plan.width_px}x"
                     f"{plan.height_px} px at {plan.dpi:.0f} dpi > {limits.max_pixels} px")


def _check_trailer(path: Path) -> None:
    """A complete PDF ends with ``%%EOF`` (within the last 1 KiB, as readers tolerate).

    qpdf silently rebuilds a cut file from what is left, so an interrupted upload would
    otherwise load with pages missing and nobody told.
    """
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise refuse(CorruptFileError, path, "Tệp PDF bị hỏng hoặc bị cắt cụt",
                     "truncated PDF: no %%EOF at the end")


def _encrypted(path: Path, technical: str) -> EncryptedPdfError:
    return refuse(EncryptedPdfError, path, "Tệp PDF được bảo vệ bằng mật khẩu",
                  f"encrypted PDF: {technical}")


def _one_line(value: object) -> str:
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:200]
