"""The parser on real rows of the national catalog (tests/resources/catalog, copied from
shared/catalog): every pattern of the catalog's README, the LayThuTuc form, the report and
the refusal of malformed records."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from sohoa.domain.catalog import report as why
from sohoa.domain.catalog.reader import read_catalog
from sohoa.domain.catalog.records import read_record, working_days
from sohoa.domain.catalog.rows import split_form_file
from sohoa.domain.procedures import Channel, Procedure, Requirement
from sohoa.errors import CatalogError

RESOURCES = Path(__file__).parents[2] / "resources" / "catalog"
SAMPLE = RESOURCES / "national-sample.jsonl.gz"
LAYTHUTUC = RESOURCES / "laythutuc-1.002693.json"


@cache
def sample() -> tuple[dict[str, Procedure], why.ParseReport]:
    return read_catalog(SAMPLE.read_bytes(), SAMPLE.name)


def procedure(code: str) -> Procedure:
    return sample()[0][code]


def item_named(p: Procedure, start: str):
    return next(item for item in p.items if item.name.startswith(start))


def test_every_row_of_the_sample_is_read() -> None:
    procedures, report = sample()
    assert len(procedures) == 40 and report.refused == []
    assert len(report.procedures) == 40
    assert report.items == sum(len(p.items) for p in procedures.values())
    assert all(p.source == "national" for p in procedures.values())


def test_counts_at_the_end_of_each_row() -> None:
    p = procedure("1.002693")
    assert [(i.name, i.originals, i.copies) for i in p.items] == [
        ("Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh", 1, 0),
        ("Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển", 0, 1),
    ]
    assert all(i.requirement is Requirement.REQUIRED for i in p.items)
    assert item_named(procedure("1.000807"), "Giấy miễn thị thực").originals == 1
    photos = item_named(procedure("2.002633"), "Ảnh màu")  # "02 (hai) ảnh màu …", 2 bản chính
    assert photos.originals == 2


def test_sections_to_hand_in_and_to_show() -> None:
    p = procedure("1.001193")
    shown = [i for i in p.items if i.requirement is Requirement.SHOWN_ONLY]
    assert shown and all(i.originals == i.copies == 0 for i in shown)
    assert any(i.name.startswith("Hộ chiếu/Thẻ căn cước công dân") for i in shown)
    handed = item_named(p, "Tờ khai đăng ký khai sinh")
    assert handed.requirement is Requirement.REQUIRED
    assert "to_khai_khai_sinh" in handed.doc_types


def test_zero_originals_rows_are_notes_not_documents() -> None:
    p = procedure("1.001193")
    assert any(note.startswith("Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh")
               for note in p.notes)
    assert not any(i.name.startswith("Trường hợp người yêu cầu đã nộp") for i in p.items)


def test_conditional_rows_keep_their_condition() -> None:
    p = procedure("1.001193")
    abandoned = item_named(p, "Biên bản về việc trẻ bị bỏ rơi")
    assert abandoned.requirement is Requirement.CONDITIONAL
    assert abandoned.condition == "Trường hợp trẻ em bị bỏ rơi"
    surrogate = item_named(p, "Văn bản xác nhận của cơ sở y tế")
    assert surrogate.condition == "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ"
    if_any = item_named(procedure("1.000178"), "Biên bản tổ chức đối thoại")  # "(nếu có)"
    assert if_any.requirement is Requirement.CONDITIONAL


def test_alternatives() -> None:
    birth = item_named(procedure("1.001193"), "Giấy chứng sinh")
    assert birth.alternatives == ["Văn bản của người làm chứng xác nhận về việc sinh",
                                  "Giấy cam đoan về việc sinh"]
    assert "giay_chung_sinh" in birth.doc_types
    complaint = item_named(procedure("1.000178"), "Đơn khiếu nại")
    assert complaint.name == "Đơn khiếu nại"
    assert complaint.alternatives == ["Bản ghi nội dung khiếu nại"]
    one_of = next(i for i in procedure("1.007664").items if "Chứng minh nhân dân" in
                  i.alternatives)
    assert one_of.name == "Thẻ Căn cước công dân" and "can_cuoc" in one_of.doc_types


def test_cases_are_alternatives_and_authorisation_adds_conditional_items() -> None:
    p = procedure("2.001583")
    assert p.cases[0] == "Trường hợp đăng ký doanh nghiệp xã hội"
    assert len(p.cases) == 5
    social = [i for i in p.items if i.case == "Trường hợp đăng ký doanh nghiệp xã hội"]
    assert [i.name for i in social][:2] == ["Giấy đề nghị đăng ký doanh nghiệp",
                                            "Điều lệ công ty"]
    assert social[0].requirement is Requirement.REQUIRED
    proxy = item_named(p, "Văn bản ủy quyền cho cá nhân")
    assert proxy.case is None and proxy.requirement is Requirement.CONDITIONAL
    assert proxy.condition.startswith("Trường hợp ủy quyền cho cá nhân")
    assert "van_ban_uy_quyen" in proxy.doc_types
    numbered = procedure("1.012413")  # "Trường hợp 1: …", "Trường hợp 2: …"
    assert any(c.startswith("Trường hợp 2:") for c in numbered.cases)


def test_one_case_beside_the_main_list_is_a_condition() -> None:
    p = procedure("1.007664")  # "Ngoài hồ sơ miễn thuế nêu trên, … phải nộp thêm"
    assert p.cases == []
    extra = item_named(p, "Giấy phép lao động")
    assert extra.requirement is Requirement.CONDITIONAL
    assert extra.condition.startswith("Ngoài hồ sơ miễn thuế nêu trên")
    assert item_named(p, "Hồ sơ hải quan").requirement is Requirement.REQUIRED


def test_forms_glued_to_the_name_and_their_source() -> None:
    first = procedure("1.002693").items[0]
    assert (first.form, first.form_source) == ("Mẫu số 01", "Phụ lục I Nghị định số "
                                               "258/2025/NĐ-CP")
    report = item_named(procedure("1.000823"), "Báo cáo tình hình thực hiện")
    assert (report.form, report.form_source) == ("Mẫu số 09",
                                                 "Phụ lục II Nghị định số 121/2021/NĐ-CP")
    na20 = procedure("1.000232").items[0]
    assert na20.name == "Văn bản đề nghị hủy tài khoản điện tử (NA20)"
    assert (na20.form, na20.form_source) == ("Mẫu NA20", "tệp Mau NA20-BCA.docx")
    tax = procedure("1.007014").items[0]
    assert tax.form == "Mẫu số 01/GTGT"


@pytest.mark.parametrize(("text", "rest", "file"), [
    ("Đơn đề nghị cấp giấy phép theo Mẫu số 01 Phụ lục I của Nghị định số 258/2025/NĐ-CP"
     "Mẫu số 01.docx", "Đơn đề nghị cấp giấy phép theo Mẫu số 01 Phụ lục I của Nghị định số "
     "258/2025/NĐ-CP", "Mẫu số 01.docx"),
    ("Văn bản đề nghị (NA20).Mau NA20-BCA.docx", "Văn bản đề nghị (NA20)", "Mau NA20-BCA.docx"),
    ("… về đào tạo lái xe; bồi dưỡng, kiểm tra, cấp chứng chỉ đường bộvăn bản đề nghị.docx",
     "… về đào tạo lái xe; bồi dưỡng, kiểm tra, cấp chứng chỉ đường bộ", "văn bản đề nghị.docx"),
    ("Chỉ tên giấy tờ", "Chỉ tên giấy tờ", None),
])
def test_split_form_file(text: str, rest: str, file: str | None) -> None:
    assert split_form_file(text)[:2] == (rest, file)


def test_qualifiers_before_the_name_are_dropped() -> None:
    certified = item_named(procedure("2.002633"), "Chứng chỉ đào tạo nghiệp vụ thẩm định giá")
    assert certified.copies == 1
    assert not any(i.name.lower().startswith(("bản sao", "bản chính")) for p in
                   sample()[0].values() for i in p.items)


def test_sets_of_the_same_paper() -> None:
    assert item_named(procedure("1.003590"), "Hồ sơ thiết kế tàu").sets == 3  # "(03 bộ)"
    assert {i.sets for i in procedure("1.013225").items} == {1, 2}
    # "Số lượng hồ sơ: 02 bộ" counts the whole dossier; "Phần 8 Bộ quy chế" is a ministry
    assert {i.sets for i in procedure("1.012344").items} == {1}


def test_channels_times_fees_results_legal_basis() -> None:
    p = procedure("1.002693")
    assert p.processing_days == 10
    details = p.details
    assert details is not None and details.level == ["Cấp tỉnh", "Cấp xã"]
    assert {c.channel for c in details.channels} == set(Channel)
    assert details.results[0].code == "KQ.H17.000039"
    card = procedure("1.000889").details
    assert card is not None
    assert card.channels[0].fees[0].amount == 50000
    permit = procedure("1.001010")  # 6 Tháng
    assert permit.processing_days == 132 and permit.processing_note == "công bố: 6 tháng"
    assert procedure("2.001583").details.legal_basis
    assert working_days(30, "Ngày") == 22 and working_days(24, "Giờ") == 3
    assert working_days(None, "") is None


def test_the_report_flags_what_needs_review_and_why() -> None:
    parses = {p.code: p for p in sample()[1].procedures}
    assert why.NO_TABLE in {f.reason for f in parses["3.000364"].flags}
    assert why.NO_TABLE in {f.reason for f in parses["2.002338"].flags}
    assert why.NO_TIME in {f.reason for f in parses["1.000232"].flags}
    assert why.UNSURE_CASES in {f.reason for f in parses["1.012413"].flags}
    assert parses["1.002693"].clean and parses["1.000823"].clean
    lines = sample()[1].summary_lines()
    assert lines[0] == "Tệp national-sample.jsonl.gz: 40 thủ tục, 0 bản ghi bị từ chối"
    review = "\n".join(sample()[1].review_lines())
    assert "3.000364" in review and why.NO_TABLE in review
    assert procedure("3.000364").items == []


def test_item_ids_are_stable_and_unique() -> None:
    for p in sample()[0].values():
        ids = [i.id for i in p.items]
        assert len(ids) == len(set(ids))
        for item in p.items:
            assert item.doc_types[0] == f"{p.code}/{item.id}"
    again = read_catalog(SAMPLE.read_bytes(), SAMPLE.name)[0]
    assert again["2.001583"].model_dump() == procedure("2.001583").model_dump()


def test_laythutuc_form() -> None:
    procedures, report = read_catalog(LAYTHUTUC.read_bytes(), LAYTHUTUC.name)
    p = procedures["1.002693"]
    crawled = procedure("1.002693")
    assert [i.name for i in p.items[:2]] == [i.name for i in crawled.items]
    assert p.items[0].form == "Mẫu số 01"
    assert p.items[0].form_source == "Phụ lục I Nghị định số 258/2025/NĐ-CP"
    assert p.items[2].requirement is Requirement.CONDITIONAL
    assert "van_ban_uy_quyen" in p.items[2].doc_types
    assert p.processing_days == 10
    post = next(c for c in p.details.channels if c.channel is Channel.POST)
    assert (post.value, post.unit, post.working_days) == (14, "Ngày", 10)
    assert p.details.field == "Hạ tầng kỹ thuật"
    assert p.details.legal_basis[0].number == "258/2025/NĐ-CP"
    assert report.refused == []
    listed = json.dumps({"result": [json.loads(LAYTHUTUC.read_text())]}).encode()
    assert "1.002693" in read_catalog(listed, "list.json")[0]


@pytest.mark.parametrize(("record", "reason"), [
    ('"chuỗi"', "không phải một đối tượng JSON"),
    ('{"ten_thu_tuc": "X"}', "không có mã thủ tục"),
    ('{"ma_thu_tuc": "12345", "ten_thu_tuc": "X"}', "mã thủ tục phải có dạng d.dddddd"),
    ('{"ma_thu_tuc": "1.000001", "ten_thu_tuc": ""}', "ten_thu_tuc (tên thủ tục) để trống"),
    ('{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "X", "thanh_phan_ho_so": 3}',
     "trường thanh_phan_ho_so phải là chuỗi ký tự"),
    ('{"MATTHC": "1.000001", "TENTTHC": "X", "THANHPHANHOSO": [{"GIAYTO": '
     '[{"TENGIAYTO": "Đơn", "SOBANCHINH": "một"}]}]}', "trường SOBANCHINH phải là số nguyên"),
    ("{không phải json", "không phải JSON"),
])
def test_a_malformed_record_is_refused_and_named(record: str, reason: str) -> None:
    good = SAMPLE.read_bytes()
    import gzip

    lines = gzip.decompress(good).decode().splitlines()[:2]
    data = "\n".join([lines[0], record, lines[1]]).encode()
    procedures, report = read_catalog(data, "hong.jsonl")
    assert len(procedures) == 2
    assert len(report.refused) == 1
    refused = report.refused[0]
    assert refused.where == "dòng 2" and reason in refused.reason
    assert "từ chối dòng 2" in "\n".join(report.summary_lines())


def test_a_file_that_is_not_a_catalog_is_refused_whole() -> None:
    with pytest.raises(CatalogError, match="không phải văn bản UTF-8"):
        read_catalog(b"\xff\xfe\x00\x01", "x.bin")
    with pytest.raises(CatalogError, match="tệp gzip hỏng"):
        read_catalog(b"\x1f\x8b\x08garbage", "x.gz")


def test_read_record_refuses_what_is_not_a_procedure() -> None:
    with pytest.raises(ValueError, match="không có mã thủ tục"):
        read_record({"TEN": "x"})


def test_parts_not_labelled_trường_hợp_are_alternative_cases() -> None:
    """Most of the 204 procedures whose parts are not headed "Trường hợp …" list one checklist
    per variant of the procedure ("Hồ sơ cấp …" / "Hồ sơ phục hồi …") or per sub-procedure
    ("Đăng ký …" / "Sửa đổi …" / "Hủy …"): alternatives, flagged for review."""
    seedlings = procedure("1.008003")
    assert [c[:24] for c in seedlings.cases] == ["Hồ sơ Cấp Quyết định côn",
                                                 "Hồ sơ phục hồi Quyết địn"]
    assert all(i.case in seedlings.cases for i in seedlings.items)
    accounts = procedure("3.000137")  # one paper per sub-procedure: still alternatives
    assert len(accounts.cases) == 3 and all(i.case for i in accounts.items)
    flagged = {p.code for p in sample()[1].procedures
               if any(f.reason == why.UNSURE_CASES for f in p.flags)}
    assert {"1.008003", "3.000137"} <= flagged


def test_a_note_between_two_tables_is_no_case() -> None:
    """"Phiếu được tạo lập khi …" remarks on the form above; "Số lượng hồ sơ: …" counts the
    sets: the rows after them are the main list, and "01 bộ gốc" is no paper."""
    card = procedure("2.001194")
    assert card.cases == []
    assert [i.requirement for i in card.items] == [
        Requirement.REQUIRED, Requirement.REQUIRED, Requirement.CONDITIONAL]
    assert card.items[2].condition.startswith("Trường hợp người đề nghị cấp, cấp đổi")
    farm = procedure("1.014736")
    assert farm.cases == [] and len(farm.items) == 4
    assert [i.requirement for i in farm.items][1:] == [Requirement.REQUIRED] * 3
    assert not any((i.condition or "").startswith("Số lượng") for i in farm.items)
    securities = procedure("1.009543")
    assert not any(c.startswith("Số lượng") for c in securities.cases)
    assert not any(i.name.lower().startswith("bộ gốc") for i in securities.items)
    assert any("01 bộ gốc" in note for note in securities.notes)


def test_a_part_headed_by_its_one_paper_is_in_the_main_list() -> None:
    """"1. Đơn đề nghị được miễn hoặc giảm phí thi hành án;" heads a part listing just that
    form, beside two real cases (proof for exemption, proof for reduction)."""
    fees = procedure("1.002548")
    form = item_named(fees, "Đơn đề nghị được miễn hoặc giảm phí thi hành án")
    assert form.case is None and form.requirement is Requirement.REQUIRED
    assert len(fees.cases) == 2
    assert all(c.startswith("Một trong các tài liệu chứng minh") for c in fees.cases)
