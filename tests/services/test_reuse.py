"""The citizen's store of digitized papers and reuse at the counter: stable codes, only
valid papers of the right kind offered, the clerk's decision linked and audited, content
shown only to whoever may read it, and the reuse in the portal's format."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.domain.access import Principal, Role
from sohoa.domain.papers import PaperKind, ReuseDecision
from sohoa.errors import StorageError
from sohoa.processing.context import open_context
from sohoa.services import portal, results, reuse
from sohoa.settings import Settings
from sohoa.storage import papers, routing
from sohoa.storage.audit import AuditLog
from tests.helpers.stored import store_dossier, tiny_pdf

VN = timezone(timedelta(hours=7))
OWNER = "001190012345"
CLERK = Principal("canbo1", Role.CLERK)
STRANGER = Principal("khac", Role.AGENCY, agency_codes=frozenset({"000.99.14.H56"}))


def test_papers_are_indexed_by_owner_and_reused_with_the_clerks_consent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        tesseract_vie: str) -> None:
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data")}
    monkeypatch.setenv("SOHOA_DATA_DIR", env["SOHOA_DATA_DIR"])
    with open_context(Settings.from_env(env)) as ctx:
        first = store_dossier(ctx, "1.001612", [
            ("giay_de_nghi_dk_ho_kinh_doanh", ["Giấy đề nghị"]), ("can_cuoc", ["Căn cước"])],
            datetime(2026, 11, 2, 9, 0, tzinfo=VN))
        assert papers.set_owner(ctx.catalog, first, OWNER) == 2
        with pytest.raises(StorageError):
            papers.set_owner(ctx.catalog, first, "079200000001")  # an owner is set once
        routing.route(ctx.catalog, first, ["000.00.14.H56"])
        routing.change_status(ctx.catalog, first, 4)
        for number, until in (("15/2026/HKD", date(2030, 1, 1)), ("9/2020/HKD",
                                                                   date(2021, 1, 1))):
            results.add_result(ctx, CLERK, first, tiny_pdf(number), results.result_metadata(
                code="KQ.G06.000001", name="Giấy chứng nhận đăng ký hộ kinh doanh",
                number=number, issued_on=date(2026, 11, 5), issuing_agency="UBND phường",
                signer="Chủ tịch", valid_until=until))

        stored = papers.papers_of(ctx.catalog, OWNER)
        assert [(p.code, p.kind) for p in stored] == [
            (f"{OWNER}.1.001612.giay_de_nghi_dk_ho_kinh_doanh.01", PaperKind.COMPONENT),
            (f"{OWNER}.1.001612.can_cuoc.01", PaperKind.COMPONENT),
            (f"{OWNER}.KQ.G06.000001.15-2026-HKD.01", PaperKind.RESULT),
            (f"{OWNER}.KQ.G06.000001.9-2020-HKD.01", PaperKind.RESULT)]
        assert (stored[2].issuing_agency, stored[2].valid_until) == ("UBND phường",
                                                                     date(2030, 1, 1))

        today = date(2026, 12, 4)
        every = reuse.offers(ctx, CLERK, OWNER, today=today)
        assert len(every) == 3  # the result valid until 2021 is not offered
        offers = reuse.offers(ctx, CLERK, OWNER, "2.001583", today=today)
        assert [(o.item_id, o.paper.code) for o in offers] == [
            ("giay_to_phap_ly_ca_nhan", f"{OWNER}.1.001612.can_cuoc.01")]
        assert offers[0].may_read and offers[0].message == (
            f"đã có bản số hóa ngày 02/11/2026 (hồ sơ {first}) — không cần nộp lại")
        hidden = reuse.offers(ctx, STRANGER, OWNER, "2.001583", today=today)
        assert [(o.paper.code, o.may_read) for o in hidden] == [(offers[0].paper.code, False)]

        second = store_dossier(ctx, "2.001583", [
            ("giay_de_nghi_dk_doanh_nghiep", ["Giấy đề nghị"]), ("dieu_le_cong_ty", ["Điều lệ"])],
            datetime(2026, 12, 4, 9, 0, tzinfo=VN))
        papers.set_owner(ctx.catalog, second, OWNER)
        reuse.decide(ctx, CLERK, second, "giay_to_phap_ly_ca_nhan", offers[0].paper.code, True)
        assert [(i, p.code, d) for i, p, d in papers.reuses(ctx.catalog, second)] == [
            ("giay_to_phap_ly_ca_nhan", offers[0].paper.code, ReuseDecision.ACCEPTED)]
        assert len(ctx.catalog.dossier(second).documents) == 2  # linked, not copied
        audit = AuditLog(ctx.catalog).entries(action="reuse.accept")
        assert [(e.dossier_code, e.target) for e in audit] == [(second,
                                                               offers[0].paper.code)]
        national = portal.national_dossier(ctx, second)
        assert [(f.TepDinhKemId, f.MaThanhPhanHoSo, f.DuocTaiSuDung)
                for f in national.TaiLieuNop][-1] == (offers[0].paper.code,
                                                     "giay_to_phap_ly_ca_nhan", 1)
        # no CCCD scanned: the personal id is the one the clerk set as the owner's
        assert national.SoGiayToChuHoSo == OWNER
        assert [(i.LoaiDinhDanh, i.SoDinhDanh) for i in national.DinhDanhCHS] == [(1, OWNER)]

    assert main(["reuse", "--citizen", OWNER, "--procedure", "2.001583", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(o["item"], o["code"], o["may_read"]) for o in listed] == [  # the second
        # dossier's own papers are the citizen's now too
        ("giay_de_nghi", f"{OWNER}.2.001583.giay_de_nghi_dk_doanh_nghiep.01", True),
        ("dieu_le", f"{OWNER}.2.001583.dieu_le_cong_ty.01", True),
        ("giay_to_phap_ly_ca_nhan", f"{OWNER}.1.001612.can_cuoc.01", True)]
    assert main(["reuse", "--dossier", second, "--decline",
                 f"giay_to_phap_ly_ca_nhan={OWNER}.1.001612.can_cuoc.01"]) == 0
    assert "không dùng" in capsys.readouterr().out
