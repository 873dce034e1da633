"""Typed errors, each carrying its exit code and a one-line message for the clerk.

Every error the product raises on purpose derives from :class:`SohoaError`. Entry points
turn them into exit codes (:mod:`sohoa.cli.main`) or HTTP responses (:mod:`sohoa.api.errors`)
in one place each, so no stage decides how a failure is shown. Exit codes are named by
:class:`ExitCode` (OCRmyPDF's pattern); the README lists them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the ``sohoa`` command exits with."""

    OK = 0
    FAILED = 1
    """Something did not fully succeed (a file or page failed, a signature is not valid)."""
    USAGE = 2
    """Bad arguments, settings, catalog entries or corrections: fix the command."""
    INPUT = 3
    """An input file cannot be digitized as it is."""
    PROCESSING = 4
    """A stage failed on valid input (an external program crashed or timed out)."""
    SIGNING = 5
    VERIFICATION = 6
    STORAGE = 7
    SERVICE_UNAVAILABLE = 8
    """A server did not answer: nothing was half-written, try again later."""
    SCANNER = 9
    SCRUB_MISMATCH = 10
    ACCESS = 11
    INTERRUPTED = 130
    """Ctrl+C."""


class SohoaError(Exception):
    """Base of every expected failure. ``exit_code`` is what the CLI exits with."""

    exit_code = ExitCode.FAILED
    transient = False
    """True when trying the same work again later may succeed (a crashed program, a server
    that did not answer): runners retry it with backoff instead of recording a failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- input files (exit 3) ------------------------------------------------------------------


class InputError(SohoaError):
    """The input file cannot be digitized as it is; nothing was written for it."""

    exit_code = ExitCode.INPUT


class MissingFileError(InputError):
    """The path names no file: it does not exist, is a folder, or may not be read."""


class EmptyFileError(InputError):
    """The file has no bytes (or a PDF/TIFF with no pages)."""


class UnsupportedFileError(InputError):
    """Neither an image (JPEG, PNG, TIFF) nor a PDF."""


class CorruptFileError(InputError):
    """Truncated or damaged image or PDF."""


class EncryptedPdfError(InputError):
    """The PDF is password-protected; the citizen's paper must be rescanned instead."""


class DecompressionBombError(InputError):
    """The image would decode to more pixels than the configured limit."""


class TooManyPagesError(InputError):
    """More pages than the configured limit for one file."""


class FileTooLargeError(InputError):
    """More bytes than the configured limit for one file."""


# --- processing (exit 4) -------------------------------------------------------------------


class ProcessingError(SohoaError):
    """A stage failed on valid input (an external program crashed, timed out, ...)."""

    exit_code = ExitCode.PROCESSING


class OcrError(ProcessingError):
    """Tesseract failed or is missing."""


class ProgramCrashError(ProcessingError):
    """An external program (Tesseract, pdftoppm) was killed by a signal — the kernel's OOM
    killer, ``kill -9`` — or ran past its time limit. The same page usually succeeds when
    tried again, so the page step is retried with backoff (by dramatiq on the workers, in
    place on the embedded default); only a page that fails every attempt is recorded as
    failed. A page that cannot be decoded at all is a :class:`CorruptFileError` instead and
    fails at once."""

    transient = True


class PdfaError(ProcessingError):
    """The assembled document does not pass the PDF/A check; it is not signed or stored."""


# --- signing and verification (exit 5) ----------------------------------------------------


class SigningError(SohoaError):
    """No usable signer (missing key, wrong PIN, token absent) or the signing itself failed."""

    exit_code = ExitCode.SIGNING


class TimestampError(SigningError):
    """The configured time-stamping authority did not answer with a valid token."""


class VerificationError(SohoaError):
    """The file could not be checked at all (not a PDF, no signature)."""

    exit_code = ExitCode.VERIFICATION


# --- storage and catalog (exit 7) ---------------------------------------------------------


class StorageError(SohoaError):
    """The object store or catalog refused an operation."""

    exit_code = ExitCode.STORAGE


class ObjectNotFoundError(StorageError):
    """No object under that key."""


class IntegrityError(StorageError):
    """Stored bytes no longer match their recorded SHA-256."""


