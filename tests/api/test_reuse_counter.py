"""Reuse at the counter: a missing checklist item that the citizen's earlier digitized paper
fills is marked on the verdict, and the clerk's choice is linked and audited."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.domain.papers import ReuseDecision
from sohoa.pipeline.classify.qr import parse_cccd
from sohoa.services import portal
from sohoa.storage import papers
from sohoa.storage.audit import AuditLog
from sohoa_dev.synth.cards import copy_page
from tests.api.conftest import wait_for
from tests.api.test_counter_app import new_dossier, upload
from tests.helpers.stored import store_dossier

pytestmark = pytest.mark.ocr
OWNER = "001190012345"
VN = timezone(timedelta(hours=7))


def test_the_verdict_offers_an_earlier_paper_and_the_clerk_reuses_it(
        client: TestClient, birth_pages: list[Path]) -> None:
    ctx = client.app.state.counter.ctx
    earlier = store_dossier(ctx, "1.001193", [("giay_chung_sinh", ["Giấy chứng sinh"])],
                            datetime(2026, 11, 2, 9, 0, tzinfo=VN))
    papers.set_owner(ctx.catalog, earlier, OWNER)
    form, _ = birth_pages
    code = new_dossier(client)
    upload(client, code, [(form.name, form.read_bytes())])  # the certificate is not handed in
    assert wait_for(client, code, {"review"})["complete"] is False
    assert "không cần nộp lại" not in client.get(f"/dossiers/{code}").text  # owner unknown
    papers.set_owner(ctx.catalog, code, OWNER)  # the clerk says whose dossier it is

    screen = client.get(f"/dossiers/{code}").text
    assert (f"đã có bản số hóa ngày 02/11/2026 (hồ sơ {earlier}) — không cần nộp lại"
            in screen)
    paper = f"{OWNER}.1.001193.giay_chung_sinh.01"
    declined = client.post(f"/dossiers/{code}/reuse", follow_redirects=False,
                           data={"item_id": "giay_chung_sinh", "paper": paper, "accept": "0"})
    assert declined.status_code == 303
    assert "đã chọn không dùng" in client.get(f"/dossiers/{code}").text
    assert client.get(f"/dossiers/{code}/status.json").json()["complete"] is False

    client.post(f"/dossiers/{code}/reuse", follow_redirects=False,  # the clerk changes mind
                data={"item_id": "giay_chung_sinh", "paper": paper, "accept": "1"})
    assert f"dùng lại bản số hóa {paper} (hồ sơ {earlier})" in client.get(
        f"/dossiers/{code}").text
    assert client.get(f"/dossiers/{code}/status.json").json()["complete"] is True
    client.post(f"/dossiers/{code}/accept")
    assert wait_for(client, code, {"done"})["complete"] is True
    receipt = client.get(f"/dossiers/{code}/receipt.pdf")
    assert "giay-tiep-nhan" in receipt.headers["content-disposition"]  # not "bổ sung"
    assert ctx.catalog.dossier(code).complete is True
    assert len(ctx.catalog.dossier(code).documents) == 1  # linked, not copied
    assert [(i, p.code, d) for i, p, d in papers.reuses(ctx.catalog, code)] == [
        ("giay_chung_sinh", paper, ReuseDecision.ACCEPTED)]
    log = AuditLog(ctx.catalog)
    assert [(e.actor, e.dossier_code, e.target) for e in log.entries(action="reuse.accept")] \
        == [("canbo1", code, paper)]
    assert len(log.entries(action="reuse.decline")) == 1


def test_a_scanned_cccd_makes_the_citizen_the_owner_and_files_the_papers(
        client: TestClient, tmp_path: Path) -> None:
    card = copy_page("can_cuoc", seed=7, dpi=300)
    owner = parse_cccd(card.payloads[0])
    assert owner is not None
    path = tmp_path / "can-cuoc.png"
    card.image.save(path, dpi=(300, 300))
    code = new_dossier(client, "1.001612")
    upload(client, code, [(path.name, path.read_bytes())])
    wait_for(client, code, {"review"})
    client.post(f"/dossiers/{code}/accept")
    wait_for(client, code, {"done"})

    ctx = client.app.state.counter.ctx
    assert papers.owner_of(ctx.catalog, code) == owner.id_number
    filed = papers.papers_of(ctx.catalog, owner.id_number)
    assert [(p.doc_type, p.dossier_code) for p in filed] == [("can_cuoc", code)]
    assert filed[0].code == f"{owner.id_number}.1.001612.giay_to_phap_ly_ca_nhan.01"
    national = portal.national_dossier(ctx, code)
    assert (national.ChuHoSo, national.SoGiayToChuHoSo) == (owner.full_name, owner.id_number)
    assert [(d.LoaiDinhDanh, d.SoDinhDanh) for d in national.DinhDanhCHS] == [
        (1, owner.id_number)]
