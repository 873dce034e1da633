"""Where documents begin, on patterns seen in real scanned records (bench.segment_real): an
office's table of contents after a report, a sentence that goes on overleaf under a page
number or specks at the foot. The text is made up; only the pattern is taken from the scans."""

from __future__ import annotations

import pytest

from sohoa.pipeline.classify import rules
from sohoa.pipeline.classify.classifier import classify_pages
from sohoa.pipeline.classify.segment import segment
from sohoa.pipeline.classify.text import ends_mid_sentence, opens_mid_text, title_like
from sohoa.pipeline.classify.types import PageClass, PageEvidence

REPORT_END = ("3. Tên công trình: Nhà làm việc của Trạm Khuyến nông huyện Đông Hòa\n"
              "4. Địa điểm: ấp Tân Lợi, xã Hòa An, huyện Đông Hòa\n"
              "5. Thời gian thực hiện: từ tháng 3 đến tháng 9 năm 2011\n"
              "Nơi nhận:\n- Như trên;\n- Lưu VT.\nTRƯỞNG TRẠM\nLê Văn Khải")
CONTENTS = ("MỤC LỤC VĂN BẢN TRONG HỒ SƠ\n"
            "Số, ký hiệu hồ sơ: 07\n"
            "1. Tờ trình về việc sửa chữa nhà làm việc, tờ số 01-03\n"
            "2. Biên bản nghiệm thu công trình, tờ số 04-06\n"
            "Người lập: Phạm Thị Hoa")


def classify(*texts: str) -> list[PageClass]:
    return classify_pages([PageEvidence(i, t) for i, t in enumerate(texts)])


@pytest.mark.parametrize(("line", "mid", "title"), [
    ("MỤC LỤC VĂN BẢN TRONG HỒ SƠ", False, True),  # "Mục lục": contents, not "Mục L"
    ("ĐIỀU LỆ HỘI NÔNG DÂN XÃ HÒA AN", False, True),  # a charter, not "Điều L"
    ("Khoản chi thường xuyên của đơn vị", False, False),
    ("Mục II. Kinh phí thực hiện", True, False),
    ("MỤC IV", True, False),
    ("Điều 12. Hiệu lực thi hành", True, False),
    ("PHẦN I. TÌNH HÌNH CHUNG", True, False),
])
def test_a_section_word_opens_a_section_only_with_its_number(line: str, mid: bool,
                                                            title: bool) -> None:
    assert opens_mid_text(line) is mid
    assert title_like(line) is title


def test_a_table_of_contents_after_a_form_like_page_starts_its_own_document() -> None:
    """Its numbered lines look like a form's items; its uppercase title says it is a paper
    of its own."""
    first, contents = classify(REPORT_END, CONTENTS)
    assert not contents.continuation, contents.reason
    assert [d.pages for d in segment([first, contents])] == [(0,), (1,)]


@pytest.mark.parametrize("foot", ["9\n1", "12", "v3", "- 4 -\nct", "t©"])
def test_a_sentence_goes_on_overleaf_under_a_page_number_or_specks(foot: str) -> None:
    before = ("Các đơn vị tổ chức tuyên truyền về an toàn lao động trong tháng 5 năm 2011,\n"
              "tập trung vào các cơ sở sản xuất nhỏ và triển khai thực hiện kế hoạch với\n"
              f"{foot}")
    assert ends_mid_sentence(before)
    assert not ends_mid_sentence(before.replace("kế hoạch với", "kế hoạch đã giao."))


