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
stops the scan. A store that does not answer does (:class:`StorageUnavailableError`): that is
an outage to retry, not a finding.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sohoa.clock import VIETNAM
from sohoa.errors import (
    ObjectNotFoundError,
    ServiceUnavailableError,
    StorageError,
    VerificationError,
)
from sohoa.storage.catalog import Catalog
from sohoa.storage.inventory import CatalogedObject, Scope, cataloged_objects
from sohoa.storage.objects import ObjectLock, ObjectStore

SPOOL_BYTES = 32 * 1024 * 1024
"""A document larger than this is spooled to a temporary file while it is checked."""

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


@dataclass
class ScrubReport:
    """Counts of what was checked and every finding."""

    checked: Counter = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    retention_checked: bool = True

    @property
    def bad_objects(self) -> int:
        return len({f.key for f in self.findings})

    def summary(self) -> str:
        counts = ", ".join(f"{self.checked[k]} {label}" for k, label in KIND_LABELS.items())
        verdict = (f"{len(self.findings)} sai lệch ở {self.bad_objects} đối tượng"
                   if self.findings else "không có sai lệch")
        note = "" if self.retention_checked else \
            " (kho không hỗ trợ khóa lưu giữ: không kiểm tra thời hạn lưu trữ)"
        return f"Đã kiểm tra {counts}: {verdict}{note}."

    def to_dict(self) -> dict:
        return {"clean": not self.findings,
                "checked": {str(k): self.checked[k] for k in KIND_LABELS},
                "mismatches": len(self.findings), "bad_objects": self.bad_objects,
                "retention_checked": self.retention_checked,
                "findings": [asdict(f) for f in self.findings]}


def scrub(catalog: Catalog, objects: ObjectStore, trust_roots: Sequence[Path],
          scope: Scope | None = None,
          on_object: Callable[[list[Finding]], None] | None = None) -> ScrubReport:
    """Check every object of ``scope`` (see the module docstring); ``on_object`` is called
    after each one with its findings (progress bars, live output)."""
    report = ScrubReport(retention_checked=bool(getattr(objects, "object_lock", True)))
    for item in cataloged_objects(catalog, scope or Scope()):
        findings = check_object(objects, item, trust_roots, report.retention_checked)
        report.checked[item.kind] += 1
        report.findings.extend(findings)
        if on_object is not None:
            on_object(findings)
    return report


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
        except ServiceUnavailableError:
            raise
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
    except ServiceUnavailableError:
        raise
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


def _short(sha256: str) -> str:
    return sha256[:12]


def _vietnam(moment: datetime | None) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y}" if moment else "?"
