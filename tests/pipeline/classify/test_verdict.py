"""The checklist verdict on hand-made document lists (no OCR): alternatives, conditional,
shown-only, sets, extra documents, separator-forced items, unreadable pages."""

from __future__ import annotations

import json

from sohoa.domain.procedures import Procedure, load_catalog
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.pipeline.classify.types import DocumentSpan
from sohoa.pipeline.classify.verdict import checklist_verdict, pages_text

PRESENT, MISSING, NA = ItemStatus.PRESENT, ItemStatus.MISSING, ItemStatus.NOT_APPLICABLE


def doc(doc_type: str, *pages: int, item_id: str | None = None) -> DocumentSpan:
    return DocumentSpan(doc_type=doc_type, pages=pages, confidence=0.9, item_id=item_id)


def statuses(verdict: Verdict) -> dict[str, ItemStatus]:
    return {item.item_id: item.status for item in verdict.items}


def item(verdict: Verdict, item_id: str):
    return next(i for i in verdict.items if i.item_id == item_id)


def procedure(code: str) -> Procedure:
    return load_catalog().get(code)


def test_complete_birth_registration():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0, 1), doc("giay_chung_sinh", 2)])
    assert verdict.complete
    assert statuses(verdict) == {"to_khai": PRESENT, "giay_chung_sinh": PRESENT,
                                 "giay_to_tuy_than": NA}
    assert item(verdict, "to_khai").documents == [0]
    assert item(verdict, "to_khai").pages == [0, 1]
    assert item(verdict, "to_khai").reason == "có Tờ khai đăng ký khai sinh (trang 1-2)"
    assert item(verdict, "giay_to_tuy_than").reason == "chỉ xuất trình, không số hóa"
    assert verdict.extra_documents == []
    assert verdict.summary == "Hồ sơ đầy đủ"


def test_missing_required_item():
    verdict = checklist_verdict(procedure("1.001193"), [doc("to_khai_khai_sinh", 0)])
    assert not verdict.complete
    missing = item(verdict, "giay_chung_sinh")
    assert (missing.status, missing.documents, missing.pages) == (MISSING, [], [])
    assert missing.reason == ("thiếu: không tìm thấy Giấy chứng sinh hoặc Văn bản của người "
                              "làm chứng / giấy cam đoan về việc sinh")
    assert [i.item_id for i in verdict.missing] == ["giay_chung_sinh"]
    assert verdict.summary.startswith("Thiếu 1 thành phần: Giấy chứng sinh hoặc văn bản")


def test_either_alternative_satisfies_the_item():
    for alternative in ("giay_chung_sinh", "van_ban_cam_doan_viec_sinh"):
        verdict = checklist_verdict(procedure("1.001193"), [
            doc("to_khai_khai_sinh", 0), doc(alternative, 1)])
        assert verdict.complete, alternative
        assert item(verdict, "giay_chung_sinh").documents == [1]
    cam_doan = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0), doc("van_ban_cam_doan_viec_sinh", 1, 2)])
    assert item(cam_doan, "giay_chung_sinh").reason == (
        "có Văn bản của người làm chứng / giấy cam đoan về việc sinh (trang 2-3)")


def test_both_alternatives_handed_in_stay_with_the_item_not_extra():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0), doc("giay_chung_sinh", 1),
        doc("van_ban_cam_doan_viec_sinh", 2)])
    assert item(verdict, "giay_chung_sinh").documents == [1, 2]
    assert verdict.extra_documents == []


def test_conditional_items_absent_or_present():
    household = procedure("1.001612")
    base = [doc("giay_de_nghi_dk_ho_kinh_doanh", 0), doc("can_cuoc", 1)]
    absent = checklist_verdict(household, base)
    assert absent.complete
    assert statuses(absent) == {"giay_de_nghi": PRESENT, "giay_to_phap_ly_ca_nhan": PRESENT,
                                "bien_ban_hop": NA, "van_ban_uy_quyen": NA}
    assert item(absent, "bien_ban_hop").reason == (
        "nếu có — không nộp (nếu các thành viên hộ gia đình cùng đăng ký hộ kinh doanh)")

    present = checklist_verdict(household, [*base, doc("bien_ban_hop_thanh_vien_ho", 2, 3)])
    assert present.complete
    minutes = item(present, "bien_ban_hop")
    assert (minutes.status, minutes.documents, minutes.pages) == (PRESENT, [2], [2, 3])
    assert item(present, "van_ban_uy_quyen").status is NA


