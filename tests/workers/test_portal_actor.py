"""The scale profile's ``portal_deliver`` actor, on dramatiq's stub broker, delivering the
outbox to the mock portal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from sohoa.processing.context import WorkContext, open_context
from sohoa.settings import PortalSettings, QueueSettings
from sohoa.storage import routing
from sohoa.storage.outbox import PortalOutbox
from sohoa.workers.actors import Dispatcher
from sohoa.workers.broker import make_broker
from sohoa.workers.portal import PORTAL_DELIVER
from sohoa_dev.services.portal_mock import MockPortal
from tests.helpers.stored import store_dossier
from tests.processing.conftest import work_settings
from tests.workers.stack import DEADLINE_S, Stack
from tests.workers.worker_process import wait_for

QUEUE = QueueSettings()
VN = timezone(timedelta(hours=7))


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    with MockPortal() as mock:
        yield mock


@pytest.fixture
def ctx(tmp_path: Path, portal: MockPortal) -> Iterator[WorkContext]:
    settings = replace(work_settings(tmp_path / "data"), queue=QUEUE,
                       portal=PortalSettings(url=portal.url, timeout_s=5.0))
    context = open_context(settings)
    yield context
    context.close()


def test_the_actor_delivers_every_due_record_with_the_dossier(ctx: WorkContext,
                                                              portal: MockPortal) -> None:
    code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])],
                         datetime(2026, 12, 1, 9, 30, tzinfo=VN))
    routing.change_status(ctx.catalog, code, 4, by="can_bo_tu_phap")
    broker = make_broker(QUEUE)
    assert isinstance(broker, StubBroker)
    try:
        dispatcher = Dispatcher(broker, QUEUE, context=lambda: ctx)
        actor = dispatcher.actors[PORTAL_DELIVER]
        assert actor.queue_name == "sohoa-portal"
        actor.send()
        worker = dramatiq.Worker(broker, worker_threads=1)
        worker.start()
        try:
            broker.join("sohoa-portal", timeout=120_000)
            worker.join()
        finally:
            worker.stop()
    finally:
        broker.close()
    assert portal.accepted() == {code: [1, 2, 3]}  # status 2, the document, status 4
    assert PortalOutbox(ctx.catalog).summary().counts["pending"] == 0
    last = portal.ledger.messages[code, 3]
    assert (last["LoaiThayDoi"], last["TrangThaiHoSo"]) == ("status", 4)
    assert (last["HoSo"]["MaTTHC"], last["HoSo"]["TrangThaiHoSo"]) == ("1.001193", 4)
    assert [h["NguoiXuLy"] for h in last["HoSo"]["QuaTrinhXuLy"]][-1] == "can_bo_tu_phap"


def test_sohoa_worker_delivers_the_outbox_on_the_scale_profile(stack: Stack,
                                                               portal: MockPortal) -> None:
    """Real Redis, PostgreSQL and ``sohoa worker``: its ticker sends ``portal_deliver``
    when records are due, the actor posts them; a change made later is delivered too."""
    stack.env.update({"SOHOA_PORTAL_URL": portal.url, "SOHOA_PORTAL_POLL_S": "0.2"})
    catalog = stack.ctx.catalog
    code = catalog.new_dossier("1.001193", "000.00.14.H56",
                               datetime(2026, 12, 1, 9, 30, tzinfo=VN))
    catalog.set_status(code, 2)
    stack.worker()
    wait_for(lambda: portal.accepted().get(code) == [1], DEADLINE_S, interval=0.2,
             what="the first record delivered by the workers")
    routing.change_status(catalog, code, 4, by="can_bo_tu_phap")
    wait_for(lambda: portal.accepted().get(code) == [1, 2], DEADLINE_S, interval=0.2,
             what="the status change delivered by the workers")
    assert portal.ledger.messages[code, 2]["HoSo"]["TrangThaiHoSo"] == 4
    assert PortalOutbox(catalog).summary().counts == {"pending": 0, "delivered": 2, "dead": 0}
