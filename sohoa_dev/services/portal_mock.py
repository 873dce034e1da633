"""A mock of the national portal's sync endpoint, on 127.0.0.1, that misbehaves on purpose.

It accepts ``POST`` of a :class:`sohoa.domain.portal.SyncMessage` and keeps, per dossier,
the sequence numbers it accepted, in the order it accepted them. A copy of a number it
already has is answered as accepted and not kept again (the real portal is expected to
de-duplicate the same way: dossier code + sequence number). Faults, drawn from a seeded
random generator so a test is repeatable:

- ``refuse``: the connection is closed without an answer;
- ``timeout``: the message is accepted, but the answer comes after the client gave up
  (the sender must re-send, and the copy must be harmless);
- ``error``: HTTP 500 with ``{error_code, message}``, nothing accepted.

:meth:`MockPortal.down` closes the listening socket (connections are refused) and
:meth:`MockPortal.up` opens it again on the same port. :meth:`MockPortal.hold` makes the
next accepted message wait for :meth:`MockPortal.release` before answering, so a test can
kill a sender in the middle of a post.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Faults:
    """Probabilities of each fault per request (the rest are answered normally)."""

    refuse: float = 0.0
    timeout: float = 0.0
    error: float = 0.0
    slow_s: float = 2.0
    """How long a ``timeout`` answer is delayed (longer than the client's timeout)."""


@dataclass
class Ledger:
    """What the portal received and kept."""

    posts: list[tuple[str, int]] = field(default_factory=list)
    """Every request that reached the handler, faulty or not, in arrival order."""
    accepted: dict[str, list[int]] = field(default_factory=dict)
    """Per dossier, the sequence numbers kept, in the order they were first accepted."""
    duplicates: int = 0
    messages: dict[tuple[str, int], dict] = field(default_factory=dict)
    """The body of each message kept, by (dossier, sequence)."""


class MockPortal:
    """Start with :meth:`start` (or as a context manager); ``url`` is the endpoint."""

    def __init__(self, faults: Faults | None = None, seed: int = 16) -> None:
        self.faults = faults or Faults()
        self.ledger = Ledger()
        self.port = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._hold = False
        self.held = threading.Event()
        """Set when a held message has been accepted (its answer waits for release)."""
        self._release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/dongbo/hoso"

    def start(self) -> MockPortal:
        self.up()
        return self

    def up(self) -> None:
        """Listen (again, on the same port once one was chosen)."""
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True,
                                        name="mock-portal")
        self._thread.start()

    def down(self) -> None:
        """Stop listening: new connections are refused."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        self._release.set()
        self.down()

    def __enter__(self) -> MockPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def hold(self) -> None:
        """The next message accepted waits for :meth:`release` before it is answered."""
        self._hold, self._release = True, threading.Event()
        self.held.clear()

    def release(self) -> None:
        self._release.set()

    def accepted(self) -> dict[str, list[int]]:
        with self._lock:
            return {code: list(seqs) for code, seqs in self.ledger.accepted.items()}

    def _fault(self) -> str | None:
        with self._lock:
            draw = self._rng.random()
        for name in ("refuse", "timeout", "error"):
            chance = getattr(self.faults, name)
            if draw < chance:
                return name
            draw -= chance
        return None

    def _accept(self, code: str, sequence: int, message: dict) -> None:
        with self._lock:
            kept = self.ledger.accepted.setdefault(code, [])
            if sequence in kept:
                self.ledger.duplicates += 1
            else:
                kept.append(sequence)
                self.ledger.messages[code, sequence] = message

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    message = json.loads(body)
                    code, sequence = str(message["MaHoSo"]), int(message["SoThuTu"])
                except (ValueError, KeyError, TypeError):
                    self._reply(400, {"error_code": 1, "message": "sai định dạng"})
                    return
                with portal._lock:
                    portal.ledger.posts.append((code, sequence))
                fault = portal._fault()
                if fault == "refuse":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault == "error":
                    self._reply(500, {"error_code": 500, "message": "lỗi máy chủ"})
                    return
                portal._accept(code, sequence, message)
                if portal._hold:
                    portal._hold = False
                    portal.held.set()
                    portal._release.wait()
                elif fault == "timeout":
                    threading.Event().wait(portal.faults.slow_s)
                self._reply(200, {"error_code": 0, "message": "đã nhận"})

            def _reply(self, status: int, answer: dict) -> None:
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timed out, killed)
                    pass

        return Handler
