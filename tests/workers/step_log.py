"""Step log for tests/workers/test_scale_flow.py, loaded into a real worker process with
``sohoa worker --plugin tests.workers.step_log``.

``SOHOA_TEST_STEP_LOG=PATH``: every step the worker process finishes appends one line —
``step, lane, dossier, page or batch, state`` (``state``: the batch's, after ``finish_batch``)
— in the order the steps finished. A test then reads the order in which work was done from
the worker itself, not from when the test happened to look at the catalog (issue 12).
Everything runs unchanged.
"""

from __future__ import annotations

import os

from sohoa.processing import steps
from sohoa.processing.context import WorkContext
from sohoa.processing.messages import FINISH_BATCH, Message

_path = os.environ.get("SOHOA_TEST_STEP_LOG")


def _logged(name: str, step: steps.Step) -> steps.Step:
    def run(ctx: WorkContext, payload: dict) -> list[Message]:
        follow = step(ctx, payload)
        state = ""
        if name == FINISH_BATCH:
            state = ctx.catalog.batches.batch(payload["dossier"], payload["batch"]).state
        where = payload.get("page", payload.get("batch", ""))
        line = "\t".join(str(v) for v in (name, Message(name, payload).lane,
                                          payload["dossier"], where, state))
        with open(_path, "a", encoding="utf-8") as out:  # type: ignore[arg-type]
            out.write(line + "\n")  # one write, O_APPEND: lines never interleave
        return follow

    return run


if _path:
    for _name, _step in list(steps.STEPS.items()):
        steps.STEPS[_name] = _logged(_name, _step)
