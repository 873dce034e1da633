"""The object store contract, object keys, and how a dossier's files are laid out.

Every backend (local directory today, S3 later, in-memory for tests) keeps bytes under a
*key*: a '/'-separated relative path of safe segments. The same key must mean the same
object on a Linux disk, an S3 bucket and a Windows share, so keys are validated in one place
(:func:`validate_key`) and user file names are turned into segments by :func:`safe_segment`.

Archives are write-once: putting the same bytes again under a key is a harmless no-op (actors
are retried and redelivered), putting *different* bytes raises :class:`StorageError`.

Key layout of one dossier (``<code>`` is the dossier code, e.g. ``000.00.14.H56-200203-0118``)::

    dossiers/<code>/raw/<sha256[:16]>-<safe original name>   raw scans, stored first
    dossiers/<code>/documents/<NN>-<doc slug>.pdf            signed PDF/A documents
    dossiers/<code>/text/<NN>-<doc slug>.txt                 OCR text of each document
    dossiers/<code>/pages/<NNNN>-<sha256[:16]>.<ext>         processed page: image, text layer
    incoming/<sha256>-<safe original name>                   a new dossier's raw scan, stored
                                                             before the dossier has a number

``NN`` is the document's ordinal in the dossier, zero-padded to two digits. The raw scan's
hash prefix keeps two different files with the same name apart and makes re-uploads of the
same file land on the same key.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from sohoa.clock import VIETNAM
from sohoa.errors import RetentionError, StorageError

MAX_KEY_BYTES = 1024
"""S3's limit on a key, in UTF-8 bytes."""

MAX_SEGMENT_BYTES = 255
"""Most file systems' limit on one path component, in bytes."""

SAFE_NAME_BYTES = 120
"""Budget for a user file name inside a key: room left for prefixes and the hash."""

_SAFE_PUNCTUATION = frozenset("-_.()")


@dataclass(frozen=True)
class StoredObject:
    """What a store knows about one object once its bytes are safely written."""

    key: str
    sha256: str
    """Lower-case hex SHA-256 of the bytes."""
    size: int
    content_type: str = "application/octet-stream"
    modified: datetime | None = field(default=None, compare=False)
    """When the store wrote it (None when unknown): a scrub leaves orphans younger than its
    grace period alone — they may belong to a page being recorded right now."""
    version_id: str | None = field(default=None, compare=False)
    """The S3 version the bytes are (a versioned bucket); None for stores without versions."""


@dataclass(frozen=True)
class ObjectLock:
    """How long an object must be kept: nobody deletes it before ``until``; a ``permanent``
    object (land, civil registry) is also under a legal hold, which has no end date.

    Stores enforce it themselves: S3 with object lock (COMPLIANCE retention, legal hold), the
    local directory and the memory stub by refusing :meth:`ObjectStore.delete`."""

    until: datetime
    permanent: bool = False

    def __post_init__(self) -> None:
        if self.until.tzinfo is None:
            raise StorageError("Hạn lưu giữ phải có múi giờ")
        # S3 keeps whole seconds: round up, never keep an object a fraction less than asked
        moment = self.until.astimezone(UTC)
        if moment.microsecond:
            moment = moment.replace(microsecond=0) + timedelta(seconds=1)
        object.__setattr__(self, "until", moment)

    @property
    def recorded_until(self) -> datetime | None:
        """What the catalog records (``Document.retain_until``): None means permanent."""
        return None if self.permanent else self.until

    def active(self, now: datetime | None = None) -> bool:
        """The object may not be deleted yet."""
        return self.permanent or self.until > (now or datetime.now(UTC))

    def covers(self, other: ObjectLock) -> bool:
        """At least as strong as ``other`` (as long, and permanent if ``other`` is)."""
        return self.until >= other.until and (self.permanent or not other.permanent)

    def merged(self, other: ObjectLock | None) -> ObjectLock:
        """The stronger of both: retention is extended, never shortened."""
        if other is None:
            return self
        return ObjectLock(max(self.until, other.until), self.permanent or other.permanent)


def refuse_locked_delete(key: str, lock: ObjectLock | None) -> None:
    """Raise :class:`RetentionError` while ``lock`` still protects ``key``."""
    if lock is not None and lock.active():
        local = lock.until.astimezone(VIETNAM)
        until = "vĩnh viễn" if lock.permanent else f"đến {local:%d/%m/%Y %H:%M} (GMT+7)"
        raise RetentionError(f"Không được xóa {key!r}: còn trong thời hạn lưu trữ ({until}).")


