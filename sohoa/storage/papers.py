"""The store of digitized papers by citizen, and the clerk's reuse decisions.

:func:`index_papers` runs inside the transaction that records a document or a result (and
when a dossier's owner becomes known): each document of a dossier with an owner gets one
``citizen_papers`` row with its stable code (:mod:`sohoa.domain.papers`). A reused paper
is *linked* to the new dossier (``paper_reuses``), never copied.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sohoa.clock import VIETNAM
from sohoa.domain.papers import (
    PERSONAL_ID,
    CitizenPaper,
    PaperKind,
    ReuseDecision,
    paper_code_prefix,
)
from sohoa.domain.results import ResultMetadata
from sohoa.errors import StorageError
from sohoa.storage.models import (
    CitizenPaperRow,
    Document,
    Dossier,
    DossierResult,
    PaperReuse,
)
from sohoa.storage.rows import dossier_row
from sohoa.storage.session import Database


def index_papers(session: Session, dossier: Dossier) -> int:
    """Index the dossier's documents not indexed yet under its owner; returns how many."""
    if not dossier.owner_id:
        return 0
    session.flush()
    done = set(session.scalars(select(CitizenPaperRow.document_id)
                               .where(CitizenPaperRow.dossier_id == dossier.id)))
    results = {r.document_id: ResultMetadata.model_validate(r.metadata_) for r in
               session.scalars(select(DossierResult)
                               .where(DossierResult.dossier_id == dossier.id))}
    added = 0
    for document in session.scalars(select(Document).where(Document.dossier_id == dossier.id)
                                    .order_by(Document.ordinal)):
        if document.id not in done:
            session.add(_paper(session, dossier, document, results.get(document.id)))
            session.flush()  # the next paper's NN counts this one
            added += 1
    return added


def _paper(session: Session, dossier: Dossier, document: Document,
           result: ResultMetadata | None) -> CitizenPaperRow:
    owner = dossier.owner_id or ""
    if result is not None:
        prefix = paper_code_prefix(owner, PaperKind.RESULT, dossier.procedure_code,
                                   result.code or "KQ", result.number)
    else:
        prefix = paper_code_prefix(owner, PaperKind.COMPONENT, dossier.procedure_code,
                                   document.item_id or document.doc_type)
    taken = session.scalar(select(func.count()).select_from(CitizenPaperRow)
                           .where(CitizenPaperRow.code.startswith(f"{prefix}.",
                                                                  autoescape=True))) or 0
    return CitizenPaperRow(
        code=f"{prefix}.{taken + 1:02d}", owner_id=owner,
        kind=int(PaperKind.RESULT if result else PaperKind.COMPONENT), dossier_id=dossier.id,
        document_id=document.id, procedure_code=dossier.procedure_code,
        issuing_agency=result.issuing_agency if result else "",
        number=result.number if result else "",
        issued_on=result.issued_on if result else None,
        valid_until=result.valid_until if result else None)


def set_owner(db: Database, code: str, owner_id: str) -> int:
    """Say whose dossier it is and index its documents; returns how many were indexed.
    An owner is set once: a different one later is refused."""
    if not PERSONAL_ID.fullmatch(owner_id):
        raise StorageError(f"Số định danh cá nhân phải có 12 chữ số, không phải {owner_id!r}")
    with db.write_session() as session:
        dossier = dossier_row(session, code)
        if dossier.owner_id not in (None, owner_id):
            raise StorageError(f"Hồ sơ {code} đã ghi chủ hồ sơ {dossier.owner_id}")
        dossier.owner_id = owner_id
        return index_papers(session, dossier)


def owner_of(db: Database, code: str) -> str | None:
    with db.read_session() as session:
        return dossier_row(session, code).owner_id


def papers_of(db: Database, owner_id: str) -> list[CitizenPaper]:
    """Every paper of the citizen, oldest first."""
    with db.read_session() as session:
        rows = session.scalars(select(CitizenPaperRow)
                               .where(CitizenPaperRow.owner_id == owner_id)
                               .order_by(CitizenPaperRow.id))
        return [_citizen_paper(r) for r in rows]


def decide_reuse(db: Database, code: str, item_id: str, paper_code: str,
                 decision: ReuseDecision, by: str) -> CitizenPaper:
    """Record the clerk's decision for one checklist item of dossier ``code`` (the last
    decision for an item stands). The paper must be the same citizen's."""
    with db.write_session() as session:
        dossier = dossier_row(session, code)
        paper = session.scalar(select(CitizenPaperRow)
                               .where(CitizenPaperRow.code == paper_code))
        if paper is None or paper.owner_id != dossier.owner_id:
            raise StorageError(f"Không có giấy tờ {paper_code} của chủ hồ sơ {code}")
        row = session.scalar(select(PaperReuse).where(PaperReuse.dossier_id == dossier.id,
                                                      PaperReuse.item_id == item_id))
        if row is None:
            row = PaperReuse(dossier_id=dossier.id, item_id=item_id)
            session.add(row)
        row.paper, row.decision, row.decided_by = paper, str(decision), by
        return _citizen_paper(paper)


def reuses(db: Database, code: str) -> list[tuple[str, CitizenPaper, ReuseDecision]]:
    """(checklist item, paper, decision) of the dossier, by item."""
    with db.read_session() as session:
        dossier = dossier_row(session, code)
        rows = session.scalars(select(PaperReuse).where(PaperReuse.dossier_id == dossier.id)
                               .order_by(PaperReuse.item_id))
        return [(r.item_id, _citizen_paper(r.paper), ReuseDecision(r.decision)) for r in rows]


def accepted_reuses(db: Database, code: str) -> dict[str, CitizenPaper]:
    """The papers the clerk chose to reuse, by checklist item (for
    :func:`sohoa.domain.papers.with_reused`)."""
    return {item: paper for item, paper, decision in reuses(db, code)
            if decision == ReuseDecision.ACCEPTED}


def _citizen_paper(row: CitizenPaperRow) -> CitizenPaper:
    document = row.document
    digitized = document.signed_at or row.recorded_at
    return CitizenPaper(
        code=row.code, owner_id=row.owner_id, kind=PaperKind(row.kind),
        doc_type=document.doc_type, item_id=document.item_id, title=document.title,
        issuing_agency=row.issuing_agency, number=row.number, issued_on=row.issued_on,
        valid_until=row.valid_until, dossier_code=row.dossier.code, ordinal=document.ordinal,
        digitized_at=_vietnam_day(digitized))


def _vietnam_day(moment: datetime | None) -> date | None:
    return moment.astimezone(VIETNAM).date() if moment else None
