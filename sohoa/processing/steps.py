"""Step name → function: the one table both runners (embedded, dramatiq) dispatch through."""

from __future__ import annotations

from collections.abc import Callable

from sohoa.processing import documents, pages
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import (
    ANALYSE_BATCH,
    BUILD_DOCUMENT,
    FINISH_BATCH,
    PAGE_FAILED,
    PROCESS_PAGE,
    Message,
)

Step = Callable[[WorkContext, dict], list[Message]]

STEPS: dict[str, Step] = {
    PROCESS_PAGE: pages.process_page,
    PAGE_FAILED: pages.page_failed,
    ANALYSE_BATCH: documents.analyse_batch,
    BUILD_DOCUMENT: documents.build_document,
    FINISH_BATCH: documents.finish_batch,
}


def run_step(ctx: WorkContext, message: Message) -> list[Message]:
    """Run one message's step; returns the follow-up messages to send."""
    return STEPS[message.step](ctx, message.payload)
