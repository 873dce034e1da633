"""``sohoa archive verify``: re-check a package years later with nothing but sohoa.

Every problem is listed, not only the first: a checksum that does not match, a file a METS
names that is missing, a file no METS names, XML that is not well-formed or not valid
against the official schema, a required archival field left empty, a schema copy that is
not the official one, a signature that no longer validates, and METS, EAD and PREMIS that
do not describe the same files with the same hashes.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from sohoa.errors import SohoaError
from sohoa.pipeline.archive import layout
from sohoa.pipeline.archive.ead import DOCUMENT_FIELDS, FILE_FIELDS, dao_href
from sohoa.pipeline.archive.premis import object_id
from sohoa.pipeline.archive.schemas import schema_errors, shipped_schema
from sohoa.pipeline.archive.xmltree import (
    CSIP_NS,
    EAD_NS,
    METS_NS,
    PREMIS_NS,
    XLINK_NS,
    XSI_SCHEMA_LOCATION,
    parse,
)
from sohoa.pipeline.verify import verify_pdf

M = {"m": METS_NS, "xlink": XLINK_NS, "ead": EAD_NS, "p": PREMIS_NS}
HREF = f"{{{XLINK_NS}}}href"


@dataclass
class PackageCheck:
    """What verify found. ``problems`` empty: the package is whole and valid."""

    package_id: str = ""
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    documents: int = 0
    signatures_valid: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_package(path: Path, trust_roots: Sequence[Path]) -> PackageCheck:
    """Check the package folder or zip at ``path``."""
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="sohoa-archive-") as tmp:
            report = PackageCheck()
            root = _unzip(path, Path(tmp), report)
            if root is not None:
                _check_folder(root, trust_roots, report)
            return report
    report = PackageCheck()
    if not (path / layout.ROOT_METS).is_file():
        report.problems.append(f"{path}: không phải gói nộp lưu (không có {layout.ROOT_METS})")
        return report
    _check_folder(path, trust_roots, report)
    return report


def _unzip(path: Path, into: Path, report: PackageCheck) -> Path | None:
    try:
        return _extract(path, into, report)
    except (zipfile.BadZipFile, OSError) as exc:  # a damaged member fails its CRC
        report.problems.append(f"{path.name}: tệp zip bị hỏng ({exc})")
        return None


def _extract(path: Path, into: Path, report: PackageCheck) -> Path | None:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tops = {PurePosixPath(n).parts[0] for n in names if n}
        unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
        if unsafe or len(tops) != 1:
            report.problems.append(f"{path.name}: tệp zip phải chứa đúng một thư mục gói, "
                                   "không có đường dẫn ra ngoài")
            return None
        archive.extractall(into)
    return into / tops.pop()


def _check_folder(root: Path, trust_roots: Sequence[Path], report: PackageCheck) -> None:
    listed: set[str] = set()
    mets = _xml(root, layout.ROOT_METS, report)
    if mets is None:
        return
    report.package_id = mets.get("OBJID", "")
    _root_fields(mets, report)
    for ref in mets.iterfind(".//m:mdRef", M):
        _file_entry(root, "", ref, ref.get("CHECKSUM"), report, listed)
    for entry in mets.iterfind(".//m:fileSec//m:file", M):
        _file_entry(root, "", entry.find("m:FLocat", M), entry.get("CHECKSUM"), report,
                    listed, entry.get("CHECKSUMTYPE"))
    _schemas_are_official(root, report)
    rep = _xml(root, layout.REP_METS, report, listed)
    ead = _xml(root, layout.EAD, report, listed)
    premis = _xml(root, layout.PREMIS, report, listed)
    data: dict[str, str] = {}
    if rep is not None:
        for entry in rep.iterfind(".//m:fileSec//m:file", M):
            location = entry.find("m:FLocat", M)
            href = _file_entry(root, layout.REP, location, entry.get("CHECKSUM"), report,
                               listed, entry.get("CHECKSUMTYPE"))
            if href:
                data[href] = (entry.get("CHECKSUM") or "").lower()
    listed.update({layout.ROOT_METS})
    _unlisted(root, listed, report)
    report.documents = len(data)
    if ead is not None:
        _ead_fields(ead, data, report)
    if premis is not None:
        _premis_matches(premis, data, report)
    _signatures(root, data, trust_roots, report)


def _xml(root: Path, name: str, report: PackageCheck,
         listed: set[str] | None = None) -> etree._Element | None:
    """Parse and validate one XML file; a missing one is reported once (METS may have)."""
    path = root / name
    if not path.is_file():
        if name not in (listed or set()):
            report.problems.append(f"thiếu tệp {name}")
        return None
    try:
        tree = parse(path.read_bytes())
    except etree.XMLSyntaxError as exc:
        report.problems.append(f"{name}: XML không hợp lệ (không đúng cú pháp): {exc}")
        return None
    report.problems.extend(f"{name}: không hợp lệ theo lược đồ: {e}"
                           for e in schema_errors(tree))
    _declared_schema(root, name, tree, report)
    return tree


def _declared_schema(root: Path, name: str, tree: etree._Element,
                     report: PackageCheck) -> None:
    """The schema the document declares for its own namespace must be one of the package's
    ``schemas/`` files (which ``_schemas_are_official`` compares with sohoa's copies)."""
    pairs = (tree.get(XSI_SCHEMA_LOCATION) or "").split()
    declared = dict(zip(pairs[::2], pairs[1::2], strict=False))
    location = declared.get(etree.QName(tree).namespace or "")
    target = (root / name).parent / location if location else None
    schemas = (root / layout.SCHEMAS).resolve()
    if target is None or target.resolve().parent != schemas or not target.is_file():
        report.problems.append(f"{name}: không khai báo lược đồ trong thư mục "
                               f"{layout.SCHEMAS}/ của gói ({location or 'không có'})")


def _root_fields(mets: etree._Element, report: PackageCheck) -> None:
    header = mets.find("m:metsHdr", M)
    kind = header.get(f"{{{CSIP_NS}}}OAISPACKAGETYPE") if header is not None else None
    for name, value in (("OBJID", mets.get("OBJID")), ("PROFILE", mets.get("PROFILE")),
                        ("csip:OAISPACKAGETYPE", kind)):
        if not value:
            report.problems.append(f"{layout.ROOT_METS}: thiếu {name}")


def _file_entry(root: Path, base: str, location: etree._Element | None,
                checksum: str | None, report: PackageCheck, listed: set[str],
                checksum_type: str | None = None) -> str | None:
    """Check one file a METS lists; return its path in the package (None: a bad href)."""
    href = location.get(HREF) if location is not None else None
    kind = location.get("CHECKSUMTYPE") if location is not None else None
    checksum_type = checksum_type or kind
    if not href or not layout.relative_href(href):
        report.problems.append(f"đường dẫn tệp không hợp lệ (phải tương đối trong gói): {href}")
        return None
    name = f"{base}/{href}" if base else href
    listed.add(name)
    if checksum_type != layout.SHA256 or not checksum:
        report.problems.append(f"{name}: METS không ghi mã băm SHA-256")
    path = root / name
    if not path.is_file():
        report.problems.append(f"thiếu tệp {name} (METS có liệt kê)")
        return name
    report.files_checked += 1
    if checksum and layout.sha256_of(path) != checksum.lower():
        report.problems.append(f"{name}: mã băm SHA-256 không khớp METS (tệp đã bị thay đổi "
                               "hoặc METS bị sửa)")
    return name


def _schemas_are_official(root: Path, report: PackageCheck) -> None:
    for name in layout.SCHEMA_FILES:
        path = root / layout.SCHEMAS / name
        if path.is_file() and path.read_bytes() != shipped_schema(name).read_bytes():
            report.problems.append(f"{layout.SCHEMAS}/{name}: khác bản lược đồ chính thức "
                                   "sohoa mang theo")


def _unlisted(root: Path, listed: set[str], report: PackageCheck) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name not in listed:
            report.problems.append(f"{name}: tệp không được METS nào liệt kê")


def _ead_fields(ead: etree._Element, data: dict[str, str], report: PackageCheck) -> None:
    archdesc = ead.find("ead:archdesc", M)
    if archdesc is None:
        report.problems.append(f"{layout.EAD}: thiếu archdesc")
        return
    items = archdesc.findall(".//ead:c", M)
    file_level = [e for child in archdesc if child.tag != f"{{{EAD_NS}}}dsc"
                  for e in child.iter()]
    _require(file_level, FILE_FIELDS, layout.EAD, report)
    described = set()
    for number, item in enumerate(items, start=1):
        _require(list(item.iter()), DOCUMENT_FIELDS, f"{layout.EAD} tài liệu {number}", report)
        for dao in item.iterfind(".//ead:dao", M):
            described.add(_from_ead(dao.get(HREF, "")))
    total = _field_text(file_level, "DocTotal")
    if total and total != str(len(items)):
        report.problems.append(f"{layout.EAD}: DocTotal {total} khác số tài liệu mô tả "
                               f"({len(items)})")
    if described != set(data):
        report.problems.append(f"{layout.EAD} và METS của rep1 không mô tả cùng các tệp: "
                               f"{sorted(described ^ set(data))}")


def _from_ead(href: str) -> str:
    prefix = dao_href("")
    return f"{layout.DATA}/{href[len(prefix):]}" if href.startswith(prefix) else href


def _require(elements: list[etree._Element], fields: tuple[str, ...], where: str,
             report: PackageCheck) -> None:
    for name in fields:
        if not _field_text(elements, name):
            report.problems.append(f"{where}: thiếu trường {name}")


def _field_text(elements: list[etree._Element], name: str) -> str:
    for element in elements:
        analog = element.get("encodinganalog") or ""
        if name in analog.split("/"):
            return " ".join("".join(element.itertext()).split())
    return ""


def _premis_matches(premis: etree._Element, data: dict[str, str],
                    report: PackageCheck) -> None:
    fixity = {}
    for obj in premis.iterfind("p:object", M):
        value = obj.findtext("p:objectIdentifier/p:objectIdentifierValue", "", M)
        digest = obj.findtext(".//p:fixity/p:messageDigest", "", M).lower()
        fixity[value] = digest
    expected = {object_id(name.rsplit("/", 1)[-1]): digest for name, digest in data.items()}
    if set(fixity) != set(expected):
        report.problems.append(f"{layout.PREMIS} và METS của rep1 không mô tả cùng các tệp: "
                               f"{sorted(set(fixity) ^ set(expected))}")
    for name in sorted(set(fixity) & set(expected)):
        if fixity[name] != expected[name]:
            report.problems.append(f"{layout.PREMIS}: mã băm của {name} khác METS")


def _signatures(root: Path, data: dict[str, str], trust_roots: Sequence[Path],
                report: PackageCheck) -> None:
    for name in sorted(data):
        path = root / name
        if not path.is_file():
            continue
        try:
            checked = verify_pdf(path.read_bytes(), trust_roots)
        except SohoaError as exc:  # no signature, a damaged PDF: a finding, not a crash
            report.problems.append(f"{name}: {exc.message}")
            continue
        if checked.valid:
            report.signatures_valid += 1
        else:
            report.problems.append(f"{name}: chữ ký số không hợp lệ")
