"""The national portal, as the counter and the CLI see it: the sender, the outbox's state.

Where delivery runs follows the profile, like the steps do (``services/intake.py``): on the
embedded default a thread of ``sohoa serve`` (:func:`start_embedded_sender`); on the scale
profile the workers' ``portal_deliver`` actor (:mod:`sohoa.workers.portal`), and ``sohoa
portal send`` by hand on either. All of them run :class:`~sohoa.processing.portal.Sender`
over the same outbox, so any number of them at once is safe.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sohoa.domain.portal import PortalDossier
from sohoa.errors import ConfigurationError
from sohoa.processing import portal_payload as payload
from sohoa.processing.context import WorkContext
from sohoa.processing.portal import Renderer, Sender, http_poster, start_sender_thread
from sohoa.processing.portal_payload import document_links, dossier_renderer
from sohoa.services.links import LinkTarget, make_link
from sohoa.storage.outbox import OutboxSummary, PortalOutbox

__all__ = ["OutboxSummary", "Sender", "national_dossier", "renderer", "retry", "sender",
           "start_embedded_sender", "status"]
from sohoa.storage.records import DocumentRecord

PORTAL_LINK_SECONDS = 3600
"""Lifetime of a document link in a posted message (the longest an agency link may have)."""
PORTAL_ACTOR = "portal"
"""Who local download links are issued to (the audit trail of a download names it)."""


def renderer(ctx: WorkContext, secret: str | None = None) -> Renderer:
    """Messages with the dossier in the national format; document links are the S3 store's
    presigned URLs, or links this app signs with ``secret`` under ``SOHOA_PUBLIC_URL``."""
    return dossier_renderer(ctx, PORTAL_LINK_SECONDS, _local_links(ctx, secret))


def national_dossier(ctx: WorkContext, code: str, secret: str | None = None) -> PortalDossier:
    """``sohoa portal payload``: the dossier as the next message would carry it."""
    links = document_links(ctx, PORTAL_LINK_SECONDS, _local_links(ctx, secret))
    return payload.national_dossier(ctx, code, links)


def _local_links(ctx: WorkContext, secret: str | None) -> payload.LocalLink:
    public_url = ctx.settings.portal.public_url

    def local_link(code: str, doc: DocumentRecord) -> str | None:
        if secret is None or not public_url:
            return None
        token = make_link(secret, LinkTarget(code, doc.ordinal, doc.key, doc.sha256,
                                             PORTAL_ACTOR, PORTAL_LINK_SECONDS))
        return f"{public_url.rstrip('/')}/api/v1/links/{token}"

    return local_link


def sender(ctx: WorkContext, secret: str | None = None) -> Sender:
    """A sender posting to ``SOHOA_PORTAL_URL``; refused when none is configured."""
    if not ctx.settings.portal.url:
        raise ConfigurationError("Chưa đặt SOHOA_PORTAL_URL: không có nơi gửi đồng bộ hồ sơ")
    return Sender(PortalOutbox(ctx.catalog), ctx.settings.portal,
                  http_poster(ctx.settings.portal), renderer(ctx, secret))


def start_embedded_sender(ctx: WorkContext, secret: str | None
                          ) -> tuple[threading.Thread, threading.Event] | None:
    """The embedded default's sender thread (None: no portal configured, or a broker is,
    and the workers deliver)."""
    if not ctx.settings.portal.url or ctx.settings.queue.broker_url:
        return None
    return start_sender_thread(sender(ctx, secret))


def status(ctx: WorkContext, limit: int = 20) -> OutboxSummary:
    return PortalOutbox(ctx.catalog).summary(limit)


def retry(ctx: WorkContext, dossier_code: str) -> int:
    """Give a dossier's dead-lettered records another round; returns how many."""
    return PortalOutbox(ctx.catalog).retry(dossier_code, datetime.now(UTC))
