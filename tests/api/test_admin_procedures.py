"""The administrator's catalog page: a national procedure's checklist, a correction saved
apart and used by the counter at once, removed again; clerks may not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sohoa.domain.access import Role
from tests.helpers.auth import sign_in_as

TREES = "1.002693"


def test_admin_corrects_an_item_and_the_counter_uses_it(client: TestClient) -> None:
    assert client.get(f"/admin/procedures?code={TREES}").status_code == 403  # a clerk
    sign_in_as(client, "quantri", Role.ADMIN)
    page = client.get(f"/admin/procedures?code={TREES}")
    assert page.status_code == 200
    assert "Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh" in page.text
    assert "Mẫu số 01" in page.text and "Chưa có sửa đổi nào." in page.text
    saved = client.post(f"/admin/procedures/{TREES}/corrections", follow_redirects=False,
                        data={"item_id": "anh_chup_hien_trang_cay_xanh", "field": "copies",
                              "value": "3"})
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "Đã lưu sửa đổi" in page.text and "3 bản sao" in page.text
    assert '<td>anh_chup_hien_trang_cay_xanh</td><td>copies</td><td>3</td><td>quantri</td>' \
        in page.text
    bad = client.post(f"/admin/procedures/{TREES}/corrections",
                      data={"item_id": "anh_chup_hien_trang_cay_xanh", "field": "copies",
                            "value": "ba"})
    assert bad.status_code == 422 and "copies phải là số nguyên" in bad.text
    removed = client.post(f"/admin/procedures/{TREES}/corrections/remove",
                          data={"item_id": "anh_chup_hien_trang_cay_xanh", "field": "copies"})
    assert removed.status_code == 200 and "Đã bỏ sửa đổi" in removed.text
    assert "1 bản sao" in removed.text and "Chưa có sửa đổi nào." in removed.text
