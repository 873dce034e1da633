"""Sources feeding the same intake: a hot folder's files become a dossier's batch.

The hot folder (:mod:`sohoa.scanner_bridge.hotfolder`) decides *when* a file is complete
and guarantees it is handed over once; this module decides *what* happens to it: the files
of one scan session (grouped by time) are received as one batch of a new dossier of the
station's procedure, exactly as ``sohoa intake`` would, and processed (embedded) or queued
(scale profile).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sohoa.domain.procedures import Procedure
from sohoa.processing.context import WorkContext
from sohoa.services.intake import accept_batch, process_batch


def intake_handler(ctx: WorkContext, procedure: Procedure, *, hold: bool = False,
                   on_batch: Callable[[str], None] = lambda code: None
                   ) -> Callable[[list[Path]], None]:
    """``handle_batch`` for a HotFolder: one dossier per group of files."""
    def handle(paths: list[Path]) -> None:
        # nothing readable: raises; a file gone since it was listed costs only itself
        batch, _ = accept_batch(ctx, procedure, paths, hold=hold, partial=True)
        process_batch(ctx, batch, lambda: None, wait=False)
        on_batch(batch.dossier_code)

    return handle
