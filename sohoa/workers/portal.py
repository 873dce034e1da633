"""The scale profile's portal delivery: the ``portal_deliver`` actor and its ticker.

The ticker (a dramatiq ``--fork-function`` beside the sweeper, started only when
``SOHOA_PORTAL_URL`` is set) looks at the outbox every ``poll_s`` seconds and, when a record
is due, sends one ``portal_deliver`` message on the ``<namespace>-portal`` queue. The actor
drains the outbox with :class:`~sohoa.processing.portal.Sender`. Several tickers (one per
machine) and several actors at once are harmless: records are claimed one by one with a
lease, and a dossier's records are posted in order (:mod:`sohoa.storage.outbox`).

Links in the messages are the S3 store's presigned URLs (the scale profile stores in S3).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import dramatiq

from sohoa.errors import SohoaError
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.portal import Sender, http_poster
from sohoa.processing.portal_payload import dossier_renderer
from sohoa.settings import QueueSettings, Settings
from sohoa.storage.outbox import PortalOutbox
from sohoa.workers.broker import check_broker, make_broker

log = logging.getLogger("sohoa.portal")

PORTAL_DELIVER = "portal_deliver"
LINK_SECONDS = 3600


def portal_queue(queue: QueueSettings) -> str:
    return f"{queue.namespace}-portal"


def declare(broker: dramatiq.Broker, queue: QueueSettings,
            context: Callable[[], WorkContext]) -> dramatiq.Actor:
    """The ``portal_deliver`` actor: send every due outbox record, then return."""

    def deliver() -> None:
        ctx = context()
        if not ctx.settings.portal.url:
            return
        sender = Sender(PortalOutbox(ctx.catalog), ctx.settings.portal,
                        http_poster(ctx.settings.portal),
                        dossier_renderer(ctx, LINK_SECONDS, lambda code, doc: None))
        sender.drain()

    return dramatiq.actor(deliver, actor_name=PORTAL_DELIVER, broker=broker,
                          queue_name=portal_queue(queue), max_retries=0)


def tick_forever(settings: Settings, send: Callable[[], object]) -> None:
    """Every ``poll_s``: a record is due → one ``portal_deliver`` message."""
    ctx = open_context(settings, migrate_catalog=False)
    outbox = PortalOutbox(ctx.catalog)
    try:
        while True:
            time.sleep(settings.portal.poll_s)
            try:
                due = outbox.next_due()
                if due is not None and due <= datetime.now(UTC):
                    send()
            except (SohoaError, OSError, ConnectionError) as exc:
                log.warning("portal tick failed, will retry: %s", exc)
    finally:
        ctx.close()


def run() -> None:
    """dramatiq ``--fork-function`` entry point (reads the environment: an entry point)."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [PID %(process)d] "
                        "[%(name)s] [%(levelname)s] %(message)s")
    settings = Settings.from_env()
    broker = make_broker(settings.queue)
    check_broker(broker)
    actor = declare(broker, settings.queue, _no_context)  # this process only sends
    tick_forever(settings, actor.send)


def _no_context() -> WorkContext:
    raise RuntimeError("The portal ticker only sends messages; it runs no actor.")
