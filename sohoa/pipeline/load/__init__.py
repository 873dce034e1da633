"""First stage: check an input file, then hand out its pages one at a time.

:func:`probe` reads only headers and structure, so every file-level refusal (empty, not a
scan, damaged, password-protected, too big, too many pages) happens before a single page is
decoded in full. :func:`iter_pages` decodes lazily: a 300-page dossier never sits in memory
at once, and one bad page does not stop the others.

The type is sniffed from the first bytes, never from the extension: counters receive
``.pdf`` files that are Word documents and ``.jpg`` files that are PNGs.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

from sohoa.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingFileError,
    UnsupportedFileError,
)
from sohoa.pipeline.load.common import FileInfo, refuse
from sohoa.pipeline.load.image import iter_image_pages, probe_image
from sohoa.pipeline.load.pdf import iter_pdf_pages, probe_pdf
from sohoa.pipeline.model import PageLoadFailure, RasterPage
from sohoa.settings import LoadLimits

__all__ = ["FileInfo", "iter_pages", "load_page", "probe", "sniff"]

PDF_HEADER_WINDOW = 1024
"""Readers accept ``%PDF-`` anywhere in the first KiB (some scanners prepend junk)."""

MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),
    (b"MM\x00+", "tiff"),
)
NOT_SCANS = (
    (b"PK\x03\x04", "tệp nén ZIP: DOCX, XLSX, ODT hoặc ZIP"),
    (b"\xd0\xcf\x11\xe0", "tài liệu Office cũ: DOC hoặc XLS"),
    (b"GIF8", "ảnh GIF"),
    (b"RIFF", "tệp RIFF: WEBP, AVI hoặc WAV"),
    (b"Rar!", "tệp nén RAR"),
    (b"{\\rtf", "tài liệu RTF"),
)


def probe(path: Path, limits: LoadLimits) -> FileInfo:
    """Type, page count and size of ``path``; raises the matching InputError if unusable
    (a path that is missing, a folder or unreadable included)."""
    size = file_size(path)
    if size == 0:
        raise refuse(EmptyFileError, path, "Tệp rỗng, không có dữ liệu", "0 byte")
    if size > limits.max_file_bytes:
        raise refuse(FileTooLargeError, path, "Tệp quá lớn",
                     f"{size} byte, giới hạn {limits.max_file_bytes} byte")
    head = _head(path)
    kind = sniff(head)
    if kind is None:
        raise refuse(UnsupportedFileError, path, "Tệp không phải ảnh quét hay PDF",
                     describe(head))
    if kind == "pdf":
        return probe_pdf(path, size, limits)
    return probe_image(path, kind, size, limits)


def iter_pages(path: Path, limits: LoadLimits) -> Iterator[RasterPage | PageLoadFailure]:
    """Pages of ``path`` in order, decoded one at a time.

    The file is probed here, eagerly, so file-level errors raise at the call rather than at
    the first ``next()``.
    """
    info = probe(path, limits)
    if info.kind == "pdf":
        return iter_pdf_pages(path, info, limits)
    return iter_image_pages(path, info, limits)


def load_page(path: Path, index: int, limits: LoadLimits) -> RasterPage:
    """Page ``index`` alone: what a page job in another process loads for itself.

    Raises CorruptFileError when that page cannot be decoded (the caller records the page
    as failed and the other pages go on).
    """
    info = probe(path, limits)
    if not 0 <= index < info.page_count:
        raise IndexError(f"Không có trang {index + 1} trong {path.name}: tệp có "
                         f"{info.page_count} trang")
    loader = iter_pdf_pages if info.kind == "pdf" else iter_image_pages
    page = next(loader(path, info, limits, [index]))
    if isinstance(page, PageLoadFailure):
        raise CorruptFileError(page.reason)
    return page


def sniff(head: bytes) -> str | None:
    """"jpeg", "png", "tiff" or "pdf" from the first bytes of a file; None for anything else."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "pdf"
    return None


def describe(head: bytes) -> str:
    """What a refused file seems to be, for the clerk's message."""
    for magic, name in NOT_SCANS:
        if head.startswith(magic):
            return name
    sample = head[:512]
    if sample and all(b in b"\t\n\r" or 32 <= b < 127 or b >= 128 for b in sample):
        return "tệp văn bản"
    return f"không rõ loại, chữ ký đầu tệp {head[:8].hex()}"


def file_size(path: Path) -> int:
    """The file's size; a missing path, a folder or a file we may not read is refused."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MissingFileError(f"Không có tệp: {path.name}") from None
    except OSError as exc:
        raise MissingFileError(f"Không đọc được tệp ({exc.strerror}): {path.name}") from None
    if stat.S_ISDIR(info.st_mode):
        raise MissingFileError(f"Đây là thư mục, không phải tệp quét: {path.name}")
    return info.st_size


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(PDF_HEADER_WINDOW)
    except PermissionError:
        raise MissingFileError(f"Không có quyền đọc tệp: {path.name}") from None
