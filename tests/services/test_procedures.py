"""Importing the national catalog into the real database (SQLite and PostgreSQL), importing it
again, and the administrator's corrections surviving the re-import."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sohoa.domain.catalog.corrections import CatalogCorrection
from sohoa.domain.procedures import Requirement, load_catalog
from sohoa.errors import CatalogError, MissingFileError, UnknownProcedureError
from sohoa.services import procedures as service
from sohoa.settings import Settings, StorageSettings
from sohoa.storage.procedures import latest_import

SAMPLE = Path(__file__).parents[1] / "resources" / "catalog" / "national-sample.jsonl.gz"
TREES, BIRTH = "1.002693", "1.001193"


def settings_for(url: str, root: Path) -> Settings:
    return replace(Settings(), data_dir=root,
                   storage=StorageSettings(object_root=root / "objects", database_url=url))


@pytest.fixture
def settings(catalog_url: str, tmp_path: Path) -> Settings:
    return settings_for(catalog_url, tmp_path / "data")


def without(codes: set[str], target: Path) -> Path:
    """The sample without some procedures, and with 1.002693's photo row renamed."""
    lines = []
    for line in gzip.decompress(SAMPLE.read_bytes()).decode().splitlines():
        record = json.loads(line)
        if record["ma_thu_tuc"] in codes:
            continue
        if record["ma_thu_tuc"] == TREES:
            record["thanh_phan_ho_so"] = record["thanh_phan_ho_so"].replace(
                "Ảnh chụp hiện trạng cây xanh", "Hình ảnh hiện trạng cây xanh")
        lines.append(json.dumps(record, ensure_ascii=False))
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def test_import_stores_every_procedure_and_its_report(settings: Settings) -> None:
    outcome = service.import_catalog(settings, SAMPLE, author="admin")
    assert outcome.procedures == 40 and outcome.report.refused == []
    directory = service.procedure_directory(settings)
    trees = directory.get(TREES)
    assert trees.source == "national" and trees.items[0].form == "Mẫu số 01"
    assert trees.items[0].text  # the import keeps the published row (the shipped copy not)
    assert directory.get(BIRTH).source == "curated"  # the curated eight win over the import
    curated = set(load_catalog().procedures)
    assert len(curated) == 8
    sample = {p.code for p in outcome.report.procedures}
    assert len(directory) == len(curated | sample)
    source, report = service.import_report(settings)
    assert source.startswith("lần nhập 1 (national-sample.jsonl.gz")
    assert report is not None and len(report.procedures) == 40
    with pytest.raises(UnknownProcedureError):
        directory.get("1.000110")  # in the shipped catalog, not in this import


def test_reimport_replaces_procedures_and_keeps_corrections(settings: Settings,
                                                            tmp_path: Path) -> None:
    service.import_catalog(settings, SAMPLE)
    service.correct(settings, TREES, "don_de_nghi_cap_giay_phep",
                    ["originals=2", "requirement=neu_co", "condition=khi cây thuộc danh mục"],
                    author="admin")
    service.correct(settings, TREES, "anh_chup_hien_trang_cay_xanh", ["copies=3"])
    service.correct(settings, TREES, "", ["processing_days=7"])
    corrected = service.procedure_directory(settings).get(TREES)
    form = corrected.item("don_de_nghi_cap_giay_phep")
    assert (form.originals, form.requirement, form.condition) == (
        2, Requirement.CONDITIONAL, "khi cây thuộc danh mục")
    assert corrected.processing_days == 7

    outcome = service.import_catalog(settings, without({"1.000178"}, tmp_path / "b.jsonl"))
    assert outcome.procedures == 39
    again = service.procedure_directory(settings).get(TREES)
    assert again.item("don_de_nghi_cap_giay_phep").originals == 2  # survived
    assert again.processing_days == 7
    assert again.item("hinh_anh_hien_trang_cay_xanh").copies == 1  # the renamed row
    assert [fix.item_id for fix in outcome.unmatched] == ["anh_chup_hien_trang_cay_xanh"]
    with pytest.raises(UnknownProcedureError):
        service.procedure_directory(settings).get("1.000178")
    kept = service.list_corrections(settings, TREES)
    assert {(f.item_id, f.field) for f in kept} == {
        ("don_de_nghi_cap_giay_phep", "originals"), ("don_de_nghi_cap_giay_phep", "requirement"),
        ("don_de_nghi_cap_giay_phep", "condition"), ("anh_chup_hien_trang_cay_xanh", "copies"),
        ("", "processing_days")}
    assert latest_import  # the report is the latest import's
    assert service.import_report(settings)[0].startswith("lần nhập 2")