def test_shown_only_paper_scanned_anyway_is_noted_not_extra():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0), doc("giay_chung_sinh", 1), doc("can_cuoc", 2)])
    assert verdict.complete
    assert verdict.extra_documents == []
    card = item(verdict, "giay_to_tuy_than")
    assert (card.status, card.documents, card.pages) == (NA, [2], [2])
    assert card.reason == ("chỉ xuất trình, không số hóa — đã quét kèm Thẻ căn cước / Căn cước "
                           "công dân (trang 3), không tính là giấy tờ thừa")


def test_two_sets_of_drawings_scanned_once_are_present_with_a_note():
    """Issue 14: the clerk digitizes one set and counts the paper sets by hand."""
    permit = procedure("1.013225")
    base = [doc("don_de_nghi_cap_gpxd", 0), doc("giay_to_quyen_su_dung_dat", 1)]
    one = checklist_verdict(permit, [*base, doc("ban_ve_thiet_ke", 2, 3, 4)])
    assert one.complete
    drawings = item(one, "ban_ve_thiet_ke")
    assert (drawings.status, drawings.documents, drawings.pages) == (PRESENT, [2], [2, 3, 4])
    assert drawings.reason == ("có Bản vẽ thiết kế (trang 3-5) — cần 2 bộ: số hóa một bộ, "
                               "đếm đủ 2 bộ bản giấy")
    assert one.summary == "Hồ sơ đầy đủ"

    two = checklist_verdict(permit, [*base, doc("ban_ve_thiet_ke", 2, 3),
                                     doc("ban_ve_thiet_ke", 4, 5)])
    assert two.complete
    assert item(two, "ban_ve_thiet_ke").documents == [2, 3]
    assert item(two, "ban_ve_thiet_ke").reason == (
        "có đủ 2 bộ: Bản vẽ thiết kế (trang 3-4); Bản vẽ thiết kế (trang 5-6)")


def test_extra_documents_are_listed_with_a_reason():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("khac", 0), doc("to_khai_khai_sinh", 1), doc("dieu_le_cong_ty", 2, 3),
        doc("giay_chung_sinh", 4)])
    assert verdict.complete
    assert [(e.document, e.doc_type, e.pages) for e in verdict.extra_documents] == [
        (0, "khac", [0]), (2, "dieu_le_cong_ty", [2, 3])]
    assert verdict.extra_documents[0].reason == (
        "giấy tờ khác (trang 1) — không thuộc thành phần hồ sơ của thủ tục")
    assert verdict.extra_documents[1].reason == (
        "Điều lệ công ty (trang 3-4) — không thuộc thành phần hồ sơ của thủ tục 1.001193")
    assert verdict.summary == "Hồ sơ đầy đủ; 2 giấy tờ ngoài danh mục"


def test_separator_forces_the_item_whatever_the_type():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 1, item_id="to_khai"),
        doc("khac", 3, item_id="giay_chung_sinh"),
        doc("khac", 5, item_id="khong_co")])
    assert statuses(verdict)["giay_chung_sinh"] is PRESENT
    assert item(verdict, "giay_chung_sinh").documents == [1]
    assert item(verdict, "giay_chung_sinh").reason == (
        "có Giấy tờ khác (trang 4, theo tờ phân cách)")
    assert [e.document for e in verdict.extra_documents] == [2]
    assert "'khong_co' không có trong thủ tục" in verdict.extra_documents[0].reason
    assert verdict.complete


def test_cover_and_separator_spans_are_neither_items_nor_extra():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("bia_ho_so", 0), doc("to_khai_khai_sinh", 1), doc("to_phan_cach", 2),
        doc("giay_chung_sinh", 3)])
    assert verdict.complete
    assert verdict.extra_documents == []


