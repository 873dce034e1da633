"""``sohoa fetch CODE [DOC] --out DIR``: signed documents copied out, hash-checked, audited,
ready for ``sohoa verify`` (issue 13: operators had to use an S3 client)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.processing.context import open_context
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog
from sohoa.storage.objects import sha256_hex
from tests.helpers.stored import store_dossier
from tests.services.test_scrub import SIGNED


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Settings]:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_AGENCY",
                 "SOHOA_DATABASE_URL", "SOHOA_BROKER_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    with open_context(settings) as ctx:
        code = store_dossier(ctx, "1.001193", [("to_khai_khai_sinh", ["to khai"]),
                                               ("giay_chung_sinh", ["chung sinh"])], SIGNED)
    return code, settings


def test_fetch_writes_every_signed_document_and_verify_accepts_them(
        stored: tuple[str, Settings], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, settings = stored
    out = tmp_path / "ra"
    assert main(["fetch", code, "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["01-to_khai_khai_sinh.pdf", "02-giay_chung_sinh.pdf"]
    with open_context(settings) as ctx:
        record = ctx.catalog.dossier(code)
        assert [sha256_hex(f.read_bytes()) for f in files] == [d.sha256 for d in
                                                                record.documents]
        reads = AuditLog(ctx.catalog).entries(dossier=code, action="document.read")
        assert len(reads) == 2
    printed = capsys.readouterr().out
    assert f"Đã tải 2 tài liệu của hồ sơ {code}" in printed
    assert main(["verify", str(files[0])]) == 0


def test_fetch_one_document_and_refuse_a_copy_that_does_not_match(
        stored: tuple[str, Settings], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code, settings = stored
    assert main(["fetch", code, "2", "--out", str(tmp_path / "mot")]) == 0
    assert [f.name for f in (tmp_path / "mot").iterdir()] == ["02-giay_chung_sinh.pdf"]
    assert main(["fetch", code, "9", "--out", str(tmp_path / "khong")]) == 7
    assert "không có tài liệu số 9" in capsys.readouterr().err

    with open_context(settings) as ctx:
        key = ctx.catalog.dossier(code).documents[0].key
        path = ctx.objects.data_path(key)  # type: ignore[attr-defined]
    data = path.read_bytes()
    path.write_bytes(data[:-10] + b"X" * 10)  # a flipped tail on disk
    bad = tmp_path / "hong"
    assert main(["fetch", code, "1", "--out", str(bad)]) == 7
    assert list(bad.iterdir()) == []  # nothing half-written, no .part left
