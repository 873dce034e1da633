"""Whose dossier it is: the citizen whose CCCD QR was scanned with it.

The owner's personal identification number indexes the dossier's papers in the citizen's
store (:mod:`sohoa.storage.papers`) and names the owner in the portal's sync format. When no
card was scanned, the clerk says it (``sohoa reuse --dossier CODE --owner ID``).
"""

from __future__ import annotations

from sohoa.errors import SohoaError
from sohoa.pipeline.classify.qr import CccdRecord, parse_cccd
from sohoa.processing.context import WorkContext
from sohoa.storage.applicants import record_applicant
from sohoa.storage.papers import set_owner
from sohoa.storage.records import DossierApplicant


def dossier_owner(ctx: WorkContext, code: str, up_to: int | None = None) -> CccdRecord | None:
    """The citizen whose CCCD QR was scanned with batch ``up_to`` (None: the latest) or,
    failing that, with the batches before it (the card may have come the first time)."""
    try:
        latest = up_to or ctx.catalog.batches.latest_number(code)
    except SohoaError:
        return None
    for number in range(latest, 0, -1):
        for page in ctx.catalog.batches.pages(code, number):
            for payload in page.stored.qr if page.stored else ():
                card = parse_cccd(payload)
                if card is not None:
                    return card
    return None


def record_owner(ctx: WorkContext, code: str) -> str | None:
    """Set the dossier's owner from a scanned CCCD (and index its papers); the owner's id,
    or None when no card was scanned. An owner the clerk already set is kept."""
    card = dossier_owner(ctx, code)
    if card is None:
        return None
    try:
        set_owner(ctx.catalog, code, card.id_number)
    except SohoaError:  # another owner was set by the clerk: theirs stands
        return None
    return card.id_number


def keep_scanned_applicant(ctx: WorkContext, code: str, number: int) -> DossierApplicant | None:
    """Keep the name and residence of the CCCD QR read with batch ``number`` (or an earlier
    one) as the dossier's applicant, where the clerk has not typed them: called once the
    batch is analysed, when every page's QR payloads are stored, so the work list shows and
    finds the card's holder without reading the scans again. None when no card was read."""
    card = dossier_owner(ctx, code, number)
    if card is None:
        return None
    return record_applicant(ctx.catalog, code, DossierApplicant(card.full_name, card.residence),
                            typed=False)
