"""Hand-over to the archive (issue 17): a stored dossier exported as an E-ARK CSIP package,
then verified; tampering, missing files and hand-edited checksums caught; two exports the
same apart from the package id and dates; the export audited and recorded on the dossier."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from sohoa.domain.access import Principal, Role
from sohoa.domain.archive.models import PackageType
from sohoa.pipeline.archive.layout import sha256_of
from sohoa.pipeline.archive.schemas import schema_errors
from sohoa.processing.context import WorkContext, open_context
from sohoa.services import results, reuse
from sohoa.services.archive import (
    Selection,
    export_packages,
    select_dossiers,
    transfers,
    verify_package,
)
from sohoa.settings import Settings
from sohoa.storage import papers, routing
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import DossierStatus
from tests.helpers.stored import store_dossier, tiny_pdf
from tests.services.test_scrub import SIGNED

ARCHIVIST = Principal("luutru", Role.ARCHIVIST, via="cli")
BIRTH = [("to_khai_khai_sinh", ["to khai trang 1", "to khai trang 2"]),
         ("giay_chung_sinh", ["giay chung sinh"])]
EAD_NS = {"e": "urn:isbn:1-931666-22-9"}


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[WorkContext,
                                                                               str]]:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_TSA_URL", "SOHOA_AGENCY",
                 "SOHOA_DATABASE_URL", "SOHOA_BROKER_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    with open_context(Settings.from_env()) as ctx:
        yield ctx, store_dossier(ctx, "1.001193", BIRTH, SIGNED)


def _export(ctx: WorkContext, code: str, out: Path) -> tuple[Path, Path]:
    report = export_packages(ctx, ARCHIVIST, [code], out)
    package = report.packages[0]
    return package.folder, package.zip_path


def test_round_trip_export_then_verify_folder_and_zip(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, zipped = _export(ctx, code, tmp_path / "goi")
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["METS.xml", "documentation/muc-luc-ho-so-nop-luu.pdf",
                     "metadata/descriptive/EAD.xml",
                     "metadata/preservation/PREMIS.xml",
                     "representations/rep1/METS.xml",
                     "representations/rep1/data/01-to_khai_khai_sinh.pdf",
                     "representations/rep1/data/02-giay_chung_sinh.pdf",
                     "schemas/DILCISExtensionMETS.xsd", "schemas/ead.xsd", "schemas/mets.xsd",
                     "schemas/premis.xsd", "schemas/xlink.xsd"]
    record = ctx.catalog.dossier(code)
    for doc in record.documents:  # byte for byte as stored
        name = doc.key.rsplit("/", 1)[-1]
        assert sha256_of(folder / "representations/rep1/data" / name) == doc.sha256
    with zipfile.ZipFile(zipped) as z:
        assert sorted(z.namelist()) == [f"{folder.name}/{f}" for f in files]
    assert (tmp_path / "goi" / "muc-luc-ho-so-nop-luu.pdf").read_bytes().startswith(b"%PDF")

    for target in (folder, zipped):
        check = verify_package(ctx.settings, target)
        assert check.problems == []
        assert (check.documents, check.signatures_valid) == (2, 2)
        assert check.files_checked == 11  # every file but the root METS itself

    mets = etree.parse(str(folder / "METS.xml")).getroot()
    assert re.fullmatch(rf"urn:{re.escape(record.agency_code)}:uuid:[0-9a-f-]{{36}}",
                        mets.get("OBJID"))
    assert mets.get("PROFILE") == "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
    assert mets[0].get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "SIP"


def test_ead_carries_the_archival_fields(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    ead = etree.parse(str(folder / "metadata/descriptive/EAD.xml")).getroot()

    def field(name: str, scope: etree._Element = ead) -> str:
        found = scope.xpath(".//*[@encodinganalog=$n]", n=name)
        return " ".join("".join(found[0].itertext()).split())

    assert field("FileCode") == "000.00.14.H56.2026." + code.removeprefix("000.00.14.H56-")
    assert re.fullmatch(r"000\.00\.14\.H56\.2026\.\d{6}-\d{4}", field("FileCode"))
    assert field("Maintenance") == "01 Vĩnh viễn"  # civil registry: permanent
    assert field("Mode") == "02 Hạn chế sử dụng"
    assert field("ConfidenceLevel") == "02 Số hóa"
    assert field("PaperFileCode") == code
    assert (field("DocTotal"), field("NumberOfPaper"), field("PageTotal")) == ("2", "3", "3")
    assert field("StartDate/EndDate") == "05/03/2026 - 05/03/2026"
    items = ead.findall(".//e:c", EAD_NS)
    assert [field("DocOrdinal", i) for i in items] == ["1", "2"]
    assert [field("TypeName", i) for i in items] == ["Tờ khai đăng ký khai sinh",
                                                    "Giấy chứng sinh"]
    assert [field("PageAmount", i) for i in items] == ["2", "1"]
    assert all(field("SignerInfo", i) for i in items)


def test_schema_validation_of_every_xml_in_the_package(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    for name in ("METS.xml", "representations/rep1/METS.xml",
                 "metadata/descriptive/EAD.xml", "metadata/preservation/PREMIS.xml"):
        assert schema_errors(etree.parse(str(folder / name)).getroot()) == [], name
    # and the schema does refuse what it should: a checksum type METS does not know
    mets = folder / "METS.xml"
    mets.write_bytes(mets.read_bytes().replace(b'CHECKSUMTYPE="SHA-256"',
                                               b'CHECKSUMTYPE="SHA-999"', 1))
    problems = verify_package(ctx.settings, folder).problems
    assert any("METS.xml: không hợp lệ theo lược đồ" in p and "SHA-999" in p for p in problems)


def test_one_byte_changed_in_a_document_is_caught(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    pdf = folder / "representations/rep1/data/02-giay_chung_sinh.pdf"
    data = bytearray(pdf.read_bytes())
    data[data.index(f"{code}-2".encode())] ^= 0x01  # in the Info title, under the signature
    pdf.write_bytes(bytes(data))
    problems = verify_package(ctx.settings, folder).problems
    assert problems == [
        "representations/rep1/data/02-giay_chung_sinh.pdf: mã băm SHA-256 không khớp METS "
        "(tệp đã bị thay đổi hoặc METS bị sửa)",
        "representations/rep1/data/02-giay_chung_sinh.pdf: chữ ký số không hợp lệ"]


def test_a_byte_changed_inside_the_zip_is_caught(archive, tmp_path: Path) -> None:
    ctx, code = archive
    _, zipped = _export(ctx, code, tmp_path / "goi")
    data = bytearray(zipped.read_bytes())
    with zipfile.ZipFile(zipped) as z:
        info = z.getinfo(next(n for n in z.namelist() if n.endswith("01-to_khai_khai_sinh.pdf")))
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0x01  # inside the stored PDF
    zipped.write_bytes(bytes(data))
    check = verify_package(ctx.settings, zipped)
    assert not check.ok
    assert any("zip bị hỏng" in p for p in check.problems)


def test_a_missing_file_is_reported(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    (folder / "representations/rep1/data/01-to_khai_khai_sinh.pdf").unlink()
    (folder / "metadata/preservation/PREMIS.xml").unlink()
    problems = verify_package(ctx.settings, folder).problems
    assert ("thiếu tệp representations/rep1/data/01-to_khai_khai_sinh.pdf (METS có liệt kê)"
            in problems)
    assert "thiếu tệp metadata/preservation/PREMIS.xml (METS có liệt kê)" in problems


def test_a_checksum_edited_by_hand_in_mets_is_caught(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    rep = folder / "representations/rep1/METS.xml"
    text = rep.read_text(encoding="utf-8")
    first = re.search(r'CHECKSUM="([0-9a-f]{64})"', text).group(1)
    rep.write_text(text.replace(first, "0" * 64), encoding="utf-8")
    problems = verify_package(ctx.settings, folder).problems
    assert ("representations/rep1/data/01-to_khai_khai_sinh.pdf: mã băm SHA-256 không khớp "
            "METS (tệp đã bị thay đổi hoặc METS bị sửa)") in problems
    # the edit also breaks the root METS's checksum of the representation METS, and PREMIS
    assert any(p.startswith("representations/rep1/METS.xml: mã băm") for p in problems)
    assert any("PREMIS.xml: mã băm của representations/rep1/data/01" in p for p in problems)


def test_an_extra_file_and_a_changed_schema_are_reported(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    (folder / "representations/rep1/data/them.pdf").write_bytes(b"%PDF-1.7")
    xsd = folder / "schemas/premis.xsd"
    xsd.write_bytes(xsd.read_bytes() + b"\n")
    problems = verify_package(ctx.settings, folder).problems
    assert "representations/rep1/data/them.pdf: tệp không được METS nào liệt kê" in problems
    assert "schemas/premis.xsd: khác bản lược đồ chính thức sohoa mang theo" in problems


def test_export_twice_gives_the_same_files_apart_from_id_and_dates(archive,
                                                                   tmp_path: Path) -> None:
    ctx, code = archive
    first, _ = _export(ctx, code, tmp_path / "mot")
    second, _ = _export(ctx, code, tmp_path / "hai")
    assert first.name != second.name
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    ids = {first.name.replace("_", ":"): "ID", second.name.replace("_", ":"): "ID"}
    for name in names:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name.parts[0] == "documentation":  # the hand-over list names the package and date
            assert _pdf_text(first / name) == _pdf_text(second / name)
            continue
        if name.suffix != ".xml":
            assert a == b, name
            continue
        assert _without_ids_dates(a, ids) == _without_ids_dates(b, ids), name
    assert (first / "metadata/descriptive/EAD.xml").read_bytes() == \
        (second / "metadata/descriptive/EAD.xml").read_bytes()
    assert [t.package_id for t in transfers(ctx, code)] == [first.name.replace("_", ":"),
                                                            second.name.replace("_", ":")]


def _pdf_text(path: Path) -> str:
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    assert "Mụclụcvănbảntronghồsơ" in text and "01-to_khai_khai_sinh.pdf" in text
    # ids as printed (pdftotext may drop a hyphen where the table cell wraps)
    text = re.sub(r"urn:[\w.]+:uuid:[0-9a-f-]+", "ID", text)
    return re.sub(r"Lậplúc\d\d:\d\dngày\d\d/\d\d/\d{4}", "", text)


def _without_ids_dates(data: bytes, ids: dict[str, str]) -> bytes:
    text = data.decode()
    for package, placeholder in ids.items():
        text = text.replace(package, placeholder)
    text = re.sub(r'(SIZE|CHECKSUM)="[^"]*"', r'\1=""', text)  # of files holding the dates
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", "T", text).encode()


def test_export_is_audited_recorded_and_keeps_the_documents(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, zipped = _export(ctx, code, tmp_path / "goi")
    package = folder.name.replace("_", ":")
    [entry] = AuditLog(ctx.catalog).entries(dossier=code, action="archive.export")
    assert (entry.actor, entry.target) == ("luutru", package)
    assert entry.detail["zip_sha256"] == sha256_of(zipped)
    [transfer] = transfers(ctx, code)
    assert (transfer.package_id, transfer.package_type) == (package, PackageType.SIP.value)
    for doc in ctx.catalog.dossier(code).documents:  # still in the store, still whole
        assert ctx.objects.get(doc.key, doc.sha256, version_id=doc.version_id)
    assert len(AuditLog(ctx.catalog).entries(dossier=code, action="document.read")) == 2


def test_selection_takes_closed_dossiers_by_procedure_and_closing_date(archive) -> None:
    ctx, code = archive
    other = store_dossier(ctx, "3.000347", [("don_de_nghi_doi_gplx", ["don"])], SIGNED)
    assert select_dossiers(ctx, Selection()) == []  # nothing is closed yet
    ctx.catalog.set_status(code, DossierStatus.DANG_XU_LY)
    ctx.catalog.set_status(code, DossierStatus.DA_TRA_KET_QUA)
    ctx.catalog.set_status(other, DossierStatus.DA_XU_LY_XONG)
    assert select_dossiers(ctx, Selection()) == [code, other]
    assert select_dossiers(ctx, Selection(procedure_code="1.001193")) == [code]
    assert select_dossiers(ctx, Selection(closed_from=date(2026, 3, 5),
                                          closed_to=date(2026, 3, 5))) == [code, other]
    assert select_dossiers(ctx, Selection(closed_from=date(2026, 3, 6))) == []
    assert select_dossiers(ctx, Selection(agency_code="khac")) == []


def test_a_document_that_declares_another_schema_is_reported(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    ead = folder / "metadata/descriptive/EAD.xml"
    ead.write_bytes(ead.read_bytes().replace(b"../../schemas/ead.xsd",
                                             b"http://www.loc.gov/ead/ead.xsd"))
    problems = verify_package(ctx.settings, folder).problems
    assert ("metadata/descriptive/EAD.xml: không khai báo lược đồ trong thư mục schemas/ của "
            "gói (http://www.loc.gov/ead/ead.xsd)") in problems


def test_premis_records_fixity_formats_and_the_events(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    premis = etree.parse(str(folder / "metadata/preservation/PREMIS.xml")).getroot()
    ns = {"p": "http://www.loc.gov/premis/v3"}
    digests = premis.xpath("p:object//p:fixity/p:messageDigest/text()", namespaces=ns)
    assert digests == [d.sha256 for d in ctx.catalog.dossier(code).documents]
    assert set(premis.xpath("p:object//p:formatRegistryKey/text()", namespaces=ns)) == \
        {"fmt/477"}
    events = [(e.findtext("p:eventType", namespaces=ns),
               e.findtext("p:eventOutcomeInformation/p:eventOutcome", namespaces=ns))
              for e in premis.iterfind("p:event", ns)]
    assert events == [("capture", "success"),
                      ("creation", "success"), ("digital signature generation", "success"),
                      ("creation", "success"), ("digital signature generation", "success"),
                      ("validation", "success"), ("transfer", "success")]
    agents = premis.xpath("p:agent/p:agentName/text()", namespaces=ns)
    linked = set(premis.xpath("p:event/p:linkingAgentIdentifier/"
                              "p:linkingAgentIdentifierValue/text()", namespaces=ns))
    assert linked <= set(agents) and "luutru" in agents


def test_a_missing_file_is_reported_once(archive, tmp_path: Path) -> None:
    ctx, code = archive
    folder, _ = _export(ctx, code, tmp_path / "goi")
    (folder / "metadata/descriptive/EAD.xml").unlink()
    assert verify_package(ctx.settings, folder).problems == [
        "thiếu tệp metadata/descriptive/EAD.xml (METS có liệt kê)"]


def test_a_result_and_a_reused_paper_are_described_and_carried(
        archive, tmp_path: Path, tesseract_vie: str) -> None:
    """The dossier's result is described by its số/ký hiệu, date, issuing agency and code;
    a paper reused from an earlier dossier (linked, not copied, in the catalog) travels in
    the package byte for byte, with where it came from."""
    ctx, _ = archive
    clerk = Principal("canbo1", Role.CLERK)
    owner = "001190012345"
    earlier = store_dossier(ctx, "1.001612", [("can_cuoc", ["Căn cước công dân"])], SIGNED)
    papers.set_owner(ctx.catalog, earlier, owner)
    code = store_dossier(ctx, "2.001583", [("giay_de_nghi_dk_doanh_nghiep", ["Giấy đề nghị"])],
                         SIGNED)
    papers.set_owner(ctx.catalog, code, owner)
    offer, = (o for o in reuse.offers(ctx, clerk, owner, "2.001583", today=date(2026, 12, 4))
              if o.paper.dossier_code == earlier)  # not the new dossier's own papers
    reuse.decide(ctx, clerk, code, offer.item_id, offer.paper.code, True)
    routing.route(ctx.catalog, code, ["000.00.14.H56"])
    routing.change_status(ctx.catalog, code, 4)
    results.add_result(ctx, clerk, code, tiny_pdf("Giấy chứng nhận"), results.result_metadata(
        code="KQ.G06.000001", name="Giấy chứng nhận đăng ký doanh nghiệp",
        number="15/2026/GCN-DN", issued_on=date(2026, 12, 3),
        issuing_agency="Phòng Đăng ký kinh doanh", signer="Trưởng phòng"))

    folder, zipped = _export(ctx, code, tmp_path / "goi")
    for target in (folder, zipped):
        assert verify_package(ctx.settings, target).problems == []
    source = ctx.catalog.dossier(earlier).documents[0]
    carried = folder / "representations/rep1/data" / \
        f"03-tai_su_dung-{source.key.rsplit('/', 1)[-1]}"
    assert sha256_of(carried) == source.sha256  # byte for byte from the earlier dossier
    assert len(ctx.catalog.dossier(code).documents) == 2  # still linked, not copied

    ead = etree.parse(str(folder / "metadata/descriptive/EAD.xml"))
    items = ead.findall(".//e:c[@level='item']", EAD_NS)
    assert [i.get("id") for i in items] == ["doc-001", "doc-002", "doc-003"]
    result, reused = items[1], items[2]

    def text(item, path: str) -> list[str]:  # noqa: ANN001
        return [e.text for e in item.findall(path, EAD_NS)]

    assert text(result, "e:did/e:unitid[@type='so']") == ["15"]
    assert text(result, "e:did/e:unitid[@type='ky-hieu']") == ["2026/GCN-DN"]
    assert text(result, "e:did/e:unitdate") == ["03/12/2026"]
    assert text(result, "e:did/e:origination/e:corpname") == ["Phòng Đăng ký kinh doanh"]
    assert text(result, "e:did/e:unittitle") == [
        "Giấy chứng nhận đăng ký doanh nghiệp số 15/2026/GCN-DN"]
    assert text(result, "e:odd/e:p") == [
        "Kết quả giải quyết thủ tục hành chính (mã KQ.G06.000001)"]
    assert text(reused, "e:custodhist/e:p") == [
        f"Tái sử dụng bản số hóa {offer.paper.code} (hồ sơ {earlier})"]
    assert text(reused, "e:odd/e:p")[0].startswith(offer.item_id)
    mets = (folder / "representations/rep1/METS.xml").read_text(encoding="utf-8")
    assert f'CHECKSUM="{source.sha256}"' in mets and f"data/{carried.name}" in mets
