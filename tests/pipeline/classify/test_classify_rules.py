"""Title rules: every document type's printed titles, OCR slips, near-collisions, decoys."""

from __future__ import annotations

import unicodedata

import pytest

from sohoa.domain.doctypes import COVER, DOC_TYPES, KHAC, SEPARATOR
from sohoa.pipeline.classify import rules
from sohoa.pipeline.classify.rules import has_national_header, match_title, rank_titles

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
BODY = ("Kính gửi: Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An\n"
        "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn An\n"
        "Nơi cư trú: số 12 đường Lê Lợi, phường Hưng Dũng, tỉnh Nghệ An\n"
        "Số định danh cá nhân: 040123456789, cấp ngày 12/03/2021\n"
        "Tôi cam đoan nội dung khai trên đây là đúng sự thật.\n")

# (type, title block as printed on real papers — wrapped where the real form wraps)
TYPICAL: list[tuple[str, str]] = [
    ("can_cuoc", "CĂN CƯỚC CÔNG DÂN\nCitizen Identity Card"),
    ("can_cuoc", "CĂN CƯỚC\nIDENTITY CARD"),
    ("to_khai_khai_sinh", "TỜ KHAI ĐĂNG KÝ KHAI SINH"),
    ("to_khai_khai_sinh",
     "TỜ KHAI ĐĂNG KÝ KHAI SINH\n(Dùng cho trường hợp đăng ký khai sinh lưu động)"),
    ("giay_chung_sinh", "GIẤY CHỨNG SINH\n(Bản chính)"),
    ("van_ban_cam_doan_viec_sinh", "VĂN BẢN CAM ĐOAN VỀ VIỆC SINH"),
    ("van_ban_cam_doan_viec_sinh", "VĂN BẢN XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG\nVề việc sinh"),
    ("giay_de_nghi_dk_ho_kinh_doanh", "GIẤY ĐỀ NGHỊ\nĐĂNG KÝ HỘ KINH DOANH"),
    ("bien_ban_hop_thanh_vien_ho",
     "BIÊN BẢN HỌP THÀNH VIÊN HỘ GIA ĐÌNH\n(V/v thành lập hộ kinh doanh)"),
    ("van_ban_uy_quyen", "GIẤY ỦY QUYỀN"),
    ("van_ban_uy_quyen", "GIẤY UỶ QUYỀN\n(V/v nộp hồ sơ và nhận kết quả thủ tục hành chính)"),
    ("van_ban_uy_quyen", "HỢP ĐỒNG ỦY QUYỀN"),
    ("van_ban_uy_quyen", "VĂN BẢN ỦY QUYỀN"),
    ("giay_de_nghi_dk_doanh_nghiep",
     "GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP\nCÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN"),
    ("dieu_le_cong_ty", "ĐIỀU LỆ\nCÔNG TY TNHH THƯƠNG MẠI MINH PHÁT"),
    ("dieu_le_cong_ty", "ĐIỀU LỆ CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN"),
    ("giay_chung_nhan_dk_doanh_nghiep",
     "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP\nCÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN\n"
     "Mã số doanh nghiệp: 2901234567"),
    ("to_khai_ly_lich_tu_phap", "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP\n"
                                "(Dùng cho cá nhân có yêu cầu cấp Phiếu lý lịch tư pháp)"),
    ("to_khai_ly_lich_tu_phap", "TỜ KHAI YÊU CẦU CẤP PHIẾU\nLÝ LỊCH TƯ PHÁP"),
    ("don_de_nghi_cap_gpxd", "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n"
                             "(Sử dụng cho công trình: Nhà ở riêng lẻ)"),
    ("giay_to_quyen_su_dung_dat", "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở\n"
                                  "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"),
    ("giay_to_quyen_su_dung_dat", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"),
    ("giay_to_quyen_su_dung_dat", "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN "
                                  "GẮN LIỀN VỚI ĐẤT"),
    ("ban_ve_thiet_ke", "BẢN VẼ THIẾT KẾ\nNHÀ Ở RIÊNG LẺ"),
    ("ban_ve_thiet_ke", "MẶT BẰNG TẦNG 1\nTỶ LỆ 1:100"),
    ("ban_ve_thiet_ke", "MẶT ĐỨNG CHÍNH"),
    ("cam_ket_an_toan_cong_trinh", "BẢN CAM KẾT\nBẢO ĐẢM AN TOÀN ĐỐI VỚI CÔNG TRÌNH LIỀN KỀ"),
    ("don_dang_ky_bien_dong", "Mẫu số 11/ĐK\nĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI,\n"
                              "TÀI SẢN GẮN LIỀN VỚI ĐẤT"),
    ("hop_dong_chuyen_nhuong", "HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"),
    ("hop_dong_chuyen_nhuong", "HỢP ĐỒNG TẶNG CHO QUYỀN SỬ DỤNG ĐẤT\n"
                               "VÀ TÀI SẢN GẮN LIỀN VỚI ĐẤT"),
    ("hop_dong_chuyen_nhuong", "VĂN BẢN THỎA THUẬN PHÂN CHIA DI SẢN THỪA KẾ"),
    ("to_khai_thue", "TỜ KHAI LỆ PHÍ TRƯỚC BẠ NHÀ, ĐẤT"),
    ("to_khai_thue", "TỜ KHAI THUẾ THU NHẬP CÁ NHÂN\n(Áp dụng cho cá nhân có thu nhập từ "
                     "chuyển nhượng bất động sản)"),
    ("don_de_nghi_doi_gplx", "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE"),
    ("don_de_nghi_doi_gplx", "ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE"),
    ("giay_kham_suc_khoe", "GIẤY KHÁM SỨC KHỎE\nCỦA NGƯỜI LÁI XE"),
    ("giay_phep_lai_xe", "GIẤY PHÉP LÁI XE\nDRIVER'S LICENSE\nSố/No: 790123456789"),
    ("don_de_nghi_cap_gcn_attp", "ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN\n"
                                 "CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM"),
    ("thuyet_minh_co_so_vat_chat", "BẢN THUYẾT MINH\nVỀ CƠ SỞ VẬT CHẤT, TRANG THIẾT BỊ, "
                                   "DỤNG CỤ BẢO ĐẢM ĐIỀU KIỆN VỆ SINH AN TOÀN THỰC PHẨM"),
]


def page(title: str, agency: str = "ỦY BAN NHÂN DÂN XÃ NGHI PHÚ\nSố: 123/UBND") -> str:
    return f"{agency}\n{HEADER}Nghi Phú, ngày 12 tháng 3 năm 2025\n{title}\n{BODY}"


def no_marks(text: str) -> str:
    """What a scan OCR'd without a Vietnamese model gives: the letters, no diacritics."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text)
                    if not unicodedata.combining(c))
    return plain.replace("Đ", "D").replace("đ", "d")


_TONE_SLIPS = str.maketrans("ẤẢỆÝỀỜỨĐƯỌ", "ẢẠÊỶỂỞỪDUỢ")


def ocr_slips(text: str) -> str:
    """Tesseract's usual slips on bold uppercase titles: I read as l, a wrong or missing tone
    mark, Đ without its bar, Ư without its horn, a dropped space and a dropped letter."""
    lines = text.splitlines()
    title = lines[0].replace("I", "l").translate(_TONE_SLIPS)
    words = title.split()
    if len(words) >= 4:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        if len(words[longest]) >= 5:
            w = words[longest]
            words[longest] = w[:2] + w[3:]
        words[1:3] = [words[1] + words[2]]
    return "\n".join([" ".join(words), *lines[1:]])


def test_every_document_type_has_title_rules() -> None:
    real = {t.code for t in DOC_TYPES if t.is_document and t.code != KHAC}
    assert real <= set(rules.TITLES)
    assert {COVER, SEPARATOR}.isdisjoint(rules.TITLES)
    assert real == {doc_type for doc_type, _ in TYPICAL}


@pytest.mark.parametrize(("doc_type", "title"), TYPICAL)
def test_typical_titles(doc_type: str, title: str) -> None:
    match = match_title(page(title))
    assert match is not None and match.doc_type == doc_type
    assert match.score >= 0.9


@pytest.mark.parametrize(("doc_type", "title"), TYPICAL)
def test_titles_without_diacritics(doc_type: str, title: str) -> None:
    match = match_title(no_marks(page(title)))
    assert match is not None and match.doc_type == doc_type


@pytest.mark.parametrize(("doc_type", "title"), TYPICAL)
def test_titles_with_ocr_slips(doc_type: str, title: str) -> None:
    noisy = ocr_slips(title)
    assert noisy != title
    match = match_title(page(noisy))
    assert match is not None and match.doc_type == doc_type, (noisy, rank_titles(page(noisy))[:2])


@pytest.mark.parametrize(("title", "doc_type"), [
    ("TỜ KHAl ĐĂNG KÝ KHAl SINH", "to_khai_khai_sinh"),
    ("GIAY CHUNG SlNH", "giay_chung_sinh"),
    ("to khai dang ky khai sinh", "to_khai_khai_sinh"),
    ("GIẤY ĐỂ NGHỊ ĐĂNG KY DOANH NGHIẸP", "giay_de_nghi_dk_doanh_nghiep"),
    ("DON DE NGHl CAP GIAY PHEP XAY DUNG", "don_de_nghi_cap_gpxd"),
])
def test_reported_ocr_readings(title: str, doc_type: str) -> None:
    match = match_title(page(title))
    assert match is not None and match.doc_type == doc_type


@pytest.mark.parametrize(("title", "doc_type"), [
    ("GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP", "giay_de_nghi_dk_doanh_nghiep"),
    ("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", "giay_chung_nhan_dk_doanh_nghiep"),
    ("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH", "giay_de_nghi_dk_ho_kinh_doanh"),
    ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "giay_chung_nhan_dk_doanh_nghiep"),
    ("ĐƠN ĐỀ NGHỊ ĐỔI GIẤY PHÉP LÁI XE", "don_de_nghi_doi_gplx"),
    ("GIẤY PHÉP LÁI XE", "giay_phep_lai_xe"),
    ("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG", "don_de_nghi_cap_gpxd"),
    ("GIẤY PHÉP XÂY DỰNG", KHAC),
    ("TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP", "to_khai_ly_lich_tu_phap"),
    ("PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1", KHAC),
    ("ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM",
     "don_de_nghi_cap_gcn_attp"),
    ("GIẤY CHỨNG NHẬN CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM", KHAC),
    ("GIẤY KHAI SINH", KHAC),
    ("GIẤY CHỨNG SINH", "giay_chung_sinh"),
    ("HỢP ĐỒNG ỦY QUYỀN", "van_ban_uy_quyen"),
    ("HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT", "hop_dong_chuyen_nhuong"),
    ("ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT", "don_dang_ky_bien_dong"),
    ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT", "giay_to_quyen_su_dung_dat"),
    ("THÔNG BÁO NỘP LỆ PHÍ TRƯỚC BẠ", KHAC),
    ("TỜ KHAI LỆ PHÍ TRƯỚC BẠ", "to_khai_thue"),
    ("VĂN BẢN CAM ĐOAN VỀ VIỆC SINH", "van_ban_cam_doan_viec_sinh"),
    ("BẢN CAM KẾT BẢO ĐẢM AN TOÀN ĐỐI VỚI CÔNG TRÌNH LIỀN KỀ", "cam_ket_an_toan_cong_trinh"),
])
def test_near_collisions(title: str, doc_type: str) -> None:
    ranked = rank_titles(page(title))
    assert ranked[0].doc_type == doc_type
    assert ranked[0].score - ranked[1].score >= 0.1  # a clear lead, not a coin toss
    assert match_title(page(title)) == ranked[0]


def test_a_paper_mentioned_in_the_body_is_not_the_page_type() -> None:
    text = page("TỜ KHAI ĐĂNG KÝ KHAI SINH") + (
        "Giấy tờ kèm theo: bản sao giấy chứng sinh\n"
        "Kèm theo bản sao giấy chứng sinh và giấy ủy quyền của người yêu cầu.\n")
    match = match_title(text)
    assert match is not None and match.doc_type == "to_khai_khai_sinh"
    body_only = ("Kính gửi: Ủy ban nhân dân xã Nghi Phú\n"
                 "Tôi xin nộp kèm theo bản sao giấy chứng sinh của cháu.\n"
                 "Hồ sơ gồm giấy đề nghị đăng ký hộ kinh doanh và giấy ủy quyền.\n"
                 "Người nộp phải xuất trình căn cước công dân khi nhận kết quả.\n")
    assert match_title(body_only) is None
    assert all(m.score < 0.8 for m in rank_titles(body_only))


def test_a_sentence_starting_with_a_title_phrase_is_not_a_title() -> None:
    text = ("Kính gửi: Sở Xây dựng\n"
            "Giấy phép lái xe số 790123456789 do Sở Giao thông vận tải Nghệ An cấp ngày "
            "12/03/2019 đã hết hạn sử dụng.\n"
            "Căn cước số 040123456789 cấp ngày 12/03/2021\n")
    assert match_title(text) is None


def test_the_national_header_is_not_a_title() -> None:
    assert match_title(HEADER) is None
    assert match_title("ỦY BAN NHÂN DÂN XÃ NGHI PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                       "Số: 12/UBND Độc lập - Tự do - Hạnh phúc\n") is None
    assert match_title(no_marks(HEADER).lower()) is None
    assert has_national_header(no_marks(HEADER))
    assert has_national_header("ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘl CHỦ NGHĨA VIỆT NAM")
    assert not has_national_header("Việt Nam\nĐộc lập")


def test_a_title_low_on_the_page_counts_less() -> None:
    top = rank_titles(page("GIẤY ỦY QUYỀN"))[0]
    low = rank_titles("\n".join(f"Dòng nội dung số {i}: thông tin khai báo." for i in range(16))
                      + "\nGIẤY ỦY QUYỀN\n")[0]
    assert top.doc_type == low.doc_type == "van_ban_uy_quyen"
    assert top.score == 1.0 and 0.8 <= low.score < 0.95


def test_form_numbers_name_the_form() -> None:
    text = "Mẫu số 11/ĐK\n" + BODY
    match = match_title(text)
    assert match == rules.RuleMatch("don_dang_ky_bien_dong", rules.FORM_NUMBER_SCORE,
                                    "Mẫu số 11/ĐK")
    assert match_title("Mẫu số 01/LPTB\n" + BODY).doc_type == "to_khai_thue"
    assert match_title("Mẫu số: 03/BĐS-TNCN\n" + BODY).doc_type == "to_khai_thue"
    hkd = "Phụ lục III-I\n" + HEADER + "GIẤY ĐỀ NGHỊ\n"  # OCR read "III-1" as "III-I"
    assert match_title(hkd).doc_type == "giay_de_nghi_dk_ho_kinh_doanh"
    mention = BODY + "Đơn được lập theo Mẫu số 11/ĐK ban hành kèm theo Nghị định 101/2024.\n"
    assert match_title(mention) is None


def test_drawing_sheet_title_block_at_the_bottom() -> None:
    sheet = "\n".join(["TRỤC 1", "TRỤC 2", "3600", "4200", "+0.450", "WC", "P.NGỦ 1"] * 4
                      + ["CHỦ ĐẦU TƯ: ÔNG NGUYỄN VĂN AN", "MẶT BẰNG TẦNG 2", "TỶ LỆ 1:100",
                         "KT-02"])
    match = match_title(sheet)
    assert match is not None and match.doc_type == "ban_ve_thiet_ke" and match.part


def test_back_of_an_id_card_is_a_part() -> None:
    back = ("Đặc điểm nhân dạng / Personal identification\nNốt ruồi cách 1cm trên mép trái\n"
            "Ngày, tháng, năm / Date, month, year: 12/03/2021\n"
            "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI\n"
            "Ngón trỏ trái / Left index finger\nNgón trỏ phải / Right index finger\n")
    match = match_title(back)
    assert match is not None and match.doc_type == "can_cuoc" and match.part


def test_plain_text_has_no_title() -> None:
    news = ("BÁO NGHỆ AN\nGiá lúa tăng mạnh trong vụ đông xuân\n"
            "Theo các thương lái, giá lúa khô đã tăng thêm hai trăm đồng mỗi ký.\n")
    assert match_title(news) is None
    assert match_title("") is None
    assert match_title("   \n\n") is None


def test_a_title_cut_short_still_matches_when_most_of_it_is_there() -> None:
    cut = HEADER + "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN\n"
    assert match_title(cut).doc_type == "giay_to_quyen_su_dung_dat"
    too_short = HEADER + "ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN\n"  # ATTP? land? not said
    assert match_title(too_short) is None
    assert match_title(HEADER + "GIẤY ĐỀ NGHỊ ĐĂNG KÝ\n") is None  # enterprise or household
