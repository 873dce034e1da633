"""JPEG, PNG and TIFF input: header checks first, then one frame decoded at a time.

Pillow is strict here on purpose: ``ImageFile.LOAD_TRUNCATED_IMAGES`` stays off, so a cut
file fails instead of coming out with a gray bottom half that OCR would happily read as
"nothing". The probe still catches truncation from the bytes (missing end marker, broken
chunk or IFD chain, strips past the end) so a bad upload is refused before any decoding.
"""

from __future__ import annotations

import mmap
import re
import struct
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from sohoa.errors import CorruptFileError, DecompressionBombError, EmptyFileError, TooManyPagesError
from sohoa.pipeline.load.common import FileInfo, page_pixels, refuse, sane_dpi, scrub
from sohoa.pipeline.model import PageLoadFailure, RasterPage
from sohoa.settings import LoadLimits

LABEL = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}
ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, MemoryError)


def probe_image(path: Path, kind: str, size: int, limits: LoadLimits) -> FileInfo:
    """Page count and sizes from headers; refuses truncated, empty and oversized images."""
    frames = _tiff_frame_count(path, size, limits) if kind == "tiff" else 1
    with open_image(path, kind) as img:
        for index in range(frames):
            _check_frame(img, index, path, kind, size, limits)
        if kind == "png":
            _verify_png_chunks(img, path)
    if kind == "jpeg":
        _check_jpeg_end(path)
    return FileInfo(kind=kind, page_count=frames, size_bytes=size)


def iter_image_pages(path: Path, info: FileInfo, limits: LoadLimits,
                     indexes: Iterable[int] | None = None
                     ) -> Iterator[RasterPage | PageLoadFailure]:
    """Decode frames one by one (all, or only ``indexes``) so a 300-frame TIFF never sits
    in memory whole."""
    with open_image(path, info.kind) as img:
        for index in range(info.page_count) if indexes is None else indexes:
            yield _read_frame(img, index, path, info.kind, limits)


@contextmanager
def open_image(path: Path, kind: str) -> Iterator[Image.Image]:
    """Open with Pillow, turning its header failures into our typed errors."""
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is checked right after; Pillow's warning would be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path, formats=[LABEL[kind]])
    except Image.DecompressionBombError as exc:
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        what = f"{claimed.group(1)} px" if claimed else "quá nhiều điểm ảnh"
        raise refuse(DecompressionBombError, path, "Ảnh quá lớn, vượt giới hạn điểm ảnh",
                     f"phần đầu tệp khai báo {what}") from exc
    except (UnidentifiedImageError, *DECODE_ERRORS) as exc:
        raise _corrupt(path, kind, f"không đọc được phần đầu tệp: {exc}") from exc
    with img:
        yield img


def _check_frame(img: Image.Image, index: int, path: Path, kind: str, size: int,
                 limits: LoadLimits) -> None:
    try:
        img.seek(index)
    except DECODE_ERRORS as exc:
        raise _corrupt(path, kind, f"không đọc được trang {index + 1}: {exc}") from exc
    width, height = img.size
    if width * height > limits.max_pixels:
        raise refuse(DecompressionBombError, path, "Ảnh quá lớn, vượt giới hạn điểm ảnh",
                     f"{width}x{height} px, giới hạn {limits.max_pixels} px")
    if kind == "tiff":
        _check_tiff_strips(img, index, path, size)


def _read_frame(img: Image.Image, index: int, path: Path, kind: str,
                limits: LoadLimits) -> RasterPage | PageLoadFailure:
    try:
        img.seek(index)
        img.load()
        frame = _upright(img, kind)
        pixels = page_pixels(frame)
    except (Image.DecompressionBombError, *DECODE_ERRORS) as exc:
        why = scrub(str(exc), path)
        reason = f"Không giải mã được trang {index + 1} (lỗi giải mã {LABEL[kind]}: {why})"
        return PageLoadFailure(source=path.name, index=index, reason=reason)
    dpi = sane_dpi(img.info.get("dpi"), limits.default_dpi)
    return RasterPage(pixels=pixels, dpi=dpi, source=path.name, index=index)