@runtime_checkable
class ObjectStore(Protocol):
    """Write-once byte storage addressed by validated keys."""

    def put(
        self, key: str, data: bytes, content_type: str = "application/octet-stream", *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Store ``data`` atomically; same bytes again is a no-op, different bytes an error.

        ``retain`` (signed documents): an :class:`ObjectLock` locks the object against
        deletion until its date (every store); ``True`` asks for the store's configured
        retention (S3's ``retention_days``; ignored by stores without one)."""
        ...

    def put_file(
        self, key: str, path: Path, content_type: str = "application/octet-stream", *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Like :meth:`put` for a file on disk; stores that can stream it (S3) do."""
        ...

    def retain(self, key: str, until: datetime | ObjectLock | None = None) -> datetime | None:
        """Lock an existing object until ``until`` (never shortening a lock in force);
        returns the date in force, None when the store cannot lock."""
        ...

    def retention(self, key: str) -> ObjectLock | None:
        """The lock in force on the object, None when it has none."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; :class:`RetentionError` while a lock protects it."""
        ...

    def digest(self, key: str, into: BinaryIO | None = None) -> str:
        """SHA-256 of the bytes as they are stored now, streamed, and copied into ``into``
        when given: a scrub compares it with the catalog and reads what is really there
        (unlike :meth:`get`, which refuses bytes that fail their checksum)."""
        ...

    def get(self, key: str, sha256: str | None = None) -> bytes:
        """Return the bytes, checked against the recorded (and the given) SHA-256."""
        ...

    def exists(self, key: str) -> bool:
        """True when an object is stored under ``key``."""
        ...

    def stat(self, key: str) -> StoredObject:
        """What is recorded about the object, without reading its bytes."""
        ...

    def list(self, prefix: str) -> list[str]:
        """Sorted keys starting with ``prefix`` (plain string prefix, like S3)."""
        ...


class WholeFilePut:
    """``put_file`` for stores that keep whole objects in hand anyway (local directory,
    memory): read the file, then :meth:`put` it. One counter's scans fit; S3 streams."""

    def put_file(
        self, key: str, path: Path | str, content_type: str = "application/octet-stream", *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise unreadable_file(path, exc) from exc
        return self.put(key, data, content_type, retain=retain)  # type: ignore[attr-defined]


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256, the checksum every store and the catalog record."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks (a 1 GB scan never sits in memory)."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def validate_key(key: str) -> str:
    """Return ``key`` unchanged if it is a safe relative key; raise StorageError otherwise."""
    if not isinstance(key, str) or not key:
        raise StorageError("Khóa đối tượng trống")
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise StorageError(f"Khóa đối tượng dài quá {MAX_KEY_BYTES} byte")
    if key.startswith("/") or "\\" in key:
        raise StorageError(f"Khóa đối tượng {key!r} là đường dẫn tuyệt đối hoặc có dấu \\")
    if any(_is_control(c) for c in key):
        raise StorageError(f"Khóa đối tượng {key!r} có ký tự điều khiển")
    if unicodedata.normalize("NFC", key) != key:
        raise StorageError(f"Khóa đối tượng {key!r} không ở dạng Unicode NFC")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise StorageError(f"Khóa đối tượng {key!r} có đoạn trống, '.' hoặc '..'")
        if len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            raise StorageError(f"Khóa đối tượng {key!r} có đoạn dài quá {MAX_SEGMENT_BYTES} byte")
    return key


def validate_prefix(prefix: str) -> str:
    """Check a listing prefix: like a key, but may be empty or end with '/'."""
    if prefix:
        validate_key(prefix[:-1] if prefix.endswith("/") else prefix)
    return prefix


def _clean_char(char: str) -> str:
    if char.isalnum() or unicodedata.category(char).startswith("M"):
        return char
    return char if char in _SAFE_PUNCTUATION else "_"


def _squeeze(text: str) -> str:
    while "__" in text:
        text = text.replace("__", "_")
    return text


def _truncate_utf8(text: str, budget: int) -> str:
    while len(text.encode("utf-8")) > budget:
        text = text[:-1]
    return text


def _fit(name: str, budget: int) -> str:
    """Shorten ``name`` to ``budget`` UTF-8 bytes, keeping a short extension."""
    if len(name.encode("utf-8")) <= budget:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and stem and len(ext) <= 10:
        return _truncate_utf8(stem, budget - len(ext) - 1).rstrip("._-") + "." + ext
    return _truncate_utf8(name, budget)


def safe_segment(name: str, budget: int = SAFE_NAME_BYTES) -> str:
    """Turn an arbitrary user file name into one key segment, readable in Vietnamese.

    Browsers and scanners send whole client paths (``C:\\Scans\\a.pdf``), traversal attempts
    (``../../etc/passwd``) and control characters; only the last path component survives,
    normalised to NFC so ``Tờ khai`` typed on a Mac and on Windows gives the same key.
    """
    text = unicodedata.normalize("NFC", name or "")
    parts = [p for p in text.replace("\\", "/").split("/") if p.strip(" .")]
    text = parts[-1] if parts else ""
    text = "".join("" if _is_control(c) else c for c in text)
    text = _squeeze("".join(_clean_char(c) for c in text.strip()))
    text = text.strip("._-")
    return _fit(text, budget) or "unnamed"


def _dossier_prefix(dossier_code: str) -> str:
    return validate_key(f"dossiers/{dossier_code}")


def raw_scan_key(dossier_code: str, sha256: str, original_name: str) -> str:
    """Key of a raw scan: ``dossiers/<code>/raw/<sha256[:16]>-<safe name>``."""
    if len(sha256) < 16:
        raise StorageError("Khóa bản quét gốc cần đủ mã SHA-256 của tệp")
    name = safe_segment(original_name)
    return validate_key(f"{_dossier_prefix(dossier_code)}/raw/{sha256[:16].lower()}-{name}")


def staging_key(sha256: str, original_name: str) -> str:
    """Where a raw scan of a dossier not yet numbered waits: ``incoming/<sha256>-<name>``.

    A new dossier takes its number in the transaction that records it, and only once its
    raw scans are safely stored here: an S3 outage at intake then costs no number (a gap
    in the official sequence looks like a lost dossier to an auditor). Content-addressed,
    so recovery finds it again from the catalog's SHA-256 and name."""
    if len(sha256) < 64:
        raise StorageError("Khóa bản quét chờ cần đủ mã SHA-256 của tệp")
    return validate_key(f"incoming/{sha256.lower()}-{safe_segment(original_name)}")


def _ordinal_name(ordinal: int, slug: str, extension: str) -> str:
    if ordinal < 0:
        raise StorageError(f"Số thứ tự tài liệu {ordinal} âm")
    return f"{ordinal:02d}-{safe_segment(slug, budget=80)}.{extension}"


def document_key(dossier_code: str, ordinal: int, doc_slug: str) -> str:
    """Key of a signed document: ``dossiers/<code>/documents/<NN>-<doc slug>.pdf``."""
    name = _ordinal_name(ordinal, doc_slug, "pdf")
    return validate_key(f"{_dossier_prefix(dossier_code)}/documents/{name}")


def text_key(dossier_code: str, ordinal: int, doc_slug: str) -> str:
    """Key of a document's OCR text: ``dossiers/<code>/text/<NN>-<slug>.txt``."""
    name = _ordinal_name(ordinal, doc_slug, "txt")
    return validate_key(f"{_dossier_prefix(dossier_code)}/text/{name}")


def page_artefact_key(dossier_code: str, index: int, sha256: str, extension: str) -> str:
    """Key of a processed page's artefact (its cleaned image or its OCR text layer):
    ``dossiers/<code>/pages/<NNNN>-<sha256[:16]>.<ext>``.

    Kept after the documents are built, so documents can be rebuilt (a clerk's correction,
    a new signature) without scanning or OCRing again. The hash in the key makes a
    re-processed page (a redelivered message) land beside the first result instead of
    colliding with it: OCR output is not byte-for-byte reproducible.
    """
    if index < 0 or len(sha256) < 16:
        raise StorageError("Khóa sản phẩm trang cần số trang và đủ mã SHA-256")
    ext = safe_segment(extension, budget=16)
    return validate_key(f"{_dossier_prefix(dossier_code)}/pages/{index:04d}-"
                        f"{sha256[:16].lower()}.{ext}")


def unreadable_file(path: Path | str, exc: OSError) -> StorageError:
    """A local file to store that cannot be read, said in the clerk's words."""
    name = Path(path).name
    if isinstance(exc, FileNotFoundError):
        return StorageError(f"Không có tệp: {name}")
    return StorageError(f"Không đọc được tệp (mã lỗi {exc.errno}): {name}")
