"""Labelled synthetic documents of every document type, for classifier tests and benchmarks.

``render_document(doc_type, seed, dpi)`` gives the clean pages of one document as printed
(varied wording, layout, fonts and fake personal data) with the truth about each page: its
type, its place in the document, whether it carries the title, which QR it holds. Pass the
pages through :func:`scanned` to add what the counter's scanner does to paper.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from sohoa.domain.doctypes import DOC_TYPES, KHAC
from sohoa_dev.synth.cards import copy_page
from sohoa_dev.synth.drawings import render_drawings
from sohoa_dev.synth.forms import render_form
from sohoa_dev.synth.khac import KINDS, render_khac
from sohoa_dev.synth.pages import Scan, degrade
from sohoa_dev.synth.templates import TEMPLATES

CARDS = ("can_cuoc", "giay_phep_lai_xe")
DRAWINGS = "ban_ve_thiet_ke"
DOCUMENT_TYPES: tuple[str, ...] = tuple(t.code for t in DOC_TYPES if t.is_document)
"""Every code render_document accepts: the real document types and ``khac``."""

PAGE_RANGES = {DRAWINGS: (1, 3), KHAC: (1, 1)}


@dataclass(frozen=True)
class SynthDocPage:
    """One page of a generated document and the truth about it."""

    image: Image.Image
    text: str
    """Ground-truth printed lines, in reading order, one per line."""

    doc_type: str
    page_in_doc: int
    """1-based."""

    pages_in_doc: int
    is_title_page: bool
    """The page carries the document's title (first page); continuation pages do not."""

    qr_payloads: tuple[str, ...] = ()
    title: str = ""
    """The document's printed title as one line (the same on every page of the document)."""

    kind: str = ""
    """The sort of paper where a type has several: "news", "letter"... for khac."""

    scan: Scan | None = None
    """The scanner conditions applied (None: the clean rendering)."""

    @property
    def dpi(self) -> int:
        return int(self.image.info.get("dpi", (300, 300))[0])


def render_document(doc_type: str, seed: int, dpi: int, pages: int | None = None,
                    kind: str | None = None) -> list[SynthDocPage]:
    """The clean pages of one document of ``doc_type`` (a code of DOCUMENT_TYPES).

    ``pages`` forces the page count (cards always have one page); by default it is drawn
    from what is usual for the type. ``kind`` picks the "khac" paper (one of khac.KINDS).
    """
    if doc_type not in DOCUMENT_TYPES:
        raise ValueError(f"no generator for document type {doc_type!r}")
    rng = random.Random(f"{doc_type}/{seed}")
    if doc_type in CARDS:
        card = copy_page(doc_type, rng.randrange(2**32), dpi)
        return [_page(card.image, card.lines, doc_type, (1, 1, True), card.payloads, card.title,
                      card.kind, dpi)]
    low, high = PAGE_RANGES.get(doc_type) or TEMPLATES[doc_type].pages
    count = pages or rng.randint(low, high)
    if doc_type == DRAWINGS:
        filled = render_drawings(rng, dpi, count)
    elif doc_type == KHAC:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"no 'khac' paper of kind {kind!r}; one of {sorted(set(KINDS))}")
        filled = render_khac(rng, dpi, count, kind)
    else:
        filled = render_form(TEMPLATES[doc_type], rng, dpi, count)
    return [_page(f.sheet.image(), f.sheet.lines, doc_type, (k + 1, len(filled),
                                                             f.is_title_page), (), f.title,
                  f.kind, dpi) for k, f in enumerate(filled)]


def _page(image: Image.Image, lines: list[str], doc_type: str, place: tuple[int, int, bool],
          payloads: tuple[str, ...], title: str, kind: str, dpi: int) -> SynthDocPage:
    n, total, is_title = place
    image.info["dpi"] = (dpi, dpi)
    return SynthDocPage(image=image, text="\n".join(lines), doc_type=doc_type, page_in_doc=n,
                        pages_in_doc=total, is_title_page=is_title, qr_payloads=payloads,
                        title=title, kind=kind)


def scanned(page: SynthDocPage, scan: Scan, seed: int = 0) -> SynthDocPage:
    """The page as the scanner delivers it (skew, turn, noise, blur, JPEG, dark border).

    The dark border and the quarter turn come from :func:`sohoa_dev.synth.degrade`; skew, blur
    and noise are done here with OpenCV (same meaning as degrade's), because Pillow's bicubic
    rotation and per-channel float64 noise take ~2.5 s on an A4 colour page at 300 dpi —
    more than reading the page — against ~0.4 s. ``scan.dpi`` is ignored: the page keeps the
    resolution it was rendered at.
    """
    scan = replace(scan, dpi=page.dpi, seal=False)
    image = _skewed(page.image, scan.skew)
    image = degrade(image, replace(scan, skew=0.0, blur=0.0, noise=0.0, jpeg_quality=None),
                    seed)
    if scan.blur:
        image = Image.fromarray(cv2.GaussianBlur(np.asarray(image), (0, 0), scan.blur))
    if scan.noise:
        image = sensor_noise(image, scan.noise, seed)
    if scan.jpeg_quality:
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=scan.jpeg_quality)
        image = Image.open(io.BytesIO(buf.getvalue()))
        image.load()
    image.info["dpi"] = (page.dpi, page.dpi)
    return replace(page, image=image, scan=scan)


def _skewed(image: Image.Image, degrees: float) -> Image.Image:
    """Rotated ``degrees`` clockwise about the centre, canvas grown to fit, white outside."""
    if not degrees:
        return image
    pixels = np.asarray(image)
    h, w = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (round(w * cos + h * sin), round(w * sin + h * cos))
    matrix[0, 2] += size[0] / 2 - w / 2
    matrix[1, 2] += size[1] / 2 - h / 2
    white = (255, 255, 255) if pixels.ndim == 3 else 255
    return Image.fromarray(cv2.warpAffine(pixels, matrix, size, flags=cv2.INTER_LINEAR,
                                          borderValue=white))


def sensor_noise(image: Image.Image, sigma: float, seed: int) -> Image.Image:
    """Gaussian luminance noise of ``sigma`` gray levels, saturating at black and white."""
    cv2.setRNGSeed(seed)
    pixels = np.asarray(image)
    noise = np.empty(pixels.shape[:2], np.int16)
    cv2.randn(noise, 0, sigma)
    up, down = (cv2.convertScaleAbs(np.maximum(sign * noise, 0)) for sign in (1, -1))
    if pixels.ndim == 3:
        up, down = cv2.merge([up] * 3), cv2.merge([down] * 3)
    return Image.fromarray(cv2.subtract(cv2.add(pixels, up), down), image.mode)


def random_scan(rng: random.Random, dpi: int) -> Scan:
    """Counter ADF conditions: small skew, now and then upside down or sideways, sensor noise,
    soft focus, JPEG, sometimes the lid's dark border."""
    return Scan(
        dpi=dpi,
        skew=round(rng.uniform(-3.0, 3.0), 2),
        turn=rng.choice((0,) * 8 + (180, 90)),
        blur=round(rng.uniform(0.0, 0.7), 2),
        noise=round(rng.uniform(0.0, 8.0), 1),
        jpeg_quality=None if rng.random() < 0.3 else rng.randint(60, 92),
        dark_border=rng.randint(10, 60) if rng.random() < 0.3 else 0,
    )
