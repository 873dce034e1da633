"""``sohoa catalog``: every code of the national catalog, the search, an import with its
report, a correction that survives the next import."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main

SAMPLE = Path(__file__).parents[1] / "resources" / "catalog" / "national-sample.jsonl.gz"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_any_code_of_the_national_catalog(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["catalog", "2.000568"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Thủ tục 2.000568 — Thay đổi, bổ sung lĩnh vực giám định")
    assert "Văn bản xin phép thay đổi, bổ sung lĩnh vực giám định" in out
    assert main(["catalog"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("Danh mục thủ tục (2643 thủ tục; 8 do cán bộ soạn):")
    assert "  1.002693  Cấp giấy phép chặt hạ, dịch chuyển cây xanh" in listing
    assert main(["catalog", "--search", "chat ha cay"]) == 0
    assert capsys.readouterr().out == ("1 thủ tục khớp 'chat ha cay':\n"
                                       "  1.002693  Cấp giấy phép chặt hạ, dịch chuyển cây xanh\n")
    assert not data_dir.exists()  # reading the catalog creates no database


def test_import_report_correct(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["catalog", "report"]) == 0
    assert "danh mục kèm theo phần mềm (national-procedures-2026-07.jsonl.gz)" in \
        capsys.readouterr().out
    assert main(["catalog", "import", str(SAMPLE), "--report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã nhập 40 thủ tục.\nTệp national-sample.jsonl.gz: 40 thủ tục")
    assert "3.000364  " in out and "không có bảng thành phần hồ sơ" in out
    assert main(["catalog", "correct", "1.002693", "anh_chup_hien_trang_cay_xanh",
                 "--set", "copies=2"]) == 0
    assert "1 bản chính" in capsys.readouterr().out
    assert main(["catalog", "import", str(SAMPLE)]) == 0
    capsys.readouterr()
    assert main(["catalog", "1.002693"]) == 0
    assert "Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển" in \
        capsys.readouterr().out
    assert main(["catalog", "corrections"]) == 0
    assert "1.002693 [anh_chup_hien_trang_cay_xanh] copies = 2" in capsys.readouterr().out
    assert main(["catalog", "report"]) == 0
    assert "lần nhập 2 (national-sample.jsonl.gz" in capsys.readouterr().out


def test_bad_uses(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["catalog", "9.999999"]) == 2
    assert "không có thủ tục mã '9.999999'" in capsys.readouterr().err
    assert main(["catalog", "import"]) == 2
    assert "Cần đúng một tệp" in capsys.readouterr().err
    assert main(["catalog", "correct", "1.002693", "khong_co", "--set", "copies=1"]) == 2
    assert "không có thành phần 'khong_co'" in capsys.readouterr().err