class DossierNotFoundError(StorageError):
    """No dossier with that code in the catalog."""


class RetentionError(StorageError):
    """Deleting (or shortening the retention of) an object or catalog row whose retention
    period has not ended: archives outlive every mistake (sohoa/domain/retention.yaml)."""


class ScrubMismatchError(SohoaError):
    """``sohoa scrub`` found stored objects that differ from the catalog (missing, changed,
    a broken signature, retention not in place); each is listed in the report."""

    exit_code = ExitCode.SCRUB_MISMATCH


# --- servers that do not answer (exit 8): transient, the work is retried later -----------


class ServiceUnavailableError(SohoaError):
    """A server the work needs does not answer. Nothing was half-written; try again later
    (queued work is retried with backoff)."""

    exit_code = ExitCode.SERVICE_UNAVAILABLE
    transient = True


class StorageUnavailableError(ServiceUnavailableError):
    """The object store (S3) did not answer within the retry window."""


class DatabaseUnavailableError(ServiceUnavailableError):
    """The catalog database did not answer."""


class BrokerUnavailableError(ServiceUnavailableError):
    """The message broker (Redis, RabbitMQ) did not answer."""


class InvalidDossierCodeError(SohoaError):
    """A string that is not a dossier code in either official format."""

    exit_code = ExitCode.USAGE


class UsageError(SohoaError):
    """A value typed on the command line or in a form is malformed (a date, a page number):
    the message names the field and the form it should take."""

    exit_code = ExitCode.USAGE


class ConfigurationError(SohoaError):
    """Settings are missing or contradictory."""

    exit_code = ExitCode.USAGE


class CatalogError(SohoaError):
    """The procedure catalog file is unreadable or an entry is malformed (entry and field named)."""

    exit_code = ExitCode.USAGE


class UnknownProcedureError(SohoaError):
    """No procedure with that code in the catalog."""

    exit_code = ExitCode.USAGE


class ModelError(SohoaError):
    """A learned classification model file is missing, damaged or from another version."""

    exit_code = ExitCode.USAGE


class OverrideError(SohoaError):
    """A clerk's correction names a page or document type that does not exist."""

    exit_code = ExitCode.USAGE


class SearchQueryError(SohoaError):
    """An archivist's search the index cannot run: too long, too many terms, no word to look
    for, a bad filter (the message says which, in Vietnamese)."""

    exit_code = ExitCode.USAGE


class ScannerError(SohoaError):
    """A scanner could not be used, or stopped mid-batch: the scanning program is missing, no
    such device, device busy, feeder empty or jammed, timeout, or a setting the device does not
    offer. ``reason`` says which (``missing``, ``no-device``, ``busy``, ``feeder-empty``,
    ``jammed``, ``cover-open``, ``timeout``, ``unsupported``, ``failed``), so a caller can react
    (e.g. ask the clerk to reload the feeder) without parsing the message."""

    exit_code = ExitCode.SCANNER

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.reason = reason
        self.args = (message, reason)  # survives pickling (process pools, queues)


# --- access (exit 11) ---------------------------------------------------------------------


class AuthenticationError(SohoaError):
    """Who is asking is not established: not signed in, wrong user name or password, an
    account locked after failed logins, an unknown, expired or revoked API token, a disabled
    account, a session signed out elsewhere, a broken or expired document link. ``reason``
    says which (``missing``, ``credentials``, ``locked``, ``throttled``, ``expired``,
    ``revoked``, ``disabled``, ``session``, ``link``) for callers and tests; the message stays
    vague where detail would help an attacker (a wrong password and an unknown user read the
    same)."""

    exit_code = ExitCode.ACCESS

    def __init__(self, message: str, reason: str = "credentials") -> None:
        super().__init__(message)
        self.reason = reason
        self.args = (message, reason)


class PermissionDeniedError(SohoaError):
    """Signed in, but the role (or the agency binding) does not allow this, or a form came
    without the session's CSRF token."""

    exit_code = ExitCode.ACCESS


class AccountError(SohoaError):
    """A user or API token request the rules refuse: user name, role, agency codes, a
    password too short, an unknown user or token."""

    exit_code = ExitCode.USAGE
