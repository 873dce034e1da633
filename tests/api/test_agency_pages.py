"""What agency officers and archivists see in a browser (issue 15, items 11–14): Vietnamese
HTML pages and never raw JSON, the signature check as a page, filters that are dropdowns of
names and refuse what they do not know next to the field, archivists reading every dossier
and changing none, procedure names in lists, download names carrying the dossier code."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from sohoa.clock import VIETNAM
from sohoa.domain.access import Role
from sohoa.storage.audit import AuditLog
from sohoa.storage.routing import route
from tests.api.conftest import CENTER
from tests.helpers.auth import bearer, issue_token, sign_in_as

HTML = {"accept": "text/html,application/xhtml+xml"}
ENGLISH = ("Not Found", "Field required", "value is not", "Internal Server Error",
           "Method Not Allowed", "Unprocessable", '"detail"')


def text_of(html: str) -> str:
    """The page's visible words (tags dropped, entities decoded)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def assert_vietnamese_page(response, status: int) -> str:  # noqa: ANN001
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    for word in ENGLISH:
        assert word not in response.text, word
    return text_of(response.text)


def test_unknown_urls_are_a_vietnamese_page_for_browsers_and_json_for_the_api(routed_app) -> None:  # noqa: ANN001
    client, _ = routed_app
    sign_in_as(client, "canbo1", Role.CLERK)
    missing = client.get("/khong-co-trang-nay", headers=HTML)
    page = assert_vietnamese_page(missing, 404)
    assert "Không tìm thấy trang /khong-co-trang-nay" in page
    assert 'id="signed-in-as"' in missing.text and 'href="/" id="error-home"' in missing.text
    api = client.get("/api/v1/khong-co", headers=HTML)
    assert api.status_code == 404 and api.json() == {
        "error": "Không tìm thấy trang /api/v1/khong-co — địa chỉ sai hoặc trang không còn "
                 "nữa."}
    wrong_method = client.delete("/co-quan", headers=HTML)
    assert "không nhận thao tác DELETE" in assert_vietnamese_page(wrong_method, 405)


