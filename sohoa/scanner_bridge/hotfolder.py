"""Hot folder: scans that a counter's scanner software writes into a folder, handed to intake.

Scanner software writes a file over seconds (often as ``x.tmp``/``x.part``/``~$x`` renamed at
the end), sometimes crashes half way, and the station itself may be switched off while a
scan is being processed. So a file moves through four places, each step a rename on one
filesystem (atomic, never a copy):

``inbox/`` → ``state/processing/<claim>/`` → ``done/`` or ``quarantine/``

* **Complete before taken.** A file is a candidate once its size, mtime and inode have not
  changed for ``stable_s`` (measured on our own clock, at least two looks apart), or at once
  when watchdog saw it renamed into place. Temporary and hidden names are never looked at;
  other extensions are left alone (they may be some scanner's temporary file).
* **Claimed once.** A claim renames the file into a fresh private directory under
  ``processing/`` whose ``flock`` the claimer holds: of two hot folders (threads or
  processes) on one inbox, only one rename succeeds, and a claim being worked on is never
  picked up by another's recovery. The lock dies with the process, which is how a crash is
  told from work in progress.
* **Recorded before handled.** The ledger (SQLite in ``state/``) records each file by name
  and SHA-256 before ``handle`` is called and its outcome right after; a partial unique index
  lets one accepted copy of any content exist. A file whose content was already accepted is
  *quarantined as a duplicate* (with a reason naming the earlier file) rather than moved to
  ``done/``: the clerk sees at once that it was not processed again.
* **After a crash** (a claim left in ``processing/`` with nobody holding its lock): finished
  outcomes are completed (the move to ``done/``/``quarantine/``); a file whose ``handle``
  was interrupted is handed over exactly once more; interrupted twice, it is quarantined.
* **Never deleted.** Moves use ``link`` + ``unlink`` into a free name (``scan-1.jpg`` on a
  collision), so no file is ever replaced; quarantined files get ``<name>.ly-do.txt`` (the
  reason, in Vietnamese, UTF-8) beside them.
* **Path tricks.** Names with control characters, path separators, undecodable bytes or
  ``..`` are quarantined under a cleaned name; symlinks, hard-linked files, FIFOs and devices
  are quarantined as they are (a symlink is moved as a link, never followed or opened).
  Subfolders of the inbox are ignored.
* **Failures of ``handle``.** A :class:`~sohoa.errors.SohoaError` quarantines the file with
  its message; a :class:`~sohoa.errors.ServiceUnavailableError` (catalog or store down)
  leaves it claimed and retries after ``retry_s``; any other exception quarantines it with
  the exception named (a bug must not loop); a ``BaseException`` (KeyboardInterrupt,
  SystemExit) propagates and leaves the claim for recovery.
* **Batches.** With ``group_s`` > 0, files whose mtimes lie within ``group_s`` of each other
  are handed over together (``handle_batch``, in mtime order) once the inbox has been quiet
  for ``group_s``; a refused or duplicate file leaves its batch and the rest goes on, while
  an error raised by ``handle_batch`` quarantines the whole batch. Grouping assumes one hot
  folder per inbox (two would split a batch between them, never process a file twice).

Watchdog events only wake the worker; a rescan every ``poll_s`` is the truth, so dropped
events and files present before start are taken all the same. Linux/POSIX only (``flock``);
inbox, done, quarantine and state must share a filesystem and the state a local disk.
``handle`` must have stored what it needs from the file by the time it returns.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import sqlite3
import stat
import tempfile
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sohoa.errors import ConfigurationError, ServiceUnavailableError, SohoaError
from sohoa.settings import VIETNAM_TZ

log = logging.getLogger(__name__)

SCAN_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf")
TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".filepart", "~")
TEMPORARY_PREFIXES = ("~$", ".")
REASON_SUFFIX = ".ly-do.txt"

_SCAN_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"II+\x00",
               b"MM\x00+")
"""The signatures :func:`sohoa.pipeline.load.sniff` accepts (plus ``%PDF-`` in the first KiB);
not imported from there because that module pulls in PIL, numpy and pikepdf, and a watcher
process should stay small. Deep checks are the handler's job."""

_UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_NO_HARDLINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}
_STALE_EMPTY_CLAIM_S = 60.0


@dataclass(frozen=True)
class HotFolderSettings:
    """Where a hot folder looks and puts things, and how patient it is."""

    inbox: Path
    """Folder the scanner software writes into (only its top level is watched)."""

    done: Path
    """Handled files, under their original names (``-1``, ``-2``… added on a collision)."""

    quarantine: Path
    """Refused files, each with ``<name>.ly-do.txt`` saying why (Vietnamese, UTF-8)."""

    state: Path
    """The hot folder's own directory: ``ledger.sqlite3`` and ``processing/`` (claimed files).
    On a local disk (SQLite locking) and, like done and quarantine, on the inbox's
    filesystem (every move is one rename)."""

    stable_s: float = 2.0
    """A file unchanged (size, mtime, inode) this long is complete. Longer than the longest
    pause the scanner software makes while writing one file."""

    poll_s: float = 1.0
    """Rescan at least this often, whatever the watchdog events say."""

    group_s: float = 0.0
    """0: every file is handed over alone. Above 0: files written within this many seconds
    of each other form one batch, closed when the inbox has been quiet this long."""

    retry_s: float = 30.0
    """Wait before handing a file over again after a service was unavailable."""

    suffixes: tuple[str, ...] = SCAN_SUFFIXES
    """Extensions taken (case-insensitive); anything else is left in the inbox."""

    temporary_suffixes: tuple[str, ...] = TEMPORARY_SUFFIXES
    """Names still being written by someone: never looked at."""

    temporary_prefixes: tuple[str, ...] = TEMPORARY_PREFIXES
    """``~$`` (Office-style lock/temp files) and ``.`` (hidden, rsync's temporaries)."""

    def __post_init__(self) -> None:
        for name in ("inbox", "done", "quarantine", "state"):
            object.__setattr__(self, name, Path(getattr(self, name)))  # str from a config file
        if min(self.stable_s, self.poll_s, self.retry_s) <= 0 or self.group_s < 0:
            raise ConfigurationError("Hot folder: stable_s, poll_s and retry_s must be > 0, "
                                     "group_s >= 0.")
        folders = [Path(p).resolve() for p in (self.inbox, self.done, self.quarantine,
                                                self.state)]
        if len(set(folders)) != 4:
            raise ConfigurationError("Hot folder: inbox, done, quarantine and state must be "
                                     "four different folders.")

    @property
    def processing(self) -> Path:
        return self.state / "processing"

    @property
    def ledger_path(self) -> Path:
        return self.state / "ledger.sqlite3"


class FileState(StrEnum):
    """Where a claimed file stands; the ledger's answer after a crash."""

    READY = "ready"              # accepted (checked, hashed), not yet handed over
    HANDLING = "handling"        # handed over, no outcome recorded: a crash leaves this
    WAITING = "waiting"          # a service was unavailable; handed over again later
    DONE = "done"
    QUARANTINED = "quarantined"
    DUPLICATE = "duplicate"      # same SHA-256 as an accepted file: quarantined
    GONE = "gone"                # its claimed file vanished from processing/ (removed by hand)


_ACCEPTED = (FileState.READY, FileState.HANDLING, FileState.WAITING, FileState.DONE)


@dataclass(frozen=True)
class LedgerEntry:
    """One file of one claim, as the ledger records it."""

    claim: str
    name: str
    sha256: str | None
    size: int | None
    state: FileState
    attempts: int
    interruptions: int
    reason: str | None
    dest: str | None
    not_before: float
    created: float
    updated: float