def test_a_report_page_whose_sentence_goes_on_under_its_page_number_joins() -> None:
    first = ("ỦY BAN NHÂN DÂN HUYỆN ĐÔNG HÒA\nBÁO CÁO\nKết quả tuyên truyền an toàn lao động\n"
             "Trong năm qua, các đơn vị đã tổ chức nhiều đợt tuyên truyền cho người lao động\n"
             "tại các cơ sở sản xuất nhỏ, các hộ kinh doanh cá thể và các chợ trên địa bàn,\n"
             "qua đó nâng cao nhận thức của người dân về phòng ngừa tai nạn trong lúc làm\n"
             "9\n1")
    second = ("việc, nhất là ở các xưởng cơ khí, chế biến gỗ và các nhà xưởng nhỏ khác\n"
              "trên địa bàn huyện. Số vụ tai nạn giảm so với cùng kỳ năm trước, tuy vậy vẫn\n"
              "còn một số xưởng chưa trang bị đủ phương tiện bảo hộ cho người lao động và\n"
              "chưa tổ chức huấn luyện định kỳ hằng năm. Trong thời gian tới, các đơn vị\n"
              "tiếp tục phối hợp với chính quyền địa phương tăng cường kiểm tra, nhắc nhở.")
    pages = classify(first, second)
    assert rules.form_term_hits(second) == 0  # running prose: it needs the sentence to go on
    assert pages[1].continuation, pages[1].reason
    assert [d.pages for d in segment(pages)] == [(0, 1)]


PLAN_END = ("KẾ HOẠCH\nTuyên truyền phòng chống cháy nổ năm 2011\n"
            "Các đơn vị thực hiện những việc sau trong tháng 6:\n"
            "- Kiểm tra bình chữa cháy tại các kho, xưởng và nhà ăn tập thể;\n"
            "- Tổ chức diễn tập thoát nạn cho người lao động ở các phân xưởng.")
LIST_GOES_ON = ("- Treo khẩu hiệu, áp phích tại cổng, nhà ăn và các lối đi chung, thay mới\n"
                "những tấm đã cũ, mờ chữ hoặc rách sau mùa mưa năm trước.\n"
                "- Mời cán bộ phòng cháy của huyện về nói chuyện với công nhân trong giờ\n"
                "nghỉ giữa ca, kể lại những vụ cháy đã xảy ra ở các xưởng gỗ lân cận và\n"
                "cách thoát ra ngoài khi khói dày, mất điện, cửa chính bị chặn.\n"
                "- Mỗi tổ cử một người trực bình chữa cháy trong những ngày nắng nóng.")
DIALOGUE = ("- Con đi đâu mà về muộn thế? Mẹ hỏi, tay vẫn không rời chiếc quạt nan cũ.\n"
            "- Con ở lại giúp thầy dọn lớp, mẹ ạ. Trời mưa to quá nên con đợi tạnh mới về.\n"
            "Mẹ không nói gì thêm, chỉ lặng lẽ đặt bát canh nóng lên mâm, rồi quay vào bếp.\n"
            "Ngoài hiên, tiếng mưa rơi trên tàu lá chuối nghe lộp độp suốt cả buổi tối hôm ấy.")
SIGNED_FORM = ("1. Họ và tên: Trần Văn Bình\n2. Địa chỉ: ấp Tân Lợi, xã Hòa An\n"
               "Tôi cam đoan những lời khai trên là đúng sự thật.\nNGƯỜI LÀM ĐƠN\nTrần Văn Bình")


def test_a_bulleted_list_that_runs_over_the_page_joins() -> None:
    """A plan's or report's list of tasks goes on overleaf: its page is running text with
    hardly an administrative phrase, and the sentence before ended — the list is the evidence."""
    assert rules.form_term_hits(LIST_GOES_ON) == 0 and not ends_mid_sentence(PLAN_END)
    pages = classify(PLAN_END, LIST_GOES_ON)
    assert pages[1].continuation, pages[1].reason
    assert "danh sách" in pages[1].reason


def test_dialogue_out_of_a_novel_after_a_signed_form_is_no_continuation() -> None:
    """Dialogue opens with dashes too; only a list on the page before makes them a list."""
    pages = classify(SIGNED_FORM, DIALOGUE)
    assert not pages[1].continuation, pages[1].reason