def test_the_json_api_answers_every_4xx_in_one_shape(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    token = issue_token(client, "tuphap", agency_codes=[CENTER])
    bad = client.get("/api/v1/dossiers", headers=bearer(token),
                     params={"status": "abc", "received_from": "32/13/2026"})
    assert bad.status_code == 422
    body = bad.json()
    assert set(body) == {"error", "fields"} and body["error"].startswith(
        "Dữ liệu gửi lên không hợp lệ")
    assert body["fields"] == {"status": "tham số 'status': phải là số nguyên",
                              "received_from": "tham số 'received_from': ngày không hợp lệ "
                                               "(dạng YYYY-MM-DD, ví dụ 2026-11-23)"}
    unknown = client.get("/api/v1/dossiers", headers=bearer(token),
                         params={"procedure": "9.999999"})
    assert unknown.status_code == 422 and "không có mã '9.999999'" in unknown.json()["error"]
    wrong_body = client.post(f"/api/v1/dossiers/{codes['birth']}/status",
                             headers=bearer(token), json={"status": 99})
    assert wrong_body.status_code == 422 and "phải không quá 10" in wrong_body.json()["error"]
    for response in (client.get("/api/v1/dossiers"),  # 401
                     client.get(f"/api/v1/dossiers/{codes['land']}", headers=bearer(token)),
                     client.get("/api/v1/dossiers/khong-co", headers=bearer(token))):
        assert 400 <= response.status_code < 500 and "error" in response.json()
        assert "detail" not in response.json()


def test_the_signature_check_is_a_vietnamese_page(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    sign_in_as(client, "tuphap", Role.AGENCY, [CENTER])
    dossier = client.get(f"/co-quan/{codes['birth']}", headers=HTML).text
    link = f"/co-quan/{codes['birth']}/documents/1/verification"
    assert f'href="{link}"' in dossier and "/api/v1/dossiers/" + codes["birth"] + \
        "/documents/1/verification" not in dossier  # never the API's JSON
    page = assert_vietnamese_page(client.get(link, headers=HTML), 200)
    assert "Kiểm tra chữ ký số" in page, page
    assert "Hợp lệ : mọi chữ ký còn nguyên vẹn" in page, page
    assert re.search(r"Thời điểm ký \d\d/\d\d/2026 \d\d:\d\d:\d\d \(GMT\+7\)", page), page
    assert "Nội dung còn nguyên vẹn có" in page and "Bị sửa sau khi ký không" in page
    assert not re.search(r"\b(true|false|signer_name|intact|valid)\b", page)
    other = client.get(f"/co-quan/{codes['land']}/documents/1/verification", headers=HTML)
    assert "không được chuyển tới cơ quan của bạn" in assert_vietnamese_page(other, 403)


def test_a_bad_date_in_a_filter_is_shown_next_to_the_field(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    sign_in_as(client, "tuphap", Role.AGENCY, [CENTER])
    response = client.get("/co-quan", headers=HTML,
                          params={"received_from": "31/02/2026", "received_to": "20/11/2026"})
    assert_vietnamese_page(response, 422)
    error = re.search(r'<p class="field-error" id="received_from-error"[^>]*>([^<]+)<',
                      response.text)
    assert error and "'31/02/2026' không phải là ngày" in unescape(error.group(1))
    assert 'id="received_to-error"' not in response.text
    both = client.get("/co-quan", headers=HTML,
                      params={"received_from": "2026-11-20", "received_to": "20/11/2026"})
    assert both.status_code == 200 and codes["birth"] in both.text
    assert 'value="20/11/2026"' in both.text  # shown back as a person writes it


def test_archivists_open_every_dossier_and_document_and_change_nothing(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    sign_in_as(client, "luutru1", Role.ARCHIVIST)
    found = client.get("/search", headers=HTML, params={"q": "đơn đăng ký"})
    assert found.status_code == 200
    assert f'<a class="dossier code" href="/co-quan/{codes["land"]}">' in found.text
    for code in codes.values():  # routed to different agencies: the archivist reads both
        page = assert_vietnamese_page(client.get(f"/co-quan/{code}", headers=HTML), 200)
        assert "Lưu trữ viên chỉ xem hồ sơ" in page and 'id="status-form"' not in page
        links = re.findall(r'class="document">', client.get(f"/co-quan/{code}").text)
        detail = client.get(f"/api/v1/dossiers/{code}").json()
        assert len(links) == len(detail["documents"]) >= 1
        for doc in detail["documents"]:
            pdf = client.get(doc["download"])
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            check = client.get(f"/co-quan/{code}/documents/{doc['ordinal']}/verification",
                               headers=HTML)
            assert "Hợp lệ" in assert_vietnamese_page(check, 200)
    refused = client.post(f"/co-quan/{codes['land']}/status", headers=HTML,
                          data={"new_status": "4"})
    assert "Lưu trữ viên" in assert_vietnamese_page(refused, 403)
    api = client.post(f"/api/v1/dossiers/{codes['land']}/status", json={"status": 4})
    assert api.status_code == 403 and "error" in api.json()
    assert client.get(f"/api/v1/dossiers/{codes['land']}").json()["status"] == 2
    denied = AuditLog(client.app.state.counter.ctx.catalog).entries(action="access.denied")
    assert len(denied) == 2 and {d.actor for d in denied} == {"luutru1"}


def test_filters_are_names_to_pick_and_unknown_codes_are_refused_by_the_field(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    sign_in_as(client, "luutru1", Role.ARCHIVIST)
    form = client.get("/search", headers=HTML).text
    assert '<option value="to_khai_khai_sinh">Tờ khai đăng ký khai sinh</option>' in form
    assert '<option value="4">4 – đang xử lý</option>' in form
    assert f'<option value="{CENTER}">Bộ phận Tiếp nhận và Trả kết quả ({CENTER})</option>' \
        in form
    birth_name = re.search(r'<option value="(1\.001193 — [^"]+)">', form).group(1)
    assert birth_name.startswith("1.001193 — Đăng ký khai sinh")
    assert re.search(r'<option value="1\.013831 — [^"]+">', form)  # only procedures in use
    by_name = client.get("/search", headers=HTML,
                         params={"q": "tờ khai", "procedure": unescape(birth_name)})
    assert by_name.status_code == 200 and codes["birth"] in by_name.text
    assert f'value="{birth_name}"' in by_name.text  # shown back by name
    for field, value in (("type", "khong_co_loai_nay"), ("procedure", "9.999999"),
                         ("agency", "000.99.99.X99"), ("status", "11")):
        page = client.get("/search", headers=HTML, params={"q": "tờ khai", field: value})
        assert_vietnamese_page(page, 422)
        error = re.search(rf'id="{field}-error"[^>]*>([^<]+)<', page.text)
        assert error and "không có" in unescape(error.group(1)), (field, page.text[-3000:])
        assert 'id="hits"' not in page.text  # not "0 hits"
        api = client.get("/api/v1/search", params={"q": "tờ khai", field: value})
        assert api.status_code == 422 and set(api.json()["fields"]) == {field}
    sign_in_as(client, "tuphap", Role.AGENCY, [CENTER])
    listed = client.get("/co-quan", headers=HTML).text
    assert re.search(r"1\.001193</span> — Đăng ký khai sinh", listed)
    assert "1.013831" not in listed  # the land office's procedure is not offered here
    unknown = client.get("/co-quan", headers=HTML, params={"procedure": "9.999999"})
    assert_vietnamese_page(unknown, 422)
    assert 'id="procedure-error"' in unknown.text and 'id="agency-dossiers"' not in unknown.text


def test_a_downloaded_document_is_named_after_its_dossier(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    token = issue_token(client, "tuphap", agency_codes=[CENTER])
    detail = client.get(f"/api/v1/dossiers/{codes['birth']}", headers=bearer(token)).json()
    expected = f"{codes['birth']}-01-to_khai_khai_sinh.pdf"
    assert detail["documents"][0]["file_name"] == expected
    pdf = client.get(detail["documents"][0]["download"], headers=bearer(token))
    assert pdf.headers["content-disposition"] == \
        f"inline; filename=\"{expected}\"; filename*=UTF-8''{expected}"
    link = client.post(f"/api/v1/dossiers/{codes['birth']}/documents/2/link",
                       headers=bearer(token)).json()["url"]
    followed = client.get(link.replace("http://testserver", ""))
    assert f'filename="{codes["birth"]}-02-giay_chung_sinh.pdf"' in \
        followed.headers["content-disposition"]
    broken = client.get(link.replace("http://testserver", "")[:-3] + "xyz", headers=HTML,
                        follow_redirects=False)  # not sent to sign in: the link is the key
    assert "Liên kết tải tài liệu không hợp lệ" in assert_vietnamese_page(broken, 401)
    sign_in_as(client, "tuphap2", Role.AGENCY, [CENTER])
    page = client.get(f"/co-quan/{codes['birth']}", headers=HTML).text
    assert f'download="{expected}"' in page
    listed = client.get("/api/v1/dossiers", headers=bearer(token)).json()["dossiers"]
    assert listed[0]["procedure_name"].startswith("Đăng ký khai sinh")


def test_opening_a_pdf_is_one_read_whatever_the_viewer_asks(routed_app) -> None:  # noqa: ANN001
    client, codes = routed_app
    code = codes["birth"]
    sign_in_as(client, "canbo1", Role.CLERK)
    for headers in ({}, {"Range": "bytes=0-1023"}, {"Range": "bytes=1024-"}):
        assert client.get(f"/dossiers/{code}/documents/1.pdf", headers=headers).status_code \
            == 200
    client.get(f"/dossiers/{code}/documents/2.pdf")
    sign_in_as(client, "tuphap", Role.AGENCY, [CENTER])
    for _ in range(3):
        assert client.get(f"/api/v1/dossiers/{code}/documents/1").status_code == 200
    log = AuditLog(client.app.state.counter.ctx.catalog)
    lines = [(e.actor, e.detail["ordinal"]) for e in log.entries(action="document.read")]
    assert lines == [("tuphap", 1), ("canbo1", 2), ("canbo1", 1)]


def test_an_officer_pages_through_the_list_keeping_the_filter(routed_app) -> None:  # noqa: ANN001
    """52 more received dossiers routed to the center: 50 a page, links keep the filter."""
    client, codes = routed_app
    ctx = client.app.state.counter.ctx
    start = datetime(2026, 11, 25, 8, 0, tzinfo=VIETNAM)
    for n in range(52):
        code = ctx.catalog.new_dossier("1.001193", CENTER, start + timedelta(minutes=n))
        ctx.catalog.set_status(code, 2)
        route(ctx.catalog, code, [CENTER])
    sign_in_as(client, "tuphap", Role.AGENCY, [CENTER])
    first = client.get("/co-quan", params={"procedure": "1.001193"}, headers=HTML)
    assert "53 hồ sơ, hiện 1–50." in text_of(first.text)
    assert 'id="page-prev"' not in first.text
    link = unescape(re.search(r'href="([^"]+)" rel="next"', first.text).group(1))
    assert "procedure=1.001193" in link and "offset=50" in link
    second = client.get(link, headers=HTML)
    assert "53 hồ sơ, hiện 51–53." in text_of(second.text)
    assert codes["birth"] in second.text  # the oldest, received on 20/11
    assert 'id="page-prev"' in second.text and 'id="page-next"' not in second.text
