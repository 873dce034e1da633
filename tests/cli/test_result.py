"""``sohoa result add|list|handover`` at the return counter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.routing import change_status
from tests.helpers.stored import store_dossier, tiny_pdf

VN = timezone(timedelta(hours=7))


def test_a_paper_result_added_listed_and_handed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        tesseract_vie: str) -> None:
    env = {"SOHOA_DATA_DIR": str(tmp_path / "data")}
    monkeypatch.setenv("SOHOA_DATA_DIR", env["SOHOA_DATA_DIR"])
    with open_context(Settings.from_env(env)) as ctx:
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["Tờ khai"])],
                             datetime(2026, 12, 1, 9, 0, tzinfo=VN))
        change_status(ctx.catalog, code, 4)
    scan = tmp_path / "ket-qua.pdf"
    scan.write_bytes(tiny_pdf("Giấy khai sinh"))
    add = ["result", "add", code, str(scan), "--name", "Giấy khai sinh", "--number",
           "123/2026/GKS", "--issued", "2026-12-02", "--agency", "UBND phường Ba Đình",
           "--signer", "Nguyễn Văn Chủ Tịch"]
    assert main([*add, "--valid-until", "2026-13-01"]) == 2  # not a day
    assert "--valid-until" in capsys.readouterr().err
    assert main(add) == 0
    line = (f"{code} #2: Giấy khai sinh số 123/2026/GKS (không mã), UBND phường Ba Đình ban "
            "hành 02/12/2026, Nguyễn Văn Chủ Tịch ký; hiệu lực vĩnh viễn; ký số khi số hóa\n")
    assert capsys.readouterr().out == line
    assert main(["result", "list", code]) == 0
    assert capsys.readouterr().out == line
    slip = tmp_path / "phieu.pdf"
    assert main(["result", "handover", code, "--recipient", "Trần Thị Mẹ", "--slip",
                 str(slip)]) == 0
    assert f"{code}: đã trả kết quả cho Trần Thị Mẹ lúc" in capsys.readouterr().out
    assert slip.read_bytes().startswith(b"%PDF")
    with open_context(Settings.from_env(env)) as ctx:
        assert ctx.catalog.dossier(code).status == 10
