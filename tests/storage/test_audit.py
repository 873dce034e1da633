"""The audit log on SQLite and PostgreSQL: lines kept, filtered, paged, never changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from sohoa.domain.access import Principal, Role
from sohoa.errors import StorageError
from sohoa.storage.audit import AuditLog
from sohoa.storage.catalog import Catalog

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CLERK = Principal("canbo1", Role.CLERK)
AGENCY = Principal("tuphap", Role.AGENCY, frozenset({"H56.01"}), via="token", token_id=7)
CODE = "000.00.14.H56-261123-0001"


@pytest.fixture
def audit(catalog: Catalog) -> AuditLog:
    audit = AuditLog(catalog)
    audit.record(CLERK, "login", remote_addr="10.0.0.5", at=T0)
    audit.record(CLERK, "dossier.accept", dossier_code=CODE, remote_addr="10.0.0.5",
                 at=T0 + timedelta(minutes=5))
    audit.record(AGENCY, "document.read", dossier_code=CODE, target=f"dossiers/{CODE}/01.pdf",
                 remote_addr="203.0.113.9", detail={"ordinal": 1}, at=T0 + timedelta(hours=1))
    audit.record("khach", "login.failed", "failed", remote_addr="198.51.100.2",
                 at=T0 + timedelta(days=1))
    return audit


def test_lines_come_back_newest_first_with_everything(audit: AuditLog) -> None:
    lines = audit.entries()
    assert [line.action for line in lines] == ["login.failed", "document.read",
                                               "dossier.accept", "login"]
    read = lines[1]
    assert (read.actor, read.role, read.outcome) == ("tuphap (token 7)", "agency", "ok")
    assert (read.dossier_code, read.target, read.remote_addr) == (
        CODE, f"dossiers/{CODE}/01.pdf", "203.0.113.9")
    assert read.detail == {"ordinal": 1} and read.at == T0 + timedelta(hours=1)
    assert lines[0].role == "-" and lines[0].actor == "khach"
    assert read.as_json()["at"] == "2026-11-23T03:00:00+00:00"


def test_filters_and_paging(audit: AuditLog) -> None:
    assert [e.action for e in audit.entries(dossier=CODE)] == ["document.read", "dossier.accept"]
    assert [e.action for e in audit.entries(actor="tuphap")] == ["document.read"]
    assert [e.action for e in audit.entries(actor="canbo1")] == ["dossier.accept", "login"]
    assert [e.action for e in audit.entries(action="login")] == ["login.failed", "login"]
    assert [e.action for e in audit.entries(action="dossier")] == ["dossier.accept"]
    assert [e.action for e in audit.entries(since=T0 + timedelta(minutes=1),
                                            until=T0 + timedelta(days=1))] == [
        "document.read", "dossier.accept"]
    first = audit.entries(limit=3)
    rest = audit.entries(limit=3, before_id=first[-1].id)
    assert len(first) == 3 and [e.action for e in rest] == ["login"]


def test_bad_lines_are_refused(audit: AuditLog) -> None:
    with pytest.raises(StorageError):
        audit.record(CLERK, "Đọc tài liệu")
    with pytest.raises(StorageError):
        audit.record(CLERK, "document.read", outcome="maybe")


def test_the_database_refuses_to_change_or_remove_a_line(audit: AuditLog,
                                                         catalog: Catalog) -> None:
    for statement in ("UPDATE audit_log SET actor = 'ai-do'", "DELETE FROM audit_log"):
        with pytest.raises(sa_exc.DBAPIError, match="append-only"), \
                catalog.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(audit.entries()) == 4
    assert {e.actor for e in audit.entries()} == {"canbo1", "tuphap (token 7)", "khach"}


def test_reads_of_one_document_by_one_person_in_a_short_window_are_one_read(
        audit: AuditLog) -> None:
    """A PDF viewer fetches a document several times for one opening: one line (issue 15)."""
    key = f"dossiers/{CODE}/documents/01-to_khai.pdf"
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def read(who: Principal = AGENCY, seconds: float = 0, address: str = "10.0.0.5",
             target: str = key) -> int:
        return audit.record_read(who, "document.read", target=target, dossier_code=CODE,
                                 remote_addr=address, at=start + timedelta(seconds=seconds))

    first = read()
    assert [read(seconds=s) for s in (0.2, 0.4, 119)] == [first] * 3  # the viewer's requests
    others = [read(seconds=1, address="10.0.0.6"), read(Principal("xaydung", Role.AGENCY),
                                                        seconds=1),
              read(seconds=1, target=key.replace("01-", "02-")), read(seconds=121)]
    assert len(set(others)) == 4 and first not in others
    audit.record(AGENCY, "document.url", target=key, remote_addr="10.0.0.5", at=start)
    assert len(audit.entries(action="document.read")) == 1 + 5  # the fixture has one
