"""Retention rules: the packaged file, precedence (the longest wins), dates, bad files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sohoa.domain.procedures import load_catalog
from sohoa.domain.retention import (
    Retention,
    load_retention,
    parse_retention,
    retain_until,
    retention_for,
)
from sohoa.errors import CatalogError
from sohoa.storage.retention import lock_for

SIGNED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)


def test_birth_registration_and_land_are_permanent_whatever_the_document() -> None:
    for procedure in ("1.001193", "1.013831"):
        for doc_type in ("khac", "van_ban_uy_quyen", None):
            retention = retention_for(procedure, doc_type)
            assert retention.permanent and retention.label == "vĩnh viễn"
            assert retention.source == f"thủ tục {procedure}"


def test_civil_status_and_land_papers_are_permanent_in_any_dossier() -> None:
    for doc_type in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_quyen_su_dung_dat",
                     "hop_dong_chuyen_nhuong", "don_dang_ky_bien_dong"):
        retention = retention_for("3.000347", doc_type)
        assert retention == Retention(None, f"loại giấy tờ {doc_type}")


def test_other_procedures_keep_their_documents_for_years() -> None:
    assert retention_for("3.000347", "giay_kham_suc_khoe") == Retention(10, "thủ tục 3.000347")
    assert retention_for("2.001583", "dieu_le_cong_ty").years == 20
    assert retention_for("9.999999", "khac") == Retention(10, "mặc định")
    assert retention_for(None, None) == Retention(10, "mặc định")


def test_every_seed_procedure_has_a_rule() -> None:
    rules = load_retention()
    assert set(load_catalog().procedures) <= set(rules.procedures)


def test_the_longest_period_wins_and_permanent_beats_everything() -> None:
    rules = parse_retention("""
default: 5
procedures:
  "1.000001": 15
  "1.0000*": 30
  "2.*": vĩnh viễn
doc_types:
  ban_ve_thiet_ke: 20
  giay_phep_lai_xe: VĨNH  VIỄN
""")
    assert rules.retention_for("1.000001", "khac") == Retention(30, "nhóm thủ tục 1.0000*")
    assert rules.retention_for("1.000001", "ban_ve_thiet_ke").years == 30
    assert rules.retention_for("1.000002", "ban_ve_thiet_ke") == Retention(30, "nhóm thủ tục "
                                                                              "1.0000*")
    assert rules.retention_for("1.100001", "ban_ve_thiet_ke") == Retention(
        20, "loại giấy tờ ban_ve_thiet_ke")
    assert rules.retention_for("1.100001", "giay_phep_lai_xe").permanent
    assert rules.retention_for("2.000488", "khac") == Retention(None, "nhóm thủ tục 2.*")
    assert rules.retention_for("1.100001", "khac") == Retention(5, "mặc định")


def test_a_tie_names_the_most_specific_rule() -> None:
    rules = parse_retention('default: 10\nprocedures: {"1.000001": 10}\n'
                            "doc_types: {khac: 10}\n")
    assert rules.retention_for("1.000001", "khac").source == "thủ tục 1.000001"
    assert rules.retention_for("1.000002", "khac").source == "loại giấy tờ khac"


def test_retention_runs_from_the_end_of_the_signing_year_in_vietnam_time() -> None:
    assert retain_until(Retention(10, "x"), SIGNED) == datetime(
        2037, 1, 1, tzinfo=datetime.fromisoformat("2037-01-01T00:00+07:00").tzinfo)
    new_year_eve_utc = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)  # already 2027 in Hà Nội
    assert retain_until(Retention(1, "x"), new_year_eve_utc).year == 2029
    assert retain_until(Retention(None, "x"), SIGNED) is None
    with pytest.raises(ValueError):
        retain_until(Retention(1, "x"), datetime(2026, 3, 5))


def test_a_permanent_document_gets_a_legal_hold_and_the_longest_lock() -> None:
    lock = lock_for(Retention(None, "x"), SIGNED, 100)
    assert lock.permanent and lock.recorded_until is None
    assert lock.until == datetime(2126, 12, 31, 17, 0, tzinfo=UTC)  # 01/01/2127 in Hà Nội
    ten = lock_for(Retention(10, "x"), SIGNED, 100)
    assert not ten.permanent and ten.recorded_until == ten.until == datetime(
        2036, 12, 31, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "message"), [
    ("default: mãi mãi", "thời hạn mặc định (default): thời hạn phải là số năm hoặc "
                         "\"vĩnh viễn\" (giá trị: 'mãi mãi')"),
    ("default: 0", "thời hạn mặc định (default): số năm phải từ 1 đến 1000 (giá trị: 0)"),
    ("procedures: {}", "thời hạn mặc định (default): thiếu khóa bắt buộc"),
    ('default: 10\nprocedures: {"1.1": 5}', "thủ tục 1.1: mã thủ tục phải có dạng d.dddddd"),
    ('default: 10\nprocedures: {"1.001193": 2.5}',
     "thủ tục 1.001193: thời hạn phải là số năm nguyên hoặc \"vĩnh viễn\" (giá trị: 2.5)"),
    ("default: 10\ndoc_types: {giay_khai_hoang: 5}",
     "loại giấy tờ giay_khai_hoang: không có loại giấy tờ này trong danh mục"),
    ("default: 10\ndoc_types: {bia_ho_so: 5}", "loại giấy tờ bia_ho_so: không có loại"),
    ("default: 10\nthoi_han: 5", "khóa thoi_han: khóa không có trong mẫu"),
    ("default: 10\nprocedures: [1, 2]", "khóa procedures: phải là bảng khóa: giá trị"),
    ("default: [10", "YAML không hợp lệ ở dòng"),
    ("- 10", "phải là bảng khóa: giá trị"),
])
def test_a_bad_file_is_refused_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as refused:
        parse_retention(text, source="luu-tru.yaml")
    assert str(refused.value).startswith("luu-tru.yaml: ")
    assert message in str(refused.value)
    assert refused.value.exit_code == 2


def test_a_configured_file_is_read_and_reread_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "retention.yaml"
    path.write_text("default: 3\n", encoding="utf-8")
    assert retention_for("1.001193", "khac", path) == Retention(3, "mặc định")
    path.write_text('default: 3\nprocedures: {"1.001193": 7}\n', encoding="utf-8")
    assert retention_for("1.001193", "khac", path).years == 7
    with pytest.raises(CatalogError, match="không đọc được tệp thời hạn lưu trữ"):
        load_retention(tmp_path / "missing.yaml")
