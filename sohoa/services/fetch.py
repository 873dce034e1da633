"""``sohoa fetch``: a dossier's signed documents copied to a folder, hash-checked, so an
operator can hand them over or ``sohoa verify`` them without an S3 client.

Each document is read as the agency API reads it (the version recorded in the catalog,
checked against the catalog's SHA-256, the read written to the audit log), written under a
temporary name, checked again on disk, and only then given its name: a file in the folder
is always a whole, verified copy.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sohoa.domain.access import Principal
from sohoa.errors import IntegrityError, ObjectNotFoundError, StorageError
from sohoa.processing.context import WorkContext
from sohoa.services.agency import read_document
from sohoa.storage.objects import sha256_file


@dataclass(frozen=True)
class FetchedDocument:
    """One signed document written to the folder."""

    ordinal: int
    title: str
    path: Path
    sha256: str
    size: int


def fetch_documents(ctx: WorkContext, who: Principal, code: str, ordinal: int | None,
                    out_dir: Path, remote: str | None = None) -> list[FetchedDocument]:
    """Write document ``ordinal`` of dossier ``code`` (every document when None) into
    ``out_dir``; IntegrityError when a copy does not match the catalog's SHA-256."""
    record = ctx.catalog.dossier(code)
    wanted = [d.ordinal for d in record.documents if ordinal in (None, d.ordinal)]
    if ordinal is not None and not wanted:
        raise ObjectNotFoundError(f"Hồ sơ {code} không có tài liệu số {ordinal}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Không tạo được thư mục {out_dir}: {exc.strerror}") from exc
    return [_write(out_dir, *read_document(ctx, who, code, n, remote)) for n in wanted]


def _write(out_dir: Path, doc, data: bytes) -> FetchedDocument:
    path = out_dir / doc.key.rsplit("/", 1)[-1]
    fd, name = tempfile.mkstemp(prefix=f".{path.name}", suffix=".part", dir=out_dir)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if sha256_file(tmp) != doc.sha256:
            raise IntegrityError(f"Bản tải về của {path.name} không khớp mã băm SHA-256 trong "
                                 "danh mục")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return FetchedDocument(doc.ordinal, doc.title, path, doc.sha256, len(data))
