"""Reading a published catalog file: JSON lines (the crawl, optionally gzip-compressed) or
one JSON document (a LayThuTuc answer: a procedure, a list of them, or an object holding the
list), into procedures and the parse report.

A record that is not a procedure is refused and named in the report ("dòng 17 (thủ tục
1.234567): …"); the others are read. A file that is not JSON at all is refused whole.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

from sohoa.domain.catalog.records import RecordError, read_record, record_code
from sohoa.domain.catalog.report import ParseReport, ProcedureParse, RefusedRecord
from sohoa.domain.procedures import Procedure
from sohoa.errors import CatalogError

LIST_KEYS = ("result", "data", "DANHSACHTHUTUC", "items")
"""Where a JSON document may hold its list of procedures."""


def read_catalog(data: bytes, source: str) -> tuple[dict[str, Procedure], ParseReport]:
    """Every procedure of the file, in file order, and the report. A code met twice keeps
    the later record (the report says so)."""
    procedures: dict[str, Procedure] = {}
    parses: dict[str, ProcedureParse] = {}
    refused: list[RefusedRecord] = []
    for where, record in records(data, source):
        try:
            if isinstance(record, _Broken):
                raise RecordError(record.reason)
            procedure, parse = read_record(record)
        except RecordError as exc:
            refused.append(RefusedRecord(where=where, code=record_code(record), reason=str(exc)))
            continue
        if procedure.code in procedures:
            refused.append(RefusedRecord(where=where, code=procedure.code,
                                         reason="mã thủ tục trùng với một bản ghi trước; "
                                         "dùng bản ghi này"))
        procedures[procedure.code] = procedure
        parses[procedure.code] = parse
    report = ParseReport(source=source, procedures=list(parses.values()), refused=refused)
    return procedures, report


def records(data: bytes, source: str) -> Iterator[tuple[str, Any]]:
    """(where, record) for each record of the file."""
    text = _text(data, source)
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and _one_document(stripped)):
        yield from _document_records(stripped, source)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"dòng {number}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"dòng {number}", _Broken(f"không phải JSON ({exc.msg}, cột {exc.colno})")


class _Broken:
    """A line that is not JSON: refused with its reason like any malformed record."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _text(data: bytes, source: str) -> str:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise CatalogError(f"{source}: tệp gzip hỏng ({exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogError(f"{source}: không phải văn bản UTF-8") from None


def _one_document(text: str) -> bool:
    """Whether the text is one JSON document rather than JSON lines."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _document_records(text: str, source: str) -> Iterator[tuple[str, Any]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{source}: JSON không hợp lệ ở dòng {exc.lineno}") from None
    if isinstance(document, dict):
        inner = next((document[k] for k in LIST_KEYS if isinstance(document.get(k), list)),
                     None)
        document = inner if inner is not None else [document]
    if not isinstance(document, list):
        raise CatalogError(f"{source}: phải là danh sách thủ tục")
    for number, record in enumerate(document, start=1):
        yield f"bản ghi {number}", record
