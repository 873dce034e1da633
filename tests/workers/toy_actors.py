"""Toy actors for tests/workers/test_broker.py, run by a real ``python -m dramatiq`` worker.

This module is the worker's entry point, so (like ``sohoa worker`` will) it reads the
environment through :meth:`Settings.from_env` (``SOHOA_BROKER_URL``, ``SOHOA_BROKER_NAMESPACE``,
``SOHOA_MAX_RETRIES``, ``SOHOA_MIN_BACKOFF_S``, ``SOHOA_MAX_BACKOFF_S``,
``SOHOA_HEARTBEAT_TIMEOUT_S``, ``SOHOA_MAINTENANCE_CHANCE``) and ``SOHOA_TOY_QUEUE``.
Every actor appends one tab-separated line per event to the file
named in its message — ``event, token, pid, unix time, extra...`` — so the test can see what
ran, where and when. The test process only sends messages by actor name; it never imports this.
"""

from __future__ import annotations

import os
import time

import dramatiq

from sohoa.settings import Settings
from sohoa.workers.broker import check_broker, make_broker


def note(path: str, event: str, token: str, *extra: object) -> None:
    """Append one event line in a single write (O_APPEND: lines never interleave)."""
    line = "\t".join(str(v) for v in (event, token, os.getpid(), f"{time.time():.3f}", *extra))
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


QUEUE = os.environ.get("SOHOA_TOY_QUEUE", "toy")
broker = make_broker(Settings.from_env().queue)
check_broker(broker)
dramatiq.set_broker(broker)


@dramatiq.actor(queue_name=QUEUE)
def record(path: str, token: str) -> None:
    note(path, "done", token)


@dramatiq.actor(queue_name=QUEUE)
def held(path: str, token: str, gate: str) -> None:
    """Starts, then holds until the file ``gate`` exists: a task still running whenever the
    test kills its worker, however slow the machine."""
    note(path, "started", token)
    while not os.path.exists(gate):
        time.sleep(0.05)
    note(path, "done", token)


@dramatiq.actor(
    queue_name=QUEUE, on_failure="failure_noted", on_retry_exhausted="retries_exhausted"
)
def always_fails(path: str, token: str) -> None:
    note(path, "attempt", token)
    raise RuntimeError(f"toy failure {token}")


@dramatiq.actor(queue_name=QUEUE)
def failure_noted(message: dict, exception: dict) -> None:
    path, token = message["args"]
    note(path, "on_failure", token, message["options"].get("retries"), exception["type"])


@dramatiq.actor(queue_name=QUEUE)
def retries_exhausted(message: dict, retry_info: dict) -> None:
    path, token = message["args"]
    note(path, "retries_exhausted", token, retry_info["retries"], retry_info["max_retries"])
