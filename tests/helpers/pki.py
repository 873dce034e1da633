"""Real PKI tools for signature tests: poppler's pdfsig with an NSS store, SoftHSM2 tokens, and
an RFC 3161 time-stamping authority served over HTTP on 127.0.0.1.

Nothing here is a stand-in: pdfsig is the independent second opinion on our signatures,
SoftHSM2 is a real PKCS#11 module, and the TSA answers real RFC 3161 requests (pyHanko's
DummyTimeStamper signs them with a TSA certificate made here).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder_data
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.support import unavailable

SOFTHSM_MODULES = (
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
)


def require_tools(*names: str) -> None:
    """Skip (or fail under CI) unless every program is on PATH."""
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        unavailable(f"missing program(s): {', '.join(missing)}")


def run(cmd: list[str], env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a tool, failing the test with its output when it fails."""
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=dict(env) if env else None, timeout=60
    )
    if proc.returncode != 0:
        pytest.fail(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    return proc


# --- NSS trust store + pdfsig ------------------------------------------------------------


def nss_store(directory: Path, ca_certs: list[Path]) -> Path:
    """An NSS database trusting ``ca_certs`` for signing, as a real reader's would."""
    require_tools("certutil")
    directory.mkdir(parents=True, exist_ok=True)
    run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"])
    for n, cert in enumerate(ca_certs):
        run(
            [
                "certutil",
                "-A",
                "-d",
                f"sql:{directory}",
                "-n",
                f"ca{n}",
                "-t",
                "CT,C,C",
                "-i",
                str(cert),
            ]
        )
    return directory


def pdfsig(pdf: Path, nss_dir: Path) -> str:
    """pdfsig's report. It exits non-zero for invalid signatures, so the caller reads the text."""
    require_tools("pdfsig")
    proc = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss_dir}", str(pdf)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.stdout + proc.stderr


# --- certificates made for tests ---------------------------------------------------------


@dataclass(frozen=True)
class TestCa:
    """A throwaway CA (PEM files) that issues test certificates."""

    __test__ = False  # not a pytest test class

    cert_path: Path
    key_path: Path


def make_ca(directory: Path, common_name: str) -> TestCa:
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    ca = TestCa(directory / "ca.crt", directory / "ca.key")
    ca.cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ca.key_path.write_bytes(_pkcs8(key))
    return ca


def issue_tsa_cert(ca: TestCa, directory: Path) -> tuple[Path, Path]:
    """A time-stamping certificate (critical EKU timeStamping, as RFC 3161 requires)."""
    ca_key = serialization.load_pem_private_key(ca.key_path.read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(ca.cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sohoa test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    cert_path, key_path = directory / "tsa.crt", directory / "tsa.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(_pkcs8(key))
    return cert_path, key_path


def _pkcs8(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# --- a local RFC 3161 time-stamping authority ----------------------------------------------


class LocalTsa:
    """RFC 3161 over HTTP on 127.0.0.1 (free port), signing with a test TSA certificate."""

    def __init__(self, workdir: Path) -> None:
        self.ca = make_ca(workdir / "tsa-root", "sohoa test TSA root")
        cert_path, key_path = issue_tsa_cert(self.ca, workdir)
        tsa_cert = load_cert_from_pemder(str(cert_path))
        tsa_key = load_private_key_from_pemder_data(key_path.read_bytes(), passphrase=None)
        root = load_cert_from_pemder(str(self.ca.cert_path))
        self.stamper = DummyTimeStamper(
            tsa_cert=tsa_cert,
            tsa_key=tsa_key,
            certs_to_embed=SimpleCertificateStore.from_certs([tsa_cert, root]),
        )
        self.requests = 0
        self._stopped = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                body = tsa.stamper.request_tsa_response(request).dump()
                tsa.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        return Handler

    def start(self) -> LocalTsa:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port (idempotent: a test may stop it early to simulate an outage)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def local_tsa(workdir: Path) -> Iterator[LocalTsa]:
    tsa = LocalTsa(workdir).start()
    try:
        yield tsa
    finally:
        tsa.stop()


# --- SoftHSM2 ------------------------------------------------------------------------------


def softhsm_module() -> Path:
    for module in SOFTHSM_MODULES:
        if module.exists():
            return module
    unavailable("SoftHSM2 PKCS#11 module not installed")
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class SoftHsmToken:
    module: Path
    conf: Path
    label: str
    pin: str
    env: dict[str, str]


def softhsm_token(
    directory: Path, label: str, pin: str, key_pem: bytes, cert_der: bytes, key_label: str
) -> SoftHsmToken:
    """A fresh token under ``directory`` holding one key (PKCS#8 PEM) and its certificate.

    SoftHSM2 reads SOFTHSM2_CONF when the module is initialised; the caller must put
    ``token.conf`` in the test process environment and re-initialise the module.
    """
    require_tools("softhsm2-util", "pkcs11-tool")
    module = softhsm_module()
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            pin,
            "--so-pin",
            pin + "so",
        ],
        env,
    )
    key_file, cert_file = directory / "key.pem", directory / "cert.der"
    key_file.write_bytes(key_pem)
    cert_file.write_bytes(cert_der)
    run(
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            label,
            "--label",
            key_label,
            "--id",
            "01",
            "--pin",
            pin,
        ],
        env,
    )
    run(
        [
            "pkcs11-tool",
            "--module",
            str(module),
            "--token-label",
            label,
            "--login",
            "--pin",
            pin,
            "--write-object",
            str(cert_file),
            "--type",
            "cert",
            "--id",
            "01",
            "--label",
            key_label,
        ],
        env,
    )
    key_file.unlink()
    return SoftHsmToken(module=module, conf=conf, label=label, pin=pin, env=env)


def reinitialise_pkcs11(module: Path) -> None:
    """Make the in-process PKCS#11 module re-read SOFTHSM2_CONF (it caches it at C_Initialize)."""
    import pkcs11

    pkcs11.lib(str(module)).reinitialize()
