"""``sohoa intake --review`` then ``sohoa review``: correct at the counter, then accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.clock import VIETNAM
from sohoa.errors import ExitCode
from sohoa.processing.context import catalog_session
from sohoa.settings import Settings
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


@pytest.fixture
def held(files: list[Path], capsys: pytest.CaptureFixture) -> str:
    """The code of a dossier whose three pages wait for the clerk's review."""
    assert main(["intake", "--procedure", "1.001193", "--review", "--quiet",
                 *map(str, files)]) == 0
    return CODE.search(capsys.readouterr().out).group(1)


def test_review_corrects_then_accepts(files: list[Path],
                                      capsys: pytest.CaptureFixture) -> None:
    assert main(["intake", "--procedure", "1.001193", "--review", "--quiet",
                 *map(str, files)]) == 0
    out = capsys.readouterr().out
    code = CODE.search(out).group(1)
    assert "Chờ cán bộ xem lại" in out and out.count("Hồ sơ đầy đủ") == 1
    assert ".pdf" not in out  # nothing signed yet
    assert "Tài liệu đã ký số và lưu" not in out  # no empty heading
    assert "Danh mục:" not in out and "sqlite" not in out and "Kho lưu trữ" not in out
    assert "Trạng thái: 1 (mới đăng ký — chưa tiếp nhận)" in out

    assert main(["review", code]) == 0
    out = capsys.readouterr().out
    assert out.count("Hồ sơ đầy đủ") == 1 and "Tài liệu đã ký số và lưu" not in out
    assert main(["review", code, "--verbose"]) == 0
    assert "Danh mục:    sqlite:///" in capsys.readouterr().out  # for the server's operator

    assert main(["review", code, "--remove", "2"]) == 0
    out = capsys.readouterr().out
    assert "Thiếu 1 thành phần" in out and "Giấy chứng sinh" in out

    assert main(["review", code, "--remove", "3", "--type", "3=khac"]) == 0  # merged
    assert main(["review", code, "--order", "1,3,2", "--accept"]) == 0
    out = capsys.readouterr().out
    assert "01-to_khai_khai_sinh.pdf" in out and "02-giay_chung_sinh.pdf" not in out
    assert "Chờ cán bộ" not in out.split("Mã hồ sơ")[-1]
    assert "Tài liệu đã ký số và lưu:" in out
    # the certificate was removed: signed and stored, but not received (docs/domain.md)
    assert "Trạng thái: 1 (mới đăng ký — chưa tiếp nhận)" in out

    assert main(["review", code, "--type", "1=khac"]) == 7  # accepted: no more corrections
    assert "không ở bước chờ" in capsys.readouterr().err


NOT_A_PAGE = [["--type", "9=khac"], ["--split", "9"], ["--join", "9"], ["--join", "0"],
              ["--remove", "7"], ["--split", "0"]]
MALFORMED_TYPE = [(["--type", "2"], "'2'"), (["--type", "x=khac"], "'x=khac'"),
                  (["--type", "2="], "'2='"), (["--type", "2=xyz"], "'xyz'")]


def test_corrections_naming_no_page_or_malformed_are_refused_in_one_line(
        held: str, capsys: pytest.CaptureFixture) -> None:
    """As ``--remove 7`` always was: exit 2, one line, nothing changed."""
    for argv in NOT_A_PAGE:
        assert main(["review", held, *argv]) == ExitCode.USAGE, argv
        page = argv[1].partition("=")[0]
        assert capsys.readouterr().err.strip() == \
            f"sohoa: lỗi: Không có trang {page} trong lô (lô có 3 trang, đánh số từ 1)"
    for argv, named in MALFORMED_TYPE:
        assert main(["review", held, *argv]) == ExitCode.USAGE, argv
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and named in lines[0]
    assert main(["review", held]) == 0
    out = capsys.readouterr().out
    assert "Hồ sơ đầy đủ" in out and "Chờ cán bộ xem lại" in out  # nothing was changed


def test_dossier_shows_status_and_vietnam_time_and_refuse_sets_3(
        held: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["dossier", held]) == 1  # held for review: not done
    out = capsys.readouterr().out
    with catalog_session(Settings.from_env().storage) as catalog:
        registered = catalog.dossier(held).received_at.astimezone(VIETNAM)
    assert (f"Trạng thái: 1 (mới đăng ký — chưa tiếp nhận)   Lập hồ sơ lúc "
            f"{registered:%H:%M:%S %d/%m/%Y} (giờ Việt Nam)") in out

    assert main(["refuse", held, "--reason", "không bổ sung"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[0] == \
        f"Hồ sơ {held}: trạng thái 3 (không được tiếp nhận)."
    main(["dossier", held])
    assert "Trạng thái: 3 (không được tiếp nhận)   Lập hồ sơ lúc" in capsys.readouterr().out
    assert main(["refuse", held, "--reason", "lần nữa"]) == ExitCode.STORAGE  # only from 1
    assert "trạng thái 3" in capsys.readouterr().err
    assert main(["review", held, "--accept"]) == ExitCode.STORAGE
    assert "từ chối" in capsys.readouterr().err
