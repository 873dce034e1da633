"""Classification against checklists no one hand-wrote (issue 14): pages of procedures of the
shipped national catalog matched to their items by printed title and form number, the
procedure as the prior, and the verdict rules — several sets, cases, near-identical types,
extra pages, reasons that name their pages."""

from __future__ import annotations

from functools import cache

from sohoa.domain.catalog.shipped import ShippedCatalog, load_directory
from sohoa.domain.corrections import Corrections
from sohoa.domain.pages import PageText
from sohoa.domain.procedures import Procedure
from sohoa.domain.verdict import ItemStatus
from sohoa.pipeline.classify import rules
from sohoa.pipeline.classify.analysis import StreamPage, analyse
from sohoa.pipeline.classify.classifier import apply_overrides, classify_pages
from sohoa.pipeline.classify.items import form_number, matcher_for
from sohoa.pipeline.classify.types import DocumentSpan, PageEvidence
from sohoa.pipeline.classify.verdict import checklist_verdict, pages_text

TREES = "1.002693"
HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
FIELDS = ("Họ và tên: NGUYỄN VĂN AN    Giới tính: Nam\nSinh ngày: 02/03/1980\n"
          "Nơi cư trú: số 12, đường Lê Lợi, phường Vinh Phú, tỉnh Nghệ An\n"
          "Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật.\n")
SIGNED = "Nghệ An, ngày 14 tháng 11 năm 2025\nNGƯỜI ĐỀ NGHỊ\n(Ký, ghi rõ họ tên)\nNguyễn Văn An\n"
NEWS = ("BÁO SÔNG LAM\nXÃ HỘI • Thứ 5, ngày 08/06/2024\nMưa lớn gây ngập nhiều tuyến phố\n"
        "Theo Trung tâm Khí tượng thủy văn quốc gia, từ đêm nay đến ngày mai, khu vực Nghệ An "
        "có mưa vừa, mưa to, có nơi mưa rất to. Nhiệt độ thấp nhất phổ biến từ 17 đến 19 độ C; "
        "vùng núi có nơi dưới 14 độ C. Các bãi biển luôn đông kín du khách từ sáng sớm đến "
        "tối muộn, nhiều khách sạn kín phòng.\n")


def trees() -> Procedure:
    return load_directory().get(TREES)


@cache
def national(code: str) -> Procedure:
    """The imported version of a procedure (for the curated ones, not what the counter uses)."""
    return Procedure.model_validate(ShippedCatalog().raw(code))


def form(title: str, *, number: str = "", body: str = FIELDS) -> str:
    return f"{number}\n{HEADER}{title}\n{body}{SIGNED}"


def stream(*texts: str) -> list[StreamPage]:
    return [StreamPage(n, 0, n, PageText(text=text))
            for n, text in enumerate(texts)]


def status(verdict, item_id: str) -> ItemStatus:
    return next(i.status for i in verdict.items if i.item_id == item_id)


def test_a_never_seen_procedure_end_to_end() -> None:
    procedure = trees()
    assert procedure.source == "national"
    pages = stream(
        form("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP CHẶT HẠ,\nDỊCH CHUYỂN CÂY XANH", number="Mẫu số 01",
             body=FIELDS.replace("Tôi xin", "Trang 1/2\nTôi xin")),
        "3. Số lượng cây: 02 cây sấu, đường kính 40 cm.\n4. Lý do: cây mục rỗng, nguy cơ gãy "
        "đổ.\nTrang 2/2\n" + SIGNED,
        NEWS,
        f"{HEADER}ẢNH CHỤP HIỆN TRẠNG CÂY XANH ĐÔ THỊ\nẢnh 1: cây sấu số 1\nẢnh 2: cây sấu số 2\n")
    analysis = analyse(procedure, pages)
    assert [p.doc_type for p in analysis.pages] == [
        "1.002693/don_de_nghi_cap_giay_phep", "1.002693/don_de_nghi_cap_giay_phep", "khac",
        "1.002693/anh_chup_hien_trang_cay_xanh"]
    assert analysis.pages[0].source == "item"
    assert "thành phần “Đơn đề nghị cấp giấy phép chặt hạ" in analysis.pages[0].reason
    verdict = analysis.verdict
    assert verdict.complete
    form_item = verdict.items[0]
    assert form_item.pages == [0, 1]
    assert form_item.reason == ("có Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh "
                                "(trang 1-2)")
    assert [(e.pages, e.reason) for e in verdict.extra_documents] == [
        ([2], "giấy tờ khác (trang 3) — không thuộc thành phần hồ sơ của thủ tục")]


def test_a_missing_item_is_named() -> None:
    verdict = analyse(trees(), stream(form("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP CHẶT HẠ, DỊCH CHUYỂN "
                                           "CÂY XANH"))).verdict
    assert not verdict.complete
    photos = verdict.items[1]
    assert photos.status is ItemStatus.MISSING
    assert photos.reason == ("thiếu: không tìm thấy Ảnh chụp hiện trạng cây xanh đô thị cần "
                             "chặt hạ, dịch chuyển")
    assert verdict.summary.startswith("Thiếu 1 thành phần: Ảnh chụp hiện trạng cây xanh")


