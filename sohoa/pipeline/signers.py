"""Load the digitizer's signing key: a USB token (PKCS#11), a PKCS#12 file, or the dev CA.

Counter staff usually sign with a USB token, so PKCS#11 wins when configured; a PKCS#12 file
is the fallback for machines without a token; with neither, the development signer keeps a
fresh install working (its certificate says it is not for production). Every failure becomes
a :class:`~sohoa.errors.SigningError` with one line the clerk can act on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import Attribute, ObjectClass, Session
from pkcs11.exceptions import PinIncorrect, PinInvalid, PinLenRange, PinLocked, PKCS11Error
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from sohoa.errors import SigningError
from sohoa.pipeline.devca import ensure_dev_signer
from sohoa.settings import SigningSettings


@dataclass
class SignerHandle:
    """A ready pyHanko signer plus what the stamp and the catalog need to know about it."""

    signer: Signer
    """The pyHanko signer to pass to the PDF signing code."""

    cert: asn1_x509.Certificate
    """The signer's certificate."""

    ca_certs: tuple[asn1_x509.Certificate, ...] = ()
    """Other certificates that came with the key (issuer chain), embedded in signatures."""

    _session: Any = field(default=None, repr=False)

    @property
    def signer_name(self) -> str:
        """Common name of the certificate: the person shown as 'Ký bởi' on page 1."""
        return common_name(self.cert)

    def close(self) -> None:
        """Log out of the token, if any; a PKCS#12 or dev signer holds nothing open."""
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def __enter__(self) -> SignerHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def common_name(cert: asn1_x509.Certificate) -> str:
    """CN of a certificate's subject, or its whole subject when it has no CN."""
    names = cert.subject.native
    return str(names.get("common_name") or cert.subject.human_friendly)


def load_signer(settings: SigningSettings) -> SignerHandle:
    """Open the configured signer: PKCS#11 if a module is set, else PKCS#12, else the dev CA."""
    if settings.pkcs11_module is not None:
        return load_pkcs11_signer(settings)
    if settings.pkcs12_path is not None:
        return load_pkcs12_signer(settings.pkcs12_path, settings.pkcs12_password)
    if not settings.dev_signer_allowed:
        raise SigningError("Chưa cấu hình chữ ký số (SOHOA_PKCS11_MODULE hoặc SOHOA_PKCS12); "
                           "khi vận hành không ký bằng chứng thư thử nghiệm.")
    try:
        dev = ensure_dev_signer(settings.dev_ca_dir)
    except OSError as exc:
        raise SigningError(f"Không tạo được CA thử nghiệm ở {settings.dev_ca_dir}: {exc}") from None
    return load_pkcs12_signer(dev.pkcs12_path, dev.pkcs12_password)


def load_pkcs12_signer(path: Path, password: str | None) -> SignerHandle:
    """Read a PKCS#12 file; a wrong password and a damaged file are told apart where possible."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(f"Không tìm thấy tệp khóa PKCS#12: {path}") from None
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp khóa PKCS#12 {path}: {exc.strerror}") from None
    secret = password.encode("utf-8") if password else None
    try:
        pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        raise SigningError(
            f"Không mở được tệp PKCS#12 {path.name}: sai mật khẩu hoặc tệp hỏng"
        ) from None
    loaded = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=secret)
    signer = KeyCachingSigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                              cert_registry=loaded.cert_registry)
    if signer.signing_cert is None:
        raise SigningError(f"Tệp PKCS#12 {path.name} không chứa chứng thư số của người ký")
    return SignerHandle(
        signer=signer,
        cert=signer.signing_cert,
        ca_certs=_others(signer.cert_registry, signer.signing_cert),
    )


class KeyCachingSigner(SimpleSigner):
    """SimpleSigner that parses its private key once.

    pyHanko re-parses the key for every signature, and cryptography's RSA key checks make
    that ~50 ms each time (twice per document): a third of the cost of signing one page.
    """

    @functools.cached_property
    def _private_key(self) -> PrivateKeyTypes:
        return serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def load_pkcs11_signer(settings: SigningSettings) -> SignerHandle:
    """Log in to the token and find the key and its certificate (by label, else the first key)."""
    module = settings.pkcs11_module
    assert module is not None
    if not module.is_file():
        raise SigningError(f"Không tìm thấy thư viện PKCS#11: {module}")
    session = _open_token(module, settings.pkcs11_token_label, settings.pkcs11_pin)
    try:
        signer = _token_signer(session, settings.pkcs11_key_label)
        cert = signer.signing_cert  # loads key and certificate now, not halfway through signing
        others = _others(signer.cert_registry, cert)
    except PKCS11Error as exc:
        session.close()
        raise SigningError(f"Không tìm thấy khóa ký trên token: {_p11_reason(exc)}") from None
    return SignerHandle(signer=signer, cert=cert, ca_certs=others, _session=session)


def _open_token(module: Path, token_label: str | None, pin: str | None) -> Session:
    criteria = TokenCriteria(label=token_label) if token_label else TokenCriteria()
    try:
        return open_pkcs11_session(str(module), token_criteria=criteria, user_pin=pin)
    except (PinIncorrect, PinLenRange, PinInvalid):
        raise SigningError("Sai mã PIN của token") from None
    except PinLocked:
        raise SigningError("Token đã bị khóa PIN (nhập sai quá nhiều lần)") from None
    except PKCS11Error as exc:
        where = f"'{token_label}'" if token_label else "nào"
        raise SigningError(f"Không tìm thấy token {where}: {_p11_reason(exc)}") from None
    except (OSError, RuntimeError) as exc:
        raise SigningError(f"Không nạp được thư viện PKCS#11 {module}: {exc}") from None


def _token_signer(session: Session, key_label: str | None) -> PKCS11Signer:
    """Pick the key: by label when configured, else the token's first signing key (by ID)."""
    if key_label:
        return PKCS11Signer(
            session, cert_label=key_label, key_label=key_label, other_certs_to_pull=None
        )
    keys = list(
        session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True})
    )
    if not keys:
        raise PKCS11Error("token has no signing key")
    key_id = bytes(keys[0][Attribute.ID])
    return PKCS11Signer(session, key_id=key_id, cert_id=key_id, other_certs_to_pull=None)


def _p11_reason(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__


def _others(
    registry: SimpleCertificateStore | Any, cert: asn1_x509.Certificate
) -> tuple[asn1_x509.Certificate, ...]:
    return tuple(c for c in registry if c.dump() != cert.dump())
