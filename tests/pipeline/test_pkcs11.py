"""Signing with a USB-token-like PKCS#11 module: a real SoftHSM2 token made in the test's tmp."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from sohoa.errors import SigningError
from sohoa.pipeline.devca import DevSigner, ensure_dev_signer
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.signers import load_signer
from sohoa.pipeline.verify import verify_pdf
from sohoa.settings import SigningSettings
from tests.helpers import pdfs, pki

SIGNED_AT = datetime(2026, 11, 21, 7, 5, 9, tzinfo=UTC)
TOKEN = "sohoa-token"
PIN = "246810"
KEY = "signer"


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> DevSigner:
    return ensure_dev_signer(tmp_path_factory.mktemp("dev-ca"))


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, dev: DevSigner) -> Iterator[pki.SoftHsmToken]:
    """The dev signer's key and certificate moved onto a fresh SoftHSM2 token."""
    key, cert, _ = pkcs12.load_key_and_certificates(
        dev.pkcs12_path.read_bytes(), dev.pkcs12_password.encode()
    )
    assert key is not None and cert is not None
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    made = pki.softhsm_token(
        tmp_path_factory.mktemp("softhsm"),
        label=TOKEN,
        pin=PIN,
        key_pem=key_pem,
        cert_der=cert.public_bytes(serialization.Encoding.DER),
        key_label=KEY,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOFTHSM2_CONF", str(made.conf))  # SoftHSM2's own configuration mechanism
        pki.reinitialise_pkcs11(made.module)
        yield made


def _settings(token: pki.SoftHsmToken, **overrides: object) -> SigningSettings:
    fields: dict[str, object] = {
        "pkcs11_module": token.module,
        "pkcs11_token_label": TOKEN,
        "pkcs11_pin": PIN,
        "pkcs11_key_label": KEY,
    }
    fields.update(overrides)
    return SigningSettings(**fields)  # type: ignore[arg-type]


def test_sign_with_token_key(token: pki.SoftHsmToken, dev: DevSigner, tmp_path: Path) -> None:
    settings = _settings(token)
    original = pdfs.scanned_pdfa()
    with load_signer(settings) as signer:
        assert signer.signer_name == "Cán bộ số hóa (THỬ NGHIỆM)"
        signed = sign_pdf(original, signer, settings, now=SIGNED_AT)
    assert signed.startswith(original)
    report = verify_pdf(signed, [dev.ca_cert_path])
    assert report.valid is True
    assert report.signatures[0].signer_name == "Cán bộ số hóa (THỬ NGHIỆM)"

    path = tmp_path / "token.pdf"
    path.write_bytes(signed)
    nss = pki.nss_store(tmp_path / "nss", [dev.ca_cert_path])
    out = pki.pdfsig(path, nss)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out


def test_first_key_is_used_when_no_label_is_set(token: pki.SoftHsmToken, dev: DevSigner) -> None:
    settings = _settings(token, pkcs11_key_label=None, pkcs11_token_label=None)
    with load_signer(settings) as signer:
        signed = sign_pdf(pdfs.scanned_pdfa(), signer, settings, now=SIGNED_AT)
    assert verify_pdf(signed, [dev.ca_cert_path]).valid is True


def test_wrong_pin_is_a_signing_error(token: pki.SoftHsmToken) -> None:
    with pytest.raises(SigningError, match="Sai mã PIN"):
        load_signer(_settings(token, pkcs11_pin="000000"))


def test_missing_token_key_and_module_are_signing_errors(
    token: pki.SoftHsmToken, tmp_path: Path
) -> None:
    with pytest.raises(SigningError, match="Không tìm thấy token 'khong-co'"):
        load_signer(_settings(token, pkcs11_token_label="khong-co"))
    with pytest.raises(SigningError, match="Không tìm thấy khóa ký"):
        load_signer(_settings(token, pkcs11_key_label="khong-co"))
    with pytest.raises(SigningError, match="thư viện PKCS#11"):
        load_signer(_settings(token, pkcs11_module=tmp_path / "libnone.so"))
