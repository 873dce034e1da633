"""The bundled sample dossier, and the check that its signed documents are intact.

``sohoa demo`` shows the whole path a clerk's scan takes — raw scan stored, pages
straightened and read, signed PDF/A stored under the dossier, catalog updated — and then
proves the stored files are intact and their signatures valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sohoa.pipeline.verify import trust_roots_for, verify_pdf
from sohoa.processing.context import WorkContext

DEMO_PROCEDURE = "1.001193"  # Đăng ký khai sinh


def sample_files() -> list[Path]:
    """The bundled sample scans (a birth registration form and a birth certificate)."""
    folder = resources.files("sohoa") / "samples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name[0] != "_"
                  and p.suffix.lower() in {".jpg", ".pdf", ".png", ".tif", ".tiff"})


@dataclass(frozen=True)
class StoredCheck:
    """One stored document read back from the store."""

    title: str
    page_count: int
    valid: bool
    """SHA-256 checked by the store, and the signature valid against the trust roots."""
    where: str
    """Its path on disk (local store) or its key (S3)."""


def check_stored(ctx: WorkContext, code: str) -> list[StoredCheck]:
    """Read every stored document of the dossier back: SHA-256 checked, signature verified."""
    trust = trust_roots_for(ctx.settings.signing)
    checks = []
    for doc in ctx.catalog.dossier(code).documents:
        data = ctx.objects.get(doc.key, doc.sha256, version_id=doc.version_id)
        where = getattr(ctx.objects, "data_path", lambda k: k)(doc.key)
        checks.append(StoredCheck(doc.title, doc.page_count, verify_pdf(data, trust).valid,
                                  str(where)))
    return checks
