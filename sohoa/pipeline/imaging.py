"""How a page image is kept in the PDF: colour, gray or bitonal, and its compressed bytes.

The 2025 guidance asks for colour where a page has a seal, handwriting or photos; plain text
pages are kept bitonal (CCITT G4: ~30 KB for a 300 dpi A4 page against ~400 KB as gray
JPEG) unless they carry smooth gray areas such as a photo, which bitonal would destroy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from PIL import Image, TiffImagePlugin

ANALYSIS_DPI = 100
JPEG_QUALITY = 75


class ImageMode(StrEnum):
    COLOUR = "colour"
    GRAY = "gray"
    BITONAL = "bitonal"


@dataclass(frozen=True)
class EncodedImage:
    """Bytes ready to be an image XObject, with the entries its dictionary needs."""

    data: bytes
    width: int
    height: int
    mode: ImageMode
    filter: str
    """PDF filter name without the slash: DCTDecode or CCITTFaxDecode."""

    @property
    def colour_space(self) -> str:
        return "DeviceRGB" if self.mode is ImageMode.COLOUR else "DeviceGray"

    @property
    def bits(self) -> int:
        return 1 if self.mode is ImageMode.BITONAL else 8


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """Luminance of a page (the array itself when it is already gray)."""
    return pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)


def _thumbnail(pixels: np.ndarray, dpi: float) -> np.ndarray:
    scale = min(1.0, ANALYSIS_DPI / max(dpi, 1.0))
    if scale >= 1.0:
        return pixels
    return cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def has_colour(pixels: np.ndarray, dpi: float, min_fraction: float = 0.0003) -> bool:
    """True when a real colour mark is present (a red seal, a blue signature, a photo).

    Scanner and JPEG chroma noise rarely separates channels by more than ~30 levels, while
    seal ink separates them by well over 80; a seal covers far more than 0.03% of a page.
    """
    if pixels.ndim != 3:
        return False
    small = _thumbnail(pixels, dpi).astype(np.int16)
    spread = small.max(axis=2) - small.min(axis=2)
    return float(np.mean(spread > 60)) > min_fraction


def has_smooth_gray(gray: np.ndarray, dpi: float, min_fraction: float = 0.02) -> bool:
    """True when the page has smooth mid-gray regions (a photo, shading) that need gray.

    Text strokes are mid-gray only at their edges, next to black and white, so their local
    contrast is high; a photo's mid-tones are locally flat.
    """
    small = _thumbnail(gray, dpi).astype(np.float32)
    mean = cv2.blur(small, (9, 9))
    sq_mean = cv2.blur(small * small, (9, 9))
    std = np.sqrt(np.maximum(sq_mean - mean * mean, 0))
    smooth_mid = (mean > 50) & (mean < 205) & (std < 18)
    return float(np.mean(smooth_mid)) > min_fraction


def choose_mode(pixels: np.ndarray, dpi: float) -> ImageMode:
    """Colour for colour marks, gray for photos, bitonal for plain text pages."""
    if has_colour(pixels, dpi):
        return ImageMode.COLOUR
    return ImageMode.GRAY if has_smooth_gray(to_gray(pixels), dpi) else ImageMode.BITONAL


def binarize(gray: np.ndarray) -> np.ndarray:
    """Black text on white via Otsu's threshold, as 0/255 uint8."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return bw


def encode(pixels: np.ndarray, mode: ImageMode) -> EncodedImage:
    """Compress the page image for the chosen mode."""
    h, w = pixels.shape[:2]
    if mode is ImageMode.COLOUR:
        rgb = pixels if pixels.ndim == 3 else cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB)
        return EncodedImage(_jpeg(rgb), w, h, mode, "DCTDecode")
    gray = to_gray(pixels)
    if mode is ImageMode.GRAY:
        return EncodedImage(_jpeg(gray), w, h, mode, "DCTDecode")
    return EncodedImage(_ccitt_g4(binarize(gray)), w, h, mode, "CCITTFaxDecode")


def _jpeg(pixels: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
                           if pixels.ndim == 3 else pixels,
                           [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def _ccitt_g4(bw: np.ndarray) -> bytes:
    """Raw CCITT group 4 data of a 0/255 image, taken from a one-strip TIFF written by libtiff."""
    img = Image.fromarray(bw).convert("1", dither=Image.Dither.NONE)  # already 0/255
    out = io.BytesIO()
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[278] = img.height  # RowsPerStrip: one strip, so the data is one contiguous run
    img.save(out, "TIFF", compression="group4", tiffinfo=info)
    tiff = Image.open(io.BytesIO(out.getvalue()))
    offsets, counts = tiff.tag_v2[273], tiff.tag_v2[279]
    if len(offsets) != 1:
        raise ValueError("expected a single-strip G4 TIFF")
    raw = out.getvalue()
    return raw[offsets[0]: offsets[0] + counts[0]]