@dataclass
class ScanResult:
    """What one pass did: files placed, and what is left for later passes."""

    done: list[Path] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)
    pending: int = 0
    """Candidates in the inbox not taken yet (still changing, or their batch still open)."""
    next_in: float | None = None
    """Seconds until a pending candidate may be complete (the worker sleeps no longer)."""


# --- ledger --------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    claim TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT, size INTEGER, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, interruptions INTEGER NOT NULL DEFAULT 0,
    reason TEXT, dest TEXT, not_before REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL, updated REAL NOT NULL, PRIMARY KEY (claim, name));
CREATE UNIQUE INDEX IF NOT EXISTS one_accepted_copy ON files (sha256)
    WHERE state IN ('ready', 'handling', 'waiting', 'done');
"""


class _Ledger:
    """The SQLite ledger; one connection per hot folder, shared by its threads under a lock."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def entries(self, claim: str | None = None) -> list[LedgerEntry]:
        sql = "SELECT * FROM files" + (" WHERE claim = ?" if claim else "") + " ORDER BY created"
        with self._lock:
            rows = self._db.execute(sql, (claim,) if claim else ()).fetchall()
        return [LedgerEntry(*row[:4], FileState(row[4]), *row[5:]) for row in rows]

    def accept(self, claim: str, name: str, sha256: str, size: int) -> LedgerEntry | None:
        """Record the file as READY, or return the accepted copy of the same content."""
        with self._tx() as db:
            row = db.execute("SELECT * FROM files WHERE sha256 = ? AND state IN "
                             "('ready', 'handling', 'waiting', 'done')", (sha256,)).fetchone()
            if row is not None:
                return LedgerEntry(*row[:4], FileState(row[4]), *row[5:])
            self._upsert(db, claim, name, FileState.READY, None, sha256, size)
        return None

    def record(self, claim: str, name: str, state: FileState, reason: str | None,
               sha256: str | None = None, size: int | None = None) -> None:
        with self._tx() as db:
            self._upsert(db, claim, name, state, reason, sha256, size)

    @staticmethod
    def _upsert(db: sqlite3.Connection, claim: str, name: str, state: FileState,
                reason: str | None, sha256: str | None, size: int | None) -> None:
        now = time.time()
        db.execute("INSERT INTO files (claim, name, sha256, size, state, reason, created, "
                   "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim, name) DO "
                   "UPDATE SET state = excluded.state, reason = excluded.reason, "
                   "updated = excluded.updated",
                   (claim, name, sha256, size, state, reason, now, now))

    def update(self, claim: str, names: Sequence[str], state: FileState,
               reason: str | None = None, not_before: float = 0.0) -> None:
        with self._tx() as db:
            db.executemany("UPDATE files SET state = ?, reason = ?, not_before = ?, updated = ? "
                           "WHERE claim = ? AND name = ?",
                           [(state, reason, not_before, time.time(), claim, n) for n in names])

    def begin(self, claim: str, names: Sequence[str]) -> None:
        """Mark the files as handed over, before the handler runs."""
        with self._tx() as db:
            db.executemany("UPDATE files SET state = 'handling', attempts = attempts + 1, "
                           "updated = ? WHERE claim = ? AND name = ?",
                           [(time.time(), claim, n) for n in names])

    def interrupted(self, claim: str, name: str) -> int:
        """Count one more interrupted hand-over; the new count."""
        with self._tx() as db:
            db.execute("UPDATE files SET interruptions = interruptions + 1, state = 'ready', "
                       "updated = ? WHERE claim = ? AND name = ?", (time.time(), claim, name))
            return db.execute("SELECT interruptions FROM files WHERE claim = ? AND name = ?",
                              (claim, name)).fetchone()[0]

    def set_dest(self, claim: str, name: str, dest: Path) -> None:
        with self._tx() as db:
            db.execute("UPDATE files SET dest = ? WHERE claim = ? AND name = ?",
                       (str(dest), claim, name))


# --- names and files -----------------------------------------------------------------------


def _unsafe(char: str) -> bool:
    return char in "/\\" or unicodedata.category(char) in _UNSAFE_CATEGORIES


