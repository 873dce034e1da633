"""Which agencies a dossier is routed to, the agency's view of its dossiers, status changes.

An agency sees a dossier only once it is routed to it (docs/domain.md: agencies fetch the
digitized files of the dossiers they decide). Routes are rows of ``dossier_routes``; every
question an agency asks is answered by SQL restricted to its agency codes, never by
filtering afterwards, so a page of results can never leak another agency's dossier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from sohoa.clock import start_of_day
from sohoa.errors import StorageError
from sohoa.storage.applicants import stored_applicant
from sohoa.storage.models import Document, Dossier, DossierRoute, summary_fields
from sohoa.storage.outbox import set_dossier_status
from sohoa.storage.records import DossierApplicant, DossierStatus, DossierSummary
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database

AGENCY_TRANSITIONS: dict[DossierStatus, frozenset[DossierStatus]] = {
    DossierStatus.DUOC_TIEP_NHAN: frozenset({DossierStatus.DANG_XU_LY,
                                             DossierStatus.KHONG_DUOC_TIEP_NHAN}),
    DossierStatus.DANG_XU_LY: frozenset({
        DossierStatus.YEU_CAU_BO_SUNG, DossierStatus.YEU_CAU_NGHIA_VU_TAI_CHINH,
        DossierStatus.CONG_DAN_XIN_RUT, DossierStatus.DUNG_XU_LY, DossierStatus.DA_XU_LY_XONG}),
    DossierStatus.YEU_CAU_BO_SUNG: frozenset({DossierStatus.DANG_XU_LY,
                                              DossierStatus.CONG_DAN_XIN_RUT,
                                              DossierStatus.DUNG_XU_LY}),
    DossierStatus.YEU_CAU_NGHIA_VU_TAI_CHINH: frozenset({DossierStatus.DANG_XU_LY,
                                                         DossierStatus.CONG_DAN_XIN_RUT,
                                                         DossierStatus.DUNG_XU_LY}),
}
"""Status changes an agency may make (national portal codes, docs/domain.md). Statuses 1–2 are
the counter's; 3, 7, 8 and 10 end a dossier. 9 → 10 is not a status change anyone makes by
hand: it is the hand-over of the result (``storage.results.hand_over``), which records who
received it, when, and the receipt."""


NOT_RECEIVED = (int(DossierStatus.MOI_DANG_KY), int(DossierStatus.KHONG_DUOC_TIEP_NHAN))
"""Statuses in which the counter has not received the dossier: never routed by sohoa."""


@dataclass(frozen=True)
class DossierFilter:
    """What an agency's list asks for; None means any."""

    status: int | None = None
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    limit: int = 50
    offset: int = 0
    text: str = ""
    """Folded words (no diacritics, lower case) the code, the procedure code or the applicant's
    folded name must contain, or the procedure must be one of :attr:`named`."""
    named: tuple[str, ...] = ()
    """Procedure codes whose name contains :attr:`text` (the directory is not in the
    database: the caller looks them up)."""


@dataclass(frozen=True)
class RoutedDossier:
    summary: DossierSummary
    routed_to: tuple[str, ...]


@dataclass(frozen=True)
class ListedDossier:
    summary: DossierSummary
    applicant: DossierApplicant


def route(catalog: Database, code: str, agencies: Iterable[str]) -> tuple[str, ...]:
    """Route the dossier to ``agencies`` (idempotent); returns all its routes."""
    wanted = {a.strip() for a in agencies if a.strip()}
    with catalog.write_session() as session:
        dossier = dossier_row(session, code)
        have = set(_routes(session, dossier.id))
        for agency in sorted(wanted - have):
            session.add(DossierRoute(dossier_id=dossier.id, agency_code=agency))
        return tuple(sorted(have | wanted))


def unrouted(catalog: Database) -> list[tuple[str, str, str]]:
    """(code, procedure, receiving agency) of received dossiers with stored documents and no
    route — e.g. finished before routing existed — oldest first (an incomplete dossier at
    the counter, or one the clerk refused, is not received: it is never routed)."""
    with catalog.read_session() as session:
        rows = session.execute(
            select(Dossier.code, Dossier.procedure_code, Dossier.agency_code)
            .where(Dossier.id.in_(select(Document.dossier_id)),
                   Dossier.id.not_in(select(DossierRoute.dossier_id)),
                   Dossier.status.not_in(NOT_RECEIVED))
            .order_by(Dossier.received_at, Dossier.id))
        return [tuple(r) for r in rows]


def routes(catalog: Database, code: str) -> tuple[str, ...]:
    with catalog.read_session() as session:
        return tuple(sorted(_routes(session, dossier_row(session, code).id)))


def _routes(session: Session, dossier_id: int) -> list[str]:
    return list(session.scalars(select(DossierRoute.agency_code)
                                .where(DossierRoute.dossier_id == dossier_id)))


def routed_dossiers(catalog: Database, agencies: frozenset[str] | None,
                    wanted: DossierFilter) -> tuple[int, list[RoutedDossier]]:
    """(total, one page) of the dossiers routed to ``agencies`` (None: every dossier),
    newest first."""
    query = select(Dossier)
    if agencies is not None:  # an agency never sees a dossier the counter has not received
        routed = select(DossierRoute.dossier_id).where(DossierRoute.agency_code.in_(agencies))
        query = query.where(Dossier.id.in_(routed),
                            Dossier.status != int(DossierStatus.MOI_DANG_KY))
    query = _filtered(query, wanted)
    with catalog.read_session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(Dossier.received_at.desc(), Dossier.id.desc())
                               .limit(wanted.limit).offset(wanted.offset)).all()
        return total, [RoutedDossier(DossierSummary(**summary_fields(r)),
                                     tuple(sorted(_routes(session, r.id)))) for r in rows]


