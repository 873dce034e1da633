"""The package writers alone (no database): schema validity, reused documents, the
hand-over list, and what verify says of a package whose documents are not signed."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from sohoa.clock import VIETNAM
from sohoa.domain.archive.codes import retention_code
from sohoa.domain.archive.models import (
    ArchivalDocument,
    ArchivalFile,
    PackageEvent,
    PackageHeader,
    package_id,
)
from sohoa.domain.retention import Retention
from sohoa.pipeline.archive.check import check_package
from sohoa.pipeline.archive.ead import ead_xml
from sohoa.pipeline.archive.handover import HandedOver, handover_pdf
from sohoa.pipeline.archive.package import write_package
from sohoa.pipeline.archive.premis import premis_xml
from sohoa.pipeline.archive.schemas import schema_errors
from sohoa.pipeline.archive.xmltree import parse

AT = datetime(2026, 3, 5, 10, 0, tzinfo=VIETNAM)
PDF = b"%PDF-1.7\n% not signed\n"
AGENCY = "000.00.14.H56"


def _document(ordinal: int, reused: bool = False, **extra: object) -> ArchivalDocument:
    return ArchivalDocument(
        ordinal=ordinal, doc_type="giay_phep_lai_xe", type_name="Giấy phép lái xe",
        subject="Giấy phép lái xe hạng B2", page_count=1, signer="Nguyễn Văn A",
        signed_at=AT, item_id="giay_phep_lai_xe" if not reused else None, reused=reused,
        file_name=f"{ordinal:02d}-giay_phep_lai_xe.pdf",
        sha256=hashlib.sha256(PDF).hexdigest(), size=len(PDF), **extra)


def _file(*documents: ArchivalDocument) -> ArchivalFile:
    return ArchivalFile(
        dossier_code=f"{AGENCY}-260305-0001", file_code=f"{AGENCY}.2026.{AGENCY}-260305-0001",
        title="Hồ sơ Đổi giấy phép lái xe", retention_code="06", retention_label="10 năm",
        mode_code="02", mode_label="Hạn chế sử dụng", language_code="vie",
        language_label="Tiếng Việt", start_date=date(2026, 3, 5), end_date=date(2026, 3, 5),
        keywords=("Đổi giấy phép lái xe",), description="Hồ sơ thử", sheet_total=2,
        page_total=2, confidence_code="02", confidence_label="Số hóa",
        paper_file_code=f"{AGENCY}-260305-0001", procedure_code="3.000347",
        procedure_name="Đổi giấy phép lái xe", agency_code=AGENCY,
        agency_name="Trung tâm Phục vụ hành chính công", archive_name="Lưu trữ lịch sử tỉnh",
        documents=documents)


HEADER = PackageHeader(package_id=package_id(AGENCY, "0f0e0d0c-0b0a-4908-8706-050403020100"),
                       created_at=AT, software_version="0.1.0", exported_by="luutru")


@pytest.mark.parametrize(("years", "code"), [
    (None, "01"), (5, "06"), (10, "06"), (11, "05"), (20, "05"), (30, "04"), (45, "03"),
    (70, "02"), (75, "01")])
def test_retention_takes_the_code_that_keeps_at_least_as_long(years, code) -> None:
    assert retention_code(Retention(years, "test")).code == code


def test_a_reused_document_and_known_document_numbers_are_described_and_valid() -> None:
    record = _file(_document(1), _document(2, reused=True, code_number="123",
                                           code_notation="GPLX", issued_date=date(2020, 1, 2),
                                           organ_name="Sở Giao thông vận tải"))
    root = parse(ead_xml(record, HEADER))
    assert schema_errors(root) == []
    ns = {"e": "urn:isbn:1-931666-22-9"}
    first, second = root.findall(".//e:c", ns)
    assert first.find("e:custodhist", ns) is None
    assert "Tái sử dụng" in "".join(second.find("e:custodhist", ns).itertext())
    assert second.xpath("string(.//*[@encodinganalog='CodeNumber'])") == "123"
    assert second.xpath("string(.//*[@encodinganalog='IssuedDate']/@normal)") == "2020-01-02"
    assert second.xpath("string(.//*[@encodinganalog='OrganName'])") == "Sở Giao thông vận tải"
    assert "tài liệu bổ sung" in second.xpath("string(.//*[@encodinganalog='ChecklistItem'])")


def test_premis_is_valid_and_a_broken_one_is_refused() -> None:
    record = _file(_document(1))
    events = [PackageEvent(event_type="capture", at=AT, agent="sohoa", outcome="success",
                           detail="Quét", ordinals=(1,))]
    root = parse(premis_xml(record, events, [("sohoa", "software")]))
    assert schema_errors(root) == []
    root.remove(root.find("{http://www.loc.gov/premis/v3}object"))  # PREMIS needs an object
    assert schema_errors(root)


def test_an_unsigned_document_is_reported_by_verify(tmp_path: Path) -> None:
    folder, zipped = write_package(tmp_path, _file(_document(1)), HEADER, [],
                                   [("sohoa", "software")], {1: PDF})
    assert folder.name == "urn_000.00.14.H56_uuid_0f0e0d0c-0b0a-4908-8706-050403020100"
    check = check_package(zipped, [])
    assert check.files_checked == 10  # EAD, PREMIS, 5 schemas, hand-over list, rep1 METS, PDF
    assert len(check.problems) == 1
    assert check.problems[0].startswith("representations/rep1/data/01-giay_phep_lai_xe.pdf: ")
    assert not list(tmp_path.glob(".*"))  # no temporary folder or zip left behind


def test_handover_list_is_a_vietnamese_pdf(tmp_path: Path) -> None:
    data = handover_pdf("Trung tâm Phục vụ hành chính công", "Lưu trữ lịch sử tỉnh",
                        [HandedOver(_file(_document(1), _document(2)), HEADER.package_id)], AT)
    (tmp_path / "muc-luc.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "muc-luc.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "MỤC LỤC HỒ SƠ NỘP LƯU" in text
    assert "Tổng cộng: 1 hồ sơ, 2 tài liệu, 2 trang." in text
    assert "06 10 năm" in text
    assert "NGƯỜI GIAO" in text and "NGƯỜI NHẬN" in text
