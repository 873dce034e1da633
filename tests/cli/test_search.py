"""``sohoa search`` and ``sohoa reindex`` on the embedded default (a scratch data dir)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.processing.context import open_catalog
from sohoa.settings import Settings
from tests.helpers.search_data import add_document, new_dossier


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    catalog = open_catalog(Settings.from_env().storage)
    code = new_dossier(catalog)
    add_document(catalog, code, 1, ["Trang bìa", "Nơi sinh: Bệnh viện Đà Nẵng"],
                 doc_type="giay_chung_sinh", title="Giấy chứng sinh")
    catalog.engine.dispose()
    return code


def test_search_prints_hits_with_page_and_marked_words(code: str,
                                                       capsys: pytest.CaptureFixture) -> None:
    assert main(["search", "da nang", "--type", "giay_chung_sinh"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Tìm thấy 1 trang, hiện 1–1."
    assert out[1] == (f"1. {code} · tài liệu 1 (Giấy chứng sinh) · trang 2 · thủ tục 1.001193 "
                      "· 14/03/2025 · được tiếp nhận")
    assert out[2] == "   Nơi sinh: Bệnh viện «Đà» «Nẵng»"
    assert main(["search", "da nang", "--type", "to_khai_khai_sinh"]) == 1
    assert capsys.readouterr().out == "Không tìm thấy trang nào.\n"


def test_search_json_and_refusals(code: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["search", "bệnh viện", "--json", "--from", "2025-03-14"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["total"], body["hits"][0]["page"], body["hits"][0]["pdf"]) == \
        (1, 2, f"/api/v1/dossiers/{code}/documents/1#page=2")
    assert body["hits"][0]["received_at"].endswith("+07:00")  # Vietnam time
    assert main(["search", "&|!"]) == 2
    assert "Hãy nhập ít nhất một từ cần tìm" in capsys.readouterr().err


def test_reindex_rebuilds_the_index(code: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["reindex", "--quiet"]) == 0
    assert capsys.readouterr().out == "Đã lập chỉ mục 2 trang.\n"
    assert main(["search", "trang bìa"]) == 0
