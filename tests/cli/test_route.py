"""``sohoa route``: show, add by hand, apply the rules to dossiers that have no route."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.domain.access import Role
from sohoa.errors import ExitCode
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import DossierStatus
from sohoa.storage.routing import routes
from tests.helpers.stored import store_dossier

VN = timezone(timedelta(hours=7))


def test_route_by_hand_and_by_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture) -> None:
    rules = tmp_path / "routing.yaml"
    rules.write_text('procedures:\n  "1.013831": [own, 000.21.14.H56]\n')
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data"), "SOHOA_ROUTING": str(rules)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ctx = open_context(Settings.from_env(env))
    when = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
    land = store_dossier(ctx, "1.013831", [("don_dang_ky_bien_dong", ["Đơn"])], when)
    birth = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])], when)
    empty = ctx.catalog.new_dossier("1.001193", ctx.settings.agency_code, when)  # no documents
    try:
        assert main(["route", birth]) == 0
        assert capsys.readouterr().out == f"{birth}: (chưa chuyển tới cơ quan nào)\n"
        # an agency nobody configured is a typing slip: refused in one line, nothing routed
        assert main(["route", birth, "--agency", "000.99.14.H56"]) == ExitCode.USAGE
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and "Cơ quan 000.99.14.H56 chưa được cấu hình" in err[0]
        assert "000.00.14.H56, 000.21.14.H56" in err[0]  # the ones that are
        assert routes(ctx.catalog, birth) == ()
        Accounts(ctx.catalog).create_user("sotuphap", Role.AGENCY,
                                          agency_codes=["000.99.14.H56"])  # now it is
        assert main(["route", birth, "--agency", "000.99.14.H56"]) == 0
        assert main(["route", "--missing"]) == 0
        out = capsys.readouterr().out
        assert f"{land}: 000.00.14.H56, 000.21.14.H56" in out
        assert birth not in out.splitlines()[-1] and empty not in out  # routed already / empty
        assert routes(ctx.catalog, birth) == ("000.99.14.H56",)
        assert routes(ctx.catalog, empty) == ()
        lines = AuditLog(ctx.catalog).entries(action="dossier.route")
        assert [(e.dossier_code, e.detail["added"]) for e in lines] == [
            (land, ["000.00.14.H56", "000.21.14.H56"]), (birth, ["000.99.14.H56"])]
        assert main(["route"]) == 2
        ctx.catalog.set_status(empty, DossierStatus.MOI_DANG_KY)  # not received
        assert main(["route", empty, "--agency", "000.21.14.H56"]) == ExitCode.STORAGE
        assert "chưa được tiếp nhận" in capsys.readouterr().err
        assert routes(ctx.catalog, empty) == ()
    finally:
        ctx.close()