def test_a_correction_replaces_the_previous_one_and_can_be_removed(settings: Settings) -> None:
    service.correct(settings, TREES, "anh_chup_hien_trang_cay_xanh", ["copies=2"])
    service.correct(settings, TREES, "anh_chup_hien_trang_cay_xanh", ["copies=4"])
    fixes = service.list_corrections(settings)
    assert fixes == [CatalogCorrection(procedure_code=TREES,
                                       item_id="anh_chup_hien_trang_cay_xanh", field="copies",
                                       value=4)]
    # no import: the shipped catalog, corrected
    assert service.procedure_directory(settings).get(TREES).items[1].copies == 4
    assert service.remove_correction(settings, TREES, "anh_chup_hien_trang_cay_xanh", "copies")
    assert service.procedure_directory(settings).get(TREES).items[1].copies == 1


def test_corrections_of_a_curated_procedure_and_removing_an_item(settings: Settings) -> None:
    service.correct(settings, BIRTH, "", ["name=Đăng ký khai sinh (sửa)"])
    service.correct(settings, TREES, "anh_chup_hien_trang_cay_xanh", ["removed=true"])
    directory = service.procedure_directory(settings)
    assert directory.get(BIRTH).name == "Đăng ký khai sinh (sửa)"
    assert [i.id for i in directory.get(TREES).items] == ["don_de_nghi_cap_giay_phep"]


@pytest.mark.parametrize(("item", "assignment", "message"), [
    ("khong_co", "copies=1", "không có thành phần 'khong_co'"),
    ("anh_chup_hien_trang_cay_xanh", "colour=red", "không sửa được trường 'colour'"),
    ("anh_chup_hien_trang_cay_xanh", "copies=hai", "copies phải là số nguyên"),
    ("anh_chup_hien_trang_cay_xanh", "requirement=maybe", "requirement phải là một trong"),
    ("anh_chup_hien_trang_cay_xanh", "copies", "phải có dạng FIELD=VALUE"),
    ("anh_chup_hien_trang_cay_xanh", "doc_types=khong_phai_loai", "sửa đổi không hợp lệ"),
    ("", "originals=1", "không sửa được trường 'originals' của thủ tục"),
])
def test_a_bad_correction_is_refused_and_nothing_stored(settings: Settings, item: str,
                                                        assignment: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        service.correct(settings, TREES, item, [assignment])
    assert service.list_corrections(settings) == []


def test_import_refuses_a_missing_file_and_a_file_with_nothing_readable(
        settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="Không tìm thấy tệp"):
        service.import_catalog(settings, tmp_path / "khong-co.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ten_thu_tuc": "X"}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="không có thủ tục nào đọc được.*bản ghi 1: không có mã"):
        service.import_catalog(settings, bad)


def test_without_a_database_the_shipped_catalog_is_read_and_nothing_created(
        tmp_path: Path) -> None:
    settings = settings_for(f"sqlite:///{tmp_path / 'none' / 'catalog.sqlite3'}", tmp_path)
    directory = service.procedure_directory(settings)
    assert len(directory) >= 2642
    assert directory.get("2.000568").source == "national"
    assert not (tmp_path / "none").exists()
    source, report = service.import_report(settings)
    assert source.startswith("danh mục kèm theo phần mềm")
    assert report is not None and len(report.procedures) == 2642