def _safe_name(name: str) -> bool:
    return name not in ("", ".", "..") and not any(_unsafe(c) for c in name)


def _ledger_name(name: str) -> str:
    """``name`` as printable text (undecodable bytes and control characters escaped)."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _UNSAFE_CATEGORIES else c
                   for c in text)


def _cleaned_name(name: str) -> str:
    """A harmless name to quarantine a file with a tricky one under."""
    cleaned = "".join("_" if _unsafe(c) else c for c in name).strip()
    return cleaned if cleaned not in ("", ".", "..") else "tep-khong-ten"


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_inode(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except FileNotFoundError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _names(name: str) -> Iterator[str]:
    """``scan.jpg``, ``scan-1.jpg``, ``scan-2.jpg``, …"""
    yield name
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if stem else (name, "")
    n = 1
    while True:
        yield f"{stem}-{n}{ext}"
        n += 1


def _put(src: Path, dest: Path) -> bool:
    """Give ``src`` the name ``dest`` unless it exists; True if ``src`` still exists (linked).

    Falls back to check-then-rename on filesystems without hard links.
    """
    try:
        os.link(src, dest, follow_symlinks=False)
        return True
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARDLINKS:
            raise
    if os.path.lexists(dest):
        raise FileExistsError(errno.EEXIST, "exists", str(dest))
    os.rename(src, dest)
    return False


def _reason_path(dest: Path) -> Path:
    return dest.with_name(dest.name + REASON_SUFFIX)


def _write_reason(dest: Path, text: str) -> None:
    """Write the reason file beside ``dest`` whole (temp name, then link), never over one."""
    target = _reason_path(dest)
    if os.path.lexists(target):
        return
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    with open(temp, "x", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        if _put(temp, target):
            os.unlink(temp)  # our own temporary name; the reason file keeps the bytes
    except FileExistsError:
        os.unlink(temp)


def _place(src: Path, folder: Path, name: str, reason: str | None = None) -> Path:
    """Move ``src`` into ``folder`` under ``name`` or the first free variant; never replaces.

    Safe to repeat after a crash: a variant that already is ``src`` (hard link made, unlink
    not) is reused. With a reason, the variant's reason-file name must be free as well.
    """
    placed, linked = _already_placed(src, folder, name), True
    if placed is None:
        placed, linked = _link_free(src, folder, name, reason is not None)
    _fsync_dir(folder)
    if reason is not None:
        _write_reason(placed, reason)
    if linked:
        os.unlink(src)  # the other name of the same file, which now lives in ``folder``
    _fsync_dir(src.parent)
    return placed


def _already_placed(src: Path, folder: Path, name: str) -> Path | None:
    for candidate in _names(name):
        dest = folder / candidate
        if not os.path.lexists(dest):
            return None
        if _same_inode(dest, src):
            return dest
    return None  # pragma: no cover - _names never ends


def _link_free(src: Path, folder: Path, name: str, with_reason: bool) -> tuple[Path, bool]:
    for candidate in _names(name):
        dest = folder / candidate
        if os.path.lexists(dest) or (with_reason and os.path.lexists(_reason_path(dest))):
            continue
        try:
            return dest, _put(src, dest)
        except FileExistsError:
            continue  # taken between the look and the link
    raise AssertionError("unreachable")  # pragma: no cover


def _local_time(epoch: float) -> str:
    """Vietnam time, whatever the station's clock zone: the clerk reads it."""
    return datetime.fromtimestamp(epoch, ZoneInfo(VIETNAM_TZ)).isoformat(timespec="seconds")


def _reason_text(name: str, reason: str, sha256: str | None) -> str:
    lines = ["Tệp này đã được đưa vào thư mục cách ly và KHÔNG được xử lý.",
             f"Tên tệp gốc: {name}", f"Thời điểm: {_local_time(time.time())}",
             f"Lý do: {reason}"]
    if sha256:
        lines.append(f"SHA-256: {sha256}")
    return "\n".join(lines) + "\n"


