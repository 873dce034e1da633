"""Write one package: the folder (E-ARK CSIP layout) and its zip.

Order matters, because each METS carries the checksums of what it points at: the signed PDFs
(byte for byte as stored) and the schemas first, then the EAD and PREMIS, then the
representation's METS, last the root METS. The folder is built under a temporary name and
renamed when whole, so a folder with the package's name is always complete.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from sohoa.domain.archive.models import ArchivalFile, PackageEvent, PackageHeader, folder_name
from sohoa.pipeline.archive import layout
from sohoa.pipeline.archive.ead import ead_xml
from sohoa.pipeline.archive.handover import HandedOver, handover_pdf
from sohoa.pipeline.archive.mets import PackageFile, representation_mets, root_mets
from sohoa.pipeline.archive.premis import premis_xml
from sohoa.pipeline.archive.schemas import shipped_schema

XML = "text/xml"
PDF = "application/pdf"


def write_package(out_dir: Path, record: ArchivalFile, header: PackageHeader,
                  events: list[PackageEvent], agents: list[tuple[str, str]],
                  pdfs: Mapping[int, bytes]) -> tuple[Path, Path]:
    """Write the package folder and ``<folder>.zip`` into ``out_dir``; ``pdfs`` maps each
    document's ordinal to its signed bytes (already checked against the catalog)."""
    name = folder_name(header.package_id)
    final = out_dir / name
    work = out_dir / f".{name}.part"
    shutil.rmtree(work, ignore_errors=True)
    try:
        _fill(work, record, header, events, agents, pdfs)
        work.rename(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final, zip_package(final)


def _fill(work: Path, record: ArchivalFile, header: PackageHeader,
          events: list[PackageEvent], agents: list[tuple[str, str]],
          pdfs: Mapping[int, bytes]) -> None:
    data = []
    for document in record.documents:
        path = f"{layout.DATA}/{document.file_name}"
        _write(work / path, pdfs[document.ordinal])
        data.append(PackageFile(f"file-{document.ordinal:03d}", f"data/{document.file_name}",
                                document.size, document.sha256, PDF, document.signed_at))
    schemas = []
    for name in layout.SCHEMA_FILES:
        path = f"{layout.SCHEMAS}/{name}"
        _write(work / path, shipped_schema(name).read_bytes())
        schemas.append(_entry(work, path, f"file-schema-{name.split('.')[0].lower()}", path,
                              XML, header.created_at))
    _write(work / layout.HANDOVER, handover_pdf(
        record.agency_name, record.archive_name, [HandedOver(record, header.package_id)],
        header.created_at, with_documents=True))
    documentation = [_entry(work, layout.HANDOVER, "file-handover", layout.HANDOVER, PDF,
                            header.created_at)]
    _write(work / layout.EAD, ead_xml(record, header))
    _write(work / layout.PREMIS, premis_xml(record, events, agents))
    _write(work / layout.REP_METS, representation_mets(record, header, data))
    ead = _entry(work, layout.EAD, "ead", layout.EAD, XML, header.created_at)
    premis = _entry(work, layout.PREMIS, "premis", layout.PREMIS, XML, header.created_at)
    rep = _entry(work, layout.REP_METS, "file-rep1-mets", layout.REP_METS, XML,
                 header.created_at)
    _write(work / layout.ROOT_METS, root_mets(record, header, ead, premis, schemas,
                                                documentation, rep))


def _entry(work: Path, path: str, file_id: str, href: str, mimetype: str,
           created: datetime) -> PackageFile:
    target = work / path
    return PackageFile(file_id, href, target.stat().st_size, layout.sha256_of(target),
                       mimetype, created)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def zip_package(folder: Path) -> Path:
    """``<folder>.zip`` with the folder at its root, entries sorted, PDFs stored as they are
    (already compressed), XML deflated."""
    target = folder.with_name(f"{folder.name}.zip")
    part = folder.with_name(f".{folder.name}.zip.part")
    with zipfile.ZipFile(part, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            method = zipfile.ZIP_STORED if path.suffix == ".pdf" else zipfile.ZIP_DEFLATED
            archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}",
                          compress_type=method)
    part.replace(target)
    return target
