"""Worker entry point: the module ``dramatiq`` imports in each worker process.

``sohoa worker`` runs ``python -m dramatiq sohoa.workers.entry``. As an entry point this
module reads the environment (``SOHOA_*``, see :class:`sohoa.settings.Settings`); each
worker process opens its own catalog connection, object store and signer on first use and
closes them when dramatiq shuts the worker down.
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.middleware import Middleware

from sohoa.processing.context import WorkContext, open_context
from sohoa.settings import Settings
from sohoa.workers.actors import Dispatcher
from sohoa.workers.broker import check_broker, make_broker

settings = Settings.from_env()
_context: WorkContext | None = None


def context() -> WorkContext:
    """This process's context, opened on first use (after dramatiq forked the process)."""
    global _context
    if _context is None or _context_pid != os.getpid():
        _open()
    assert _context is not None
    return _context


_context_pid = 0


def _open() -> None:
    global _context, _context_pid
    _context, _context_pid = open_context(settings, migrate_catalog=False), os.getpid()


class CloseContext(Middleware):
    """Release the catalog connections, PKCS#11 session and scratch files at shutdown."""

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        if _context is not None and _context_pid == os.getpid():
            _context.close()


if settings.queue.broker_url is None:
    raise SystemExit("SOHOA_BROKER_URL chưa đặt: máy xử lý cần Redis hoặc RabbitMQ "
                     "(workers need a broker: redis://... or amqp://...)")
broker = make_broker(settings.queue)
check_broker(broker)
broker.add_middleware(CloseContext())
dramatiq.set_broker(broker)
dispatcher = Dispatcher(broker, settings.queue, context)
