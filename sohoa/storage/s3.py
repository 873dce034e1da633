"""Object store on any S3 server (MinIO, SeaweedFS, AWS), through the ``minio`` client.

Design choices, and why:

- **SHA-256 in object metadata** (``x-amz-meta-sha256``). An S3 ETag is an MD5 for simple
  uploads and an opaque digest of part digests for multipart ones, so it cannot be compared
  with the SHA-256 the catalog records. The checksum travels *with* the object, so ``stat``
  answers without reading the bytes and ``get`` checks the bytes against the checksum returned
  in the same response (no second request that could see another version).
- **Write-once by conditional create.** Every upload is sent with ``If-None-Match: *`` (on the
  PUT, or on CompleteMultipartUpload), so of two workers racing on one key exactly one object
  is created; the loser gets 412, reads the winner's checksum and either returns it (same
  bytes: redelivered work is a no-op) or raises :class:`StorageError` (different bytes never
  replace an archive). A HEAD first makes the common re-put free of any upload. A server that
  ignores the condition (older S3 implementations) still gets the check-then-put, and the
  HEAD after the upload reports a lost race it can see. ``minio`` cannot send that header
  through its public upload calls, so uploads use its request primitive ``Minio._execute``
  (signing, region, error parsing stay minio's) — the one private seam, covered by the tests.
- **Multipart above :data:`PART_SIZE`**, parts read one at a time (memory stays at one part
  even for :meth:`S3ObjectStore.put_file`), and the checksum recomputed over the bytes actually
  sent: if a file changed between hashing and uploading, the upload is aborted, not completed.
- **Retries with backoff.** Connection errors, timeouts, 5xx and SlowDown are retried with
  exponential backoff (jittered, capped at :data:`MAX_BACKOFF_S`) for at most
  ``retry_seconds``, then :class:`StorageUnavailableError` — a transient error the queue
  retries later. minio's own urllib3 pool gets short connect/read timeouts and a single retry,
  so a dead server is noticed in seconds rather than hanging a worker.
- **Object lock.** The bucket is created with object lock when the server supports it (else a
  plain bucket); signed documents get COMPLIANCE retention until the date their
  :class:`~sohoa.storage.objects.ObjectLock` gives (``retain=True``: ``retention_days``), and
  permanent ones a legal hold too, set in the upload request itself so no window exists where
  the document is stored but deletable. :meth:`S3ObjectStore.delete` refuses a locked object
  itself, and the server refuses it anyway (COMPLIANCE: not even an administrator).
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from xml.etree import ElementTree

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.helpers import check_bucket_name
from minio.retention import Retention

from sohoa.errors import (
    ConfigurationError,
    IntegrityError,
    ObjectNotFoundError,
    RetentionError,
    StorageError,
    StorageUnavailableError,
)
from sohoa.settings import StorageSettings
from sohoa.storage.objects import (
    ObjectLock,
    StoredObject,
    refuse_locked_delete,
    sha256_hex,
    unreadable_file,
    validate_key,
    validate_prefix,
)

T = TypeVar("T")

PART_SIZE = 16 * 1024 * 1024
"""Objects up to this size go in one PUT; larger ones in parts of this size."""

SHA256_META = "x-amz-meta-sha256"
"""User metadata header holding the lower-case hex SHA-256 of the object's bytes."""

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 30.0
FIRST_BACKOFF_S = 0.1
MAX_BACKOFF_S = 2.0
"""Backoff doubles from 0.1 s up to 2 s, so a server back from a restart is used within ~2 s."""

_NOT_FOUND = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchVersion", "ResourceNotFound"})
_BUCKET_EXISTS = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})
_NO_OBJECT_LOCK = frozenset(
    {"ObjectLockConfigurationNotFoundError", "NotImplemented", "MethodNotAllowed"}
)
_NO_RETENTION = frozenset(
    {"NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError", "InvalidRequest"}
)
_TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "ServiceUnavailable",
        "InternalError",
        "RequestTimeout",
        "ConditionalRequestConflict",  # AWS: a racing conditional write is still in progress
        "OperationAborted",
    }
)


class _AlreadyStored(Exception):
    """The conditional create found an object under the key (HTTP 412)."""


