"""``sohoa scrub``: is every stored object still what the catalog says it is?

Archives rot quietly — a flipped bit on a disk, a file copied over by hand, a lock never
set — and nobody notices until a citizen's record is needed years later. A scrub walks the
catalog and, for each object, reads what the store really holds (streamed, one object at a
time) and checks:

- **documents**: present; SHA-256 equal to the catalog's; the PAdES signature valid against
  the configured trust roots (intact, trusted, not modified after signing); the store's lock
  at least as long as the recorded retention (legal hold for permanent documents) when the
  store can lock;
- **texts**: present and equal to the store's own checksum;
- **raw scans**: present and equal to the catalog's SHA-256.

Every mismatch is reported with the dossier, the key and what is wrong; one bad object never
stops the scan. An object the store cannot serve (a damaged volume answers every read of it
with an internal error until the retry window runs out) is a finding too ("không đọc
được"), as long as the store still answers for other things; only a store that does not
answer at all stops the scrub (:class:`StorageUnavailableError`): that is an outage to
retry, not a finding.

It also lists **orphans**: page artefacts (``dossiers/<code>/pages/``) no page row
references — left by a page read twice (a redelivery, two sweepers before issue 13) or by a
worker killed between storing a page and recording it — and, on a full scrub, raw scans
still staged under ``incoming/`` (an intake stopped between staging and recording).
Orphans are garbage, not damage: they do not make the scrub fail; ``collect`` removes those
older than a grace period (a younger one may belong to a page being recorded right now).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sohoa.clock import VIETNAM
from sohoa.errors import (
    ObjectNotFoundError,
    RetentionError,
    ServiceUnavailableError,
    StorageError,
    VerificationError,
)
from sohoa.storage.catalog import Catalog
from sohoa.storage.inventory import (
    CatalogedObject,
    Scope,
    cataloged_objects,
    dossier_codes,
    page_artefact_keys,
)
from sohoa.storage.objects import ObjectLock, ObjectStore

SPOOL_BYTES = 32 * 1024 * 1024
"""A document larger than this is spooled to a temporary file while it is checked."""

ORPHAN_GRACE = timedelta(hours=24)
"""Orphans younger than this are reported but never collected."""

KIND_LABELS = {"document": "tài liệu", "text": "tệp văn bản", "raw_scan": "bản quét gốc"}
"""By :class:`sohoa.storage.inventory.ItemKind` value, in report order."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one stored object."""

    dossier: str
    key: str
    kind: str
    problem: str
    """Stable code: missing, hash_mismatch, replaced, signature_broken, signature_modified,
    signature_untrusted, signature_invalid, unsigned, retention_missing, retention_short,
    unreadable."""
    message: str
    """What is wrong, in Vietnamese, for the archivist."""


@dataclass(frozen=True)
class Orphan:
    """A page artefact in the store that no page row of the catalog references."""

    dossier: str
    key: str
    size: int
    modified: datetime | None
    collected: bool = False
    """Removed by this scrub (older than the grace period)."""

    def to_dict(self) -> dict:
        return {"dossier": self.dossier, "key": self.key, "size": self.size,
                "modified": self.modified.isoformat() if self.modified else None,
                "collected": self.collected}


@dataclass
class ScrubReport:
    """Counts of what was checked, every finding, and the orphans."""

    checked: Counter = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    retention_checked: bool = True
    orphans: list[Orphan] = field(default_factory=list)

    @property
    def bad_objects(self) -> int:
        return len({f.key for f in self.findings})

    def summary(self) -> str:
        counts = ", ".join(f"{self.checked[k]} {label}" for k, label in KIND_LABELS.items())
        verdict = (f"{len(self.findings)} sai lệch ở {self.bad_objects} đối tượng"
                   if self.findings else "không có sai lệch")
        note = "" if self.retention_checked else \
            " (kho không hỗ trợ khóa lưu giữ: không kiểm tra thời hạn lưu trữ)"
        orphans = ""
        if self.orphans:
            collected = sum(o.collected for o in self.orphans)
            orphans = (f" {len(self.orphans)} sản phẩm trang mồ côi (không bản ghi nào dùng)"
                       f"{f', đã dọn {collected}' if collected else ''}.")
        return f"Đã kiểm tra {counts}: {verdict}{note}.{orphans}"

    def to_dict(self) -> dict:
        return {"clean": not self.findings,
                "checked": {str(k): self.checked[k] for k in KIND_LABELS},
                "mismatches": len(self.findings), "bad_objects": self.bad_objects,
                "retention_checked": self.retention_checked,
                "findings": [asdict(f) for f in self.findings],
                "orphans": [o.to_dict() for o in self.orphans]}


