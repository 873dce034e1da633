"""Short-lived download links for stores that cannot presign (the local directory store).

An S3 store gives agencies a presigned GET URL; the embedded default's local store cannot,
so the app signs one itself: a token naming the object and its SHA-256, valid for a few
minutes, checked by :func:`read_link` before the bytes (hash-verified) are sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from sohoa.errors import AuthenticationError

SALT = "sohoa.document-link"
MAX_SECONDS = 3600


@dataclass(frozen=True)
class LinkTarget:
    dossier_code: str
    ordinal: int
    key: str
    sha256: str
    issued_to: str
    lifetime_s: int


def make_link(secret: str, target: LinkTarget) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(
        [target.dossier_code, target.ordinal, target.key, target.sha256, target.issued_to,
         target.lifetime_s])


EXPIRED = "Liên kết tải tài liệu đã hết hạn: hãy xin liên kết mới"


def read_link(secret: str, token: str, now: datetime | None = None) -> LinkTarget:
    """The target of a link still within its own lifetime, or a typed error."""
    try:
        payload, issued = URLSafeTimedSerializer(secret, salt=SALT).loads(
            token, max_age=MAX_SECONDS, return_timestamp=True)
        code, ordinal, key, sha256, issued_to, lifetime = payload
    except SignatureExpired:
        raise AuthenticationError(EXPIRED, "link") from None
    except (BadSignature, ValueError, TypeError):
        raise AuthenticationError("Liên kết tải tài liệu không hợp lệ", "link") from None
    if ((now or datetime.now(UTC)) - issued).total_seconds() > int(lifetime):
        raise AuthenticationError(EXPIRED, "link")
    return LinkTarget(code, int(ordinal), key, sha256, issued_to, int(lifetime))
