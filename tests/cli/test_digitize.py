"""End to end: ``sohoa digitize`` on generated scans, then ``sohoa verify`` on what it wrote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from sohoa.cli.main import main
from sohoa.domain.reports import FileReport
from sohoa_dev.synth import Scan, character_error_rate, make_page, save_scan
from sohoa_dev.synth.mrc import make_mrc_page, mrc_pdf
from tests.helpers import pki
from tests.support import require_program

SMALL = (4.1, 5.8)
pytestmark = pytest.mark.ocr


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tesseract_vie: str) -> Path:
    """An isolated data dir (dev CA, catalog, objects) for each test."""
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOHOA_PKCS12", raising=False)
    monkeypatch.delenv("SOHOA_PKCS11_MODULE", raising=False)
    monkeypatch.delenv("SOHOA_TSA_URL", raising=False)
    return tmp_path


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A turned, skewed JPEG and a two-page TIFF, with their truth."""
    folder = tmp_path_factory.mktemp("scans")
    turned = make_page(21, Scan(dpi=300, skew=3.0, turn=90, noise=5), size_in=SMALL, sentences=7)
    save_scan(turned, folder / "don.jpg", quality=85)
    first = make_page(22, Scan(dpi=200, skew=-2.0), size_in=SMALL, sentences=7)
    second = make_page(23, Scan(dpi=200, skew=1.0, turn=180, dark_border=30), size_in=SMALL,
                       sentences=7)
    first.image.save(folder / "giay to.tif", save_all=True, append_images=[second.image],
                     dpi=(200, 200), compression="tiff_lzw")
    return {"folder": folder, "jpg": (folder / "don.jpg", [turned]),
            "tif": (folder / "giay to.tif", [first, second])}


def _check_outputs(out: Path, stem: str, truths: list) -> FileReport:
    report = FileReport.model_validate_json((out / f"{stem}.json").read_text())
    assert [p.index for p in report.pages] == list(range(len(truths)))
    texts = (out / f"{stem}.txt").read_text(encoding="utf-8").split("\f")
    assert len(texts) == len(truths)
    for page, text, truth in zip(report.pages, texts, truths, strict=True):
        assert page.rotation == truth.expected_rotation
        # Plain text pages: the lines decide, surely, and no page is read twice to orient it.
        assert (page.rotation_evidence, page.rotation_confidence) == ("lines", 1.0)
        assert page.deskew_angle == pytest.approx(truth.scan.skew, abs=0.2)
        assert page.dpi == pytest.approx(truth.scan.dpi, abs=1)
        assert character_error_rate(truth.text, text) < 0.03
        assert page.confidence > 80
        assert not page.input_text_layer
    assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    return report


