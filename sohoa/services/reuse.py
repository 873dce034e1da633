"""Reuse at the counter: which earlier digitized papers of a citizen can fill a checklist
item of a new dossier, and the clerk's decision for each.

A paper is offered for an item when it is still valid (no end of validity, or one not yet
passed) and of a kind the item accepts (its document type is one of the item's). The clerk
confirms or declines each offer; a confirmed paper is linked to the new dossier, never
copied, and every decision is audited (``reuse.accept`` / ``reuse.decline``). Anyone at the
counter learns that a paper exists and can be reused; whether its content may be opened
follows the access rules of the dossier it came from (:meth:`Principal.may_read`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sohoa.clock import vietnam_now
from sohoa.domain.access import Principal
from sohoa.domain.papers import CitizenPaper, ReuseDecision, ReuseOffer
from sohoa.domain.procedures import Procedure
from sohoa.processing.context import WorkContext
from sohoa.processing.owner import dossier_owner, record_owner
from sohoa.storage import papers
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import routes


def offers(ctx: WorkContext, who: Principal, owner_id: str,
           procedure_code: str | None = None, today: date | None = None) -> list[ReuseOffer]:
    """Each (checklist item, valid paper) pair the citizen's store can fill for the
    procedure; without a procedure, every valid paper (item ``""``)."""
    today = today or vietnam_now().date()
    valid = [p for p in papers.papers_of(ctx.catalog, owner_id) if p.valid_on(today)]
    if procedure_code is None:
        return [_offer(ctx, who, "", "", p) for p in valid]
    procedure = ctx.procedures().get(procedure_code)
    return [_offer(ctx, who, item_id, name, paper)
            for item_id, name, paper in _matches(procedure, valid)]


def _matches(procedure: Procedure, valid: list[CitizenPaper]
             ) -> list[tuple[str, str, CitizenPaper]]:
    found = []
    for item in procedure.items:
        accepted = set(item.doc_types)
        found += [(item.id, item.name, p) for p in reversed(valid)  # newest first
                  if p.doc_type in accepted or p.item_id == item.id]
    return found


def _offer(ctx: WorkContext, who: Principal, item_id: str, name: str,
           paper: CitizenPaper) -> ReuseOffer:
    return ReuseOffer(item_id=item_id, item_name=name, paper=paper,
                      may_read=who.may_read(routes(ctx.catalog, paper.dossier_code)))


def decide(ctx: WorkContext, who: Principal, code: str, item_id: str, paper_code: str,
           accept: bool, remote: str | None = None) -> CitizenPaper:
    """Record the clerk's decision for one item of dossier ``code``; audited."""
    owner_of(ctx, code)  # a CCCD scanned with the dossier names its owner now
    decision = ReuseDecision.ACCEPTED if accept else ReuseDecision.DECLINED
    paper = papers.decide_reuse(ctx.catalog, code, item_id, paper_code, decision, who.actor)
    AuditLog(ctx.catalog).record(
        who, f"reuse.{'accept' if accept else 'decline'}", dossier_code=code,
        target=paper.code, remote_addr=remote,
        detail={"item": item_id, "from_dossier": paper.dossier_code})
    return paper


def owner_of(ctx: WorkContext, code: str) -> str | None:
    """The dossier's owner: recorded, or read from a CCCD scanned with it (then recorded)."""
    return papers.owner_of(ctx.catalog, code) or record_owner(ctx, code)


@dataclass(frozen=True)
class CounterOffer:
    """An offer shown under a missing checklist item, with the clerk's decision so far."""

    offer: ReuseOffer
    decision: ReuseDecision | None


def counter_offers(ctx: WorkContext, who: Principal, code: str,
                   items: set[str]) -> dict[str, list[CounterOffer]]:
    """For the checklist items ``items`` of dossier ``code`` (the missing ones), what the
    owner's earlier papers can fill; empty when the owner is not known."""
    owner = papers.owner_of(ctx.catalog, code) or _scanned_owner(ctx, code)
    if owner is None or not items:
        return {}
    decided = {item: (paper.code, decision)
               for item, paper, decision in papers.reuses(ctx.catalog, code)}
    found: dict[str, list[CounterOffer]] = {}
    record = ctx.catalog.dossier(code)
    for offer in offers(ctx, who, owner, record.procedure_code):
        if offer.item_id in items and offer.paper.dossier_code != code:
            code_and_decision = decided.get(offer.item_id)
            decision = code_and_decision[1] if code_and_decision and \
                code_and_decision[0] == offer.paper.code else None
            found.setdefault(offer.item_id, []).append(CounterOffer(offer, decision))
    return found


def _scanned_owner(ctx: WorkContext, code: str) -> str | None:
    card = dossier_owner(ctx, code)
    return card.id_number if card else None
