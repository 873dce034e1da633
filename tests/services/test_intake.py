"""The counter's statuses (docs/domain.md): an incomplete dossier is not received and not
routed; it keeps its scans and is received once the citizen brings the rest; a refused one
stays refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.domain.access import Principal, Role
from sohoa.errors import StorageError
from sohoa.processing.context import WorkContext
from sohoa.processing.embedded import run_embedded
from sohoa.processing.receive import first_messages, receive_batch, survey
from sohoa.processing.review import accept
from sohoa.services.agency import list_dossiers
from sohoa.services.intake import refuse_dossier
from sohoa.storage.records import BatchRecord, Lane
from sohoa.storage.routing import DossierFilter, routes, unrouted

pytestmark = pytest.mark.ocr
PROCEDURE = "1.001193"


def _intake(ctx: WorkContext, files: list[Path], code: str | None = None,
            hold: bool = False) -> BatchRecord:
    received, _ = survey(files, ctx)
    batch = receive_batch(ctx, PROCEDURE, files, received, dossier_code=code, hold=hold)
    run_embedded(ctx, first_messages(ctx, batch))
    return ctx.catalog.batches.batch(batch.dossier_code, batch.number)


def _agency_sees(ctx: WorkContext) -> list[str]:
    officer = Principal("so-tu-phap", Role.AGENCY, frozenset({ctx.settings.agency_code}))
    return [d.code for d in list_dossiers(ctx, officer, DossierFilter()).dossiers]


def test_incomplete_dossier_waits_unrouted_then_is_received_when_completed(
        ctx: WorkContext, scans: list[Path]) -> None:
    code = _intake(ctx, scans[:1]).dossier_code  # the form only: the certificate is missing
    record = ctx.catalog.dossier(code)
    assert record.complete is False and record.status == 1  # not received
    assert len(record.documents) == 1  # what was digitized is kept
    assert routes(ctx.catalog, code) == () and _agency_sees(ctx) == []
    assert unrouted(ctx.catalog) == []  # `sohoa route --missing` leaves it alone

    _intake(ctx, scans[1:2], code=code)  # the citizen comes back with the certificate
    registered, record = record, ctx.catalog.dossier(code)
    assert record.complete is True and record.status == 2  # được tiếp nhận
    assert record.received_at > registered.received_at  # received when completed
    assert [d.doc_type for d in record.documents] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert routes(ctx.catalog, code) == (ctx.settings.agency_code,)
    assert _agency_sees(ctx) == [code]


def test_accepting_a_held_incomplete_batch_does_not_receive_it(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _intake(ctx, scans[:1], hold=True)
    run_embedded(ctx, accept(ctx, batch.dossier_code, batch.number))
    assert ctx.catalog.dossier(batch.dossier_code).status == 1
    assert routes(ctx.catalog, batch.dossier_code) == ()


def test_backlog_dossiers_are_received_complete_or_not(
        ctx: WorkContext, scans: list[Path]) -> None:
    received, _ = survey(scans[:1], ctx)
    batch = receive_batch(ctx, PROCEDURE, scans[:1], received, lane=Lane.BACKLOG)
    run_embedded(ctx, first_messages(ctx, batch))
    assert ctx.catalog.dossier(batch.dossier_code).status == 2


def test_a_refused_dossier_is_never_routed_and_takes_no_more_scans(
        ctx: WorkContext, scans: list[Path]) -> None:
    batch = _intake(ctx, scans[:1], hold=True)
    code = batch.dossier_code
    refuse_dossier(ctx, code, "công dân không bổ sung")
    assert ctx.catalog.dossier(code).status == 3
    with pytest.raises(StorageError, match="từ chối"):
        accept(ctx, code, batch.number)
    with pytest.raises(StorageError, match="từ chối"):
        _intake(ctx, scans[1:2], code=code)
    with pytest.raises(StorageError, match="trạng thái 3"):
        refuse_dossier(ctx, code, "lần nữa")  # only a dossier not received can be refused
    assert routes(ctx.catalog, code) == () and _agency_sees(ctx) == []
    assert len(ctx.catalog.dossier(code).raw_scans) == 1  # the scans stay on record
