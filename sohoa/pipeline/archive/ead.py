"""``metadata/descriptive/EAD.xml``: the dossier at file level (EAD 2002), its documents as
items.

Every Vietnamese archival field sits in the EAD element that means the same thing, and the
element's ``encodinganalog`` names the field of Decree 30/2020 Appendix VI / Circular
05/2025 it carries (EAD's own mechanism for mapping to another standard), so a reader — or
``sohoa archive verify`` — finds "FileCode" or "Maintenance" without guessing.
"""

from __future__ import annotations

from lxml import etree

from sohoa.domain.archive.models import ArchivalDocument, ArchivalFile, PackageHeader
from sohoa.pipeline.archive.layout import DATA
from sohoa.pipeline.archive.xmltree import (
    EAD_NS,
    XLINK_NS,
    XSI_NS,
    XSI_SCHEMA_LOCATION,
    iso_date,
    qname,
    serialise,
    sub,
)

SCHEMA_LOCATION = f"{EAD_NS} ../../schemas/ead.xsd"

FILE_FIELDS = ("FileCode", "Title", "Maintenance", "Mode", "Language", "StartDate", "EndDate",
               "DocTotal", "NumberOfPaper", "PageTotal", "ConfidenceLevel", "PaperFileCode",
               "Description")
"""File-level fields an archive needs; ``verify`` reports a package that lacks one."""
DOCUMENT_FIELDS = ("DocOrdinal", "TypeName", "Subject", "PageAmount", "SignerInfo")


def ead_xml(record: ArchivalFile, header: PackageHeader) -> bytes:
    root = etree.Element(qname(EAD_NS, "ead"), nsmap={None: EAD_NS, "xlink": XLINK_NS,
                                                      "xsi": XSI_NS})
    root.set(XSI_SCHEMA_LOCATION, SCHEMA_LOCATION)
    _header(root, record)
    archdesc = sub(root, "archdesc", level="file", type="inventory")
    _file_did(archdesc, record)
    _file_notes(archdesc, record)
    dsc = sub(archdesc, "dsc", type="combined")
    for document in record.documents:
        _item(dsc, document)
    return serialise(root)


def _header(root: etree._Element, record: ArchivalFile) -> None:
    header = sub(root, "eadheader", countryencoding="iso3166-1", dateencoding="iso8601",
                 langencoding="iso639-2b")
    sub(header, "eadid", record.file_code, countrycode="VN")
    filedesc = sub(header, "filedesc")
    titles = sub(filedesc, "titlestmt")
    sub(titles, "titleproper", record.title)
    sub(sub(filedesc, "publicationstmt"), "publisher", record.agency_name)
    profile = sub(header, "profiledesc")
    usage = sub(profile, "langusage")
    sub(usage, "language", record.language_label, langcode=record.language_code)


def _file_did(archdesc: etree._Element, record: ArchivalFile) -> None:
    did = sub(archdesc, "did")
    sub(did, "unitid", record.file_code, encodinganalog="FileCode", countrycode="VN")
    sub(did, "unittitle", record.title, encodinganalog="Title")
    start, end = iso_date(record.start_date), iso_date(record.end_date)
    sub(did, "unitdate", f"{record.start_date:%d/%m/%Y} - {record.end_date:%d/%m/%Y}",
        normal=f"{start}/{end}", type="inclusive", encodinganalog="StartDate/EndDate")
    physdesc = sub(did, "physdesc")
    sub(physdesc, "extent", str(record.doc_total), unit="tài liệu", encodinganalog="DocTotal")
    sub(physdesc, "extent", str(record.sheet_total), unit="tờ",
        encodinganalog="NumberOfPaper")
    sub(physdesc, "extent", str(record.page_total), unit="trang", encodinganalog="PageTotal")
    languages = sub(did, "langmaterial", encodinganalog="Language")
    sub(languages, "language", record.language_label, langcode=record.language_code)
    origination = sub(did, "origination", label="Cơ quan hình thành hồ sơ")
    sub(origination, "corpname", record.agency_name, encodinganalog="OrganId",
        authfilenumber=record.agency_code)
    sub(sub(did, "repository"), "corpname", record.archive_name)


