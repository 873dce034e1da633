"""``sohoa types``: the codes ``review --type N=LOẠI`` accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.domain.doctypes import DOC_TYPES


@pytest.fixture(autouse=True)
def _data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))


def test_types_lists_every_document_type_but_sohoa_sheets(
        capsys: pytest.CaptureFixture) -> None:
    assert main(["types"]) == 0
    lines = capsys.readouterr().out.splitlines()
    codes = [line.split()[0] for line in lines[1:]]
    assert codes == [t.code for t in DOC_TYPES if t.is_document]
    assert "giay_chung_sinh" in codes and "khac" in codes
    assert "bia_ho_so" not in codes and "to_phan_cach" not in codes
    assert any(line.split(maxsplit=1)[1] == "Giấy chứng sinh" for line in lines[1:])


def test_types_of_a_national_procedure_add_its_items(capsys: pytest.CaptureFixture) -> None:
    assert main(["types", "--procedure", "1.002693"]) == 0
    out = capsys.readouterr().out
    assert "1.002693/don_de_nghi_cap_giay_phep  Đơn đề nghị cấp giấy phép chặt hạ" in out
    assert main(["types", "--procedure", "9.999999"]) == 2
