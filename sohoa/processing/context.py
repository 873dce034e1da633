"""What steps work with: settings, the catalog, the object store, and a scratch directory.

One context lives as long as its worker process. The signer, the procedure catalog and the
learned model are opened on first use: a process that only OCRs pages never opens a
PKCS#11 session or loads scikit-learn.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sohoa.search.index import index_document_pages
from sohoa.settings import Settings, StorageSettings
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.objects import ObjectStore
from sohoa.storage.stores import open_object_store

if TYPE_CHECKING:  # imported when first used: a page worker never loads scikit-learn or
    # pyHanko, a sender or the sweeper neither (~100 MB each process)
    from sohoa.domain.catalog.directory import ProcedureDirectory
    from sohoa.pipeline.classify.learned import LearnedModel
    from sohoa.pipeline.signers import SignerHandle


@dataclass
class WorkContext:
    """Long-lived resources of one worker process."""

    settings: Settings
    catalog: Catalog
    objects: ObjectStore
    scratch: Path
    """Private temporary directory (raw scan copies, page artefacts), removed on close."""

    _signer: SignerHandle | None = field(default=None, repr=False)
    _procedures: ProcedureDirectory | None = field(default=None, repr=False)
    _model: LearnedModel | None = field(default=None, repr=False)

    def signer(self) -> SignerHandle:
        if self._signer is None:
            from sohoa.pipeline.signers import load_signer  # pyHanko: not in page workers

            self._signer = load_signer(self.settings.signing)
        return self._signer

    def procedures(self) -> ProcedureDirectory:
        """Curated procedures, the imported (else the shipped) national catalog, the
        administrator's corrections; read on first use, procedures validated by code."""
        if self._procedures is None:
            from sohoa.storage.procedures import open_directory  # only when needed

            self._procedures = open_directory(self.catalog, self.settings.catalog_path)
        return self._procedures

    def forget_procedures(self) -> None:
        """Read the catalog again on next use (after an import or a correction)."""
        self._procedures = None

    def model(self) -> LearnedModel | None:
        if self._model is None and self.settings.model_path is not None:
            from sohoa.pipeline.classify.learned import load_model  # only with a model

            self._model = load_model(self.settings.model_path)
        return self._model

    def __enter__(self) -> WorkContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._signer is not None:
            self._signer.close()
            self._signer = None
        self.catalog.engine.dispose()
        shutil.rmtree(self.scratch, ignore_errors=True)


def open_catalog(storage: StorageSettings, *, migrate_catalog: bool = True) -> Catalog:
    """The configured catalog, migrated to the latest schema; documents it records are
    indexed for search in the same transaction."""
    engine = make_engine(storage.database_url)
    if migrate_catalog:
        migrate(engine)
    return Catalog(engine, indexer=index_document_pages)


@contextmanager
def catalog_session(storage: StorageSettings) -> Iterator[Catalog]:
    """The configured catalog for the length of a ``with`` block (a command's run)."""
    catalog = open_catalog(storage)
    try:
        yield catalog
    finally:
        catalog.engine.dispose()


def open_context(settings: Settings, *, migrate_catalog: bool = True) -> WorkContext:
    """Connect to the configured catalog and object store (migrating the catalog first:
    every worker may do it at start-up, concurrent runs are serialised). Use it in a ``with``
    block, or close it."""
    catalog = open_catalog(settings.storage, migrate_catalog=migrate_catalog)
    scratch = Path(tempfile.mkdtemp(prefix="sohoa-work-"))
    return WorkContext(settings, catalog, open_object_store(settings.storage), scratch)
