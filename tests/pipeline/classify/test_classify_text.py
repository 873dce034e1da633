"""Folding, OCR repair, the page head and page-number cues."""

from __future__ import annotations

import unicodedata

import pytest

from sohoa.pipeline.classify.text import (
    fold,
    garbled,
    head,
    opens_mid_text,
    page_number,
    repair_ocr,
    structured_lines,
    title_like,
)


@pytest.mark.parametrize(("text", "folded"), [
    ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "to khai dang ky khai sinh"),
    ("Đơn đề nghị  cấp\tgiấy phép\n xây dựng ", "don de nghi cap giay phep xay dung"),
    ("Giấy ủy quyền / Giấy uỷ quyền", "giay uy quyen / giay uy quyen"),
    ("Ðơn (eth)", "don (eth)"),
    ("“Điều lệ” – ‘công ty’ — 2025", '"dieu le" - \'cong ty\' - 2025'),
    ("Cửa hàng Phở Hưng Thịnh", "cua hang pho hung thinh"),
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_the_same_for_composed_and_decomposed_input() -> None:
    text = "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == (
        "giay chung nhan quyen su dung dat, quyen so huu nha o")


@pytest.mark.parametrize(("ocr", "repaired"), [
    ("TỜ KHAl ĐĂNG KÝ KHAl SINH", "TỜ KHAI ĐĂNG KÝ KHAI SINH"),
    ("GIAY CHUNG SlNH", "GIAY CHUNG SINH"),
    ("G1ẤY PHÉP LÁI XE", "GIẤY PHÉP LÁI XE"),
    ("CH0NG", "CHONG"),
    ("hạng B2, số 0912345678, Mẫu số 11/ĐK", "hạng B2, số 0912345678, Mẫu số 11/ĐK"),
    ("Lê Lợi, Hà Nội, Al", "Lê Lợi, Hà Nội, Al"),
])
def test_repair_ocr_undoes_letter_digit_confusions_only_inside_words(ocr: str,
                                                                     repaired: str) -> None:
    assert repair_ocr(ocr) == repaired


def test_head_keeps_the_first_non_blank_lines_unfolded() -> None:
    text = "\n\n  CỘNG HÒA  \n\nĐộc lập\n" + "\n".join(f"dòng {i}" for i in range(30))
    top = head(text, lines=4)
    assert top.splitlines() == ["CỘNG HÒA", "Độc lập", "dòng 0", "dòng 1"]
    assert len(head(text).splitlines()) == 15


@pytest.mark.parametrize(("text", "number"), [
    ("Nội dung\nthêm\nTrang 2/3", (2, 3)),
    ("Trang 3⁄3\nNội dung", (3, 3)),
    ("TÊN BẢN VẼ: MẶT ĐỨNG\nTỶ LỆ: 1/100 KÝ HIỆU: KT-02 TỜ: 2/3\nCHỦ TRÌ\nx\ny\nz\nw", (2, 3)),
    ("Nội dung\nTrang 2 / 3", (2, 3)),
    ("TRANG 1/2\nTỜ KHAI", (1, 2)),
    ("Page 2 of 5\nbody", (2, 5)),
    ("Trang 3 trên 4\nbody", (3, 4)),
    ("body\nmore\n- 2 -", (2, 0)),
    ("body\n2/3", (2, 3)),
    ("Trang 4\nbody", (4, 0)),
    ("body\n12/2024", None),
    ("body\n5/3", None),
    ("Số: 12/2025/QĐ-UBND\nbody", None),
    ("a\nb\nc\nTrang 2/3 in the middle\nd\ne\nf\ng", None),
    ("", None),
])
def test_page_number_at_the_top_or_bottom(text: str, number: tuple[int, int] | None) -> None:
    assert page_number(text) == number


@pytest.mark.parametrize(("line", "mid"), [
    ("và các giấy tờ khác theo quy định.", True),
    ("3. Nơi cư trú: xã Nghi Phú", True),
    ("b) Bản sao giấy tờ", True),
    ("II. THÔNG TIN VỀ CÔNG TRÌNH", True),
    ("Điều 5. Ngành, nghề kinh doanh", True),
    ("Chương III", True),
    ("- Diện tích: 100 m2", True),
    ("Kính gửi: Ủy ban nhân dân xã", False),
    ("TỜ KHAI ĐĂNG KÝ KHAI SINH", False),
])
def test_opens_mid_text(line: str, mid: bool) -> None:
    assert opens_mid_text(line) is mid


@pytest.mark.parametrize(("line", "title"), [
    ("BÁO NGHỆ AN ĐIỆN TỬ", True),
    ("ỦY BAN NHÂN DÂN XÃ NGHI PHÚ", True),
    ("II. THÔNG TIN VỀ CÔNG TRÌNH", False),
    ("THÔNG TIN NGƯỜI YÊU CẦU:", False),
    ("Kính gửi: Ủy ban nhân dân xã", False),
    ("CHƯƠNG II", False),
])
def test_title_like(line: str, title: bool) -> None:
    assert title_like(line) is title


@pytest.mark.parametrize(("line", "stray"), [
    ("Ơ + U Ớ > U ƠI Đ> Ú Ơi", True),  # a column of item numbers read across
    ("CI d> C2 ƠI dề C2 ƠI R> C2 ƠI", True),
    ("GŒ ƠI Š CÓ ƠI C2 ƠI đề Gò", True),
    ("+ ^ 3 2 >", True),
    ("TỜ KHAI", False),
    ("MẸ,", False),  # the end of a wrapped title
    ("BÁO CÁO QUÝ 1 NĂM 2024", False),
    ("Số: 12/QĐ-UBND", False),
    ("01/2024", False),
])
def test_garbled_lines_are_stray_marks_not_text(line: str, stray: bool) -> None:
    assert garbled(line) is stray
    assert not title_like(line) or not stray


def test_structured_lines_count_items_articles_and_fields() -> None:
    form = ("8. Người đại diện theo pháp luật: VŨ CÔNG QUÂN\nĐiều 7. Nghĩa vụ\n"
            "b) Bản sao giấy tờ\nII. THÔNG TIN\nKhu sơ chế: nền lát gạch\n"
            "Công ty tổ chức quản lý theo mô hình Chủ tịch công ty.\n1 x 115.000 = 115.000")
    assert structured_lines(form) == 5
    prose = ("Theo các thương lái, giá lúa khô đã tăng.\nNông dân phấn khởi vì được mùa.\n"
             "Hà Nội, ngày 3 tháng 4 năm 2025")
    assert structured_lines(prose) == 0
