"""In-memory object store: the stub every backend interface ships with, for fast unit tests.

Same rules as the real stores (validated keys, write-once, checksum on read), so code tested
against it behaves the same on disk or S3. Nothing survives the process.
"""

from __future__ import annotations

import threading

from sohoa.errors import IntegrityError, ObjectNotFoundError, StorageError
from sohoa.storage.objects import (
    StoredObject,
    WholeFilePut,
    sha256_hex,
    validate_key,
    validate_prefix,
)


class MemoryObjectStore(WholeFilePut):
    """Write-once object store in a dict, safe to share between threads."""

    def __init__(self) -> None:
        self._objects: dict[str, tuple[StoredObject, bytes]] = {}
        self._lock = threading.Lock()

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
        retain: bool = False,
    ) -> StoredObject:
        """Store a copy of ``data``; same bytes again is a no-op, different bytes refused."""
        stored = StoredObject(validate_key(key), sha256_hex(data), len(data), content_type)
        with self._lock:
            existing = self._objects.get(key)
            if existing is None:
                self._objects[key] = (stored, bytes(data))
                return stored
        if existing[0].sha256 != stored.sha256:
            raise StorageError(
                f"Object {key!r} already holds different bytes; archives are never overwritten."
            )
        return existing[0]

    def _entry(self, key: str) -> tuple[StoredObject, bytes]:
        try:
            return self._objects[validate_key(key)]
        except KeyError:
            raise ObjectNotFoundError(f"No object stored under {key!r}.") from None

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