def scrub(catalog: Catalog, objects: ObjectStore, trust_roots: Sequence[Path],
          scope: Scope | None = None,
          on_object: Callable[[list[Finding]], None] | None = None, *,
          collect_orphans: bool = False, grace: timedelta = ORPHAN_GRACE) -> ScrubReport:
    """Check every object of ``scope`` (see the module docstring); ``on_object`` is called
    after each one with its findings (progress bars, live output). Orphans are listed, and
    removed when ``collect_orphans`` and older than ``grace``."""
    scope = scope or Scope()
    report = ScrubReport(retention_checked=bool(getattr(objects, "object_lock", True)))
    for item in cataloged_objects(catalog, scope):
        findings = check_object(objects, item, trust_roots, report.retention_checked)
        report.checked[item.kind] += 1
        report.findings.extend(findings)
        if on_object is not None:
            on_object(findings)
    report.orphans = find_orphans(catalog, objects, scope, collect_orphans, grace)
    return report


def find_orphans(catalog: Catalog, objects: ObjectStore, scope: Scope, collect: bool = False,
                 grace: timedelta = ORPHAN_GRACE) -> list[Orphan]:
    """Page artefacts of the dossiers in ``scope`` that no page row references; with
    ``collect``, those older than ``grace`` are deleted."""
    orphans = []
    now = datetime.now(UTC)
    leftovers: list[tuple[str, str]] = []
    if scope.dossier_code is None and scope.since is None:  # an intake that stopped midway
        leftovers = [("", key) for key in objects.list("incoming/")]
    for code in dossier_codes(catalog, scope):
        referenced = page_artefact_keys(catalog, code)
        leftovers += [(code, key) for key in objects.list(f"dossiers/{code}/pages/")
                      if key not in referenced]
    for code, key in leftovers:
        stored = objects.stat(key)
        old = stored.modified is not None and now - stored.modified >= grace
        collected = False
        if collect and old:
            try:
                objects.delete(key)
                collected = True
            except (ObjectNotFoundError, RetentionError):
                collected = False
        orphans.append(Orphan(code, key, stored.size, stored.modified, collected))
    return orphans


def check_object(objects: ObjectStore, item: CatalogedObject, trust_roots: Sequence[Path],
                 check_retention: bool = True) -> list[Finding]:
    """Everything wrong with one object (empty when it is sound)."""
    def finding(problem: str, message: str) -> Finding:
        return Finding(item.dossier_code, item.key, str(item.kind), problem, message)

    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as copy:
        try:
            keep = copy if item.kind == "document" else None
            actual = objects.digest(item.key, keep)
            expected = item.sha256 or objects.stat(item.key).sha256
        except ObjectNotFoundError:
            return [finding("missing", f"không có {KIND_LABELS[item.kind]} trong kho lưu trữ")]
        except ServiceUnavailableError as exc:
            _raise_if_store_down(objects, item, exc)
            return [finding("unreadable", f"không đọc được từ kho lưu trữ: {exc.message}")]
        except StorageError as exc:
            return [finding("unreadable", f"không đọc được từ kho lưu trữ: {exc.message}")]
        if item.kind != "document":
            return [] if actual == expected else [finding(
                "hash_mismatch", f"mã băm SHA-256 khác với bản ghi ({_short(expected)}…, "
                f"thực tế {_short(actual)}…): nội dung đã bị thay đổi")]
        copy.seek(0)
        problems = _document_problems(copy.read(), actual, expected, trust_roots)
    if check_retention:
        problems += _retention_problems(objects, item)
    return [finding(code, message) for code, message in problems]