def _examine(path: Path, name: str) -> tuple[str | None, str | None, int | None]:
    """(reason to refuse or None, SHA-256, size) of a claimed file, opened without following
    links and without blocking on FIFOs."""
    if not _safe_name(name):
        return ("Tên tệp có ký tự không hợp lệ (ký tự điều khiển, dấu phân cách đường dẫn, "
                f"'..' hoặc byte không phải UTF-8): {_ledger_name(name)!r}"), None, None
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
    if not (head.startswith(_SCAN_MAGIC) or b"%PDF-" in head):
        return ("Tệp không phải ảnh quét (JPEG, PNG, TIFF) hay PDF (chữ ký đầu tệp: "
                f"{head[:8].hex()})"), sha256, st.st_size
    return None, sha256, st.st_size


# --- claims --------------------------------------------------------------------------------


@dataclass
class _Claim:
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


def _lock(path: Path) -> _Claim | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return _Claim(path, fd)


@dataclass
class _Seen:
    signature: tuple[int, int, int, int]
    since: float
    mtime: float
    renamed: bool = False


@dataclass
class _Candidate:
    name: str
    mtime: float
    complete: bool
    wait: float


# --- the hot folder ------------------------------------------------------------------------


class HotFolder:
    """Watches ``settings.inbox`` and hands each complete scan to ``handle`` exactly once.

    Give ``handle(path)`` for one file at a time, or ``handle_batch(paths)`` (required when
    ``group_s`` > 0). Paths point into ``processing/`` and keep the original file name.
    """

    def __init__(self, settings: HotFolderSettings,
                 handle: Callable[[Path], None] | None = None, *,
                 handle_batch: Callable[[list[Path]], None] | None = None) -> None:
        if (handle is None) == (handle_batch is None):
            raise ConfigurationError("Hot folder: give either handle or handle_batch.")
        if settings.group_s > 0 and handle_batch is None:
            raise ConfigurationError("Hot folder: grouping (group_s > 0) needs handle_batch.")
        self.settings = settings
        self._handle, self._handle_batch = handle, handle_batch
        self._ledger: _Ledger | None = None
        self._seen: dict[str, _Seen] = {}
        self._renamed: dict[str, float] = {}
        self._hints = threading.Lock()
        self._pass = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._observer: Observer | None = None

    # lifecycle

    def open(self) -> None:
        """Create the folders and the ledger; check they share the inbox's filesystem."""
        if self._ledger is not None:
            return
        s = self.settings
        for folder in (s.inbox, s.done, s.quarantine, s.processing):
            folder.mkdir(parents=True, exist_ok=True)
        devices = {os.stat(f).st_dev for f in (s.inbox, s.done, s.quarantine, s.processing)}
        if len(devices) != 1:
            raise ConfigurationError("Hot folder: inbox, done, quarantine and state must be on "
                                     "one filesystem (files are moved by renaming).")
        self._ledger = _Ledger(s.ledger_path)

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    def start(self) -> None:
        """Watch the inbox in the background (watchdog events plus a rescan every poll_s)."""
        if self._thread is not None:
            raise RuntimeError("hot folder already started")
        self.open()
        self._stopping.clear()
        self._observer = Observer()
        self._observer.schedule(_Events(self), str(self.settings.inbox), recursive=False)
        self._observer.start()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"hotfolder:{self.settings.inbox.name}")
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop watching; a hand-over in progress is finished first."""
        self._stopping.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._pass:
            self.close()

    def __enter__(self) -> HotFolder:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def entries(self) -> list[LedgerEntry]:
        """Every file the ledger knows, oldest first."""
        self.open()
        return self._ledger.entries()

    # passes

    def scan_once(self) -> ScanResult:
        """One pass: finish or retry claims left in processing/, then take complete files."""
        with self._pass:
            self.open()
            result = ScanResult()
            self._recover(result)
            candidates = self._survey()
            for names in self._ready_units(candidates, result):
                claim = self._claim(names)
                if claim is not None:
                    try:
                        self._advance(claim, result)
                    finally:
                        claim.release()
            return result

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            wait = self.settings.poll_s
            try:
                result = self.scan_once()
                if result.next_in is not None:
                    wait = min(wait, max(result.next_in, 0.01))
            except Exception:
                log.exception("hot folder %s: pass failed; retrying", self.settings.inbox)
            except BaseException:
                log.exception("hot folder %s: stopped; claims are recovered at next start",
                              self.settings.inbox)
                return
            self._wake.wait(wait)

    def _on_event(self, event: object) -> None:
        """Watchdog thread: remember renames into the inbox (complete files), wake the pass."""
        dest = getattr(event, "dest_path", None)
        if dest and not getattr(event, "is_directory", False):
            dest = Path(os.fsdecode(dest))
            if dest.parent == self.settings.inbox:
                with self._hints:
                    self._renamed[dest.name] = time.monotonic()
        self._wake.set()

    def _wanted(self, name: str) -> bool:
        s, low = self.settings, name.lower()
        if name.startswith(s.temporary_prefixes) or low.endswith(s.temporary_suffixes):
            return False
        return low.endswith(s.suffixes)

    def _survey(self) -> tuple[list[_Candidate], float]:
        """Candidates in the inbox and the latest write time of anything there."""
        now, latest, found = time.monotonic(), 0.0, []
        with self._hints:
            hints = {n for n, t in self._renamed.items() if now - t < 60}
            self._renamed = {n: self._renamed[n] for n in hints}
        with os.scandir(self.settings.inbox) as entries:
            for entry in entries:
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if stat.S_ISDIR(st.st_mode):
                    continue  # subfolders are not ours
                latest = max(latest, st.st_mtime)
                if self._wanted(entry.name):
                    found.append(self._look(entry.name, st, now, entry.name in hints))
        names = {c.name for c in found}
        self._seen = {n: s for n, s in self._seen.items() if n in names}
        found.sort(key=lambda c: (c.mtime, c.name))  # the earlier of two copies is the original
        return found, latest

    def _look(self, name: str, st: os.stat_result, now: float, renamed: bool) -> _Candidate:
        signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)
        seen = self._seen.get(name)
        if seen is None or seen.signature != signature:
            seen = self._seen[name] = _Seen(signature, now, st.st_mtime)
        if renamed:
            seen.renamed = True
            with self._hints:
                self._renamed.pop(name, None)
        wait = self.settings.stable_s - (now - seen.since)
        special = not stat.S_ISREG(st.st_mode)  # symlinks, FIFOs: nothing is being written
        return _Candidate(name, seen.mtime, seen.renamed or special or wait <= 0, wait)

    def _ready_units(self, survey: tuple[list[_Candidate], float],
                     result: ScanResult) -> list[list[str]]:
        """Names to claim together: one per unit, or one batch per closed group."""
        candidates, latest = survey
        waits = [c.wait for c in candidates if not c.complete]
        result.next_in = min(waits) if waits else None
        if self.settings.group_s <= 0:
            units = [[c.name] for c in candidates if c.complete]
            result.pending = len(candidates) - len(units)
            return units
        return self._groups(candidates, latest, result)

    def _groups(self, candidates: list[_Candidate], latest: float,
                result: ScanResult) -> list[list[str]]:
        gap = self.settings.group_s
        groups: list[list[_Candidate]] = []
        for c in sorted(candidates, key=lambda c: (c.mtime, c.name)):
            if groups and c.mtime - groups[-1][-1].mtime <= gap:
                groups[-1].append(c)
            else:
                groups.append([c])
        quiet = time.time() - latest
        units = []
        for i, group in enumerate(groups):
            last = i == len(groups) - 1
            if all(c.complete for c in group) and (not last or quiet >= gap):
                units.append([c.name for c in group])
            else:
                result.pending += len(group)
                if last and quiet < gap:
                    left = gap - quiet
                    result.next_in = left if result.next_in is None else min(result.next_in, left)
        return units

    # claims

    def _claim(self, names: list[str]) -> _Claim | None:
        """Rename the files into a fresh locked directory; None if another took them all."""
        s = self.settings
        claim = _lock(Path(tempfile.mkdtemp(prefix="claim-", dir=s.processing)))
        if claim is None:
            return None  # a recovery pass got the empty directory first; next pass retries
        taken = []
        for name in names:
            expected = self._seen.pop(name).signature if name in self._seen else None
            try:
                os.rename(s.inbox / name, claim.path / name)
            except FileNotFoundError:
                continue  # another hot folder claimed it first
            taken.append(name)
            self._settle(claim.path / name, expected)
        if taken:
            _fsync_dir(claim.path)
            _fsync_dir(s.inbox)
        return claim

    def _settle(self, path: Path, expected: tuple[int, int, int, int] | None) -> None:
        """Wait while a writer that still holds the file open keeps changing it."""
        signature = _signature(path)
        while (expected is not None and signature is not None and signature != expected
               and stat.S_ISREG(signature[3])):
            log.info("hot folder: %s changed after it was claimed; waiting", path.name)
            expected = signature
            time.sleep(self.settings.stable_s)
            signature = _signature(path)

    def _recover(self, result: ScanResult) -> None:
        """Claims in processing/ nobody holds: finish them (crash, or a retry that is due)."""
        with os.scandir(self.settings.processing) as entries:
            dirs = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
        for path in sorted(dirs):
            claim = _lock(path)
            if claim is None:
                continue  # being worked on
            fresh = False
            try:
                if any(path.iterdir()):
                    self._advance(claim, result)
                else:  # an empty one may have just been made by a claimer: leave it a while
                    fresh = time.time() - path.stat().st_mtime < _STALE_EMPTY_CLAIM_S
            finally:
                claim.release(remove_empty=not fresh)

    def _advance(self, claim: _Claim, result: ScanResult) -> None:
        """Take every file of a claim one step further, as far as it goes."""
        rows = {e.name: e for e in self._ledger.entries(claim.id)}
        ready = []
        for name in sorted(os.listdir(claim.path)):
            key = _ledger_name(name)
            row = rows.get(key)
            if row is None or row.state == FileState.GONE:  # GONE: put back by hand
                row, state = None, self._accept(claim, name, result)
            else:
                state = row.state
            if row and state == FileState.DONE:
                self._to_done(claim, name, result)
            elif row and state in (FileState.QUARANTINED, FileState.DUPLICATE):
                self._to_quarantine(claim, name, row.reason or "", row.sha256, result)
            elif state == FileState.HANDLING:
                self._interrupted(claim, name, row, ready, result)
            elif state == FileState.READY or (
                    state == FileState.WAITING and row.not_before <= time.time()):
                ready.append(name)
        ready.sort(key=lambda n: (os.lstat(claim.path / n).st_mtime_ns, n))
        units = [ready] if self._handle_batch else [[n] for n in ready]
        for unit in filter(None, units):
            self._hand_over(claim, unit, result)

    def _accept(self, claim: _Claim, name: str, result: ScanResult) -> FileState:
        """Check and record a newly claimed file; refused and duplicate files go to quarantine."""
        path, key = claim.path / name, _ledger_name(name)
        reason, sha256, size = _examine(path, name)
        if reason is None:
            earlier = self._ledger.accept(claim.id, key, sha256, size)
            while earlier is not None and earlier.state != FileState.DONE and not (
                    self.settings.processing / earlier.claim / earlier.name).exists():
                self._ledger.update(earlier.claim, [earlier.name], FileState.GONE)
                earlier = self._ledger.accept(claim.id, key, sha256, size)
            if earlier is None:
                return FileState.READY
            reason = self._duplicate_reason(earlier)
            self._ledger.record(claim.id, key, FileState.DUPLICATE, reason, sha256, size)
            state = FileState.DUPLICATE
        else:
            self._ledger.record(claim.id, key, FileState.QUARANTINED, reason, sha256, size)
            state = FileState.QUARANTINED
        self._to_quarantine(claim, name, reason, sha256, result)
        return state

    @staticmethod
    def _duplicate_reason(earlier: LedgerEntry) -> str:
        where = f", lưu với tên “{Path(earlier.dest).name}”" if earlier.dest else ""
        how = "đã xử lý xong" if earlier.state == FileState.DONE else "đang được xử lý"
        return (f"Trùng nội dung (cùng SHA-256) với tệp “{earlier.name}” nhận lúc "
                f"{_local_time(earlier.created)}, {how}{where}; không xử lý lại")

    def _interrupted(self, claim: _Claim, name: str, row: LedgerEntry, ready: list[str],
                     result: ScanResult) -> None:
        """A hand-over that never ended: once more, or quarantine if it was the second."""
        if self._ledger.interrupted(claim.id, name) < 2:
            log.warning("hot folder: %s was interrupted while handled; handing it over again",
                        name)
            ready.append(name)
            return
        reason = ("Xử lý bị gián đoạn hai lần (máy tắt hoặc chương trình dừng khi đang xử lý "
                  "tệp này); không thử lại tự động")
        self._ledger.update(claim.id, [name], FileState.QUARANTINED, reason)
        self._to_quarantine(claim, name, reason, row.sha256, result)

    def _hand_over(self, claim: _Claim, names: list[str], result: ScanResult) -> None:
        """Call the handler, then record and carry out the outcome."""
        paths = [claim.path / n for n in names]
        self._ledger.begin(claim.id, names)
        try:
            if self._handle_batch is not None:
                self._handle_batch(paths)
            else:
                self._handle(paths[0])
        except ServiceUnavailableError as exc:
            log.warning("hot folder: %s: %s; retrying in %.0f s", names, exc,
                        self.settings.retry_s)
            self._ledger.update(claim.id, names, FileState.WAITING, exc.message,
                                time.time() + self.settings.retry_s)
            return
        except SohoaError as exc:
            reason = f"Lỗi khi xử lý: {exc.message}"
        except Exception as exc:
            log.exception("hot folder: handler failed on %s", names)
            reason = f"Lỗi không mong đợi khi xử lý ({type(exc).__name__}): {exc}"
        else:
            self._ledger.update(claim.id, names, FileState.DONE)
            for name in names:
                self._to_done(claim, name, result)
            return
        self._ledger.update(claim.id, names, FileState.QUARANTINED, reason)
        rows = {e.name: e for e in self._ledger.entries(claim.id)}
        for name in names:
            self._to_quarantine(claim, name, reason, rows[name].sha256, result)

    def _to_done(self, claim: _Claim, name: str, result: ScanResult) -> None:
        src = claim.path / name
        if not os.path.lexists(src):
            log.warning("hot folder: the handler removed %s; nothing to move to done", name)
            return
        dest = _place(src, self.settings.done, name)
        self._ledger.set_dest(claim.id, _ledger_name(name), dest)
        result.done.append(dest)

    def _to_quarantine(self, claim: _Claim, name: str, reason: str, sha256: str | None,
                       result: ScanResult) -> None:
        src = claim.path / name
        if not os.path.lexists(src):
            return
        text = _reason_text(_ledger_name(name), reason, sha256)
        dest = _place(src, self.settings.quarantine, _cleaned_name(name), text)
        self._ledger.set_dest(claim.id, _ledger_name(name), dest)
        log.warning("hot folder: %s quarantined: %s", _ledger_name(name), reason)
        result.quarantined.append(dest)


class _Events(FileSystemEventHandler):
    """Watchdog handler: any event wakes the pass; renames into the inbox are remembered."""

    def __init__(self, folder: HotFolder) -> None:
        super().__init__()
        self._folder = folder

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._folder._on_event(event)
