"""Page pictures for the counter screen — thumbnails and the viewer's large page — cached on
disk.

A page that was read is shown as it was processed (turned upright, straightened, cleaned:
the image the signed PDF embeds), so the clerk judges what will be stored. Until then, the
picture comes from the raw scan, so the clerk sees the stack arrive before a page is read.
Both are cached under their object's SHA-256, which never changes for a stored object.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from sohoa.pipeline import load
from sohoa.pipeline.assemble import decode_image
from sohoa.pipeline.imaging import EncodedImage, ImageMode
from sohoa.processing.context import WorkContext
from sohoa.storage.records import PageWork

VIEWER_WIDTH = 1600
"""The viewer's picture: enough to read a 300 dpi A4 page's small print when zoomed."""


def thumbnail(ctx: WorkContext, cache: Path, code: str, index: int, width: int) -> bytes:
    """PNG of page ``index`` of dossier ``code``, ``width`` pixels wide (at most the
    image's own width)."""
    page = ctx.catalog.batches.page(code, index)
    read = page.stored
    source = (f"{read.image.sha256}" if read else
              f"{page.raw_scan_sha256}-{page.source_page_index}")
    target = cache / f"{source}-{width}.png"
    if target.exists():
        return target.read_bytes()
    png = render(_processed(ctx, page) if read else _raw(ctx, page), width)
    cache.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=target.stem, suffix=".part", dir=cache)
    with os.fdopen(fd, "wb") as out:  # a name of its own: two requests may render at once
        out.write(png)
    os.replace(partial, target)  # another request never reads half a file
    return png


def _processed(ctx: WorkContext, page: PageWork) -> np.ndarray:
    image = page.stored.image
    data = ctx.objects.get(image.key, image.sha256)
    return decode_image(EncodedImage(data, image.width, image.height, ImageMode(image.mode),
                                     image.filter))


def _raw(ctx: WorkContext, page: PageWork) -> np.ndarray:
    data = ctx.objects.get(page.raw_scan_key, page.raw_scan_sha256)
    with tempfile.TemporaryDirectory(dir=ctx.scratch) as folder:
        raw = Path(folder) / "scan"
        raw.write_bytes(data)
        return load.load_page(raw, page.source_page_index, ctx.settings.limits).pixels


def render(pixels: np.ndarray, width: int) -> bytes:
    image = Image.fromarray(pixels)
    width = min(width, image.width)
    height = max(1, round(image.height * width / image.width))
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
