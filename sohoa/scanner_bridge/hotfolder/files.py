"""Hot folder: names, checks and moves of files (link then unlink: nothing is ever
deleted), reason files, and the claims that stop two workers taking one file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sohoa.clock import VIETNAM

SCAN_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf")
TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".filepart", "~")
TEMPORARY_PREFIXES = ("~$", ".")
REASON_SUFFIX = ".ly-do.txt"

SCAN_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"II+\x00",
              b"MM\x00+")
"""The signatures :func:`sohoa.pipeline.load.sniff` accepts (plus ``%PDF-`` in the first KiB);
not imported from there because that module pulls in PIL, numpy and pikepdf, and a watcher
process should stay small. Deep checks are the handler's job."""

UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
NO_HARDLINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}
STALE_EMPTY_CLAIM_S = 60.0


# --- names and files -----------------------------------------------------------------------


def unsafe(char: str) -> bool:
    return char in "/\\" or unicodedata.category(char) in UNSAFE_CATEGORIES


def safe_name(name: str) -> bool:
    return name not in ("", ".", "..") and not any(unsafe(c) for c in name)


def ledger_name(name: str) -> str:
    """``name`` as printable text (undecodable bytes and control characters escaped)."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in UNSAFE_CATEGORIES else c
                   for c in text)


def cleaned_name(name: str) -> str:
    """A harmless name to quarantine a file with a tricky one under."""
    cleaned = "".join("_" if unsafe(c) else c for c in name).strip()
    return cleaned if cleaned not in ("", ".", "..") else "tep-khong-ten"


def signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def same_inode(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except FileNotFoundError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def names(name: str) -> Iterator[str]:
    """``scan.jpg``, ``scan-1.jpg``, ``scan-2.jpg``, …"""
    yield name
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if stem else (name, "")
    n = 1
    while True:
        yield f"{stem}-{n}{ext}"
        n += 1


def put(src: Path, dest: Path) -> bool:
    """Give ``src`` the name ``dest`` unless it exists; True if ``src`` still exists (linked).

    Falls back to check-then-rename on filesystems without hard links.
    """
    try:
        os.link(src, dest, follow_symlinks=False)
        return True
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in NO_HARDLINKS:
            raise
    if os.path.lexists(dest):
        raise FileExistsError(errno.EEXIST, "exists", str(dest))
    os.rename(src, dest)
    return False


def reason_path(dest: Path) -> Path:
    return dest.with_name(dest.name + REASON_SUFFIX)


def write_reason(dest: Path, text: str) -> None:
    """Write the reason file beside ``dest`` whole (temp name, then link), never over one."""
    target = reason_path(dest)
    if os.path.lexists(target):
        return
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    with open(temp, "x", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        if put(temp, target):
            os.unlink(temp)  # our own temporary name; the reason file keeps the bytes
    except FileExistsError:
        os.unlink(temp)


def place(src: Path, folder: Path, name: str, reason: str | None = None) -> Path:
    """Move ``src`` into ``folder`` under ``name`` or the first free variant; never replaces.

    Safe to repeat after a crash: a variant that already is ``src`` (hard link made, unlink
    not) is reused. With a reason, the variant's reason-file name must be free as well.
    """
    placed, linked = already_placed(src, folder, name), True
    if placed is None:
        placed, linked = link_free(src, folder, name, reason is not None)
    fsync_dir(folder)
    if reason is not None:
        write_reason(placed, reason)
    if linked:
        os.unlink(src)  # the other name of the same file, which now lives in ``folder``
    fsync_dir(src.parent)
    return placed


def already_placed(src: Path, folder: Path, name: str) -> Path | None:
    for candidate in names(name):
        dest = folder / candidate
        if not os.path.lexists(dest):
            return None
        if same_inode(dest, src):
            return dest
    return None  # pragma: no cover - names never ends


def link_free(src: Path, folder: Path, name: str, with_reason: bool) -> tuple[Path, bool]:
    for candidate in names(name):
        dest = folder / candidate
        if os.path.lexists(dest) or (with_reason and os.path.lexists(reason_path(dest))):
            continue
        try:
            return dest, put(src, dest)
        except FileExistsError:
            continue  # taken between the look and the link
    raise AssertionError("unreachable")  # pragma: no cover


def local_time(epoch: float) -> str:
    """Vietnam time, whatever the station's clock zone: the clerk reads it."""
    return datetime.fromtimestamp(epoch, VIETNAM).isoformat(timespec="seconds")


def reason_text(name: str, reason: str, sha256: str | None) -> str:
    lines = ["Tệp này đã được đưa vào thư mục cách ly và KHÔNG được xử lý.",
             f"Tên tệp gốc: {name}", f"Thời điểm: {local_time(time.time())}",
             f"Lý do: {reason}"]
    if sha256:
        lines.append(f"SHA-256: {sha256}")
    return "\n".join(lines) + "\n"


def examine(path: Path, name: str) -> tuple[str | None, str | None, int | None]:
    """(reason to refuse or None, SHA-256, size) of a claimed file, opened without following
    links and without blocking on FIFOs."""
    if not safe_name(name):
        return ("Tên tệp có ký tự không hợp lệ (ký tự điều khiển, dấu phân cách đường dẫn, "
                f"'..' hoặc byte không phải UTF-8): {ledger_name(name)!r}"), None, None
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return ("Tệp là liên kết tượng trưng (symlink); hệ thống không theo liên kết ra ngoài "
                "thư mục nhận"), None, None
    if not stat.S_ISREG(st.st_mode):
        return "Không phải tệp thông thường (thư mục, FIFO hoặc thiết bị)", None, None
    if st.st_nlink > 1:
        return ("Tệp có nhiều liên kết cứng (hard link), có thể trỏ tới tệp ngoài thư mục "
                "nhận"), None, st.st_size
    if st.st_size == 0:
        return "Tệp rỗng, không có dữ liệu", None, 0
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(1024)
            fh.seek(0)
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        return f"Không đọc được tệp ({exc.strerror or exc})", None, st.st_size
    if not (head.startswith(SCAN_MAGIC) or b"%PDF-" in head):
        return ("Tệp không phải ảnh quét (JPEG, PNG, TIFF) hay PDF (chữ ký đầu tệp: "
                f"{head[:8].hex()})"), sha256, st.st_size
    return None, sha256, st.st_size


# --- claims --------------------------------------------------------------------------------


@dataclass
class Claim:
    """A directory under processing/ and the lock that says someone is working on it."""

    path: Path
    fd: int

    @property
    def id(self) -> str:
        return self.path.name

    def release(self, remove_empty: bool = True) -> None:
        if remove_empty:
            with contextlib.suppress(OSError):
                self.path.rmdir()  # only when empty: what is left is retried by recovery
        os.close(self.fd)


def lock_claim(path: Path) -> Claim | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return Claim(path, fd)


@dataclass
class Seen:
    signature: tuple[int, int, int, int]
    since: float
    mtime: float
    renamed: bool = False


@dataclass
class Candidate:
    name: str
    mtime: float
    complete: bool
    wait: float

