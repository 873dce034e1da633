"""Page thumbnails for the counter screen, rendered from the raw scan and cached on disk.

Rendered from the raw scan (not the cleaned page image, which may be CCITT G4 inside a PDF
object) so a thumbnail exists as soon as the scan is stored, before the page is read: the
clerk sees the stack arrive. Cached by the raw scan's SHA-256 and page number, which never
change for a stored scan.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from sohoa.pipeline import load
from sohoa.processing.context import WorkContext


def thumbnail(ctx: WorkContext, cache: Path, code: str, index: int, width: int) -> bytes:
    """PNG of page ``index`` of dossier ``code``, ``width`` pixels wide."""
    page = ctx.catalog.batches.page(code, index)
    target = cache / f"{page.raw_scan_sha256}-{page.source_page_index}-{width}.png"
    if target.exists():
        return target.read_bytes()
    data = ctx.objects.get(page.raw_scan_key, page.raw_scan_sha256)
    with tempfile.TemporaryDirectory(dir=ctx.scratch) as folder:
        raw = Path(folder) / "scan"
        raw.write_bytes(data)
        pixels = load.load_page(raw, page.source_page_index, ctx.settings.limits).pixels
    png = render(pixels, width)
    cache.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=target.stem, suffix=".part", dir=cache)
    with os.fdopen(fd, "wb") as out:  # a name of its own: two requests may render at once
        out.write(png)
    os.replace(partial, target)  # another request never reads half a file
    return png


def render(pixels: np.ndarray, width: int) -> bytes:
    image = Image.fromarray(pixels)
    height = max(1, round(image.height * width / image.width))
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
