"""The package's two METS files (E-ARK CSIP): ``METS.xml`` at the root and
``representations/rep1/METS.xml``.

The root METS names the package (``OBJID``, CSIP profile, ``csip:OAISPACKAGETYPE``), its
agents (the software, the submitting agency, the archive), points at the EAD and PREMIS with
their SHA-256 (``mdRef``), and lists the schemas and the representation's METS in its
fileSec; the representation's METS lists the signed PDFs. Every ``file`` carries
``CHECKSUMTYPE="SHA-256"`` and its checksum, every href is relative to the METS that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from sohoa.domain.archive.models import ArchivalFile, PackageHeader
from sohoa.pipeline.archive.layout import (
    CONTENT_TYPE,
    CSIP_PROFILE,
    REP,
    REP_METS,
    SHA256,
)
from sohoa.pipeline.archive.xmltree import (
    CSIP_NS,
    METS_NS,
    XLINK_NS,
    XSI_NS,
    XSI_SCHEMA_LOCATION,
    iso_time,
    qname,
    serialise,
    sub,
)

ROOT_SCHEMAS = (f"{METS_NS} schemas/mets.xsd {XLINK_NS} schemas/xlink.xsd "
                f"{CSIP_NS} schemas/DILCISExtensionMETS.xsd")
REP_SCHEMAS = (f"{METS_NS} ../../schemas/mets.xsd {XLINK_NS} ../../schemas/xlink.xsd "
               f"{CSIP_NS} ../../schemas/DILCISExtensionMETS.xsd")


@dataclass(frozen=True)
class PackageFile:
    """A file a METS lists: where (relative to that METS), its size, hash, type and date."""

    file_id: str
    href: str
    size: int
    sha256: str
    mimetype: str
    created: datetime


def root_mets(record: ArchivalFile, header: PackageHeader, ead: PackageFile,
              premis: PackageFile, schemas: Sequence[PackageFile],
              documentation: Sequence[PackageFile], rep_mets: PackageFile) -> bytes:
    root = _mets(header, record.title, ROOT_SCHEMAS)
    _header(root, record, header)
    dmd = sub(root, "dmdSec", ID="dmd-ead", CREATED=iso_time(ead.created), STATUS="CURRENT")
    _md_ref(dmd, "mdref-ead", ead, "EAD")
    amd = sub(root, "amdSec", ID="amd-premis")
    digiprov = sub(amd, "digiprovMD", ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(digiprov, "mdref-premis", premis, "PREMIS")
    file_sec = sub(root, "fileSec", ID="filesec")
    schema_group = sub(file_sec, "fileGrp", ID="filegrp-schemas", USE="Schemas")
    for entry in schemas:
        _file(schema_group, entry)
    doc_group = sub(file_sec, "fileGrp", ID="filegrp-documentation", USE="Documentation")
    for entry in documentation:
        _file(doc_group, entry)
    rep_group = sub(file_sec, "fileGrp", ID="filegrp-rep1", USE="Representations/rep1")
    _content_type(rep_group)
    _file(rep_group, rep_mets)
    struct = sub(root, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    package = sub(struct, "div", ID="div-package", LABEL=header.package_id)
    sub(package, "div", ID="div-metadata", LABEL="Metadata", DMDID="dmd-ead",
        ADMID="digiprov-premis")
    schema_div = sub(package, "div", ID="div-schemas", LABEL="Schemas")
    for entry in schemas:
        sub(schema_div, "fptr", FILEID=entry.file_id)
    doc_div = sub(package, "div", ID="div-documentation", LABEL="Documentation")
    for entry in documentation:
        sub(doc_div, "fptr", FILEID=entry.file_id)
    rep_div = sub(package, "div", ID="div-rep1", LABEL="Representations/rep1")
    pointer = sub(rep_div, "mptr", LOCTYPE="URL")
    pointer.set(qname(XLINK_NS, "type"), "simple")
    pointer.set(qname(XLINK_NS, "href"), REP_METS)
    pointer.set(qname(XLINK_NS, "title"), "METS của bản đại diện rep1")
    return serialise(root)


def representation_mets(record: ArchivalFile, header: PackageHeader,
                        data: Sequence[PackageFile]) -> bytes:
    root = _mets(header, f"{record.title} — {REP}", REP_SCHEMAS)
    root.set("OBJID", f"{header.package_id}/rep1")
    _header(root, record, header)
    file_sec = sub(root, "fileSec", ID="filesec-rep1")
    group = sub(file_sec, "fileGrp", ID="filegrp-data", USE="Data")
    _content_type(group)
    for entry in data:
        _file(group, entry)
    struct = sub(root, "structMap", ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP")
    top = sub(struct, "div", ID="div-rep1", LABEL="rep1")
    data_div = sub(top, "div", ID="div-data", LABEL="Data")
    for entry in data:
        sub(data_div, "fptr", FILEID=entry.file_id)
    return serialise(root)


def _mets(header: PackageHeader, label: str, schema_location: str) -> etree._Element:
    root = etree.Element(qname(METS_NS, "mets"),
                         nsmap={None: METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS,
                                "csip": CSIP_NS})
    root.set("OBJID", header.package_id)
    root.set("LABEL", label)
    root.set("TYPE", "Other")  # CSIP content category vocabulary
    root.set(qname(CSIP_NS, "OTHERTYPE"), CONTENT_TYPE)
    _content_type(root)
    root.set("PROFILE", CSIP_PROFILE)
    root.set(XSI_SCHEMA_LOCATION, schema_location)
    return root


def _content_type(element: etree._Element) -> None:
    """CSIP content information type: none of the registered specifications fits a
    Vietnamese one-stop dossier, so OTHER, named."""
    element.set(qname(CSIP_NS, "CONTENTINFORMATIONTYPE"), "OTHER")
    element.set(qname(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)


def _header(root: etree._Element, record: ArchivalFile, header: PackageHeader) -> None:
    mets_hdr = sub(root, "metsHdr", CREATEDATE=iso_time(header.created_at), RECORDSTATUS="NEW")
    mets_hdr.set(qname(CSIP_NS, "OAISPACKAGETYPE"), header.package_type.value)
    software = sub(mets_hdr, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    sub(software, "name", "sohoa")
    note = sub(software, "note", header.software_version)
    note.set(qname(CSIP_NS, "NOTETYPE"), "SOFTWARE VERSION")
    agency = sub(mets_hdr, "agent", ROLE="IPOWNER", TYPE="ORGANIZATION")
    sub(agency, "name", record.agency_name)
    note = sub(agency, "note", record.agency_code)
    note.set(qname(CSIP_NS, "NOTETYPE"), "IDENTIFICATIONCODE")
    archive = sub(mets_hdr, "agent", ROLE="PRESERVATION", TYPE="ORGANIZATION")
    sub(archive, "name", record.archive_name)
    person = sub(mets_hdr, "agent", ROLE="OTHER", OTHERROLE="SUBMITTER", TYPE="INDIVIDUAL")
    sub(person, "name", header.exported_by)


def _md_ref(parent: etree._Element, ref_id: str, entry: PackageFile, kind: str) -> None:
    ref = sub(parent, "mdRef", ID=ref_id, LOCTYPE="URL", MDTYPE=kind,
              MIMETYPE=entry.mimetype, SIZE=str(entry.size), CREATED=iso_time(entry.created),
              CHECKSUM=entry.sha256, CHECKSUMTYPE=SHA256)
    ref.set(qname(XLINK_NS, "type"), "simple")
    ref.set(qname(XLINK_NS, "href"), entry.href)


def _file(group: etree._Element, entry: PackageFile) -> None:
    element = sub(group, "file", ID=entry.file_id, MIMETYPE=entry.mimetype,
                  SIZE=str(entry.size), CREATED=iso_time(entry.created),
                  CHECKSUM=entry.sha256, CHECKSUMTYPE=SHA256)
    location = sub(element, "FLocat", LOCTYPE="URL")
    location.set(qname(XLINK_NS, "type"), "simple")
    location.set(qname(XLINK_NS, "href"), entry.href)