def _document_problems(pdf: bytes, actual: str, expected: str,
                       trust_roots: Sequence[Path]) -> list[tuple[str, str]]:
    signature = _signature_problem(pdf, trust_roots)
    if actual == expected:
        return [signature] if signature else []
    if signature is None:
        return [("replaced", f"tệp trong kho khác tệp đã lưu (SHA-256 {_short(actual)}… thay "
                 f"vì {_short(expected)}…) dù mang chữ ký hợp lệ: tài liệu đã bị thay thế")]
    return [("hash_mismatch", f"mã băm SHA-256 khác với danh mục ({_short(expected)}…, thực "
             f"tế {_short(actual)}…): nội dung đã bị thay đổi"), signature]


def _signature_problem(pdf: bytes, trust_roots: Sequence[Path]) -> tuple[str, str] | None:
    from sohoa.pipeline.verify import verify_pdf  # pyHanko loads only when there is a PDF

    try:
        report = verify_pdf(pdf, trust_roots)
    except VerificationError as exc:
        return ("unsigned", f"không kiểm tra được chữ ký số: {exc.message}")
    except Exception as exc:  # noqa: BLE001 - a PDF that crashes the validator is a finding
        return ("signature_invalid", f"không kiểm tra được chữ ký số: {exc}")
    if report.valid:
        return None
    for check in report.signatures:
        if check.problem or not check.intact:
            return ("signature_broken", "chữ ký số không còn nguyên vẹn: nội dung đã bị thay "
                    "đổi sau khi ký")
    if report.signatures[-1].modified_after_signing:
        return ("signature_modified", "tệp đã bị sửa đổi sau khi ký")
    if not all(c.trusted for c in report.signatures):
        return ("signature_untrusted", "chứng thư số của người ký không thuộc CA tin cậy")
    return ("signature_invalid", "chữ ký số không hợp lệ")


def _retention_problems(objects: ObjectStore, item: CatalogedObject) -> list[tuple[str, str]]:
    if not item.permanent and item.retain_until is None:
        return []
    try:
        lock = objects.retention(item.key)
    except ServiceUnavailableError as exc:
        _raise_if_store_down(objects, item, exc)
        return [("retention_missing", f"không đọc được khóa lưu giữ: {exc.message}")]
    except StorageError as exc:
        return [("retention_missing", f"không đọc được khóa lưu giữ: {exc.message}")]
    wanted = "vĩnh viễn" if item.permanent else f"đến {_vietnam(item.retain_until)}"
    if lock is None or not lock.active():
        return [("retention_missing", f"không có khóa lưu giữ trong kho (danh mục: lưu "
                 f"{wanted})")]
    if item.permanent and not lock.permanent:
        return [("retention_short", f"khóa lưu giữ chỉ đến {_vietnam(lock.until)}, danh mục: "
                 "lưu vĩnh viễn (thiếu legal hold)")]
    if not item.permanent and not lock.covers(ObjectLock(item.retain_until)):  # type: ignore
        return [("retention_short", f"khóa lưu giữ chỉ đến {_vietnam(lock.until)}, ngắn hơn "
                 f"danh mục ({wanted})")]
    return []


def _raise_if_store_down(objects: ObjectStore, item: CatalogedObject,
                         exc: ServiceUnavailableError) -> None:
    """One object the store cannot serve is a finding; a store that does not even list the
    dossier's objects is down for every object: the scrub stops (exit 8), to run again."""
    try:
        objects.list(f"dossiers/{item.dossier_code}/")
    except ServiceUnavailableError:
        raise exc from None


def _short(sha256: str) -> str:
    return sha256[:12]


def _vietnam(moment: datetime | None) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y}" if moment else "?"