def test_a_document_is_used_by_one_item_only_and_required_items_come_first():
    shared = Procedure.model_validate({
        "code": "9.000001", "name": "Thủ tục thử", "agency": "UBND cấp xã",
        "processing_days": 1, "items": [
            {"id": "uy_quyen_cccd", "name": "CCCD người được ủy quyền", "doc_types": "can_cuoc",
             "copies": 1, "requirement": "neu_co"},
            {"id": "cccd", "name": "CCCD người yêu cầu", "doc_types": "can_cuoc", "copies": 1,
             "requirement": "bat_buoc"}]})
    one = checklist_verdict(shared, [doc("can_cuoc", 0)])
    assert statuses(one) == {"uy_quyen_cccd": NA, "cccd": PRESENT}
    assert item(one, "cccd").documents == [0]
    two = checklist_verdict(shared, [doc("can_cuoc", 0), doc("can_cuoc", 1)])
    assert statuses(two) == {"uy_quyen_cccd": PRESENT, "cccd": PRESENT}
    assert (item(two, "cccd").documents, item(two, "uy_quyen_cccd").documents) == ([0], [1])


def test_unreadable_pages_make_the_dossier_incomplete():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0, 1), doc("giay_chung_sinh", 2)], unreadable_pages=[1, 1])
    assert not verdict.complete
    assert verdict.unreadable_pages == [1]
    assert statuses(verdict)["to_khai"] is PRESENT
    assert item(verdict, "to_khai").reason.endswith("; trang 2 không đọc được, cần quét lại")
    assert verdict.summary == (
        "Hồ sơ chưa đầy đủ: 1 trang không đọc được, cần quét lại (trang 2)")


def test_verdict_json_round_trip():
    verdict = checklist_verdict(procedure("1.013225"), [
        doc("don_de_nghi_cap_gpxd", 0), doc("ban_ve_thiet_ke", 1, 2), doc("khac", 3)],
        unreadable_pages=[2])
    data = json.loads(verdict.model_dump_json())
    assert data["items"][0]["status"] == "present"
    assert data["items"][0]["requirement"] == "bat_buoc"
    assert data["items"][1]["status"] == "missing"
    assert data["items"][3]["status"] == "not_applicable"
    assert data["extra_documents"][0]["document"] == 2
    assert data["unreadable_pages"] == [2]
    assert Verdict.model_validate_json(verdict.model_dump_json()) == verdict
    assert data["items"][2]["status"] == "present"  # one of 2 sets: digitized once
    assert verdict.summary == ("Thiếu 1 thành phần: Bản sao giấy tờ chứng minh quyền sử dụng "
                               "đất; 1 trang không đọc được, cần quét lại (trang 3); 1 giấy tờ "
                               "ngoài danh mục")


def test_pages_text_counts_from_one_and_joins_runs():
    assert pages_text([0, 1, 2, 4, 7, 6]) == "trang 1-3, 5, 7-8"
    assert pages_text([3]) == "trang 4"


def test_a_page_never_read_proves_no_item_even_after_a_separator():
    """Issue 13: a failed page after a separator sheet once made its item present."""
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0), doc("khac", 2, item_id="giay_chung_sinh")],
        unread_pages=[2])
    assert statuses(verdict)["giay_chung_sinh"] is MISSING
    assert item(verdict, "giay_chung_sinh").documents == []
    assert verdict.extra_documents == [] and verdict.unreadable_pages == [2]
    assert not verdict.complete
    assert "1 trang không đọc được, cần quét lại (trang 3)" in verdict.summary


def test_an_unread_page_inside_a_read_document_is_listed_for_rescan():
    verdict = checklist_verdict(procedure("1.001193"), [
        doc("to_khai_khai_sinh", 0, 1), doc("giay_chung_sinh", 2)], unread_pages=[1])
    to_khai = item(verdict, "to_khai")
    assert to_khai.status is PRESENT  # its first page was read and says what it is
    assert to_khai.reason.endswith("trang 2 không đọc được, cần quét lại")
    assert not verdict.complete and verdict.unreadable_pages == [1]
