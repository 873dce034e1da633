"""The messages steps send each other: a step name and a small JSON payload.

Payloads name things by their domain keys (dossier code, page index, batch number,
document ordinal) and carry the lane, so a backlog batch's follow-up work stays behind
the counter's. Nothing else crosses a process or queue boundary.
"""

from __future__ import annotations

from typing import NamedTuple

from sohoa.storage.records import Lane

PROCESS_PAGE = "process_page"
PAGE_FAILED = "page_failed"
ANALYSE_BATCH = "analyse_batch"
BUILD_DOCUMENT = "build_document"
FINISH_BATCH = "finish_batch"

STEP_NAMES = (PROCESS_PAGE, PAGE_FAILED, ANALYSE_BATCH, BUILD_DOCUMENT, FINISH_BATCH)
"""Every step (:data:`sohoa.processing.steps.STEPS` maps them to functions)."""

PAGE_STEPS = frozenset({PROCESS_PAGE, PAGE_FAILED})


class Message(NamedTuple):
    """One unit of work to run: which step, with which payload."""

    step: str
    payload: dict

    @property
    def lane(self) -> Lane:
        return Lane(self.payload.get("lane", Lane.COUNTER))


def page_message(dossier_code: str, index: int, lane: str) -> Message:
    return Message(PROCESS_PAGE, {"dossier": dossier_code, "page": index, "lane": str(lane)})


def page_failed_message(dossier_code: str, index: int, lane: str, reason: str) -> Message:
    return Message(PAGE_FAILED, {"dossier": dossier_code, "page": index, "lane": str(lane),
                                 "reason": reason})


def exhausted_reason(retries: int | str, error: str) -> str:
    """Why a page failed after its retries were used up (the same words on both runners)."""
    return f"lỗi lặp lại sau {retries} lần thử: {error}"


def batch_message(step: str, dossier_code: str, number: int, lane: str,
                  **extra: int) -> Message:
    return Message(step, {"dossier": dossier_code, "batch": number, "lane": str(lane),
                          **extra})
