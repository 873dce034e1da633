"""``classify`` without storing anything: which document each page is, how the stack splits
into documents, and whether the dossier is complete for its procedure.

The clerk's corrections (by 1-based page number as scanned) apply before the verdict, so a
clerk can try a correction before any dossier exists.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sohoa.domain.corrections import NO_CORRECTIONS, Corrections
from sohoa.domain.procedures import Procedure
from sohoa.errors import InputError
from sohoa.pipeline.classify.analysis import Analysis, StreamPage, analyse
from sohoa.pipeline.classify.learned import LearnedModel
from sohoa.services import digitize as dg
from sohoa.settings import Settings


@dataclass(frozen=True)
class Classification:
    """The files as read, their page stream, and its analysis."""

    files: list[dg.FileResult]
    stream: list[StreamPage]
    analysis: Analysis

    @property
    def ok(self) -> bool:
        """Every file opened and every page read."""
        return all(r.error is None and not r.failed_pages for r in self.files)

    def to_json(self) -> dict:
        """Everything ``sohoa classify --json`` prints (page numbers 0-based, as stored)."""
        pages = [{**asdict(cls), "file": self.stream[cls.index].file_position,
                  "page_in_file": self.stream[cls.index].source_index}
                 for cls in self.analysis.pages]
        return {"pages": pages, "documents": [asdict(d) for d in self.analysis.documents],
                "verdict": self.analysis.verdict.model_dump(mode="json")}


def planned_pages(files: Sequence[Path], settings: Settings) -> tuple[list[dg.FileResult], int]:
    """The files probed, and how many pages they hold (for a progress bar)."""
    planned = dg.plan_files(files, settings)
    return planned, dg.total_pages(planned)


def classify_files(procedure: Procedure, planned: Sequence[dg.FileResult], settings: Settings,
                   model: LearnedModel | None = None,
                   corrections: Corrections = NO_CORRECTIONS, quick: bool = False,
                   on_page: Callable[[], None] = lambda: None) -> Classification:
    """Read the pages (``quick``: the title area only, as at the counter), then analyse.
    Files that hold no page at all are refused together, in one message."""
    if not dg.total_pages(planned):
        raise InputError("Không có trang nào đọc được: "
                         + "; ".join(r.error or r.source.name for r in planned))
    with tempfile.TemporaryDirectory(prefix="sohoa-") as work:
        results = list(dg.process_files(planned, settings, Path(work), on_page,
                                        mode="quick" if quick else "full"))
    stream = dg.page_stream(results)
    return Classification(results, stream, analyse(procedure, stream, model, corrections))
