"""``sohoa intake --review`` then ``sohoa review``: correct at the counter, then accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa_dev.synth import Scan, make_page, save_scan

pytestmark = pytest.mark.ocr
CODE = re.compile(r"Mã hồ sơ: (\S+)")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tesseract_vie: str) -> list[Path]:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_BROKER_URL",
                 "SOHOA_DATABASE_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    titles = ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY CHỨNG SINH", None)
    return [save_scan(make_page(85 + n, Scan(dpi=200), size_in=(5.8, 8.3), sentences=4,
                                title=t), tmp_path / f"trang-{n}.png")
            for n, t in enumerate(titles)]


def test_review_corrects_then_accepts(files: list[Path],
                                      capsys: pytest.CaptureFixture) -> None:
    assert main(["intake", "--procedure", "1.001193", "--review", "--quiet",
                 *map(str, files)]) == 0
    out = capsys.readouterr().out
    code = CODE.search(out).group(1)
    assert "Chờ cán bộ xem lại" in out and "Hồ sơ đầy đủ" in out
    assert ".pdf" not in out  # nothing signed yet

    assert main(["review", code, "--remove", "2"]) == 0
    out = capsys.readouterr().out
    assert "Thiếu 1 thành phần" in out and "Giấy chứng sinh" in out

    assert main(["review", code, "--remove", "3", "--type", "3=khac"]) == 0  # merged
    assert main(["review", code, "--order", "1,3,2", "--accept"]) == 0
    out = capsys.readouterr().out
    assert "01-to_khai_khai_sinh.pdf" in out and "02-giay_chung_sinh.pdf" not in out
    assert "Chờ cán bộ" not in out.split("Mã hồ sơ")[-1]

    assert main(["review", code, "--type", "1=khac"]) == 7  # accepted: no more corrections
    assert "không ở bước chờ" in capsys.readouterr().err
