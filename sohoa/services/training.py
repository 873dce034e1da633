"""``sohoa train``: a page classifier learned from the office's own labelled scans.

Labelled pages come as a folder per document type — ``DIR/giay_chung_sinh/*.jpg`` — the
way an archivist sorts paper; every page of every file in a folder is labelled with the
folder's type code. Pages are read by the same OCR the counter uses, so the model learns
the text it will see.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sohoa.domain.doctypes import BY_CODE
from sohoa.errors import InputError
from sohoa.pipeline.classify.learned import LearnedModel, train_model
from sohoa.services import digitize as dg
from sohoa.settings import Settings

SCAN_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf"}


@dataclass(frozen=True)
class LabelledFile:
    path: Path
    label: str


def labelled_files(folder: Path) -> list[LabelledFile]:
    """Scans under ``folder/<type code>/``; unknown folder names are refused by name."""
    if not folder.is_dir():
        raise InputError(f"Không có thư mục dữ liệu huấn luyện: {folder}")
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name not in BY_CODE:
            raise InputError(f"Thư mục '{sub.name}' không phải mã loại giấy tờ "
                             "(xem danh sách trong sohoa/domain/doctypes.py)")
        found += [LabelledFile(p, sub.name) for p in sorted(sub.iterdir())
                  if p.suffix.lower() in SCAN_SUFFIXES]
    if len({f.label for f in found}) < 2:
        raise InputError("Cần ít nhất 2 loại giấy tờ có tệp quét để huấn luyện")
    return found


def read_pages(files: list[LabelledFile], settings: Settings,
               on_page: Callable[[], None] = lambda: None) -> tuple[list[str], list[str]]:
    """OCR text and label of every readable page (unreadable pages are left out)."""
    planned = dg.plan_files([f.path for f in files], settings)
    texts, labels = [], []
    with tempfile.TemporaryDirectory(prefix="sohoa-train-") as work:
        for result in dg.process_files(planned, settings, Path(work), on_page):
            for page in result.pages:
                texts.append(page.text)
                labels.append(files[result.position].label)
    return texts, labels


def page_count(files: list[LabelledFile], settings: Settings) -> int:
    """How many readable pages the labelled files hold (for a progress bar)."""
    return dg.total_pages(dg.plan_files([f.path for f in files], settings))


def train_from_folder(folder: Path, settings: Settings,
                      on_page: Callable[[], None] = lambda: None) -> tuple[LearnedModel, Counter]:
    files = labelled_files(folder)
    texts, labels = read_pages(files, settings, on_page)
    return train_model(texts, labels), Counter(labels)
