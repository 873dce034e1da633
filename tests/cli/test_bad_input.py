"""Every sub-command, given what a new user types by mistake — a missing file, a folder, an
empty file, a file that is not a scan, a code that does not exist, a malformed option or
setting — answers in one line of Vietnamese, with no traceback and the documented exit
code, and creates nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.errors import ExitCode
from sohoa.processing.context import catalog_session
from sohoa.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "tests" / "resources"
UNKNOWN = "000.00.14.H56-261204-9999"
P = "1.001193"


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A data folder of its own, and the four kinds of bad file."""
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOHOA_BROKER_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rong.pdf").write_bytes(b"")
    (tmp_path / "ghi-chu.pdf").write_text("không phải bản quét\n", encoding="utf-8")
    (tmp_path / "thu-muc").mkdir()
    return {"missing": "khong-co.pdf", "folder": "thu-muc", "empty": "rong.pdf",
            "text": "ghi-chu.pdf"}


FILE_COMMANDS = [
    (["intake", "--procedure", P, "--quiet"], ExitCode.INPUT),
    (["classify", "--procedure", P, "--quiet"], ExitCode.INPUT),
    (["digitize", "--out", "ra", "--quiet"], ExitCode.FAILED),
]


@pytest.mark.parametrize("kind", ["missing", "folder", "empty", "text"])
@pytest.mark.parametrize(("command", "code"), FILE_COMMANDS, ids=lambda c: str(c)[:20])
def test_a_bad_file_is_one_line_and_nothing_is_created(
        inputs: dict[str, str], kind: str, command: list[str], code: int,
        capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    assert main([*command, inputs[kind]]) == code
    _one_vietnamese_line(capsys, inputs[kind])
    _nothing_created(tmp_path / "data")
    assert not (tmp_path / "ra").exists()


def _nothing_created(data: Path) -> None:
    """No raw scan stored, no dossier (so no number used)."""
    assert [p for p in data.rglob("*") if p.is_file() and "objects" in p.parts] == []
    if (data / "catalog.sqlite3").exists():
        with catalog_session(Settings.from_env().storage) as catalog:
            assert catalog.list_dossiers() == []


@pytest.mark.parametrize(("name", "reason"), [
    ("don.docx", "DOCX"), ("encrypted-user.pdf", "mật khẩu"),
    ("encrypted-owner.pdf", "mật khẩu"), ("docx-renamed.pdf", "DOCX"),
])
def test_intake_of_a_file_with_no_readable_page_creates_nothing(
        inputs: dict[str, str], name: str, reason: str, capsys: pytest.CaptureFixture,
        tmp_path: Path) -> None:
    path = RESOURCES / name
    if name == "don.docx":  # a real Word file (a ZIP), not one renamed
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as word:
            word.writestr("word/document.xml", "<w:document/>")
    assert main(["intake", "--procedure", P, "--quiet", str(path)]) == ExitCode.INPUT
    line = _one_vietnamese_line(capsys, name)
    assert "chưa lập hồ sơ" in line and reason in line
    _nothing_created(tmp_path / "data")


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_mistyped_second_path_refuses_the_whole_batch(
        inputs: dict[str, str], kind: str, capsys: pytest.CaptureFixture,
        tmp_path: Path) -> None:
    """The good file first, then a path that is not a file: nothing is received (no half
    dossier, no number used), and the line names the bad path."""
    good = str(RESOURCES / "scan-200dpi.pdf")
    assert main(["intake", "--procedure", P, "--quiet", good, inputs[kind]]) == ExitCode.INPUT
    line = _one_vietnamese_line(capsys, inputs[kind])
    assert line.startswith("sohoa: lỗi: Chưa lập hồ sơ, không nhận tệp nào")
    _nothing_created(tmp_path / "data")


@pytest.mark.parametrize(("argv", "code", "named"), [
    (["verify", "khong-co.pdf"], ExitCode.VERIFICATION, "khong-co.pdf"),
    (["verify", "thu-muc"], ExitCode.VERIFICATION, "thu-muc"),
    (["verify", "rong.pdf"], ExitCode.VERIFICATION, "PDF"),
    (["verify", "ghi-chu.pdf"], ExitCode.VERIFICATION, "PDF"),
    (["train", "khong-co", "--out", "m.model"], ExitCode.INPUT, "khong-co"),
    (["train", "rong.pdf", "--out", "m.model"], ExitCode.INPUT, "rong.pdf"),
    (["watch", "khong-co", "--procedure", P], ExitCode.INPUT, "khong-co"),
    (["watch", "rong.pdf", "--procedure", P], ExitCode.INPUT, "rong.pdf"),
    (["dossier", UNKNOWN], ExitCode.STORAGE, UNKNOWN),
    (["review", UNKNOWN, "--accept"], ExitCode.STORAGE, UNKNOWN),
    (["receipt", UNKNOWN], ExitCode.STORAGE, UNKNOWN),
    (["route", UNKNOWN], ExitCode.STORAGE, UNKNOWN),
    (["scrub", "--dossier", UNKNOWN], ExitCode.STORAGE, UNKNOWN),
    (["catalog", "9.999999"], ExitCode.USAGE, "9.999999"),
    (["cover", "--procedure", "9.999999"], ExitCode.USAGE, "9.999999"),
    (["intake", "--procedure", "9.999999", "rong.pdf"], ExitCode.USAGE, "9.999999"),
    (["cover", "--procedure", P, "--dossier", "khong-phai-ma"], ExitCode.USAGE,
     "khong-phai-ma"),
    (["audit", "--since", "23/11"], ExitCode.USAGE, "23/11"),
    (["scrub", "--since", "hôm qua"], ExitCode.USAGE, "hôm qua"),
    (["user", "passwd", "khong-co-ai"], ExitCode.USAGE, "khong-co-ai"),
    (["token", "revoke", "999"], ExitCode.USAGE, "999"),
])
def test_a_bad_argument_is_one_line(inputs: dict[str, str], argv: list[str], code: int,
                                    named: str, capsys: pytest.CaptureFixture,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_NEW_PASSWORD", "mat-khau-du-dai-123")
    assert main(argv) == code
    _one_vietnamese_line(capsys, named)


@pytest.mark.parametrize(("variable", "value"), [
    ("SOHOA_JOBS", "two"), ("SOHOA_JOBS", "0"), ("SOHOA_MIN_BACKOFF_S", "x"),
    ("SOHOA_MAX_RETRIES", "sáu"), ("SOHOA_HEARTBEAT_TIMEOUT_S", "30s"),
])
def test_a_malformed_setting_names_the_variable(inputs: dict[str, str], variable: str,
                                                value: str, capsys: pytest.CaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, value)
    assert main(["catalog"]) == ExitCode.USAGE
    line = _one_vietnamese_line(capsys, variable)
    assert value in line


@pytest.mark.parametrize("argv", [
    ["intake"], ["intake", "--lane", "sau", "--procedure", P, "a.pdf"], ["khong-co-lenh"],
    ["worker", "--processes", "hai"], ["search", "x", "--from", "23/11"], ["catalog", "--nope"],
])
def test_usage_errors_are_in_vietnamese(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "lỗi:" in err and "cách dùng:" in err
    assert not re.search(r"\b(error|usage|invalid|required|argument|choose)\b", err)


def test_help_is_in_vietnamese(capsys: pytest.CaptureFixture) -> None:
    for argv in (["--help"], ["intake", "--help"], ["user", "add", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert "cách dùng:" in out and "hiện trợ giúp này rồi thoát" in out
        assert not re.search(r"\b(usage|positional arguments|options|show this help)\b", out)


def _one_vietnamese_line(capsys: pytest.CaptureFixture, named: str) -> str:
    """The whole answer is one line on stderr naming ``named``: no traceback, no English
    from a library."""
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert named in lines[0] and "Traceback" not in captured.err
    assert not re.search(r"\b(No such|Errno|not found|error:|unsupported|bytes)\b", lines[0])
    return lines[0]


def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    """``sohoa … | head -1``: the pipe closes before sohoa writes; no BrokenPipeError."""
    child = subprocess.Popen([sys.executable, "-m", "sohoa.cli", "settings"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    child.stdout.close()  # the reader is gone before the first line is written
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0
    assert b"BrokenPipe" not in err and b"Traceback" not in err
