"""A local development CA and signer, so a fresh install can sign without a real token.

Counter staff sign with certificates from the government CA or a public CA (usually on a USB
token). Before one is configured, the pipeline still has to produce signed files — for demos,
tests and development — so this module makes a root CA and one signer certificate with
``cryptography``. Both say loudly, in English and Vietnamese, that they are NOT for
production, and files signed with them only validate where the dev CA is trusted explicitly.

Creation is idempotent and safe when several workers start at once: an exclusive lock on the
directory serialises creation, and every file is written to a temporary name then renamed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEV_ORGANIZATION = "sohoa DEVELOPMENT CA - KHÔNG DÙNG CHO SẢN XUẤT"
DEV_CA_NAME = "sohoa Dev Root CA (THỬ NGHIỆM)"
DEFAULT_SIGNER_NAME = "Cán bộ số hóa (THỬ NGHIỆM)"
DEV_CA_FILE = "ca.crt"
DEV_PKCS12_PASSWORD = "sohoa-dev"
"""Well-known on purpose: the dev key protects nothing, and tokens are what production uses."""

CA_VALIDITY = timedelta(days=3650)
SIGNER_VALIDITY = timedelta(days=825)
CLOCK_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class DevSigner:
    """Where the development signer's files are."""

    pkcs12_path: Path
    """PKCS#12 with the signer key, its certificate and the dev CA certificate."""

    pkcs12_password: str
    """Password of ``pkcs12_path``."""

    ca_cert_path: Path
    """PEM certificate of the dev root CA (add it as a trust root to validate)."""

    signer_cert_path: Path
    """PEM certificate of the signer."""


def ensure_dev_signer(ca_dir: Path, signer_name: str = DEFAULT_SIGNER_NAME) -> DevSigner:
    """Return the dev signer for ``signer_name`` under ``ca_dir``, creating CA and signer once.

    ``signer_name`` becomes the certificate's CN: at most 64 bytes of UTF-8 (X.520), which is
    fewer than 64 Vietnamese letters.
    """
    ca_dir.mkdir(parents=True, exist_ok=True)
    stem = "signer-" + hashlib.sha256(signer_name.encode("utf-8")).hexdigest()[:12]
    signer = DevSigner(
        pkcs12_path=ca_dir / f"{stem}.p12",
        pkcs12_password=DEV_PKCS12_PASSWORD,
        ca_cert_path=ca_dir / DEV_CA_FILE,
        signer_cert_path=ca_dir / f"{stem}.crt",
    )
    if _complete(signer):
        return signer
    with _locked(ca_dir / ".lock"):
        if not signer.ca_cert_path.exists():
            _write_ca(ca_dir)
        if not _complete(signer):
            _write_signer(ca_dir, signer, signer_name)
    return signer


def _complete(signer: DevSigner) -> bool:
    return all(
        p.exists() for p in (signer.pkcs12_path, signer.ca_cert_path, signer.signer_cert_path)
    )


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock: a second process waits, then finds the files made."""
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary sibling then rename, so readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEV_ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_ca(ca_dir: Path) -> None:
    key = _new_key()
    now = datetime.now(UTC)
    name = _name(DEV_CA_NAME)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_atomic(ca_dir / "ca.key", key_pem, mode=0o600)
    _write_atomic(ca_dir / DEV_CA_FILE, cert.public_bytes(serialization.Encoding.PEM))


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_signer(ca_dir: Path, signer: DevSigner, signer_name: str) -> None:
    ca_key = serialization.load_pem_private_key((ca_dir / "ca.key").read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(signer.ca_cert_path.read_bytes())
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    key = _new_key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + SIGNER_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=signer_name.encode("utf-8"),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(
            signer.pkcs12_password.encode("utf-8")
        ),
    )
    _write_atomic(signer.signer_cert_path, cert.public_bytes(serialization.Encoding.PEM))
    _write_atomic(signer.pkcs12_path, p12, mode=0o600)
