"""Hot folder: the SQLite ledger of every file taken, by SHA-256, so nothing is handed
over twice across crashes and restarts."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class FileState(StrEnum):
    """Where a claimed file stands; the ledger's answer after a crash."""

    READY = "ready"              # accepted (checked, hashed), not yet handed over
    HANDLING = "handling"        # handed over, no outcome recorded: a crash leaves this
    WAITING = "waiting"          # a service was unavailable; handed over again later
    DONE = "done"
    QUARANTINED = "quarantined"
    DUPLICATE = "duplicate"      # same SHA-256 as an accepted file: quarantined
    GONE = "gone"                # its claimed file vanished from processing/ (removed by hand)


ACCEPTED = (FileState.READY, FileState.HANDLING, FileState.WAITING, FileState.DONE)


@dataclass(frozen=True)
class LedgerEntry:
    """One file of one claim, as the ledger records it."""

    claim: str
    name: str
    sha256: str | None
    size: int | None
    state: FileState
    attempts: int
    interruptions: int
    reason: str | None
    dest: str | None
    not_before: float
    created: float
    updated: float


# --- ledger --------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    claim TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT, size INTEGER, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, interruptions INTEGER NOT NULL DEFAULT 0,
    reason TEXT, dest TEXT, not_before REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL, updated REAL NOT NULL, PRIMARY KEY (claim, name));
CREATE UNIQUE INDEX IF NOT EXISTS one_accepted_copy ON files (sha256)
    WHERE state IN ('ready', 'handling', 'waiting', 'done');
"""


SETUP_TRIES = 50
"""Switching to WAL needs the file to itself for a moment, and SQLite answers "database is
locked" at once rather than waiting when another hot folder sharing the state directory
opens it at the same instant. (A fresh-clone test run once hung in the four-racers test with
one racer gone before its first pass; this is the likely cause — not reproduced since.)"""


def _setup(db: sqlite3.Connection) -> None:
    for attempt in range(SETUP_TRIES):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == SETUP_TRIES - 1:
                raise
            time.sleep(0.05 + 0.01 * attempt)


class Ledger:
    """The SQLite ledger; one connection per hot folder, shared by its threads under a lock."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        _setup(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def entries(self, claim: str | None = None) -> list[LedgerEntry]:
        sql = "SELECT * FROM files" + (" WHERE claim = ?" if claim else "") + " ORDER BY created"
        with self._lock:
            rows = self._db.execute(sql, (claim,) if claim else ()).fetchall()
        return [LedgerEntry(*row[:4], FileState(row[4]), *row[5:]) for row in rows]

    def accept(self, claim: str, name: str, sha256: str, size: int) -> LedgerEntry | None:
        """Record the file as READY, or return the accepted copy of the same content."""
        with self._tx() as db:
            row = db.execute("SELECT * FROM files WHERE sha256 = ? AND state IN "
                             "('ready', 'handling', 'waiting', 'done')", (sha256,)).fetchone()
            if row is not None:
                return LedgerEntry(*row[:4], FileState(row[4]), *row[5:])
            self._upsert(db, claim, name, FileState.READY, None, sha256, size)
        return None

    def record(self, claim: str, name: str, state: FileState, reason: str | None,
               sha256: str | None = None, size: int | None = None) -> None:
        with self._tx() as db:
            self._upsert(db, claim, name, state, reason, sha256, size)

    @staticmethod
    def _upsert(db: sqlite3.Connection, claim: str, name: str, state: FileState,
                reason: str | None, sha256: str | None, size: int | None) -> None:
        now = time.time()
        db.execute("INSERT INTO files (claim, name, sha256, size, state, reason, created, "
                   "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim, name) DO "
                   "UPDATE SET state = excluded.state, reason = excluded.reason, "
                   "updated = excluded.updated",
                   (claim, name, sha256, size, state, reason, now, now))

    def update(self, claim: str, names: Sequence[str], state: FileState,
               reason: str | None = None, not_before: float = 0.0) -> None:
        with self._tx() as db:
            db.executemany("UPDATE files SET state = ?, reason = ?, not_before = ?, updated = ? "
                           "WHERE claim = ? AND name = ?",
                           [(state, reason, not_before, time.time(), claim, n) for n in names])

    def begin(self, claim: str, names: Sequence[str]) -> None:
        """Mark the files as handed over, before the handler runs."""
        with self._tx() as db:
            db.executemany("UPDATE files SET state = 'handling', attempts = attempts + 1, "
                           "updated = ? WHERE claim = ? AND name = ?",
                           [(time.time(), claim, n) for n in names])

    def interrupted(self, claim: str, name: str) -> int:
        """Count one more interrupted hand-over; the new count."""
        with self._tx() as db:
            db.execute("UPDATE files SET interruptions = interruptions + 1, state = 'ready', "
                       "updated = ? WHERE claim = ? AND name = ?", (time.time(), claim, name))
            return db.execute("SELECT interruptions FROM files WHERE claim = ? AND name = ?",
                              (claim, name)).fetchone()[0]

    def set_dest(self, claim: str, name: str, dest: Path) -> None:
        with self._tx() as db:
            db.execute("UPDATE files SET dest = ? WHERE claim = ? AND name = ?",
                       (str(dest), claim, name))