def _upright(img: Image.Image, kind: str) -> Image.Image:
    """Apply the EXIF/TIFF orientation tag: phones and some scanners store pages sideways."""
    if kind == "jpeg":
        orientation = img.getexif().get(0x0112, 1)
    elif kind == "tiff":
        orientation = img.tag_v2.get(0x0112, 1)  # type: ignore[attr-defined]
    else:
        orientation = 1
    method = ORIENTATION.get(orientation)
    return img.transpose(method) if method is not None else img


def _check_jpeg_end(path: Path) -> None:
    """A complete JPEG has an end-of-image marker after its last scan.

    0xFF 0xD9 cannot occur inside entropy-coded data (0xFF is byte-stuffed there), so the
    last FFD9 lying after the last start-of-scan FFDA proves the scan data is complete.
    """
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        last_scan, last_end = data.rfind(b"\xff\xda"), data.rfind(b"\xff\xd9")
    if last_scan < 0 or last_end < last_scan:
        raise _corrupt(path, "jpeg", "bị cắt cụt: không có dấu kết thúc ảnh sau dữ liệu ảnh")


def _verify_png_chunks(img: Image.Image, path: Path) -> None:
    """Walk every chunk checking CRCs up to IEND; no pixel is inflated."""
    try:
        img.verify()
    except DECODE_ERRORS as exc:
        raise _corrupt(path, "png", f"khối dữ liệu hỏng: {exc}") from exc


def _check_tiff_strips(img: Image.Image, index: int, path: Path, size: int) -> None:
    tags = img.tag_v2  # type: ignore[attr-defined]
    offsets = tags.get(273) or tags.get(324) or ()
    counts = tags.get(279) or tags.get(325) or ()
    ends = [int(o) + int(c) for o, c in zip(offsets, counts, strict=False)]
    if not ends or max(ends) > size:
        raise _corrupt(path, "tiff", f"dữ liệu ảnh của trang {index + 1} vượt quá cuối tệp")


def _tiff_frame_count(path: Path, size: int, limits: LoadLimits) -> int:
    """Count IFDs by walking the chain ourselves: Pillow silently stops at a broken link."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            offsets = _ifd_chain(data, size, limits.max_pages)
        except struct.error as exc:
            raise _corrupt(path, "tiff", f"phần đầu tệp bị cắt cụt: {exc}") from exc
        except ValueError as exc:
            raise _corrupt(path, "tiff", str(exc)) from exc
    if offsets is None:
        raise refuse(TooManyPagesError, path, "Tệp có quá nhiều trang",
                     f"hơn {limits.max_pages} trang")
    if not offsets:
        raise refuse(EmptyFileError, path, "Tệp TIFF không có trang nào", "không có IFD nào")
    return len(offsets)


def _ifd_chain(data: mmap.mmap, size: int, max_pages: int) -> list[int] | None:
    """Offsets of the IFDs (one per page); None past ``max_pages``; ValueError if broken."""
    order = "<" if data[:2] == b"II" else ">"
    big = struct.unpack_from(order + "H", data, 2)[0] == 43
    count_fmt, entry_size, link_fmt = ("Q", 20, "Q") if big else ("H", 12, "I")
    offset = struct.unpack_from(order + link_fmt, data, 8 if big else 4)[0]
    seen: list[int] = []
    while offset:
        if offset in seen or offset + struct.calcsize(count_fmt) > size:
            raise ValueError(f"chuỗi IFD bị đứt ở vị trí {offset}")
        seen.append(offset)
        if len(seen) > max_pages:
            return None
        entries = struct.unpack_from(order + count_fmt, data, offset)[0]
        link = offset + struct.calcsize(count_fmt) + entries * entry_size
        if link + struct.calcsize(link_fmt) > size:
            raise ValueError(f"IFD ở vị trí {offset} bị cắt cụt")
        offset = struct.unpack_from(order + link_fmt, data, link)[0]
    return seen


def _corrupt(path: Path, kind: str, technical: str) -> CorruptFileError:
    label = LABEL[kind]
    return refuse(CorruptFileError, path, f"Tệp ảnh {label} bị hỏng hoặc bị cắt cụt",
                  f"{label} hỏng: {technical}")
