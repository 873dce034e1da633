"""Check the PAdES signatures of a digitized file: who signed, when, and whether it changed since.

Agencies and archivists receive files years after signing; what they need to know is whether
each signature is intact and chains to a CA they trust, and whether anything other than a
later signature or validation data was added after it. pyHanko does the work: ``bottom_line``
is the verdict (``valid`` alone ignores trust and timestamps), and its coverage and difference
analysis tell a harmless later revision from an edited page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from sohoa.clock import VIETNAM
from sohoa.errors import VerificationError
from sohoa.pipeline.devca import DEV_CA_FILE
from sohoa.pipeline.signers import common_name
from sohoa.settings import SigningSettings

HARMLESS_LATER_REVISIONS = (ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
"""What may follow a signature: DSS/document timestamps, or another signature (FORM_FILLING is
pyHanko's level for 'a later signature filled a signature field')."""


@dataclass(frozen=True)
class SignatureCheck:
    """What one signature in the file says and whether it holds."""

    field_name: str
    signer_name: str
    signing_time: str | None
    """Signing time as claimed by the signer, ISO 8601 in Vietnam time."""
    intact: bool
    """The signed bytes hash to the value the signer signed."""
    trusted: bool
    """The signer certificate chains to one of the trust roots (False when not intact:
    pyHanko does not build the chain of a broken signature)."""
    valid: bool
    """pyHanko's bottom line: intact, cryptographically valid, trusted, timestamp OK,
    and no disallowed change after signing."""
    has_timestamp: bool
    timestamp_time: str | None
    """Time from the RFC 3161 token (PAdES B-T), ISO 8601 in Vietnam time."""
    coverage: str
    """pyHanko's SignatureCoverageLevel name, e.g. ENTIRE_FILE."""
    modification_level: str | None
    """pyHanko's ModificationLevel name for what came after, or None if unknown."""
    modified_after_signing: bool
    """Something other than a later signature or validation data was added afterwards."""
    problem: str | None = None
    """Why pyHanko could not validate the signature at all (a damaged signature container)."""


@dataclass(frozen=True)
class VerificationReport:
    """All signatures of one file, oldest first, and the overall verdict."""

    signatures: tuple[SignatureCheck, ...]
    valid: bool
    """Every signature valid, and nothing but harmless updates after the last one."""

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-serialisable form (for the CLI's --json and the agency API)."""
        return {"valid": self.valid, "signatures": [asdict(s) for s in self.signatures]}


def verify_pdf(pdf: bytes, trust_roots: Sequence[Path]) -> VerificationReport:
    """Validate every signature of ``pdf`` against ``trust_roots`` (no network fetching)."""
    roots = _load_roots(trust_roots)
    signatures = _embedded_signatures(pdf)
    checks = tuple(_check(sig, roots) for sig in signatures)
    valid = all(c.valid for c in checks) and not checks[-1].modified_after_signing
    return VerificationReport(signatures=checks, valid=valid)


def trust_roots_for(settings: SigningSettings) -> list[Path]:
    """The configured trust roots plus the dev CA, if one was ever made (the CLI's default).

    The dev CA is never created here: verifying must not mint a CA that then trusts itself.
    """
    roots = list(settings.trust_roots)
    dev_ca = settings.dev_ca_dir / DEV_CA_FILE
    if dev_ca.is_file():
        roots.append(dev_ca)
    return roots


def describe(report: VerificationReport) -> list[str]:
    """Human lines in Vietnamese for the CLI, one block per signature."""
    lines = [
        "Tệp hợp lệ: mọi chữ ký còn nguyên vẹn và đáng tin cậy"
        if report.valid
        else "Tệp KHÔNG hợp lệ"
    ]
    for n, check in enumerate(report.signatures, start=1):
        lines.append(f"Chữ ký {n} ({check.field_name}):")
        lines.extend("  " + line for line in _describe_one(check))
    return lines


def _describe_one(check: SignatureCheck) -> list[str]:
    lines = ["Chữ ký hợp lệ" if check.valid else "Chữ ký KHÔNG hợp lệ"]
    lines.append(f"Người ký: {check.signer_name}")
    if check.signing_time:
        lines.append(f"Thời gian ký: {_display_time(check.signing_time)}")
    if check.has_timestamp and check.timestamp_time:
        lines.append(f"Dấu thời gian: {_display_time(check.timestamp_time)}")
    if check.problem:
        lines.append(f"Chữ ký bị hỏng, không kiểm tra được: {check.problem}")
    elif not check.intact:
        lines.append("Nội dung đã bị thay đổi: mã băm không khớp với chữ ký")
    elif not check.trusted:  # pyHanko skips the chain of a broken signature
        lines.append("Chứng thư số không thuộc CA tin cậy")
    if check.modified_after_signing:
        lines.append("Tệp đã bị sửa đổi sau khi ký")
    return lines


def _display_time(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{moment:%d/%m/%Y %H:%M:%S} (GMT+7)"


def _load_roots(paths: Sequence[Path]) -> list[asn1_x509.Certificate]:
    roots = []
    for path in paths:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except (OSError, ValueError) as exc:
            raise VerificationError(f"Không đọc được chứng thư CA gốc {path}: {exc}") from None
    return roots


def is_signed(pdf: bytes) -> bool:
    """Whether the PDF carries at least one signature (a file that does is verified with
    :func:`verify_pdf`; one that does not is not an error, e.g. a scanned paper result)."""
    return bool(_signatures_in(pdf))


def _signatures_in(pdf: bytes) -> list[EmbeddedPdfSignature]:
    if b"%PDF-" not in pdf[:1024]:
        raise VerificationError("Tệp không phải PDF")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        return list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise VerificationError(f"Không đọc được tệp PDF: {exc}") from None


def _embedded_signatures(pdf: bytes) -> list[EmbeddedPdfSignature]:
    signatures = _signatures_in(pdf)
    if not signatures:
        raise VerificationError("Tệp không có chữ ký số")
    return signatures


def _check(sig: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    ts_context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context, ts_validation_context=ts_context)
    except (SignatureValidationError, ValueError) as exc:
        return _broken(sig, str(exc))
    claimed = status.signer_reported_dt or sig.self_reported_timestamp
    ts = status.timestamp_validity
    return SignatureCheck(
        field_name=str(sig.field_name),
        signer_name=common_name(status.signing_cert),
        signing_time=_vietnam_iso(claimed),
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        valid=bool(status.bottom_line),
        has_timestamp=ts is not None,
        timestamp_time=_vietnam_iso(ts.timestamp if ts is not None else None),
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modification_level=_level_name(status),
        modified_after_signing=_modified_after(status),
    )


def _broken(sig: EmbeddedPdfSignature, problem: str) -> SignatureCheck:
    """A signature pyHanko refused to evaluate: reported, never valid, never a crash."""
    coverage = sig.evaluate_signature_coverage()
    try:
        signer = common_name(sig.signer_cert)
    except (ValueError, KeyError):
        signer = "?"
    return SignatureCheck(
        field_name=str(sig.field_name),
        signer_name=signer,
        signing_time=_vietnam_iso(sig.self_reported_timestamp),
        intact=False,
        trusted=False,
        valid=False,
        has_timestamp=False,
        timestamp_time=None,
        coverage=coverage.name,
        modification_level=None,
        modified_after_signing=coverage != SignatureCoverageLevel.ENTIRE_FILE,
        problem=problem.splitlines()[0] if problem else "?",
    )


def _modified_after(status: PdfSignatureStatus) -> bool:
    """Bytes follow the signed range that are not just a later signature or validation data.

    Level NONE with partial coverage means bytes after %%EOF that form no revision: readers
    ignore them today, but the file is no longer what was signed (pdfsig flags it too).
    """
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    return status.modification_level not in HARMLESS_LATER_REVISIONS


def _level_name(status: PdfSignatureStatus) -> str | None:
    level = status.modification_level
    return level.name if level is not None else None


def _vietnam_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(VIETNAM).isoformat()