def _file_notes(archdesc: etree._Element, record: ArchivalFile) -> None:
    appraisal = sub(archdesc, "appraisal", encodinganalog="Maintenance")
    para = sub(appraisal, "p")
    sub(para, "num", record.retention_code, type="thoi-han-bao-quan")
    sub(para, "emph", record.retention_label)
    access = sub(archdesc, "accessrestrict", encodinganalog="Mode")
    para = sub(access, "p")
    sub(para, "num", record.mode_code, type="che-do-su-dung")
    sub(para, "emph", record.mode_label)
    keywords = sub(archdesc, "controlaccess", encodinganalog="Keyword")
    for word in record.keywords:
        sub(keywords, "subject", word)
    sub(sub(archdesc, "scopecontent", encodinganalog="Description"), "p", record.description)
    process = sub(archdesc, "processinfo", encodinganalog="ConfidenceLevel")
    para = sub(process, "p")
    sub(para, "num", record.confidence_code, type="muc-do-tin-cay")
    sub(para, "emph", record.confidence_label)
    originals = sub(archdesc, "originalsloc", encodinganalog="PaperFileCode")
    sub(sub(originals, "p"), "num", record.paper_file_code, type="ma-ho-so-giay")
    odd = sub(archdesc, "odd", encodinganalog="Procedure")
    sub(odd, "p", f"{record.procedure_code} {record.procedure_name}")


def _item(dsc: etree._Element, document: ArchivalDocument) -> None:
    item = sub(dsc, "c", level="item", id=f"doc-{document.ordinal:03d}")
    did = sub(item, "did")
    sub(did, "unitid", str(document.ordinal), encodinganalog="DocOrdinal")
    if document.code_number:
        sub(did, "unitid", document.code_number, type="so", encodinganalog="CodeNumber")
    if document.code_notation:
        sub(did, "unitid", document.code_notation, type="ky-hieu",
            encodinganalog="CodeNotation")
    sub(did, "unittitle", document.subject, encodinganalog="Subject")
    if document.issued_date is not None:
        sub(did, "unitdate", f"{document.issued_date:%d/%m/%Y}",
            normal=iso_date(document.issued_date), encodinganalog="IssuedDate")
    physdesc = sub(did, "physdesc")
    sub(physdesc, "genreform", document.type_name, encodinganalog="TypeName",
        normal=document.doc_type)
    sub(physdesc, "extent", str(document.page_count), unit="trang", encodinganalog="PageAmount")
    if document.organ_name:
        sub(sub(did, "origination"), "corpname", document.organ_name,
            encodinganalog="OrganName")
    signer = sub(did, "origination", label="Người ký số bản số hóa")
    sub(signer, "persname", document.signer, role="người ký số", encodinganalog="SignerInfo")
    dao = sub(did, "dao")
    dao.set(qname(XLINK_NS, "type"), "simple")
    dao.set(qname(XLINK_NS, "href"), dao_href(document.file_name))
    dao.set(qname(XLINK_NS, "title"), document.file_name)
    checklist = sub(item, "odd", encodinganalog="ChecklistItem")
    sub(checklist, "p", _answers(document))
    if document.reused:
        sub(sub(item, "custodhist", encodinganalog="Reused"), "p",
            f"Tái sử dụng bản số hóa {document.reused_from}".strip())


def _answers(document: ArchivalDocument) -> str:
    """What the document is in the dossier: a checklist item, the result, or an extra."""
    if document.result_code is not None:
        code = f" (mã {document.result_code})" if document.result_code else ""
        return f"Kết quả giải quyết thủ tục hành chính{code}"
    if document.item_id:
        return f"{document.item_id} {document.item_name}".strip()
    return "Không thuộc thành phần hồ sơ (tài liệu bổ sung)"


def dao_href(file_name: str) -> str:
    """The href an item's ``dao`` gives (relative to ``metadata/descriptive/EAD.xml``)."""
    return f"../../{DATA}/{file_name}"

