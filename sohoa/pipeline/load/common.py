"""What every input format shares: the file summary, clerk messages, pixel and dpi rules.

Kept apart from the dispatcher (:mod:`sohoa.pipeline.load`) so the per-format readers
(:mod:`.image`, :mod:`.pdf`) can use it without importing the package that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from sohoa.errors import InputError

MIN_SANE_DPI = 50.0
MAX_SANE_DPI = 2400.0


@dataclass(frozen=True)
class FileInfo:
    """What :func:`sohoa.pipeline.load.probe` learnt from a file without decoding its pages."""

    kind: str
    """"jpeg", "png", "tiff" or "pdf" — sniffed from the bytes, never from the extension."""

    page_count: int
    size_bytes: int


def refuse(error: type[InputError], path: Path, clerk: str, technical: str) -> InputError:
    """A one-line message: Vietnamese for the clerk, the technical reason, the file name.

    Only the name is shown: full paths leak the server's layout into the counter UI.
    """
    return error(f"{clerk} ({scrub(technical, path)}): {path.name}")


def scrub(text: str, path: Path) -> str:
    """``text`` on one line with the file's directory removed (libraries quote full paths)."""
    flat = " ".join(text.split())
    return flat.replace(str(path), path.name).replace(str(path.parent), "")


def sane_dpi(value: object, default: float) -> float:
    """The recorded resolution, or ``default`` when it is missing or absurd.

    Scanners and converters often write 0 or 1 dpi (a "no unit" JFIF header) or a huge
    number; believing them would make every later size computation wrong. 72 dpi is kept:
    it may be a screen default, but it may also be true, and quality flags it either way.
    """
    try:
        dpi = float(value[0] if isinstance(value, tuple | list) else value)  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return default
    return dpi if MIN_SANE_DPI <= dpi <= MAX_SANE_DPI else default


def page_pixels(img: Image.Image) -> np.ndarray:
    """uint8 pixels in the pipeline's convention: 2-D gray, or (h, w, 3) only if truly colour."""
    arr = _eight_bit(img)
    if arr.ndim == 3 and _is_gray(arr):
        return np.ascontiguousarray(arr[:, :, 0])
    return arr


def _eight_bit(img: Image.Image) -> np.ndarray:
    mode = img.mode
    if mode == "L":
        return np.asarray(img)
    if mode == "1":
        return np.asarray(img.convert("L"))
    if mode.startswith("I;16"):
        return (np.asarray(img).astype(np.uint16) >> 8).astype(np.uint8)
    if mode == "I":
        # 32-bit gray: in scans this is 16-bit data widened; 8-bit data stays as it is.
        wide = np.asarray(img).astype(np.int64)
        return np.clip(wide >> 8 if wide.max() > 255 else wide, 0, 255).astype(np.uint8)
    if mode == "F":
        data = np.asarray(img)
        scale = 255.0 if float(np.nanmax(data)) <= 1.0 else 1.0
        return np.clip(np.nan_to_num(data) * scale, 0, 255).astype(np.uint8)
    if mode in ("LA", "PA", "RGBA", "P", "La", "RGBa"):
        return _on_white(img)
    return np.asarray(img.convert("RGB"))


def _on_white(img: Image.Image) -> np.ndarray:
    """Flatten transparency onto white paper: a transparent scan area is blank paper."""
    rgba = img.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(paper, rgba).convert("RGB"))


def _is_gray(rgb: np.ndarray) -> bool:
    """True when R == G == B everywhere (a gray page saved as colour); checked cheaply."""
    r, g, b = rgb[:, :, 0], rgb[:, :, 1], rgb[:, :, 2]
    return bool(np.array_equal(r, g) and np.array_equal(g, b))
