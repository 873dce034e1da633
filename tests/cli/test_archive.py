"""``sohoa archive export`` / ``verify`` from the command line (issue 17): exit codes and
what the operator reads."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.records import DossierStatus
from tests.cli.test_fetch import stored  # noqa: F401 - the fixture

__all__ = ["stored"]


def test_export_by_code_then_verify_the_zip(stored: tuple[str, Settings], tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    code, _ = stored
    out = tmp_path / "nop-luu"
    assert main(["archive", "export", code, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Đã xuất 1 gói nộp lưu" in printed
    assert "2 tài liệu, 2 trang, 2 chữ ký hợp lệ" in printed
    [zipped] = out.glob("*.zip")
    assert main(["archive", "verify", str(zipped), str(zipped.with_suffix(""))]) == 0
    printed = capsys.readouterr().out
    assert printed.count("HỢP LỆ — gói urn:") == 2
    assert "2/2 chữ ký hợp lệ" in printed


def test_verify_lists_every_problem_and_exits_6(stored: tuple[str, Settings], tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    code, _ = stored
    out = tmp_path / "nop-luu"
    assert main(["archive", "export", code, "--out", str(out), "--aip"]) == 0
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    assert 'OAISPACKAGETYPE="AIP"' in (folder / "METS.xml").read_text(encoding="utf-8")
    (folder / "representations/rep1/data/01-to_khai_khai_sinh.pdf").unlink()
    capsys.readouterr()
    assert main(["archive", "verify", str(folder)]) == 6
    printed = capsys.readouterr().out
    assert "CÓ 1 LỖI" in printed  # METS, EAD and PREMIS still agree on what should be there
    assert "thiếu tệp representations/rep1/data/01-to_khai_khai_sinh.pdf" in printed
    assert main(["archive", "verify", str(tmp_path)]) == 6
    assert "không phải gói nộp lưu" in capsys.readouterr().out


def test_export_by_selection_of_closed_dossiers(stored: tuple[str, Settings], tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    code, settings = stored
    out = tmp_path / "chon"
    assert main(["archive", "export", "--procedure", "1.001193", "--out", str(out)]) == 2
    assert "Không có hồ sơ nào để nộp lưu" in capsys.readouterr().err
    assert main(["archive", "export", code, "--procedure", "1.001193", "--out",
                 str(out)]) == 2
    assert "không dùng cả hai" in capsys.readouterr().err
    with open_context(settings) as ctx:
        ctx.catalog.set_status(code, DossierStatus.DA_XU_LY_XONG)
    assert main(["archive", "export", "--procedure", "1.001193", "--closed-from",
                 "2026-03-01", "--out", str(out)]) == 0
    assert code in capsys.readouterr().out
    assert (out / "muc-luc-ho-so-nop-luu.pdf").is_file()


@pytest.mark.ocr
def test_round_trip_intake_then_export_then_verify(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tesseract_vie: str,
                                                  capsys: pytest.CaptureFixture) -> None:
    """The whole path: scans through ``sohoa intake`` (OCR, classification, signing), then
    the package, then verify on its zip."""
    from sohoa_dev.synth import Scan, make_page, save_scan

    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_AGENCY",
                 "SOHOA_DATABASE_URL", "SOHOA_BROKER_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    scan = save_scan(make_page(40, Scan(dpi=200, skew=1.5), size_in=(4.1, 5.8), sentences=5),
                     tmp_path / "to-khai.png")
    assert main(["intake", "--procedure", "1.001193", str(scan), "--quiet"]) == 0
    code = re.search(r"000\.00\.14\.H56-\d{6}-\d{4}", capsys.readouterr().out).group(0)
    out = tmp_path / "nop-luu"
    assert main(["archive", "export", code, "--out", str(out)]) == 0
    assert "1 chữ ký hợp lệ" in capsys.readouterr().out
    [zipped] = out.glob("*.zip")
    assert main(["archive", "verify", str(zipped)]) == 0
    assert "HỢP LỆ" in capsys.readouterr().out
    assert main(["dossier", code]) == 0  # the dossier says it was handed over, and in what
    assert f"Đã nộp lưu: gói SIP {zipped.stem.replace('_', ':')}" in capsys.readouterr().out
    with open_context(Settings.from_env()) as ctx:
        [document] = ctx.catalog.dossier(code).documents
    with zipfile.ZipFile(zipped) as z:
        [pdf] = [n for n in z.namelist() if n.endswith(".pdf") and "/data/" in n]
        assert hashlib.sha256(z.read(pdf)).hexdigest() == document.sha256