def test_the_form_number_names_the_item_when_the_title_does_not() -> None:
    assert form_number("Mẫu số 09") == form_number("MẪU SỐ: 9") == "9"
    assert form_number("Mẫu 01/TK-SDDPNN") == "1/tk-sddpnn"
    assert form_number("Văn bản đề nghị (NA20)") == "na20"
    classes = classify_pages([PageEvidence(0, form("ĐƠN XIN PHÉP", number="Mẫu số 01"))],
                             procedure=trees())
    assert classes[0].doc_type == "1.002693/don_de_nghi_cap_giay_phep"
    assert classes[0].reason.startswith("Số mẫu “Mẫu số 01”")


def test_a_page_with_its_own_title_is_never_a_continuation() -> None:
    classes = classify_pages([
        PageEvidence(0, form("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP CHẶT HẠ, DỊCH CHUYỂN CÂY XANH")),
        PageEvidence(1, "BẢNG KÊ CHI PHÍ VẬN CHUYỂN\n1. Xe tải: 2.000.000 đồng\n2. Nhân công: "
                        "1.500.000 đồng\n")], procedure=trees())
    assert [(c.doc_type, c.continuation) for c in classes] == [
        ("1.002693/don_de_nghi_cap_giay_phep", False), ("khac", False)]


def test_near_identical_types_are_resolved_by_the_procedure() -> None:
    household = rules.RuleMatch("giay_de_nghi_dk_ho_kinh_doanh", 0.80, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ …")
    company = rules.RuleMatch("giay_de_nghi_dk_doanh_nghiep", 0.78, "GIẤY ĐỀ NGHỊ ĐĂNG KÝ …")
    assert rules.pick([household, company]) is None  # too close and under the threshold
    assert rules.pick_for([household, company], frozenset({company.doc_type})) is company
    assert rules.pick_for([household, company], frozenset({household.doc_type})) is household
    assert rules.pick_for([household, company], frozenset({"khac_loai"})) is None
    curated = load_directory().get("2.001583")
    assert "giay_de_nghi_dk_doanh_nghiep" in matcher_for(curated).accepted


def test_several_sets_scanned_once_are_present_with_a_note() -> None:
    procedure = national("1.003590")
    design = next(i for i in procedure.items if i.sets == 3)
    verdict = checklist_verdict(procedure, [DocumentSpan(design.doc_types[0], (4, 5), 0.9)])
    found = next(i for i in verdict.items if i.item_id == design.id)
    assert found.status is ItemStatus.PRESENT
    assert found.reason.endswith("(trang 5-6) — cần 3 bộ: số hóa một bộ, đếm đủ 3 bộ bản giấy")


def test_the_verdict_reports_the_case_the_documents_fit() -> None:
    procedure = national("2.001583")  # five cases in the national catalog
    social = "Trường hợp đăng ký doanh nghiệp xã hội"
    own = [i for i in procedure.items if i.case == social and i.requirement.value == "bat_buoc"]
    documents = [DocumentSpan(item.doc_types[0], (n,), 0.9) for n, item in enumerate(own)]
    verdict = checklist_verdict(procedure, documents)
    assert verdict.case == social and verdict.complete
    assert verdict.case_reason.startswith(f"hồ sơ khớp trường hợp “{social}”: 4 thành phần "
                                          "riêng có (trang 1-4), 0 thành phần bắt buộc thiếu")
    other = next(i for i in verdict.items if i.item_id == "giay_phep_thanh_lap_va_hoat")
    assert other.status is ItemStatus.NOT_APPLICABLE
    assert other.reason.startswith("thuộc trường hợp khác (Trường hợp đăng ký doanh nghiệp "
                                   "đối với công ty chứng khoán")
    assert verdict.summary.endswith(f"; trường hợp: {social}")
    # the same paper listed in another case is the same paper: without the social
    # commitment, the form, the charter and the personal papers fit the plain case
    plain = checklist_verdict(procedure, documents[:3])
    assert plain.case == "Đăng ký thành lập công ty TNHH một thành viên" and plain.complete


def test_every_item_has_its_own_stable_type_and_the_clerk_can_set_it() -> None:
    procedure = trees()
    assert [i.doc_types[0] for i in procedure.items] == [
        "1.002693/don_de_nghi_cap_giay_phep", "1.002693/anh_chup_hien_trang_cay_xanh"]
    assert procedure.type_name("1.002693/anh_chup_hien_trang_cay_xanh") == (
        "Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển")
    pages = classify_pages([PageEvidence(0, NEWS)], procedure=procedure)
    fixed = apply_overrides(pages, {0: "1.002693/anh_chup_hien_trang_cay_xanh"})
    assert fixed[0].doc_type == "1.002693/anh_chup_hien_trang_cay_xanh"
    assert Corrections.from_command_line(["1=1.002693/anh_chup_hien_trang_cay_xanh"], [], []) \
        .types == {0: "1.002693/anh_chup_hien_trang_cay_xanh"}


def test_parts_not_labelled_as_cases_are_alternatives_and_the_fitting_one_is_reported() -> None:
    """1.008003 lists "Hồ sơ Cấp Quyết định …" (three papers) and "Hồ sơ phục hồi Quyết
    định …" (one paper) without saying "trường hợp": a dossier of the recovery request is
    complete in that case, not short of the three papers of the other."""
    procedure = load_directory().get("1.008003")
    recovery = procedure.cases[1]
    analysis = analyse(procedure, stream(form(
        "VĂN BẢN ĐỀ NGHỊ CƠ QUAN ĐƯỢC CHỦ TỊCH ỦY BAN NHÂN DÂN CẤP TỈNH GIAO TIẾP NHẬN\n"
        "HỒ SƠ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH PHỤC HỒI QUYẾT ĐỊNH CÔNG NHẬN CÂY ĐẦU DÒNG")))
    verdict = analysis.verdict
    assert analysis.pages[0].doc_type == "1.008003/van_ban_de_nghi_co_quan"
    assert verdict.case == recovery and verdict.complete
    assert verdict.case_reason.startswith(f"hồ sơ khớp trường hợp “{recovery}”: 1 thành phần "
                                          "riêng có (trang 1)")
    assert status(verdict, "bao_cao_ket_qua_binh_tuyen") is ItemStatus.NOT_APPLICABLE
    first = analyse(procedure, stream(form("BÁO CÁO KẾT QUẢ BÌNH TUYỂN CÂY ĐẦU DÒNG"))).verdict
    assert first.case == procedure.cases[0] and not first.complete


def test_every_reason_names_the_pages_it_rests_on() -> None:
    """Pages, documents, items present, extra papers, the case chosen and the items of the
    other case: each reason says which pages (1-based) it rests on."""
    procedure = load_directory().get("1.008003")
    recovery = form("VĂN BẢN ĐỀ NGHỊ CƠ QUAN ĐƯỢC CHỦ TỊCH ỦY BAN NHÂN DÂN CẤP TỈNH GIAO TIẾP "
                    "NHẬN\nHỒ SƠ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH PHỤC HỒI QUYẾT ĐỊNH CÔNG NHẬN "
                    "CÂY ĐẦU DÒNG", body=FIELDS + "Trang 1/2\n")
    analysis = analyse(procedure, stream(
        NEWS, recovery, "3. Lý do phục hồi: đã khắc phục vi phạm.\nTrang 2/2\n" + SIGNED))
    assert [p.source for p in analysis.pages] == ["none", "item", "continuation"]
    assert analysis.pages[2].reason.endswith("nối tiếp trang 2")
    assert [d.reason.split(":")[0].split(", ")[-1] for d in analysis.documents] == [
        "trang 1", "trang 2–3"]
    verdict = analysis.verdict
    assert verdict.case_reason.endswith("1 thành phần riêng có (trang 2-3), 0 thành phần bắt "
                                        "buộc thiếu")
    for item in verdict.items:
        if item.pages:
            assert pages_text(item.pages) in item.reason, item.reason
        elif item.status is ItemStatus.NOT_APPLICABLE:
            assert item.reason.endswith(": giấy tờ ở trang 2-3 thuộc trường hợp được xét")
    assert status(verdict, "van_ban_de_nghi_co_quan") is ItemStatus.PRESENT
    assert [(e.pages, pages_text(e.pages) in e.reason) for e in verdict.extra_documents] == [
        ([0], True)]


def test_one_paper_listed_twice_in_a_checklist_answers_both_rows() -> None:
    """1.013226 lists "Giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất ở được cấp"
    twice, under sub-cases it does not mark as cases: the one paper handed in is both."""
    procedure = load_directory().get("1.013226")
    twice = [i for i in procedure.items if i.name.startswith("Giấy chứng nhận quyền sở hữu nhà "
                                                                "ở và quyền sử dụng đất ở")]
    assert len(twice) == 2 and all(i.requirement.value == "bat_buoc" for i in twice)
    verdict = checklist_verdict(procedure, [DocumentSpan(twice[0].doc_types[0], (3,), 0.9)])
    rows = [i for i in verdict.items if i.item_id in {t.id for t in twice}]
    assert [(r.status, r.pages) for r in rows] == [(ItemStatus.PRESENT, [3])] * 2
    assert not verdict.extra_documents


STRAY = "+ ^ 3 2 >"
"""What Tesseract read between the two lines of a title on a 150 dpi page (bench.catalog)."""


def test_a_title_split_by_a_stray_ocr_line_still_names_the_item() -> None:
    title = ("CÔNG VĂN CỦA QUỸ TÍN DỤNG NHÂN DÂN ĐỀ NGHỊ CHẤM\n{}\n"
             "DƯỨT HOẠT ĐỌNG, GIẢI THỂ PHÒNG GIAO DỊCH")
    procedure = load_directory().get("1.000402")
    for text in (title.format(STRAY), title.format("Ơ + U Ớ > U ƠI Đ> Ú Ơi")):
        page = classify_pages([PageEvidence(0, form(text))], procedure=procedure)[0]
        assert page.doc_type == "1.000402/van_ban_cua_quy_tin_dung", page.reason
