"""``sohoa classify`` and ``sohoa train`` end to end on generated scans (real Tesseract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.errors import ExitCode
from sohoa.pipeline.classify.learned import load_model
from sohoa_dev.synth import Scan, make_page, save_scan

pytestmark = pytest.mark.ocr
SMALL = (5.8, 8.3)
PLAIN = Scan(dpi=200)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tesseract_vie: str) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOHOA_MODEL", raising=False)


def _scan(folder: Path, name: str, title: str, seed: int, scan: Scan = PLAIN) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    page = make_page(seed, scan, size_in=SMALL, sentences=5, title=title)
    return save_scan(page, folder / name)


@pytest.fixture
def birth_dossier(tmp_path: Path) -> list[Path]:
    return [_scan(tmp_path / "in", "1.png", "TỜ KHAI ĐĂNG KÝ KHAI SINH", 1,
                  Scan(dpi=200, skew=2.5)),
            _scan(tmp_path / "in", "2.png", "GIẤY CHỨNG SINH", 2, Scan(dpi=200, turn=180))]


def _classify(capsys: pytest.CaptureFixture, *args: str) -> dict:
    assert main(["classify", "--procedure", "1.001193", "--json", "--quiet", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_classify_gives_types_documents_and_verdict(birth_dossier: list[Path],
                                                    capsys: pytest.CaptureFixture) -> None:
    result = _classify(capsys, *map(str, birth_dossier))
    assert [p["doc_type"] for p in result["pages"]] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert [d["pages"] for d in result["documents"]] == [[0], [1]]
    assert result["verdict"]["complete"] is True
    statuses = sorted(i["status"] for i in result["verdict"]["items"])
    assert statuses == ["not_applicable", "present", "present"]


def test_fast_pass_agrees_on_title_pages(birth_dossier: list[Path],
                                         capsys: pytest.CaptureFixture) -> None:
    result = _classify(capsys, "--fast", *map(str, birth_dossier))
    assert [p["doc_type"] for p in result["pages"]] == ["to_khai_khai_sinh", "giay_chung_sinh"]
    assert result["verdict"]["complete"] is True


def test_clerk_overrides_recompute_the_verdict(birth_dossier: list[Path],
                                               capsys: pytest.CaptureFixture) -> None:
    files = list(map(str, birth_dossier))
    retyped = _classify(capsys, "--type", "2=khac", *files)
    assert retyped["pages"][1]["source"] == "override"
    assert retyped["verdict"]["complete"] is False
    missing = [i for i in retyped["verdict"]["items"] if i["status"] == "missing"]
    assert len(missing) == 1
    joined = _classify(capsys, "--join", "2", *files)
    assert [d["pages"] for d in joined["documents"]] == [[0, 1]]
    assert joined["verdict"]["complete"] is False


def test_bad_override_is_refused(birth_dossier: list[Path],
                                 capsys: pytest.CaptureFixture) -> None:
    assert main(["classify", "--procedure", "1.001193", "--type", "hai=khac",
                 str(birth_dossier[0])]) == ExitCode.USAGE  # as every usage error
    assert "--type" in capsys.readouterr().err


def test_train_builds_a_model_from_labelled_folders(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    titles = {"to_khai_khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
              "giay_chung_sinh": "GIẤY CHỨNG SINH",
              "van_ban_uy_quyen": "VĂN BẢN ỦY QUYỀN"}
    for n, (code, title) in enumerate(titles.items()):
        for k in range(2):
            _scan(tmp_path / "labelled" / code, f"{k}.png", title, 10 * n + k)
    out = tmp_path / "model.bin"
    assert main(["train", str(tmp_path / "labelled"), "--out", str(out), "--quiet"]) == 0
    assert "từ 6 trang, 3 loại" in capsys.readouterr().out
    model = load_model(out)
    assert set(model.labels) == set(titles)
    label, probability = model.predict("GIẤY CHỨNG SINH\nHọ và tên mẹ: Nguyễn Thị Lan")
    assert label == "giay_chung_sinh" and probability > 1 / 3


def test_train_refuses_folders_that_are_not_type_codes(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    _scan(tmp_path / "labelled" / "giay-lung-tung", "0.png", "GIẤY CHỨNG SINH", 1)
    assert main(["train", str(tmp_path / "labelled"), "--out", str(tmp_path / "m")]) == 3
    assert "giay-lung-tung" in capsys.readouterr().err


def test_cover_sheets_carry_the_dossier_in_their_qr(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    import subprocess

    import numpy as np
    from PIL import Image

    from sohoa.pipeline.classify.qr import decode_qr, parse_sheet

    out = tmp_path / "bia.pdf"
    code = "000.00.14.H56-261121-0042"
    assert main(["cover", "--procedure", "1.001612", "--dossier", code, "--out", str(out)]) == 0
    assert "4 tờ phân cách" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "BÌA HỒ SƠ" in text and code in text and text.count("TỜ PHÂN CÁCH") == 4
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(out), str(tmp_path / "p")],
                   check=True)
    sheets = [parse_sheet(p) for png in sorted(tmp_path.glob("p-*.png"))
              for p in decode_qr(np.asarray(Image.open(png)), 150)]
    assert [s.kind for s in sheets] == ["cover"] + ["separator"] * 4
    assert sheets[0].dossier_code == code and sheets[0].procedure_code == "1.001612"
    assert len({s.item_id for s in sheets[1:]}) == 4


def test_cover_refuses_a_malformed_dossier_code(capsys: pytest.CaptureFixture) -> None:
    assert main(["cover", "--procedure", "1.001612", "--dossier", "abc"]) == 2
    assert "không phải mã hồ sơ" in capsys.readouterr().err