BUDGET = ("BẢNG DỰ TOÁN KINH PHÍ HỘI THAO NĂM 2011\n"
          "STT | Nội dung chi | Đơn vị tính | Số lượng | Thành tiền\n"
          "1 | Thuê sân bóng | buổi | 4 | 2.000.000\n"
          "2 | Nước uống cho vận động viên | thùng | 20 | 1.600.000\n"
          "3 | In băng rôn | cái | 6 | 900.000\n"
          "4 | Cờ, còi và dây căng sân | bộ | 2 | 500.000")
BUDGET_GOES_ON = ("STT | Nội dung chi | Đơn vị tính | Số lượng | Thành tiền\n"
                  "5 | Áo thi đấu cho các đội bóng | bộ | 60 | 6.000.000\n"
                  "6 | Giải thưởng cho đội vô địch và á quân | giải | 2 | 3.000.000\n"
                  "7 | Bồi dưỡng trọng tài chính và trọng tài biên | người | 6 | 1.200.000\n"
                  "8 | Thuê xe chở vận động viên ra sân vào buổi sáng | chuyến | 4 | 2.400.000\n"
                  "9 | Phần thưởng cho cầu thủ ghi nhiều bàn thắng nhất | phần | 1 | 500.000\n"
                  "Tổng cộng | | | | 18.100.000\n"
                  "Bằng chữ: mười tám triệu một trăm nghìn đồng chẵn")


def test_a_ruled_table_that_runs_over_the_page_joins() -> None:
    """The rows go on overleaf under the repeated column heads, with no title and no sentence
    to flow: the ruling the OCR reads ("|") on top of the page and at the foot of the page
    before is the matching layout."""
    pages = classify(BUDGET, BUDGET_GOES_ON)
    assert pages[1].continuation, pages[1].reason
    assert "bảng" in pages[1].reason


def test_table_rows_after_a_page_without_a_table_are_no_continuation() -> None:
    pages = classify(SIGNED_FORM, BUDGET_GOES_ON)
    assert not pages[1].continuation, pages[1].reason


LETTER = ("ỦY BAN NHÂN DÂN XÃ HÒA AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\n"
          "Số: 12/UBND-VP Hòa An, ngày 5 tháng 4 năm 2011\n"
          "V/v đề nghị hỗ trợ kinh phí sửa chữa nhà văn hóa ấp\n"
          "Kính gửi: Phòng Tài chính - Kế hoạch huyện Đông Hòa\n"
          "Nhà văn hóa ấp Tân Lợi xây dựng năm 1998, nay đã xuống cấp nặng, mái tôn bị thủng\n"
          "nhiều chỗ, tường nứt. Ủy ban nhân dân xã đã lập dự toán sửa chữa với tổng kinh phí\n"
          "là 85.000.000 đồng, trong đó ngân sách xã đối ứng 25.000.000 đồng.")
LETTER_CLOSE = ("Kính đề nghị Phòng Tài chính - Kế hoạch xem xét, hỗ trợ để xã sớm sửa chữa.\n"
                "Trân trọng kính chào!\n"
                "Nơi nhận:\n- Như trên;\n- Lưu VT.\nCHỦ TỊCH\nNguyễn Văn Tâm")


def test_a_letters_last_page_with_its_recipients_joins_the_letter() -> None:
    """A short last page overleaf: a new sentence (the one before ended), the closing, then
    "Nơi nhận:" — the block that ends an official paper is the evidence."""
    assert not ends_mid_sentence(LETTER) and not opens_mid_text(LETTER_CLOSE)
    pages = classify(LETTER, LETTER_CLOSE)
    assert pages[1].continuation, pages[1].reason
    assert "nơi nhận" in pages[1].reason


def test_a_titled_paper_with_recipients_is_still_a_paper_of_its_own() -> None:
    decision = ("QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác sửa chữa nhà văn hóa ấp\n"
                + LETTER_CLOSE)
    pages = classify(LETTER, decision)
    assert not pages[1].continuation, pages[1].reason