def test_digitize_then_verify(env: Path, scans: dict, capsys: pytest.CaptureFixture) -> None:
    out = env / "out"
    jpg, jpg_truth = scans["jpg"]
    tif, tif_truth = scans["tif"]
    code = main(["digitize", str(jpg), str(tif), "--out", str(out), "--jobs", "2", "--quiet"])
    assert code == 0, capsys.readouterr().err
    _check_outputs(out, "don", jpg_truth)
    report = _check_outputs(out, "giay to", tif_truth)
    assert "dark_border" in report.pages[1].flags
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{s}.{x}" for s in ("don", "giay to") for x in ("pdf", "txt", "json"))

    nss = pki.nss_store(env / "nss", [env / "data" / "dev-ca" / "ca.crt"])
    for stem in ("don", "giay to"):
        report = pki.pdfsig(out / f"{stem}.pdf", nss)
        assert "Signature is Valid." in report and "Certificate is Trusted." in report, report
        assert "Total document signed" in report, report

    capsys.readouterr()
    assert main(["verify", str(out / "don.pdf"), "--json"]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["valid"] is True
    signature = verdict["signatures"][0]
    assert "THỬ NGHIỆM" in signature["signer_name"]
    assert signature["intact"] and signature["trusted"]
    assert signature["signing_time"].endswith("+07:00")
    assert signature["modified_after_signing"] is False


def test_changed_byte_fails_verification(env: Path, scans: dict) -> None:
    out = env / "out"
    jpg, _ = scans["jpg"]
    assert main(["digitize", str(jpg), "--out", str(out), "--jobs", "1", "--quiet"]) == 0
    pdf = out / "don.pdf"
    data = bytearray(pdf.read_bytes())
    at = data.index(b"/MediaBox") + 2  # inside the signed original revision
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    pdf.write_bytes(bytes(data))
    assert main(["verify", str(pdf)]) == 1
    nss = pki.nss_store(env / "nss", [env / "data" / "dev-ca" / "ca.crt"])
    report = pki.pdfsig(pdf, nss)
    assert "Signature is Valid." not in report
    assert "Digest Mismatch" in report or "Signature is Invalid" in report, report


def test_bad_files_fail_alone(env: Path, scans: dict, capsys: pytest.CaptureFixture) -> None:
    folder = env / "in"
    folder.mkdir()
    good = folder / "tot.png"
    Image.open(scans["jpg"][0]).save(good, dpi=(300, 300))
    truncated = folder / "hong.jpg"
    truncated.write_bytes(scans["jpg"][0].read_bytes()[:5000])
    empty = folder / "rong.pdf"
    empty.write_bytes(b"")
    notpdf = folder / "van-ban.pdf"
    notpdf.write_bytes(b"PK\x03\x04 this is a zip, not a pdf" * 10)
    out = env / "out"
    code = main(["digitize", str(truncated), str(good), str(empty), str(notpdf),
                 "--out", str(out), "--jobs", "2", "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    for name in ("hong.jpg", "rong.pdf", "van-ban.pdf"):
        assert sum(name in line for line in err.splitlines()) == 1, err
    assert "tot.png" not in err
    assert sorted(p.name for p in out.iterdir()) == ["tot.json", "tot.pdf", "tot.txt"]


def test_an_existing_text_layer_is_replaced_not_doubled(env: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    """A scanner's MRC PDF with its own invisible OCR layer (marker word ZEBRAQUIX): the
    output carries sohoa's layer only, once, on a page of the input's size and shape."""
    pdftotext = require_program("pdftotext")
    truth = make_mrc_page(51, (5.8, 4.1), sentences=4, hidden_text="ZEBRAQUIX scanner OCR")
    source = env / "quet-mrc.pdf"
    mrc_pdf([truth], "mask", seal=False).save(source)
    out = env / "out"
    assert main(["digitize", str(source), "--out", str(out), "--jobs", "1", "--quiet"]) == 0, \
        capsys.readouterr().err
    [page] = FileReport.model_validate_json((out / "quet-mrc.json").read_text()).pages
    assert page.input_text_layer
    assert page.dpi == pytest.approx(150, abs=1)  # the background's (see load/pdf.py)
    text = subprocess.run([pdftotext, str(out / "quet-mrc.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ZEBRAQUIX" not in text
    assert text.count("Hạnh phúc") == 1, text  # one text layer, not ours beside another
    ours = (out / "quet-mrc.txt").read_text(encoding="utf-8")
    assert character_error_rate("\n".join(truth.lines), ours) < 0.03
    with pikepdf.open(out / "quet-mrc.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (width, height) == pytest.approx(truth.size_pt, rel=0.01)  # true size, landscape


def test_help_explains_the_outputs(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["digitize", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for word in ("--out", "--jobs", "deskew_angle", "rotation", "PDF/A-2b"):
        assert word in text


def test_a_tesseract_killed_once_is_run_again(env: Path, scans: dict) -> None:
    """Issue 13, point 1, for ``sohoa digitize`` too: the page is read again, not failed."""
    import os
    import subprocess
    import sys

    from tests.helpers.fake_tesseract import fake_tesseract

    fake = fake_tesseract(env / "fake", deaths=1)
    environ = {**os.environ, "PATH": fake.path_with(os.environ["PATH"]),
               "SOHOA_MIN_BACKOFF_S": "0.1", "SOHOA_DATA_DIR": str(env / "data")}
    done = subprocess.run([sys.executable, "-m", "sohoa.cli", "digitize",
                           str(scans["folder"] / "don.jpg"), "--out", str(env / "out")],
                          env=environ, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert fake.deaths == 1 and fake.runs == 2
    assert (env / "out" / "don.pdf").exists()
