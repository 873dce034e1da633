"""The clerk's home screen: this counter's dossiers with applicant, procedure name, đủ/thiếu
and status label, in Vietnam time, filtered and searched (OCR only where a card is read)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sohoa.clock import VIETNAM
from sohoa.pipeline.classify.qr import parse_cccd
from sohoa.processing.context import open_catalog
from sohoa.search.textfold import fold
from sohoa.settings import Settings
from sohoa_dev.synth.cards import copy_page
from tests.api.conftest import BIRTH, wait_for
from tests.api.test_counter_app import new_dossier, upload

TREE = "1.002693"


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)">', html)


def test_the_list_shows_names_states_and_vietnam_times(client: TestClient,
                                                       settings: Settings) -> None:
    birth, tree = new_dossier(client, BIRTH), new_dossier(client, TREE)
    home = client.get("/").text
    assert rows(home) == [tree, birth]  # newest first
    catalog = open_catalog(settings.storage)
    stored = catalog.dossier(birth).received_at
    catalog.engine.dispose()
    local = stored.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    row = home[home.index(f'data-code="{birth}"'):].split("</tr>")[0]
    assert f'<td class="received">{local}</td>' in row
    assert "Đăng ký khai sinh" in row and "chưa kiểm tra" in row and "mới đăng ký" in row
    assert "Cấp giấy phép chặt hạ, dịch chuyển cây xanh" in home  # the procedure filter


def test_filters_and_search(client: TestClient) -> None:
    birth, tree = new_dossier(client, BIRTH), new_dossier(client, TREE)
    assert rows(client.get("/", params={"thu_tuc": TREE}).text) == [tree]
    assert rows(client.get("/", params={"tim": "chat ha"}).text) == [tree]
    assert rows(client.get("/", params={"tim": birth[-4:]}).text) == [birth]
    assert rows(client.get("/", params={"trang_thai": 2}).text) == []
    assert rows(client.get("/", params={"trang_thai": 1}).text) == [tree, birth]
    today = re.search(r"-(\d{2})(\d{2})(\d{2})-", birth).groups()  # the code's yymmdd
    day = f"{today[2]}/{today[1]}/20{today[0]}"
    assert rows(client.get("/", params={"tu_ngay": day, "den_ngay": day}).text) == [tree, birth]


def test_a_bad_day_is_named_next_to_its_field(client: TestClient) -> None:
    new_dossier(client, BIRTH)
    page = client.get("/", params={"tu_ngay": "2026-12-04"})
    assert page.status_code == 422
    assert re.search(r'id="tu_ngay"[^>]*aria-invalid="true"', page.text)
    assert ('<div class="field-error" id="tu_ngay-error">Nhận từ ngày: ngày không hợp lệ '
            '“2026-12-04”, phải có dạng ngày/tháng/năm') in page.text
    assert len(rows(page.text)) == 1  # the list is still there, without that filter


def test_an_empty_choice_is_any_and_an_unknown_status_is_named(client: TestClient) -> None:
    code = new_dossier(client, BIRTH)
    every = client.get("/", params={"tim": "", "trang_thai": "", "thu_tuc": "", "tu_ngay": "",
                                    "den_ngay": ""})
    assert every.status_code == 200 and rows(every.text) == [code]
    unknown = client.get("/", params={"trang_thai": "42"})
    assert unknown.status_code == 422
    assert "Trạng thái không có trong danh mục: “42”" in unknown.text
    assert "Không có thủ tục mã “9.999999”" in client.get("/", params={"thu_tuc": "9.999999"}).text


def test_the_applicant_the_clerk_types_is_listed_and_found(client: TestClient) -> None:
    """No card: the name typed on the paper (here the refusal slip, before any scan) stays
    with the dossier, on the list and for the search without diacritics."""
    code, other = new_dossier(client, BIRTH), new_dossier(client, TREE)
    client.post(f"/dossiers/{code}/refuse", data={"reason": "không thuộc thẩm quyền"})
    paper = client.get(f"/dossiers/{code}/receipt.pdf", params={"name": "Đặng Thị Hoà",
                                                                 "contact": "0912 345 678"})
    assert paper.status_code == 200
    home = client.get("/").text
    row = home[home.index(f'data-code="{code}"'):].split("</tr>")[0]
    assert '<td class="applicant">Đặng Thị Hoà</td>' in row
    assert rows(client.get("/", params={"tim": "dang thi hoa"}).text) == [code]
    assert rows(client.get("/", params={"tim": "hoa", "trang_thai": 1}).text) == []
    assert rows(client.get("/", params={"tim": "khai sinh"}).text) == [code]
    assert rows(client.get("/", params={"tim": other[-4:]}).text) == [other]


@pytest.mark.ocr
def test_the_applicant_comes_from_the_card_scanned(client: TestClient, tmp_path) -> None:
    """A copy of the citizen's CCCD among the scans: the list names them, and finds the
    dossier by their name typed without diacritics."""
    copy = copy_page("can_cuoc", seed=5, dpi=200)
    name = parse_cccd(copy.payloads[0]).full_name
    path = tmp_path / "cccd.png"
    copy.image.save(path)
    code = new_dossier(client, BIRTH)
    new_dossier(client, TREE)
    upload(client, code, [(path.name, path.read_bytes())])
    assert wait_for(client, code, {"review"})["complete"] is False
    kept = client.app.state.counter.ctx.catalog.dossier(code).applicant
    assert kept.name == name  # kept when the batch was analysed, before any list
    home = client.get("/").text
    row = home[home.index(f'data-code="{code}"'):].split("</tr>")[0]
    assert f'<td class="applicant">{name}</td>' in row and "✗ thiếu" in row
    assert rows(client.get("/", params={"tim": fold(name)}).text) == [code]


def test_the_list_pages_through_every_dossier_with_its_filters(client: TestClient,
                                                              settings: Settings) -> None:
    """55 dossiers: 50 on the first page, the 5 oldest on the second; the links keep the
    filters; a page that is no number is the first, one past the end the last."""
    catalog = open_catalog(settings.storage)
    start = datetime(2026, 12, 1, 8, 0, tzinfo=VIETNAM)
    codes = [catalog.new_dossier(BIRTH, settings.agency_code, start + timedelta(minutes=n))
             for n in range(55)]
    catalog.engine.dispose()
    newest_first = codes[::-1]
    first = client.get("/", params={"thu_tuc": BIRTH})
    assert rows(first.text) == newest_first[:50]
    assert "55 hồ sơ, hiện 1–50 (trang 1/2)" in first.text
    assert 'id="page-prev"' not in first.text
    link = html.unescape(re.search(r'href="([^"]+)" rel="next"', first.text).group(1))
    assert "thu_tuc=" + BIRTH in link and "trang=2" in link
    second = client.get(link)
    assert rows(second.text) == newest_first[50:]
    assert "hiện 51–55 (trang 2/2)" in second.text
    assert 'id="page-prev"' in second.text and 'id="page-next"' not in second.text
    assert rows(client.get("/", params={"trang": "abc"}).text) == newest_first[:50]
    assert rows(client.get("/", params={"trang": "99"}).text) == newest_first[50:]
