"""Where dossiers end up: the object store (bytes) and the catalog (what exists, and where).

- :mod:`.objects` — the :class:`ObjectStore` contract, key rules and the dossier key layout;
  :mod:`.local` and :mod:`.memory` implement it (S3 comes later behind the same protocol).
- :mod:`.dossier_code` — parse and format dossier codes (mã hồ sơ).
- :mod:`.catalog` — SQLAlchemy models and the :class:`Catalog` service; :mod:`.records` —
  the plain records it returns; :mod:`.db` — engines and ``migrate``.

Importing this package does not import SQLAlchemy; import :mod:`.catalog` / :mod:`.db` for that.
"""

from sohoa.storage.dossier_code import DossierCode, format_dossier_code, parse_dossier_code
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.memory import MemoryObjectStore
from sohoa.storage.objects import (
    ObjectStore,
    StoredObject,
    document_key,
    raw_scan_key,
    safe_segment,
    sha256_hex,
    text_key,
    validate_key,
)

__all__ = [
    "DossierCode",
    "LocalObjectStore",
    "MemoryObjectStore",
    "ObjectStore",
    "StoredObject",
    "document_key",
    "format_dossier_code",
    "parse_dossier_code",
    "raw_scan_key",
    "safe_segment",
    "sha256_hex",
    "text_key",
    "validate_key",
]
