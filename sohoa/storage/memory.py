"""In-memory object store: the stub every backend interface ships with, for fast unit tests.

Same rules as the real stores (validated keys, write-once, checksum on read), so code tested
against it behaves the same on disk or S3. Nothing survives the process.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import BinaryIO

from sohoa.errors import IntegrityError, ObjectNotFoundError, StorageError
from sohoa.storage.objects import (
    ObjectLock,
    StoredObject,
    WholeFilePut,
    refuse_locked_delete,
    sha256_hex,
    validate_key,
    validate_prefix,
)


class MemoryObjectStore(WholeFilePut):
    """Write-once object store in a dict, safe to share between threads."""

    def __init__(self) -> None:
        self._objects: dict[str, tuple[StoredObject, bytes]] = {}
        self._locks: dict[str, ObjectLock] = {}
        self._lock = threading.Lock()

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Store a copy of ``data``; same bytes again is a no-op, different bytes refused.
        An :class:`ObjectLock` is kept and enforced by :meth:`delete`."""
        stored = StoredObject(validate_key(key), sha256_hex(data), len(data), content_type,
                              datetime.now(UTC))
        with self._lock:
            existing = self._objects.get(key)
            if existing is None:
                self._objects[key] = (stored, bytes(data))
                existing = (stored, data)
        if existing[0].sha256 != stored.sha256:
            raise StorageError(
                f"Object {key!r} already holds different bytes; archives are never overwritten."
            )
        if isinstance(retain, ObjectLock):
            self.retain(key, retain)
        return existing[0]

    def retain(self, key: str, until: datetime | ObjectLock | None = None) -> datetime | None:
        """Lock the object until ``until`` (extended, never shortened); None: no date."""
        self._entry(key)
        if until is None:
            return None
        lock = until if isinstance(until, ObjectLock) else ObjectLock(until)
        with self._lock:
            self._locks[key] = lock.merged(self._locks.get(key))
            return self._locks[key].until

    def retention(self, key: str) -> ObjectLock | None:
        self._entry(key)
        return self._locks.get(key)

    def delete(self, key: str) -> None:
        """Forget the object, unless its lock is still in force."""
        self._entry(key)
        with self._lock:
            refuse_locked_delete(key, self._locks.get(key))
            self._objects.pop(key, None)
            self._locks.pop(key, None)

    def digest(self, key: str, into: BinaryIO | None = None) -> str:
        data = self._entry(key)[1]
        if into is not None:
            into.write(data)
        return sha256_hex(data)

    def _entry(self, key: str) -> tuple[StoredObject, bytes]:
        try:
            return self._objects[validate_key(key)]
        except KeyError:
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None

    def get(self, key: str, sha256: str | None = None) -> bytes:
        """Return the bytes after checking them against the recorded (and given) SHA-256."""
        stored, data = self._entry(key)
        actual = sha256_hex(data)
        if actual != stored.sha256:
            raise IntegrityError(f"Object {key!r} no longer matches its recorded SHA-256.")
        if sha256 is not None and actual != sha256.lower():
            raise IntegrityError(f"Object {key!r} is not the expected file (SHA-256 differs).")
        return data

    def exists(self, key: str) -> bool:
        """True when an object is stored under ``key``."""
        return validate_key(key) in self._objects

    def stat(self, key: str) -> StoredObject:
        """Recorded key, checksum, size and content type."""
        return self._entry(key)[0]

    def list(self, prefix: str = "") -> list[str]:
        """Sorted keys starting with ``prefix``."""
        validate_prefix(prefix)
        with self._lock:
            return sorted(k for k in self._objects if k.startswith(prefix))

    def corrupt(self, key: str, data: bytes) -> None:
        """Replace stored bytes behind the store's back, to test integrity checks."""
        stored, _ = self._entry(key)
        with self._lock:
            self._objects[key] = (stored, bytes(data))
