"""Delivering the portal outbox: post each record, in order per dossier, until accepted.

The same code runs in every sender: a thread of ``sohoa serve`` on the embedded default,
the ``portal_deliver`` actor on the scale profile, ``sohoa portal send`` by hand. Each pass
claims one due record at a time (:class:`~sohoa.storage.outbox.PortalOutbox`), renders it
(the renderer is handed in: links in the message must be fresh when it is posted, not when
the change was made), posts it and records the outcome:

- **delivered**: HTTP 2xx and ``error_code`` 0 — also the portal's answer to a copy it
  already has, which is what makes a re-send after a crash harmless;
- **unreachable**: refused, timed out, HTTP 5xx/429 — the portal is down, the record is
  fine: tried again after a backoff (exponential with jitter, capped), without limit;
- **rejected**: any other HTTP error, or ``error_code`` other than 0 — tried again with
  backoff, dead-lettered after ``max_attempts`` attempts.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import ValidationError

from sohoa.domain.portal import EventKind, PortalAnswer, PortalEvent, SyncMessage, portal_time
from sohoa.settings import PortalSettings
from sohoa.storage.outbox import ClaimedRecord, PortalOutbox

log = logging.getLogger("sohoa.portal")

Renderer = Callable[[PortalEvent], SyncMessage]
Clock = Callable[[], datetime]


class Outcome(StrEnum):
    DELIVERED = "delivered"
    UNREACHABLE = "unreachable"
    REJECTED = "rejected"


@dataclass(frozen=True)
class PostResult:
    outcome: Outcome
    detail: str = ""


Poster = Callable[[bytes], PostResult]


def event_only(event: PortalEvent) -> SyncMessage:
    """The change alone, without the dossier (tests; a portal that only wants statuses)."""
    return SyncMessage(MaHoSo=event.dossier_code, SoThuTu=event.sequence,
                       LoaiThayDoi=event.kind, TrangThaiHoSo=event.status,
                       ThoiDiem=portal_time(event.at) or "")


def http_poster(settings: PortalSettings) -> Poster:
    """POST to ``settings.url`` with the configured token and timeout."""
    if not settings.url:
        raise ValueError("portal URL is not configured")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"

    def post(body: bytes) -> PostResult:
        request = urllib.request.Request(settings.url, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout_s) as response:
                return _answer(response.status, response.read())
        except urllib.error.HTTPError as exc:
            return _answer(exc.code, exc.read() if exc.fp else b"")
        except (OSError, ValueError) as exc:  # refused, reset, timed out, bad status line
            return PostResult(Outcome.UNREACHABLE, f"{type(exc).__name__}: {exc}")

    return post


def _answer(status: int, body: bytes) -> PostResult:
    text = body.decode("utf-8", "replace")[:500]
    if status >= 500 or status == 429:
        return PostResult(Outcome.UNREACHABLE, f"HTTP {status}: {text}")
    if status >= 300:
        return PostResult(Outcome.REJECTED, f"HTTP {status}: {text}")
    try:
        answer = PortalAnswer.model_validate(json.loads(body)) if body.strip() \
            else PortalAnswer()
    except (ValueError, ValidationError):
        return PostResult(Outcome.REJECTED, f"HTTP {status}, câu trả lời không đọc được: {text}")
    if not answer.accepted:
        return PostResult(Outcome.REJECTED, f"error_code {answer.error_code}: {answer.message}")
    return PostResult(Outcome.DELIVERED)


def backoff(attempts: int, settings: PortalSettings, rng: random.Random) -> timedelta:
    """Wait before attempt ``attempts + 1``: min·2^attempts, capped, with full jitter in its
    upper half (senders that failed together do not retry together)."""
    ceiling = min(settings.max_backoff_s, settings.min_backoff_s * 2 ** min(attempts, 30))
    return timedelta(seconds=ceiling * rng.uniform(0.5, 1.0))


@dataclass
class Sender:
    """Works through the outbox; :meth:`drain` returns when nothing is due."""

    outbox: PortalOutbox
    settings: PortalSettings
    post: Poster
    render: Renderer = event_only
    clock: Clock = field(default=lambda: datetime.now(UTC))
    rng: random.Random = field(default_factory=random.Random)

    def send_one(self) -> ClaimedRecord | None:
        """Claim, post and record one due record; None when nothing is due."""
        now = self.clock()
        record = self.outbox.claim_next(now, timedelta(seconds=self.settings.lease_s))
        if record is None:
            return None
        try:
            body = self.render(record.event).model_dump_json().encode()
        except Exception as exc:  # noqa: BLE001 - a record that cannot be rendered is rejected
            result = PostResult(Outcome.REJECTED, f"không dựng được nội dung: {exc}")
        else:
            result = self.post(body)
        self._record(record, result)
        return record

    def _record(self, record: ClaimedRecord, result: PostResult) -> None:
        now = self.clock()
        if result.outcome == Outcome.DELIVERED:
            self.outbox.delivered(record, now)
            return
        attempts = record.attempts + 1
        dead = result.outcome == Outcome.REJECTED and attempts >= self.settings.max_attempts
        retry_at = now + backoff(record.attempts, self.settings, self.rng)
        self.outbox.failed(record, result.detail, retry_at, dead)
        event = record.event
        log.log(logging.ERROR if dead else logging.INFO,
                "portal %s %s #%d (%s), attempt %d%s: %s", result.outcome, event.dossier_code,
                event.sequence, EventKind(event.kind), attempts,
                ", dead-lettered" if dead else "", result.detail)

    def drain(self, stop: threading.Event | None = None) -> int:
        """Send every due record (those backing off stay for later); returns how many
        attempts were made."""
        made = 0
        while not (stop is not None and stop.is_set()) and self.send_one() is not None:
            made += 1
        return made

    def run(self, stop: threading.Event) -> None:
        """Drain, sleep until the next record is due (at most ``poll_s``), until stopped.
        A database that does not answer is waited out like an empty outbox."""
        while not stop.is_set():
            try:
                self.drain(stop)
                wait = self._until_next_due()
            except Exception:  # noqa: BLE001 - a sender thread must outlive a bad moment
                log.exception("portal sender pass failed; trying again")
                wait = self.settings.poll_s
            stop.wait(wait)

    def _until_next_due(self) -> float:
        due = self.outbox.next_due()
        if due is None:
            return self.settings.poll_s
        return max(0.01, min(self.settings.poll_s, (due - self.clock()).total_seconds()))


def start_sender_thread(sender: Sender) -> tuple[threading.Thread, threading.Event]:
    """The embedded default's sender: a daemon thread, stopped by setting the event."""
    stop = threading.Event()
    thread = threading.Thread(target=sender.run, args=(stop,), name="sohoa-portal",
                              daemon=True)
    thread.start()
    return thread, stop
