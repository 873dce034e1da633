"""The procedure catalog: the eight seed procedures of docs/domain.md, and malformed entries
refused with a message naming the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.domain.doctypes import BY_CODE, COVER, KHAC, SEPARATOR
from sohoa.domain.procedures import (
    PACKAGED_CATALOG,
    Procedure,
    Requirement,
    describe_catalog,
    describe_procedure,
    load_catalog,
    parse_catalog,
)
from sohoa.errors import CatalogError, UnknownProcedureError

SEED = {
    "1.001193": ("Đăng ký khai sinh", 0),
    "1.001612": ("Đăng ký thành lập hộ kinh doanh", 3),
    "2.001583": ("Đăng ký thành lập công ty TNHH một thành viên", 3),
    "2.000488": ("Cấp Phiếu lý lịch tư pháp số 1", 10),
    "1.013225": ("Cấp giấy phép xây dựng nhà ở riêng lẻ", 15),
    "1.013831": ("Đăng ký biến động quyền sử dụng đất (chuyển nhượng, thừa kế, tặng cho)", 10),
    "3.000347": ("Đổi giấy phép lái xe", 5),
    "2.001827": ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 15),
}


def checklist(code: str) -> dict[str, tuple]:
    """item id -> (doc_types, originals, copies, sets, requirement) of a seed procedure."""
    procedure = load_catalog().get(code)
    return {item.id: (item.doc_types, item.originals, item.copies, item.sets,
                      item.requirement) for item in procedure.items}


def test_the_eight_seed_procedures_with_names_and_days():
    catalog = load_catalog()
    assert list(catalog.procedures) == list(SEED)
    for code, (name, days) in SEED.items():
        procedure = catalog.get(code)
        assert (procedure.name, procedure.processing_days) == (name, days)
        assert procedure.agency


def test_khai_sinh_alternatives_and_shown_only_id_card():
    R = Requirement
    assert checklist("1.001193") == {
        "to_khai": (["to_khai_khai_sinh"], 1, 0, 1, R.REQUIRED),
        "giay_chung_sinh": (["giay_chung_sinh", "van_ban_cam_doan_viec_sinh"], 1, 0, 1,
                            R.REQUIRED),
        "giay_to_tuy_than": (["can_cuoc"], 0, 0, 1, R.SHOWN_ONLY),
    }
    procedure = load_catalog().get("1.001193")
    assert procedure.processing_time == "trong ngày"
    assert procedure.agency == "UBND cấp xã"
    assert [item.id for item in procedure.scanned_items] == ["to_khai", "giay_chung_sinh"]


def test_ho_kinh_doanh_conditional_items_are_copies():
    R = Requirement
    assert checklist("1.001612") == {
        "giay_de_nghi": (["giay_de_nghi_dk_ho_kinh_doanh"], 1, 0, 1, R.REQUIRED),
        "giay_to_phap_ly_ca_nhan": (["can_cuoc"], 0, 1, 1, R.REQUIRED),
        "bien_ban_hop": (["bien_ban_hop_thanh_vien_ho"], 0, 1, 1, R.CONDITIONAL),
        "van_ban_uy_quyen": (["van_ban_uy_quyen"], 0, 1, 1, R.CONDITIONAL),
    }
    condition = load_catalog().get("1.001612").item("van_ban_uy_quyen").condition
    assert condition.startswith("nếu ")


def test_facts_of_the_other_procedures():
    R = Requirement
    company = checklist("2.001583")
    assert company["dieu_le"] == (["dieu_le_cong_ty"], 1, 0, 1, R.REQUIRED)
    assert company["van_ban_uy_quyen"][4] is R.CONDITIONAL

    lltp = load_catalog().get("2.000488")
    assert lltp.processing_time == "10 ngày làm việc (15 nếu cần xác minh)"
    assert lltp.item("giay_to_tuy_than").copy_kinds == "bản sao hoặc bản chụp"

    gpxd = checklist("1.013225")
    assert gpxd["ban_ve_thiet_ke"] == (["ban_ve_thiet_ke"], 1, 0, 2, R.REQUIRED)
    assert gpxd["giay_to_dat"] == (["giay_to_quyen_su_dung_dat"], 0, 1, 1, R.REQUIRED)
    assert gpxd["cam_ket_an_toan"][4] is R.CONDITIONAL

    land = checklist("1.013831")
    assert [v[:3] for v in land.values()] == [
        (["don_dang_ky_bien_dong"], 1, 0), (["hop_dong_chuyen_nhuong"], 1, 0),
        (["giay_to_quyen_su_dung_dat"], 1, 0), (["to_khai_thue"], 1, 0)]

    licence = checklist("3.000347")
    assert licence["giay_kham_suc_khoe"][4] is R.CONDITIONAL
    assert licence["giay_phep_lai_xe"][1:3] == (0, 1)
    assert licence["giay_to_tuy_than"] == (["can_cuoc"], 0, 0, 1, R.SHOWN_ONLY)

    food = checklist("2.001827")
    assert list(food) == ["don_de_nghi", "thuyet_minh", "giay_chung_nhan_dkdn"]
    assert all(v[4] is R.REQUIRED for v in food.values())


def test_every_document_type_of_design_is_used_by_some_procedure():
    used = {code for p in load_catalog().procedures.values()
            for item in p.items for code in item.doc_types}
    assert used == set(BY_CODE) - {COVER, SEPARATOR, KHAC}
    assert len(used) == 23


def test_unknown_procedure_code_is_a_typed_error():
    with pytest.raises(UnknownProcedureError, match="9.999999") as caught:
        load_catalog().get("9.999999")
    assert caught.value.exit_code == 2


def test_load_catalog_is_cached_until_the_file_changes(tmp_path: Path):
    assert load_catalog() is load_catalog(PACKAGED_CATALOG)
    text = PACKAGED_CATALOG.read_text(encoding="utf-8")
    path = tmp_path / "procedures.yaml"
    path.write_text(text, encoding="utf-8")
    first = load_catalog(path)
    assert load_catalog(path) is first
    path.write_text(text.replace("agency: Sở Tư pháp", "agency: Sở Tư pháp tỉnh Nghệ An"),
                    encoding="utf-8")
    assert load_catalog(path).get("2.000488").agency == "Sở Tư pháp tỉnh Nghệ An"


def test_alternatives_may_be_written_as_a_list():
    text = PACKAGED_CATALOG.read_text(encoding="utf-8").replace(
        "doc_types: giay_chung_sinh | van_ban_cam_doan_viec_sinh",
        "doc_types: [giay_chung_sinh, van_ban_cam_doan_viec_sinh]")
    item = parse_catalog(text).get("1.001193").item("giay_chung_sinh")
    assert item.doc_types == ["giay_chung_sinh", "van_ban_cam_doan_viec_sinh"]


def test_describe_procedure_lists_items_counts_and_requirements():
    lines = describe_procedure(load_catalog().get("1.013225"))
    assert lines[0] == "Thủ tục 1.013225 — Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert "Thời hạn giải quyết: 15 ngày làm việc" in lines
    assert len(lines) == 4 + 2 * 4
    text = "\n".join(lines)
    assert "ban_ve_thiet_ke — 2 bộ, mỗi bộ 1 bản chính — bắt buộc" in text
    assert "giay_to_quyen_su_dung_dat — 1 bản sao — bắt buộc" in text
    assert "cam_ket_an_toan_cong_trinh — 1 bản chính — nếu có: nếu công trình" in text

    birth = "\n".join(describe_procedure(load_catalog().get("1.001193")))
    assert "giay_chung_sinh | van_ban_cam_doan_viec_sinh — 1 bản chính — bắt buộc" in birth
    assert "can_cuoc — chỉ xuất trình, không số hóa" in birth


def test_describe_catalog_gives_code_name_and_days():
    lines = describe_catalog(load_catalog())
    assert len(lines) == 1 + 8
    assert "  1.001193  Đăng ký khai sinh — trong ngày" in lines
    assert "  2.000488  Cấp Phiếu lý lịch tư pháp số 1 — 10 ngày làm việc (15 nếu cần xác minh)" \
        in lines


# --- malformed entries ---------------------------------------------------------------------

MALFORMED = {
    "unknown doc type": (
        "doc_types: giay_chung_sinh | van_ban_cam_doan_viec_sinh",
        "doc_types: giay_chung_sinh | giay_khai_tu",
        "thủ tục 1.001193, thành phần 2 (giay_chung_sinh), trường doc_types: "
        "không có loại giấy tờ 'giay_khai_tu'"),
    "not a document": (
        "doc_types: to_khai_khai_sinh", "doc_types: khac",
        "thủ tục 1.001193, thành phần 1 (to_khai), trường doc_types: 'khac'"),
    "duplicate item id": (
        "      - id: giay_to_tuy_than\n        name: Giấy tờ tùy thân của người yêu cầu",
        "      - id: to_khai\n        name: Giấy tờ tùy thân của người yêu cầu",
        "thủ tục 1.001193, thành phần 3 (to_khai), trường id: "
        "mã thành phần 'to_khai' trùng với thành phần 1"),
    "bad code": (
        'code: "2.000488"', 'code: "2.00488"',
        "thủ tục 2.00488, trường code: mã thủ tục phải có dạng d.dddddd"),
    "unquoted code read as a number": (
        'code: "2.000488"', "code: 2.000488",
        "thủ tục thứ 4, trường code: mã thủ tục phải đặt trong dấu nháy"),
    "duplicate procedure code": (
        'code: "1.001612"', 'code: "1.001193"',
        "thủ tục 1.001193 (thứ 2), trường code: trùng mã"),
    "missing field": (
        "    agency: Văn phòng đăng ký đất đai\n", "",
        "thủ tục 1.013831, trường agency: thiếu trường bắt buộc"),
    "missing item field": (
        "        doc_types: giay_phep_lai_xe\n", "",
        "thủ tục 3.000347, thành phần 3 (giay_phep_lai_xe), trường doc_types: thiếu"),
    "negative count": (
        "        copies: 1\n        copy_kinds", "        copies: -1\n        copy_kinds",
        "thủ tục 2.000488, thành phần 2 (giay_to_tuy_than), trường copies: phải ≥ 0 "
        "(giá trị: -1)"),
    "negative days": (
        "processing_days: 5", "processing_days: -5",
        "thủ tục 3.000347, trường processing_days: phải ≥ 0"),
    "zero sets": (
        "sets: 2", "sets: 0",
        "thủ tục 1.013225, thành phần 3 (ban_ve_thiet_ke), trường sets: phải ≥ 1"),
    "shown-only with a scanned count": (
        "        doc_types: can_cuoc\n        requirement: xuat_trinh",
        "        doc_types: can_cuoc\n        copies: 1\n        requirement: xuat_trinh",
        "thủ tục 1.001193, thành phần 3 (giay_to_tuy_than), trường copies: "
        "thành phần chỉ xuất trình không được số hóa"),
    "scanned item with no count": (
        "        doc_types: to_khai_thue\n        originals: 1\n",
        "        doc_types: to_khai_thue\n",
        "thủ tục 1.013831, thành phần 4 (to_khai_thue), trường originals: "
        "cần ít nhất 1 bản chính hoặc 1 bản sao"),
    "unknown requirement": (
        "requirement: neu_co", "requirement: tuy_chon",
        "thủ tục 1.001612, thành phần 3 (bien_ban_hop), trường requirement: phải là một trong"),
    "misspelt field": (
        "        sets: 2\n", "        set: 2\n",
        "thủ tục 1.013225, thành phần 3 (ban_ve_thiet_ke), trường set: "
        "trường không có trong mẫu danh mục"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_entry_is_refused_naming_entry_and_field(case: str, tmp_path: Path):
    old, new, expected = MALFORMED[case]
    text = PACKAGED_CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "procedures.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value).startswith(f"procedures.yaml: {expected}")
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_unreadable_files_are_catalog_errors(tmp_path: Path):
    with pytest.raises(CatalogError, match="nope.yaml: không đọc được"):
        load_catalog(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("procedures:\n  - code: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken.yaml: YAML không hợp lệ ở dòng \d"):
        load_catalog(broken)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("thu_tuc: []\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="khóa 'procedures'"):
        load_catalog(wrong)


def test_names_are_normalised_to_nfc():
    decomposed = "Đăng ký khai sinh".replace("ă", "a\u0306")
    procedure = Procedure.model_validate({
        "code": "1.000001", "name": decomposed, "agency": "UBND cấp xã",
        "processing_days": 1, "items": [{"id": "to_khai", "name": "Tờ khai",
                                          "doc_types": "to_khai_khai_sinh", "originals": 1,
                                          "requirement": "bat_buoc"}]})
    assert procedure.name == "Đăng ký khai sinh"
