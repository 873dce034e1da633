"""The hot folder itself: watch the inbox, take complete files, claim, record, hand over,
move — and recover after a crash (the rules: :mod:`sohoa.scanner_bridge.hotfolder`)."""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sohoa.errors import ConfigurationError, ServiceUnavailableError, SohoaError
from sohoa.scanner_bridge.hotfolder import files
from sohoa.scanner_bridge.hotfolder.files import (
    REASON_SUFFIX,
    SCAN_SUFFIXES,
    TEMPORARY_PREFIXES,
    TEMPORARY_SUFFIXES,
)
from sohoa.scanner_bridge.hotfolder.ledger import FileState, Ledger, LedgerEntry

log = logging.getLogger(__name__)

__all__ = ["REASON_SUFFIX", "FileState", "HotFolder", "HotFolderSettings", "LedgerEntry",
           "ScanResult"]


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

    @classmethod
    def beside(cls, folder: Path, group_s: float) -> HotFolderSettings:
        """Inbox ``folder``; done, quarantine and the ledger beside it (one file system)."""
        base = folder.resolve().parent
        return cls(inbox=folder, done=base / "da-nhan", quarantine=base / "cach-ly",
                   state=base / ".sohoa-thu-muc-nong", group_s=group_s)

    def __post_init__(self) -> None:
        for name in ("inbox", "done", "quarantine", "state"):
            object.__setattr__(self, name, Path(getattr(self, name)))  # str from a config file
        if min(self.stable_s, self.poll_s, self.retry_s) <= 0 or self.group_s < 0:
            raise ConfigurationError("Thư mục nóng: stable_s, poll_s và retry_s phải > 0, "
                                     "group_s >= 0")
        folders = [Path(p).resolve() for p in (self.inbox, self.done, self.quarantine,
                                                self.state)]
        if len(set(folders)) != 4:
            raise ConfigurationError("Thư mục nóng: thư mục nhận, đã nhận, cách ly và trạng "
                                     "thái phải là bốn thư mục khác nhau")

    @property
    def processing(self) -> Path:
        return self.state / "processing"

    @property
    def ledger_path(self) -> Path:
        return self.state / "ledger.sqlite3"


