"""Object store on a local directory: the embedded default, one counter, no server.

Layout under ``root``::

    data/<key>          the object's bytes, exactly as given (a scan opens as a scan)
    meta/<key>.json     {"sha256", "size", "content_type"} recorded at put time
    locks/<key>.json    {"until", "permanent"}: the object's retention (see below)
    tmp/                half-written files; same file system, so rename is atomic

Writes are crash-safe: bytes go to ``tmp/``, are fsynced, then published. The metadata file
is *claimed* first with ``os.link`` (which never replaces an existing file), so of two
concurrent writers with different bytes exactly one wins, and a reader never sees data
without its checksum. Every read recomputes the SHA-256 against the recorded one, so bit rot
or tampering on disk surfaces as :class:`IntegrityError` instead of a silently bad archive.

A directory cannot lock a file against its own administrator, so retention is the store's
own promise: a lock file records it (extended, never shortened) and :meth:`delete` refuses
an object under a lock in force. ``sohoa scrub`` checks the locks against the catalog.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sohoa.errors import IntegrityError, ObjectNotFoundError, StorageError
from sohoa.storage.objects import (
    ObjectLock,
    StoredObject,
    WholeFilePut,
    refuse_locked_delete,
    sha256_file,
    sha256_hex,
    validate_key,
    validate_prefix,
)


class LocalObjectStore(WholeFilePut):
    """Write-once object store in a directory tree (see module docstring for the layout)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._data = self.root / "data"
        self._meta = self.root / "meta"
        self._tmp = self.root / "tmp"
        self._locks = self.root / "locks"
        for folder in (self._data, self._meta, self._tmp, self._locks):
            folder.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalObjectStore({str(self.root)!r})"

    # --- paths ---------------------------------------------------------------------------

    def data_path(self, key: str) -> Path:
        """Where the bytes of ``key`` live on disk (for tools that need a real file)."""
        return self._data / validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self._meta / (validate_key(key) + ".json")

    def _lock_path(self, key: str) -> Path:
        return self._locks / (validate_key(key) + ".json")

    # --- writing -------------------------------------------------------------------------

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Store ``data`` under ``key``; same bytes again is a no-op, different bytes refused.
        An :class:`ObjectLock` is recorded before this returns (``True`` asks for a period
        this store has no setting for: ignored)."""
        stored = StoredObject(validate_key(key), sha256_hex(data), len(data), content_type)
        meta = json.dumps(
            {"sha256": stored.sha256, "size": stored.size, "content_type": content_type}
        ).encode("utf-8")
        try:
            stored = self._publish(stored, data, meta)
        except OSError as exc:
            raise StorageError(f"Không lưu được {key}: {exc.strerror or exc}") from exc
        if isinstance(retain, ObjectLock):
            self.retain(key, retain)
        return stored

    # --- retention -----------------------------------------------------------------------

    def retain(self, key: str, until: datetime | ObjectLock | None = None) -> datetime | None:
        """Record a lock on the object until ``until``; an existing lock is only extended.
        Returns the date in force (None: no date given, nothing to record)."""
        if not self.exists(key):
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ")
        if until is None:
            return None
        wanted = until if isinstance(until, ObjectLock) else ObjectLock(until)
        for _ in range(5):  # a concurrent writer may replace the file between read and write
            current = self.retention(key)
            if current is not None and current.covers(wanted):
                return current.until
            self._write_lock(key, wanted.merged(current))
        raise StorageError(f"Không ghi được hạn lưu giữ của {key} (có thay đổi đồng thời)")

    def _write_lock(self, key: str, lock: ObjectLock) -> None:
        path = self._lock_path(key)
        record = {"until": lock.until.isoformat(), "permanent": lock.permanent}
        try:
            tmp = self._write_temp(json.dumps(record).encode("utf-8"))
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        except OSError as exc:
            raise StorageError(f"Could not record the retention of {key!r}: "
                               f"{exc.strerror or exc}.") from exc

    def retention(self, key: str) -> ObjectLock | None:
        """The recorded lock, or None when the object has none."""
        try:
            record = json.loads(self._lock_path(key).read_bytes())
            return ObjectLock(datetime.fromisoformat(record["until"]), bool(record["permanent"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # an unreadable lock still protects: better a refused delete than a lost archive
            raise IntegrityError(f"Bản ghi hạn lưu giữ của {key} không đọc được: {exc}") from exc

    def delete(self, key: str) -> None:
        """Remove the object (bytes, checksum, lock) unless its lock is still in force."""
        if not self.exists(key) and not self._meta_path(key).exists():
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ")
        refuse_locked_delete(key, self.retention(key))
        for path in (self.data_path(key), self._meta_path(key), self._lock_path(key)):
            path.unlink(missing_ok=True)

    def digest(self, key: str, into: BinaryIO | None = None) -> str:
        """SHA-256 of the file as it is on disk now, read in chunks (copied into ``into``)."""
        try:
            if into is None:
                return sha256_file(self.data_path(key))
            with open(self.data_path(key), "rb") as source:
                digest = hashlib.sha256()
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    into.write(chunk)
                return digest.hexdigest()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None

    def _publish(self, stored: StoredObject, data: bytes, meta: bytes) -> StoredObject:
        data_path, meta_path = self.data_path(stored.key), self._meta_path(stored.key)
        tmp_data = self._write_temp(data)
        tmp_meta = self._write_temp(meta)
        try:
            claimed = _link_new(tmp_meta, meta_path)
            if not claimed:
                existing = self._read_meta(stored.key)
                if existing.sha256 != stored.sha256:
                    raise StorageError(
                        f"Object {stored.key!r} already holds different bytes; archives are "
                        "never overwritten."
                    )
                if data_path.exists():
                    return existing
                stored = existing  # an earlier writer died before publishing the bytes
            data_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_data, data_path)
            _fsync_dir(data_path.parent)
            return stored
        finally:
            for leftover in (tmp_data, tmp_meta):
                leftover.unlink(missing_ok=True)

    def _write_temp(self, payload: bytes) -> Path:
        path = self._tmp / uuid.uuid4().hex
        with open(path, "xb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        return path

    # --- reading -------------------------------------------------------------------------

    def _read_meta(self, key: str) -> StoredObject:
        try:
            record = json.loads(self._meta_path(key).read_bytes())
        except FileNotFoundError:
            raise IntegrityError(f"Object {key!r} has no recorded checksum.") from None
        except (OSError, ValueError) as exc:
            raise IntegrityError(f"Bản ghi mã băm của {key} không đọc được: {exc}") from exc
        try:
            modified = datetime.fromtimestamp(self.data_path(key).stat().st_mtime, UTC)
        except OSError:
            modified = None
        return StoredObject(key, record["sha256"], record["size"], record["content_type"],
                            modified)

    def exists(self, key: str) -> bool:
        """True when the bytes of ``key`` are published."""
        return self.data_path(key).is_file()

    def stat(self, key: str) -> StoredObject:
        """Recorded key, checksum, size and content type, without reading the bytes."""
        if not self.exists(key):
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ")
        return self._read_meta(key)

    def get(self, key: str, sha256: str | None = None) -> bytes:
        """Read the bytes, verifying them against the recorded (and the given) SHA-256."""
        try:
            data = self.data_path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None
        actual = sha256_hex(data)
        recorded = self._read_meta(key).sha256
        if actual != recorded:
            raise IntegrityError(f"Object {key!r} no longer matches its recorded SHA-256.")
        if sha256 is not None and actual != sha256.lower():
            raise IntegrityError(f"Object {key!r} is not the expected file (SHA-256 differs).")
        return data

    def list(self, prefix: str = "") -> list[str]:
        """Sorted keys that start with ``prefix`` (a plain string prefix, like S3)."""
        validate_prefix(prefix)
        folder = prefix.rpartition("/")[0]
        start = self._data / folder if folder else self._data
        return sorted(k for k in self._walk(start) if k.startswith(prefix))

    def _walk(self, start: Path) -> Iterator[str]:
        if not start.is_dir():
            return
        for dirpath, _dirs, files in os.walk(start):
            for name in files:
                yield Path(dirpath, name).relative_to(self._data).as_posix()


def _link_new(source: Path, target: Path) -> bool:
    """Hard-link ``source`` to ``target`` unless ``target`` exists; True if we created it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    _fsync_dir(target.parent)
    return True


def _fsync_dir(folder: Path) -> None:
    """Make a rename or link durable: the directory entry must reach the disk too."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
