"""Continuation needs positive evidence (issue 14): a page with a title line of its own starts a
document; a title-less page joins the one before only when its numbering follows on, its text
flows on, or its layout matches — for curated procedures and the national catalog alike."""

from __future__ import annotations

import pytest

from sohoa.domain.catalog.shipped import load_directory
from sohoa.domain.pages import PageText
from sohoa.domain.procedures import load_catalog
from sohoa.pipeline.classify.analysis import StreamPage, analyse
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.types import PageClass, PageEvidence
from tests.pipeline.classify.corpus import HEADER

FORM = (f"{HEADER}\nĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\nKính gửi: Ủy ban nhân dân xã Nghi Phú\n"
        "1. Tên chủ đầu tư: Nguyễn Văn An\n2. Địa chỉ liên hệ: xóm 3, xã Nghi Phú, tỉnh Nghệ An\n"
        "3. Địa điểm xây dựng: thửa đất số 112, tờ bản đồ số 7, xã Nghi Phú, tỉnh Nghệ An\n"
        "4. Nội dung đề nghị cấp phép: xây dựng nhà ở riêng lẻ hai tầng, diện tích xây dựng\n")
LAND = (f"{HEADER}\nGIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT\n"
        "I. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất\nÔng: Nguyễn Văn An\n"
        "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất\nThửa đất số: 112; tờ bản đồ số: 7")
BIRTH = (f"{HEADER}\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: Ủy ban nhân dân xã Nghi Phú\n"
         "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn An\nNơi cư trú: xã Nghi Phú\n")
CERT = ("Bệnh viện Đa khoa tỉnh Nghệ An\nSố: 123/GCS\nGIẤY CHỨNG SINH\n"
        "Họ và tên mẹ: Trần Thị Bình\nNơi cư trú: xã Nghi Phú\nĐã sinh con lúc 10 giờ")

NEWS = {
    "short, date first, headline in capitals on line 2": (
        "Thứ Năm, ngày 08/06/2024\nMƯA LỚN GÂY NGẬP NHIỀU TUYẾN PHỐ\n"
        "Nhiều tuyến phố ở thành phố Vinh ngập sâu sau trận mưa lớn đêm qua."),
    "short, no capitals at all": (
        "Thứ Năm, 08/06/2024 · Xã hội\nMưa lớn gây ngập nhiều tuyến phố ở Vinh\n"
        "Nhiều tuyến phố ngập sâu sau trận mưa lớn đêm qua, giao thông ùn tắc."),
    "two columns read line by line": (
        "Giá lúa tăng mạnh       Mùa du lịch biển\n"
        "Theo các thương lái,    Các bãi biển Cửa Lò\n"
        "giá lúa khô đã tăng     luôn đông kín du khách\n"
        "thêm hai trăm đồng      từ sáng sớm đến tối\n"
        "mỗi ký so với tuần      muộn, nhiều khách sạn\n"
        "trước. Nông dân phấn   kín phòng suốt tuần."),
}
DRAWINGS = {
    "floor plan labels, no title": "Phòng khách\nBếp + ăn\nWC\n3600\n4200\nBan công\nSân trước",
    "a sheet titled in capitals": ("SƠ ĐỒ BỐ TRÍ MẶT BẰNG NHÀ Ở\nPhòng ngủ 1    Phòng ngủ 2\n"
                                   "3300   3600"),
    "a site photo sheet": "ẢNH HIỆN TRẠNG KHU ĐẤT\nẢnh 1: phía trước\nẢnh 2: phía sau",
}


def classify(*texts: str, code: str | None = None) -> list[PageClass]:
    procedure = load_catalog().get(code) if code else None
    return classify_pages([PageEvidence(i, t) for i, t in enumerate(texts)],
                          procedure=procedure)


def stream(*texts: str) -> list[StreamPage]:
    return [StreamPage(n, 0, n, PageText(text=text)) for n, text in enumerate(texts)]


@pytest.mark.parametrize("news", NEWS)
@pytest.mark.parametrize("code", [None, "1.013225"])
def test_a_news_page_after_a_form_is_khac(news: str, code: str | None) -> None:
    page = classify(FORM, NEWS[news], code=code)[1]
    assert (page.doc_type, page.continuation) == ("khac", False), page.reason


@pytest.mark.parametrize("news", NEWS)
def test_the_verdict_lists_the_news_page_as_extra(news: str) -> None:
    analysis = analyse(load_catalog().get("1.001193"), stream(BIRTH, NEWS[news], CERT))
    assert [d.pages for d in analysis.documents] == [(0,), (1,), (2,)]
    assert analysis.verdict.complete
    assert [e.pages for e in analysis.verdict.extra_documents] == [[1]]
    assert "(trang 2)" in analysis.verdict.extra_documents[0].reason


@pytest.mark.parametrize("drawing", DRAWINGS)
@pytest.mark.parametrize("code", [None, "1.013225"])
def test_a_drawing_sheet_after_a_land_certificate_is_not_part_of_it(drawing: str,
                                                                    code: str | None) -> None:
    land, sheet = classify(LAND, DRAWINGS[drawing], code=code)
    assert land.doc_type == "giay_to_quyen_su_dung_dat"
    assert sheet.doc_type != "giay_to_quyen_su_dung_dat" and not sheet.continuation