def _http_client() -> urllib3.PoolManager:
    """minio's pool with bounded waits: our own loop does the patient retrying."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
        retries=urllib3.Retry(total=1, backoff_factor=0.1, status_forcelist=()),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",  # the system trust store: on-premises CAs work
    )


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: no answer, timeouts, 5xx, throttling."""
    if isinstance(exc, S3Error):
        status = getattr(exc.response, "status", 0) or 0
        return status >= 500 or exc.code in _TRANSIENT_CODES
    if isinstance(exc, ServerError):
        return exc.status_code >= 500
    if isinstance(exc, InvalidResponseError):  # e.g. an HTML 502 page from a proxy
        return (getattr(exc, "_code", 0) or 0) >= 500
    return isinstance(exc, (urllib3.exceptions.HTTPError, ConnectionError, TimeoutError))


class S3ObjectStore:
    """Write-once object store in one S3 bucket (see the module docstring for the design)."""

    def __init__(self, settings: StorageSettings, client: Minio | None = None) -> None:
        if not settings.s3_endpoint:
            raise ConfigurationError("The S3 object store needs an endpoint (host:port).")
        self.settings = settings
        self.bucket = settings.s3_bucket
        try:
            self._client = client or Minio(
                settings.s3_endpoint,
                access_key=settings.s3_access_key,
                secret_key=settings.s3_secret_key,
                secure=settings.s3_secure,
                region=settings.s3_region,
                http_client=_http_client(),
            )
            check_bucket_name(self.bucket, strict=True)
        except ValueError as exc:
            raise ConfigurationError(f"Invalid S3 settings: {exc}.") from exc
        self._bucket_lock = threading.Lock()
        self._object_lock: bool | None = None

    def __repr__(self) -> str:
        return f"S3ObjectStore({self.settings.s3_endpoint!r}, bucket={self.bucket!r})"

    # --- retries -------------------------------------------------------------------------

    def _deadline(self) -> float:
        return time.monotonic() + self.settings.retry_seconds

    def _call(self, action: str, operation: Callable[[], T], deadline: float | None = None) -> T:
        """Run ``operation``, retrying transient failures until ``deadline`` (default:
        ``retry_seconds`` from now; the steps of one store call share one deadline)."""
        deadline = self._deadline() if deadline is None else deadline
        backoff = FIRST_BACKOFF_S
        while True:
            try:
                return operation()
            except MinioException as exc:
                if not is_transient(exc):
                    raise _refused(action, exc) from exc
                last: Exception = exc
            except (urllib3.exceptions.HTTPError, ConnectionError, TimeoutError) as exc:
                last = exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StorageUnavailableError(
                    f"S3 server {self.settings.s3_endpoint} did not answer within "
                    f"{self.settings.retry_seconds:g} s while trying to {action}: "
                    f"{_describe(last)}."
                ) from last
            time.sleep(min(backoff * random.uniform(0.5, 1.0), remaining))
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    # --- bucket --------------------------------------------------------------------------

    def ensure_bucket(self) -> bool:
        """Create the bucket when missing (with object lock if possible); True if it has
        object lock. Idempotent and safe when several processes do it at once."""
        with self._bucket_lock:
            if self._object_lock is None:
                self._object_lock = self._call(
                    f"prepare bucket {self.bucket!r}", self._bootstrap_bucket
                )
            return self._object_lock

    @property
    def object_lock(self) -> bool:
        """Whether the bucket supports object-lock retention."""
        return self.ensure_bucket()

    def _bootstrap_bucket(self) -> bool:
        if not self._client.bucket_exists(self.bucket):
            self._create_bucket()
        try:
            self._client.get_object_lock_config(self.bucket)
        except S3Error as exc:
            if exc.code in _NO_OBJECT_LOCK:
                return False
            raise
        return True

    def _create_bucket(self) -> None:
        try:
            self._client.make_bucket(self.bucket, object_lock=True)
            return
        except S3Error as exc:
            if exc.code in _BUCKET_EXISTS:
                return  # another process won the race
            if is_transient(exc):
                raise
        try:  # the server does not do object lock: a plain bucket
            self._client.make_bucket(self.bucket)
        except S3Error as exc:
            if exc.code not in _BUCKET_EXISTS:
                raise

    # --- writing -------------------------------------------------------------------------

    def put(
        self,
        key: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Store ``data``; same bytes again is a no-op, different bytes raise StorageError.

        ``retain`` (signed documents) puts COMPLIANCE retention on the object when the bucket
        has object lock: until the :class:`ObjectLock`'s date (and a legal hold when it is
        permanent), or for ``retention_days`` with ``True``.
        """
        stored = StoredObject(validate_key(key), sha256_hex(data), len(data), content_type)
        return self._put_once(stored, lambda: io.BytesIO(data), retain)

    def put_file(
        self,
        key: str,
        path: Path | str,
        content_type: str = "application/octet-stream",
        *,
        retain: bool | ObjectLock = False,
    ) -> StoredObject:
        """Like :meth:`put` for a file on disk, streamed: memory stays at one part."""
        validate_key(key)
        try:
            digest, size = _hash_file(Path(path))
        except OSError as exc:
            raise unreadable_file(path, exc) from exc
        stored = StoredObject(key, digest, size, content_type)
        return self._put_once(stored, lambda: open(path, "rb"), retain)  # noqa: SIM115

    def _put_once(
        self, stored: StoredObject, open_stream: Callable[[], BinaryIO], retain: bool | ObjectLock
    ) -> StoredObject:
        self.ensure_bucket()
        deadline = self._deadline()
        existing = self._head(stored.key, deadline)
        created = False
        if existing is None:
            upload = lambda: self._upload(stored, open_stream, retain)  # noqa: E731
            with suppress(_AlreadyStored):  # another writer created it first: compare below
                created = self._call(f"store {stored.key!r}", upload, deadline)
            existing = self._head(stored.key, deadline)
            if existing is None:
                raise StorageError(
                    f"Object {stored.key!r} cannot be created: the key is taken (by a folder "
                    "of other keys?)."
                )
        if existing.sha256 != stored.sha256:
            raise StorageError(
                f"Object {stored.key!r} already holds different bytes; archives are never "
                "overwritten."
            )
        if retain is not False and not created:  # an earlier writer may have stored it without
            self.retain(stored.key, retain if isinstance(retain, ObjectLock) else None)
        return existing

    def _upload(
        self, stored: StoredObject, open_stream: Callable[[], BinaryIO], retain: bool | ObjectLock
    ) -> bool:
        """Create the object (True), or raise :class:`_AlreadyStored`."""
        headers = {"Content-Type": stored.content_type, SHA256_META: stored.sha256}
        if (lock := self._lock_for(retain)) is not None:
            headers["x-amz-object-lock-mode"] = COMPLIANCE
            headers["x-amz-object-lock-retain-until-date"] = _iso8601(lock.until)
            if lock.permanent:
                headers["x-amz-object-lock-legal-hold"] = "ON"
        with open_stream() as stream:
            if stored.size <= PART_SIZE:
                body = stream.read(PART_SIZE + 1)
                _check_sent(stored, hashlib.sha256(body), len(body))
                self._request("PUT", stored.key, body=body, headers={**headers, **_IF_NEW})
            else:
                self._multipart(stored, stream, headers)
        return True

    def _multipart(self, stored: StoredObject, stream: BinaryIO, headers: dict) -> None:
        response = self._request("POST", stored.key, headers=headers, query={"uploads": ""})
        upload_id = _xml_text(response.data, "UploadId")
        query = {"uploadId": upload_id}
        try:
            digest, size, parts = hashlib.sha256(), 0, []
            while chunk := stream.read(PART_SIZE):
                digest.update(chunk)
                size += len(chunk)
                number = str(len(parts) + 1)
                part = self._request(
                    "PUT", stored.key, body=chunk, query={**query, "partNumber": number}
                )
                parts.append((len(parts) + 1, part.headers.get("etag", "").strip('"')))
                del chunk  # before the next read: memory holds one part, not two
            _check_sent(stored, digest, size)
            body = _completion_xml(parts)
            done = self._request(
                "POST",
                stored.key,
                body=body,
                headers={"Content-Type": "application/xml", **_content_md5(body), **_IF_NEW},
                query=query,
            )
            if done.data and ElementTree.fromstring(done.data).tag.endswith("Error"):
                raise StorageError(f"S3 refused to complete {stored.key!r}: {done.data[:200]!r}")
        except BaseException:
            self._abort(stored.key, upload_id)
            raise

    def _abort(self, key: str, upload_id: str) -> None:
        """Best effort: a dead server keeps the parts until its own clean-up."""
        with suppress(Exception):  # the upload's own error is the one to report
            self._request("DELETE", key, query={"uploadId": upload_id})

    def _request(
        self,
        method: str,
        key: str,
        body: bytes | None = None,
        headers: dict | None = None,
        query: dict | None = None,
    ) -> urllib3.BaseHTTPResponse:
        """One signed request; a failed ``If-None-Match`` becomes :class:`_AlreadyStored`."""
        try:
            return self._client._execute(  # private: see the module docstring
                method,
                self.bucket,
                key,
                body=body,
                headers=dict(headers or {}),
                query_params=dict(query or {}),
                no_body_trace=True,
            )
        except S3Error as exc:
            if exc.code == "PreconditionFailed" and "If-None-Match" in (headers or {}):
                raise _AlreadyStored from exc
            raise

    # --- retention -----------------------------------------------------------------------

    def _default_retention(self) -> datetime | None:
        if self.settings.retention_days is None or not self.ensure_bucket():
            return None
        until = datetime.now(UTC) + timedelta(days=self.settings.retention_days)
        return until.replace(microsecond=0)

    def _lock_for(self, retain: bool | ObjectLock) -> ObjectLock | None:
        """The lock a put asks for, None when none applies or the bucket cannot lock."""
        if isinstance(retain, ObjectLock):
            return retain if self.ensure_bucket() else None
        until = self._default_retention() if retain else None
        return ObjectLock(until) if until is not None else None

    def retain(self, key: str, until: datetime | ObjectLock | None = None) -> datetime | None:
        """Put COMPLIANCE retention on the object until ``until`` (default: now plus
        ``retention_days``; a permanent :class:`ObjectLock` adds a legal hold); nobody can
        delete it before then, not even an admin. Never shortens an existing retention.
        Returns the date in force, or None when the bucket has no object lock or no
        retention is configured."""
        validate_key(key)
        if isinstance(until, datetime) and until.tzinfo is None:
            raise StorageError("Hạn lưu giữ phải có múi giờ")
        if isinstance(until, ObjectLock):
            lock: ObjectLock | None = until
        else:
            lock = ObjectLock(until) if until is not None else self._lock_for(True)
        if lock is None or not self.ensure_bucket():
            return None
        deadline = self._deadline()
        if lock.permanent:
            self._call(f"put a legal hold on {key!r}",
                       lambda: self._client.enable_object_legal_hold(self.bucket, key), deadline)
        current = self._call(f"read retention of {key!r}", lambda: self._retention(key), deadline)
        if current is not None and current >= lock.until:
            return current
        retention = Retention(COMPLIANCE, lock.until)
        self._call(
            f"retain {key!r}",
            lambda: self._client.set_object_retention(self.bucket, key, retention),
            deadline,
        )
        return lock.until

    def retention(self, key: str, version_id: str | None = None) -> ObjectLock | None:
        """The retention in force (date, and a legal hold as ``permanent``) on the current
        version (or ``version_id``), None without."""
        validate_key(key)
        if not self.ensure_bucket():
            return None
        deadline = self._deadline()
        until = self._call(f"read retention of {key!r}",
                           lambda: self._retention(key, version_id), deadline)
        held = self._call(f"read the legal hold of {key!r}",
                          lambda: self._legal_hold(key, version_id), deadline)
        if until is None and not held:
            return None
        return ObjectLock(until or datetime.now(UTC), permanent=held)

    def _legal_hold(self, key: str, version_id: str | None = None) -> bool:
        try:
            return bool(self._client.is_object_legal_hold_enabled(self.bucket, key,
                                                                  version_id=version_id))
        except S3Error as exc:
            if exc.code in _NOT_FOUND:
                raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None
            if exc.code in _NO_RETENTION or exc.code == "NoSuchObjectLegalHold":
                return False
            raise

    def delete(self, key: str) -> None:
        """Remove every version of the object, unless a lock is in force: refused here first,
        and by the server itself (COMPLIANCE retention and legal holds cannot be lifted)."""
        if self._head(validate_key(key)) is None:
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ")
        refuse_locked_delete(key, self.retention(key))
        for version in self._call(f"list versions of {key!r}", lambda: self._versions(key)):
            self._remove_version(key, version, f"Không được xóa {key!r}: máy chủ S3 từ chối "
                                               "vì còn khóa lưu giữ")

    def _remove_version(self, key: str, version: str | None, refused: str) -> None:
        """Delete one version; the server refusing (a lock) is a RetentionError saying
        ``refused``."""
        try:
            self._call(f"delete {key!r}", lambda: self._client.remove_object(
                self.bucket, key, version_id=version))
        except StorageError as exc:
            if "AccessDenied" in str(exc):
                raise RetentionError(f"{refused} ({exc.message}).") from exc
            raise

    def newer_versions(self, key: str, version_id: str) -> list[str]:
        """Versions of ``key`` written after ``version_id`` (newest first): a PUT over a
        locked document leaves the locked version in place but makes the new one current."""
        validate_key(key)
        self.ensure_bucket()

        def listing() -> list[str]:
            found = [o for o in self._client.list_objects(self.bucket, prefix=key,
                                                          include_version=True)
                     if o.object_name == key]
            ids = [o.version_id for o in found]
            if version_id not in ids:
                return []
            recorded = found[ids.index(version_id)]

            def latest(o: Any) -> bool:
                return str(o.is_latest).lower() == "true"

            def later(o: Any) -> bool:
                return (o.last_modified is not None and recorded.last_modified is not None
                        and o.last_modified > recorded.last_modified)

            return [o.version_id for o in found if o.version_id != version_id
                    and (later(o) or (latest(o) and not latest(recorded)))]

        return self._call(f"list versions of {key!r}", listing)

    def restore_version(self, key: str, version_id: str) -> list[str]:
        """Make ``version_id`` current again by deleting every version written after it
        (they carry no lock of sohoa's); returns the versions removed. RetentionError when
        the server refuses (a bucket default retention locked the forged version too)."""
        removed = []
        for newer in self.newer_versions(key, version_id):
            self._remove_version(key, newer, f"Máy chủ S3 không cho xóa phiên bản {newer} của "
                                             f"{key!r}")
            removed.append(newer)
        return removed

    def _versions(self, key: str) -> list[str | None]:
        found = self._client.list_objects(self.bucket, prefix=key, include_version=True)
        return [o.version_id for o in found if o.object_name == key]

    def _retention(self, key: str, version_id: str | None = None) -> datetime | None:
        try:
            config = self._client.get_object_retention(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in _NOT_FOUND:
                raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None
            if exc.code in _NO_RETENTION:
                return None
            raise
        return config.retain_until_date if config and config.mode else None

    # --- reading -------------------------------------------------------------------------

    def _head(self, key: str, deadline: float | None = None) -> StoredObject | None:
        """What the object's metadata says, or None when there is no object."""

        def head() -> StoredObject | None:
            try:
                stat = self._client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _NOT_FOUND:
                    return None
                raise
            recorded = stat.metadata.get(SHA256_META) if stat.metadata else None
            if not recorded:
                raise IntegrityError(f"Object {key!r} has no recorded checksum.")
            content_type = stat.content_type or "application/octet-stream"
            return StoredObject(key, recorded.lower(), stat.size or 0, content_type,
                                stat.last_modified, stat.version_id)

        return self._call(f"look up {key!r}", head, deadline)

    def exists(self, key: str) -> bool:
        """True when an object is stored under ``key``."""
        validate_key(key)
        self.ensure_bucket()
        try:
            return self._head(key) is not None
        except IntegrityError:
            return True  # bytes are there, only the checksum is missing

    def stat(self, key: str) -> StoredObject:
        """Recorded key, checksum, size and content type, without reading the bytes."""
        validate_key(key)
        self.ensure_bucket()
        stored = self._head(key)
        if stored is None:
            raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ")
        return stored

    def get(self, key: str, sha256: str | None = None,
            version_id: str | None = None) -> bytes:
        """Read the bytes (of ``version_id`` when given), verifying them against the recorded
        (and the given) SHA-256."""
        validate_key(key)
        self.ensure_bucket()
        data, recorded = self._call(f"read {key!r}", lambda: self._download(key, version_id))
        if not recorded:
            raise IntegrityError(f"Object {key!r} has no recorded checksum.")
        actual = sha256_hex(data)
        if actual != recorded.lower():
            raise IntegrityError(f"Object {key!r} no longer matches its recorded SHA-256.")
        if sha256 is not None and actual != sha256.lower():
            raise IntegrityError(f"Object {key!r} is not the expected file (SHA-256 differs).")
        return data

    def digest(self, key: str, into: BinaryIO | None = None,
               version_id: str | None = None) -> str:
        """SHA-256 of the stored bytes (of ``version_id`` when given), streamed in parts (a
        scanned archive of a gigabyte never sits in memory), copied into ``into`` when
        given."""
        validate_key(key)
        self.ensure_bucket()

        def stream() -> str:
            with self._object(key, version_id) as response:
                digest = hashlib.sha256()
                if into is not None:
                    into.seek(0)
                    into.truncate()  # a retried read starts the copy again
                for chunk in response.stream(1024 * 1024):
                    digest.update(chunk)
                    if into is not None:
                        into.write(chunk)
                return digest.hexdigest()

        return self._call(f"read {key!r}", stream)

    def _download(self, key: str, version_id: str | None = None) -> tuple[bytes, str | None]:
        with self._object(key, version_id) as response:
            return response.read(), response.headers.get(SHA256_META)

    @contextmanager
    def _object(self, key: str, version_id: str | None = None) -> Iterator[Any]:
        """The open GET response for ``key`` (a missing key: ObjectNotFoundError), released
        to the connection pool afterwards."""
        try:
            response = self._client.get_object(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in _NOT_FOUND:
                raise ObjectNotFoundError(f"Không có đối tượng {key} trong kho lưu trữ") from None
            raise
        try:
            yield response
        finally:
            response.close()
            response.release_conn()

    def list(self, prefix: str = "") -> list[str]:
        """Sorted keys that start with ``prefix`` (a plain string prefix)."""
        validate_prefix(prefix)
        self.ensure_bucket()

        def listing() -> list[str]:
            found = self._client.list_objects(self.bucket, prefix=prefix or None, recursive=True)
            return sorted(o.object_name for o in found if o.object_name and not o.is_dir)

        return self._call(f"list {prefix!r}", listing)

    def presigned_url(self, key: str, expires: timedelta = timedelta(hours=1),
                      version_id: str | None = None) -> str:
        """A URL anyone can GET the object (``version_id``: that version) with until
        ``expires`` from now (1 s to 7 days); for agencies fetching a dossier's documents
        without S3 credentials."""
        validate_key(key)
        if not timedelta(seconds=1) <= expires <= timedelta(days=7):
            raise StorageError("A presigned URL lasts between 1 second and 7 days.")
        return self._call(
            f"presign {key!r}",
            lambda: self._client.presigned_get_object(self.bucket, key, expires=expires,
                                                      version_id=version_id),
        )


# --- helpers -----------------------------------------------------------------------------

_IF_NEW = {"If-None-Match": "*"}


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_sent(stored: StoredObject, digest: hashlib._Hash, size: int) -> None:
    """The bytes read for upload must be the bytes hashed beforehand."""
    if digest.hexdigest() != stored.sha256 or size != stored.size:
        raise StorageError(f"Tệp nguồn của {stored.key} thay đổi trong lúc lưu")


def _completion_xml(parts: list[tuple[int, str]]) -> bytes:
    root = ElementTree.Element("CompleteMultipartUpload")
    for number, etag in parts:
        part = ElementTree.SubElement(root, "Part")
        ElementTree.SubElement(part, "PartNumber").text = str(number)
        ElementTree.SubElement(part, "ETag").text = f'"{etag}"'
    return ElementTree.tostring(root)


def _content_md5(body: bytes) -> dict[str, str]:
    return {"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()}


def _xml_text(document: bytes, tag: str) -> str:
    for element in ElementTree.fromstring(document).iter():
        if element.tag.rpartition("}")[2] == tag and element.text:
            return element.text
    raise StorageError(f"The S3 server's answer has no {tag}.")


def _iso8601(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, S3Error):
        return f"{exc.code}: {exc.message}"
    return f"{exc.__class__.__name__}: {exc}"


def _refused(action: str, exc: MinioException) -> StorageError:
    return StorageError(f"The S3 server refused to {action}: {_describe(exc)}.")