def counter_dossiers(catalog: Database, agency_code: str,
                     wanted: DossierFilter) -> tuple[int, list[ListedDossier]]:
    """(total, one page) of the dossiers registered at the counter ``agency_code``, newest
    first, with their stored applicant: the clerk's work list."""
    query = _filtered(select(Dossier).where(Dossier.agency_code == agency_code), wanted)
    with catalog.read_session() as session:
        total, rows = _page(session, query, wanted)
        return total, [ListedDossier(DossierSummary(**summary_fields(r)), stored_applicant(r))
                       for r in rows]


def _page(session: Session, query, wanted: DossierFilter):  # noqa: ANN001, ANN202 - a Select
    """(how many match, the rows of the page asked for), newest first."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Dossier.received_at.desc(), Dossier.id.desc())
                           .limit(wanted.limit).offset(wanted.offset)).all()
    return total, rows


def _filtered(query, wanted: DossierFilter):  # noqa: ANN001, ANN202 - a SQLAlchemy Select
    if wanted.status is not None:
        query = query.where(Dossier.status == wanted.status)
    if wanted.procedure_code:
        query = query.where(Dossier.procedure_code == wanted.procedure_code)
    if wanted.received_from is not None:
        query = query.where(Dossier.received_at >= _start_of(wanted.received_from))
    if wanted.received_to is not None:
        query = query.where(Dossier.received_at < _start_of(wanted.received_to, next_day=True))
    if wanted.text:
        query = query.where(_containing(wanted.text, wanted.named))
    return query


def _containing(folded: str, named: tuple[str, ...]) -> ColumnElement[bool]:
    """Dossiers whose code, procedure code or folded applicant name contain ``folded``, or
    whose procedure is one of ``named``. ``LIKE`` with the user's ``%`` and ``_`` escaped;
    codes are ASCII, so ``lower`` folds them alike on SQLite and PostgreSQL."""
    found = [func.lower(Dossier.code).contains(folded, autoescape=True),
             func.lower(Dossier.procedure_code).contains(folded, autoescape=True),
             Dossier.applicant_folded.contains(folded, autoescape=True)]
    if named:
        found.append(Dossier.procedure_code.in_(named))
    return or_(*found)


def _start_of(day: date, next_day: bool = False) -> datetime:
    """Midnight in Vietnam (the day people mean) as an aware datetime."""
    start = start_of_day(day)
    return start + timedelta(days=1) if next_day else start


def change_status(catalog: Database, code: str, new: int, by: str = "",
                  reason: str = "") -> tuple[int, int]:
    """Move the dossier to status ``new`` if an agency may (``by``: who, for the portal's
    processing history); returns (old, new). An agency refusing a dossier it received
    (2 → 3) gives ``reason``, kept with the dossier as the counter's refusal is."""
    target = DossierStatus(new)
    with catalog.write_session() as session:
        dossier = dossier_row(session, code)
        old = DossierStatus(dossier.status)
        if target is DossierStatus.DA_TRA_KET_QUA and old is DossierStatus.DA_XU_LY_XONG:
            raise StorageError(f"Hồ sơ {code}: trạng thái 10 (đã trả kết quả) chỉ ghi khi trao "
                               "kết quả cho người nhận — dùng “sohoa result handover” hoặc ô "
                               "“Trả kết quả” trên trang hồ sơ, để ghi người nhận và phiếu trả")
        if target not in AGENCY_TRANSITIONS.get(old, frozenset()):
            allowed = ", ".join(str(int(s)) for s in sorted(AGENCY_TRANSITIONS.get(old, ())))
            raise StorageError(
                f"Không chuyển được hồ sơ {code} từ trạng thái {int(old)} sang {int(target)}"
                + (f" (được: {allowed})" if allowed else " (trạng thái đã kết thúc)"))
        if target is DossierStatus.KHONG_DUOC_TIEP_NHAN:
            dossier.refusal_reason, dossier.refused_at = reason or None, datetime.now(UTC)
        set_dossier_status(session, dossier, target, by)
        return int(old), int(target)


def refuse_at_counter(catalog: Database, code: str, reason: str, at: datetime) -> None:
    """The clerk refuses the dossier (3, không được tiếp nhận): only while the counter has not
    received it (1). It is never routed, and takes no further scans (its raw scans and
    documents stay, as every record does).

    ``reason`` and ``at`` are written with the status, in the same transaction: they are
    what the Phiếu từ chối tiếp nhận, giải quyết hồ sơ says, and the paper must not depend
    on the audit log (written after, separately, and kept for a different purpose)."""
    with catalog.write_session() as session:
        dossier = dossier_row(session, code)
        old = DossierStatus(dossier.status)
        if old != DossierStatus.MOI_DANG_KY:
            raise StorageError(f"Không từ chối được hồ sơ {code}: hồ sơ đang ở trạng thái "
                               f"{int(old)} ({old.label}); chỉ từ chối được hồ sơ chưa tiếp "
                               "nhận (trạng thái 1)")
        dossier.refusal_reason, dossier.refused_at = reason, at
        set_dossier_status(session, dossier, DossierStatus.KHONG_DUOC_TIEP_NHAN)