def test_the_land_certificate_item_rests_on_its_own_page_only() -> None:
    analysis = analyse(load_catalog().get("1.013225"),
                       stream(FORM, LAND, *DRAWINGS.values()))
    land = next(i for i in analysis.verdict.items if i.item_id == "giay_to_dat")
    assert land.pages == [1]


@pytest.mark.parametrize(("second", "evidence"), [
    ("Diện tích sàn: 180 m2; chiều cao công trình: 9,5 m\nTrang 2/2", "đánh số trang 2/2"),
    ("- 2 -\nDiện tích sàn: 180 m2", "đánh số trang 2"),
    ("tầng 1: 90 m2, tầng 2: 90 m2; chiều cao công trình 9,5 m.\nTôi xin cam kết xây dựng "
     "đúng giấy phép được cấp.", "nội dung chạy tiếp"),
    ("5. Đơn vị thiết kế: Công ty TNHH Kiến trúc Vinh\n6. Dự kiến thời gian hoàn thành: "
     "12 tháng", "nội dung chạy tiếp"),
    ("NGƯỜI ĐỀ NGHỊ\n(Ký, ghi rõ họ tên)\nNGUYỄN VĂN AN", "phần ký tên của giấy tờ"),
])
@pytest.mark.parametrize("code", [None, "1.013225"])
def test_a_genuine_second_page_still_joins(second: str, evidence: str, code: str | None) -> None:
    first, page = classify(FORM, second, code=code)
    assert first.doc_type == "don_de_nghi_cap_gpxd"
    assert (page.doc_type, page.source, page.continuation) == (
        "don_de_nghi_cap_gpxd", "continuation", True)
    assert page.reason == f"Không có tiêu đề; {evidence}, nối tiếp trang 1"


def test_numbering_that_does_not_follow_on_is_no_evidence() -> None:
    first = FORM + "Trang 1/3"
    assert classify(first, "Diện tích sàn: 180 m2\nTrang 3/3")[1].doc_type == "khac"
    assert classify(first, "Diện tích sàn: 180 m2\nTrang 2/4")[1].doc_type == "khac"
    assert classify(first, "Diện tích sàn: 180 m2\nTrang 2/3")[1].continuation


def test_a_second_page_with_a_title_of_its_own_is_never_swallowed() -> None:
    second = "PHIẾU KHẢO SÁT Ý KIẾN NGƯỜI DÂN\nÔng/bà đánh giá thế nào về dịch vụ."
    page = classify(FORM, second)[1]
    assert (page.doc_type, page.continuation) == ("khac", False)


def test_catalog_procedure_news_after_form_is_extra() -> None:
    procedure = load_directory().get("1.002693")
    form = (f"Mẫu số 01\n{HEADER}ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP CHẶT HẠ, DỊCH CHUYỂN CÂY XANH\n"
            "Họ và tên: Nguyễn Văn An\nNơi cư trú: xã Nghi Phú, tỉnh Nghệ An\n")
    analysis = analyse(procedure, stream(form, *NEWS.values()))
    assert [p.doc_type for p in analysis.pages] == [
        "1.002693/don_de_nghi_cap_giay_phep", "khac", "khac", "khac"]
    assert [e.pages for e in analysis.verdict.extra_documents] == [[1], [2], [3]]


def test_a_section_heading_on_a_numbered_second_page_is_no_title() -> None:
    """Tesseract dropped the dot of "II." on page 2/2 of a tax return: the heading is a
    section of the paper, not the title of a new one."""
    second = ("Trang 2/2\n\nII ĐẶC ĐIỂM BẤT ĐỘNG SẢN\n\n[10] Thửa đất số: 692 [11] Tờ bản đồ "
              "số: 58\n[13] Diện tích: 255,8 m2 [14] Mục đích sử dụng: đất ở\n")
    page = classify(FORM, second)[1]
    assert (page.doc_type, page.continuation) == ("don_de_nghi_cap_gpxd", True)
    assert page.reason == "Không có tiêu đề; đánh số trang 2/2, nối tiếp trang 1"
    sheet = classify(LAND, "SƠ ĐỒ BỐ TRÍ MẶT BẰNG NHÀ Ở\nPhòng ngủ 1\nTờ: 2/3")[1]
    assert sheet.doc_type != "giay_to_quyen_su_dung_dat" and not sheet.continuation


@pytest.mark.parametrize("stray", ["Ơ + U Ớ > U ƠI Đ> Ú Ơi", "GŒ ƠI Š CÓ ƠI C2 ƠI đề Gò"])
def test_a_column_of_item_numbers_read_across_is_no_title(stray: str) -> None:
    """Tesseract may read a second page's item numbers ("4. 5. 3.") as one line of stray
    marks above the items, which then start with ". ": still the body of the form."""
    second = (f"{stray}\n. Địa điểm xây dựng: thửa đất số 112, tờ bản đồ số 7\n"
              ". Nội dung đề nghị cấp phép: xây dựng nhà ở riêng lẻ hai tầng\n"
              ". Đơn vị thiết kế: Công ty TNHH Kiến trúc Vinh\n")
    first, page = classify(FORM, second)
    assert first.doc_type == "don_de_nghi_cap_gpxd"
    assert (page.doc_type, page.continuation) == ("don_de_nghi_cap_gpxd", True), page.reason