@dataclass
class ScanResult:
    """What one pass did: files placed, and what is left for later passes."""

    done: list[Path] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)
    pending: int = 0
    """Candidates in the inbox not taken yet (still changing, or their batch still open)."""
    next_in: float | None = None
    """Seconds until a pending candidate may be complete (the worker sleeps no longer)."""


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
            raise ConfigurationError("Thư mục nóng: cần đúng một trong handle và handle_batch")
        if settings.group_s > 0 and handle_batch is None:
            raise ConfigurationError("Thư mục nóng: gộp tệp theo lần quét (group_s > 0) cần "
                                     "handle_batch")
        self.settings = settings
        self._handle, self._handle_batch = handle, handle_batch
        self._ledger: Ledger | None = None
        self._seen: dict[str, files.Seen] = {}
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
            raise ConfigurationError("Thư mục nóng: thư mục nhận, đã nhận, cách ly và trạng "
                                     "thái phải trên cùng một ổ đĩa (tệp được chuyển bằng "
                                     "cách đổi tên)")
        self._ledger = Ledger(s.ledger_path)

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

    def _survey(self) -> tuple[list[files.Candidate], float]:
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

    def _look(self, name: str, st: os.stat_result, now: float, renamed: bool) -> files.Candidate:
        signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode)
        seen = self._seen.get(name)
        if seen is None or seen.signature != signature:
            seen = self._seen[name] = files.Seen(signature, now, st.st_mtime)
        if renamed:
            seen.renamed = True
            with self._hints:
                self._renamed.pop(name, None)
        wait = self.settings.stable_s - (now - seen.since)
        special = not stat.S_ISREG(st.st_mode)  # symlinks, FIFOs: nothing is being written
        return files.Candidate(name, seen.mtime, seen.renamed or special or wait <= 0, wait)

    def _ready_units(self, survey: tuple[list[files.Candidate], float],
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

    def _groups(self, candidates: list[files.Candidate], latest: float,
                result: ScanResult) -> list[list[str]]:
        gap = self.settings.group_s
        groups: list[list[files.Candidate]] = []
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

    def _claim(self, names: list[str]) -> files.Claim | None:
        """Rename the files into a fresh locked directory; None if another took them all."""
        s = self.settings
        claim = files.lock_claim(Path(tempfile.mkdtemp(prefix="claim-", dir=s.processing)))
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
            files.fsync_dir(claim.path)
            files.fsync_dir(s.inbox)
        return claim

    def _settle(self, path: Path, expected: tuple[int, int, int, int] | None) -> None:
        """Wait while a writer that still holds the file open keeps changing it."""
        signature = files.signature(path)
        while (expected is not None and signature is not None and signature != expected
               and stat.S_ISREG(signature[3])):
            log.info("hot folder: %s changed after it was claimed; waiting", path.name)
            expected = signature
            time.sleep(self.settings.stable_s)
            signature = files.signature(path)

    def _recover(self, result: ScanResult) -> None:
        """Claims in processing/ nobody holds: finish them (crash, or a retry that is due)."""
        with os.scandir(self.settings.processing) as entries:
            dirs = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
        for path in sorted(dirs):
            claim = files.lock_claim(path)
            if claim is None:
                continue  # being worked on
            fresh = False
            try:
                if any(path.iterdir()):
                    self._advance(claim, result)
                else:  # an empty one may have just been made by a claimer: leave it a while
                    fresh = time.time() - path.stat().st_mtime < files.STALE_EMPTY_CLAIM_S
            finally:
                claim.release(remove_empty=not fresh)

    def _advance(self, claim: files.Claim, result: ScanResult) -> None:
        """Take every file of a claim one step further, as far as it goes."""
        rows = {e.name: e for e in self._ledger.entries(claim.id)}
        ready = []
        for name in sorted(os.listdir(claim.path)):
            key = files.ledger_name(name)
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

    def _accept(self, claim: files.Claim, name: str, result: ScanResult) -> FileState:
        """Check and record a newly claimed file; refused and duplicate files go to quarantine."""
        path, key = claim.path / name, files.ledger_name(name)
        reason, sha256, size = files.examine(path, name)
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
                f"{files.local_time(earlier.created)}, {how}{where}; không xử lý lại")

    def _interrupted(self, claim: files.Claim, name: str, row: LedgerEntry, ready: list[str],
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

    def _hand_over(self, claim: files.Claim, names: list[str], result: ScanResult) -> None:
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

    def _to_done(self, claim: files.Claim, name: str, result: ScanResult) -> None:
        src = claim.path / name
        if not os.path.lexists(src):
            log.warning("hot folder: the handler removed %s; nothing to move to done", name)
            return
        dest = files.place(src, self.settings.done, name)
        self._ledger.set_dest(claim.id, files.ledger_name(name), dest)
        result.done.append(dest)

    def _to_quarantine(self, claim: files.Claim, name: str, reason: str, sha256: str | None,
                       result: ScanResult) -> None:
        src = claim.path / name
        if not os.path.lexists(src):
            return
        text = files.reason_text(files.ledger_name(name), reason, sha256)
        dest = files.place(src, self.settings.quarantine, files.cleaned_name(name), text)
        self._ledger.set_dest(claim.id, files.ledger_name(name), dest)
        log.warning("hot folder: %s quarantined: %s", files.ledger_name(name), reason)
        result.quarantined.append(dest)


class _Events(FileSystemEventHandler):
    """Watchdog handler: any event wakes the pass; renames into the inbox are remembered."""

    def __init__(self, folder: HotFolder) -> None:
        super().__init__()
        self._folder = folder

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._folder._on_event(event)
