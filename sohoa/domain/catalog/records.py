"""One published procedure → a :class:`~sohoa.domain.procedures.Procedure` and its parse
entry, from either source:

- the **crawled portal page** (``ma_thu_tuc``, ``thanh_phan_ho_so``, … — tables flattened to
  text, columns glued together: shared/catalog/README.md);
- the **LayThuTuc** structured form the national database sends to provinces (``MATTHC``,
  ``THANHPHANHOSO[TRUONGHOP, GIAYTO[…]]``, ``CACHTHUCTHUCHIEN[KENH, THOIGIAN[…]]``, …).

A record that is not a procedure (not an object, no code, a field of the wrong kind) raises
:class:`RecordError` with the reason; the reader names the record and goes on.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import ValidationError

from sohoa.domain.catalog import report as why
from sohoa.domain.catalog.rows import RawRow, read_rows
from sohoa.domain.catalog.words import nfc, shorten
from sohoa.domain.procedures import (
    Channel,
    ChannelTime,
    Fee,
    LegalDocument,
    Procedure,
    ProcedureDetails,
    ProcedureResult,
)

CODE = re.compile(r"^\d\.\d{6}$")


class RecordError(ValueError):
    """The record is not a procedure; the message says why, in Vietnamese."""


def is_crawled(record: Any) -> bool:
    return isinstance(record, dict) and "ma_thu_tuc" in record


def is_laythutuc(record: Any) -> bool:
    return isinstance(record, dict) and "MATTHC" in record


def read_record(record: Any) -> tuple[Procedure, why.ProcedureParse]:
    """The procedure a record describes, and how cleanly it was read."""
    if is_crawled(record):
        return _procedure(*_from_crawled(record))
    if is_laythutuc(record):
        return _procedure(*_from_laythutuc(record))
    if not isinstance(record, dict):
        raise RecordError("không phải một đối tượng JSON (thủ tục)")
    raise RecordError("không có mã thủ tục (ma_thu_tuc hoặc MATTHC)")


def record_code(record: Any) -> str | None:
    """The code a record claims, for naming it when it is refused."""
    if isinstance(record, dict):
        code = record.get("ma_thu_tuc", record.get("MATTHC"))
        return code if isinstance(code, str) and code else None
    return None


# --- crawled portal pages ---------------------------------------------------------------------

TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
COUNT = re.compile(r"(?<!\()(?:(?<!\d)(0|[1-9]\d?)|(?<=\d\d)([1-9])) bản chính"
                   r"(?:\s*,\s*(\d{1,2}) bản sao)?"
                   r"(?!\s+(?:hoặc|và|kèm|để|có|của|theo)\b|\s*[),])")
"""A row's count: "1 bản chính", "0 bản chính,1 bản sao", also glued to a number that ends
the row ("… ngày 25/6/20241 bản chính") — not "(01 bản chính hoặc 01 bản sao …)" or "01 bản
chính danh sách …" inside a row's text, which the portal writes with a leading zero."""
CRAWLED_TEXT_FIELDS = ("ten_thu_tuc", "cap_thuc_hien", "linh_vuc", "co_quan_thuc_hien",
                       "cach_thuc_thuc_hien", "thanh_phan_ho_so", "ket_qua_xu_ly",
                       "can_cu_phap_ly", "so_quyet_dinh", "detail_url")


def _from_crawled(record: dict[str, Any]) -> tuple[dict[str, Any], list[RawRow], list[str]]:
    code = _code(record.get("ma_thu_tuc"), "ma_thu_tuc")
    for key in CRAWLED_TEXT_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise RecordError(f"trường {key} phải là chuỗi ký tự")
    name = nfc(record.get("ten_thu_tuc") or "")
    if not name:
        raise RecordError("trường ten_thu_tuc (tên thủ tục) để trống")
    rows, problems = crawled_rows(record.get("thanh_phan_ho_so") or "")
    channels = crawled_channels(record.get("cach_thuc_thuc_hien") or "")
    details = ProcedureDetails(
        level=_split_list(record.get("cap_thuc_hien") or ""),
        field=nfc(record.get("linh_vuc") or ""),
        agencies=_split_list(record.get("co_quan_thuc_hien") or ""),
        channels=channels,
        results=crawled_results(record.get("ket_qua_xu_ly") or ""),
        legal_basis=crawled_legal_basis(record.get("can_cu_phap_ly") or ""),
        decision=nfc(record.get("so_quyet_dinh") or ""),
        url=nfc(record.get("detail_url") or ""))
    return {"code": code, "name": name, "details": details}, rows, problems


def crawled_rows(text: str) -> tuple[list[RawRow], list[str]]:
    """The rows of the flattened "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng" table, each with
    the heading of its part; the problems met (no table, text after the last count)."""
    parts = text.split(TABLE_HEADER)
    if len(parts) < 2:
        return [], [why.NO_TABLE]
    rows: list[RawRow] = []
    heading = parts[0]
    problems: list[str] = []
    for position, part in enumerate(parts[1:], start=1):
        last = 0
        for match in COUNT.finditer(part):
            rows.append(RawRow(heading, part[last:match.start()],
                               int(match.group(1) or match.group(2)), int(match.group(3) or 0)))
            last = match.end()
        tail = part[last:]
        if position < len(parts) - 1:
            heading = tail
        elif len(tail.strip(" -.;")) > 3:
            problems.append(why.TRAILING_TEXT)
    return rows, problems


_CHANNELS = {"Trực tiếp": Channel.IN_PERSON, "Trực tuyến": Channel.ONLINE,
             "Dịch vụ bưu chính": Channel.POST}
_TIME = (r"(?:(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)?"
         r"|Không có thông tin)")
_CHANNEL_START = re.compile(rf"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?={_TIME})")
_TIME_AT = re.compile(_TIME)
_FEE_AT = re.compile(
    r"\s*(?:(Miễn phí)|(Không có thông tin)|(?:(?:Lệ phí|Phí)[^:\d]{0,80}:\s*)?"
    r"(\d[\d.,]*)\s*(?:Việt Nam Đồng|Đồng|đồng|VNĐ))(\((?:[^()]|\([^()]*\))*\))?")
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def crawled_channels(text: str) -> list[ChannelTime]:
    """Per channel: the time as published, in working days, its fees, its note."""
    text = text.replace(CHANNEL_HEADER, "")
    starts = list(_CHANNEL_START.finditer(text))
    out: list[ChannelTime] = []
    for n, start in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        segment = text[start.end():end]
        time = _TIME_AT.match(segment)
        assert time is not None  # the lookahead matched it
        rest = segment[time.end():]
        fees = []
        while (fee := _FEE_AT.match(rest)) and fee.end() > 0:
            if fee.group(1):
                fees.append(Fee(amount=0, text=_fee_words("Miễn phí", fee.group(4))))
            elif fee.group(3):
                amount = int(re.sub(r"[.,]", "", fee.group(3)))
                fees.append(Fee(amount=amount, text=_fee_words(fee.group(0), None)))
            rest = rest[fee.end():]
        value = float(time.group(1).replace(",", ".")) if time.group(1) else None
        unit = time.group(2) or ""
        out.append(ChannelTime(channel=_CHANNELS[start.group(1)], value=value, unit=unit,
                               working_days=working_days(value, unit), fees=fees,
                               note=shorten(nfc(rest), 600)))
    return out


def _fee_words(words: str, description: str | None) -> str:
    text = nfc(words if description is None else f"{words} {description}")
    return shorten(text, 400)


def working_days(value: float | None, unit: str) -> int | None:
    """A published time in working days: calendar days × 5/7, hours of 8, months of 22."""
    if value is None:
        return None
    factor = {"Ngày": 5 / 7, "Giờ": 1 / 8, "Giờ làm việc": 1 / 8, "Tháng": 22,
              "Năm": 250}.get(unit, 1)
    return math.ceil(round(value * factor, 6))


_RESULT = re.compile(r"(.+?)Mã:\s*(KQ\.[A-Z]\d+\.\d+)")


def crawled_results(text: str) -> list[ProcedureResult]:
    """"Quyết định …Mã: KQ.G01.00262Thông báo …Mã: KQ.G12.001223Từ khóa…" → results."""
    text = text.split("Từ khóa")[0]
    found = [ProcedureResult(name=shorten(nfc(m.group(1)), 400), code=m.group(2))
             for m in _RESULT.finditer(text) if nfc(m.group(1))]
    if not found and nfc(text):
        found = [ProcedureResult(name=shorten(nfc(text), 400))]
    return found


_LEGAL_NUMBER = re.compile(r"\d{1,4}/\d{4}/[A-ZĐ]+(?:-[A-ZĐ]+)*(?:\d{1,2}(?![\d/]))?")


def crawled_legal_basis(text: str) -> list[LegalDocument]:
    """"Tên văn bản pháp lýMã văn bản" then title and number glued, one after the other."""
    text = text.replace("Tên văn bản pháp lýMã văn bản", "")
    out, last = [], 0
    for match in _LEGAL_NUMBER.finditer(text):
        title = nfc(text[last:match.start()])
        if title or match.start() == last:
            out.append(LegalDocument(number=match.group(), title=shorten(title, 400)))
        last = match.end()
    return out


def _split_list(text: str) -> list[str]:
    return [nfc(part) for part in re.split(r",\s*(?=[A-ZĐÀ-Ỹ])|;\s*", text) if nfc(part)]


# --- LayThuTuc -------------------------------------------------------------------------------

_KENH = {"1": Channel.IN_PERSON, "2": Channel.ONLINE, "3": Channel.POST}


def _from_laythutuc(record: dict[str, Any]) -> tuple[dict[str, Any], list[RawRow], list[str]]:
    code = _code(record.get("MATTHC"), "MATTHC")
    name = nfc(_text(record, "TENTTHC"))
    if not name:
        raise RecordError("trường TENTTHC (tên thủ tục) để trống")
    rows: list[RawRow] = []
    for case in _list(record, "THANHPHANHOSO"):
        heading = _text(case, "TRUONGHOP")
        for paper in _list(case, "GIAYTO"):
            rows.append(RawRow(heading, _text(paper, "TENGIAYTO"),
                               _count(paper, "SOBANCHINH"), _count(paper, "SOBANSAO"),
                               form_name=_text(paper, "TENMAUDON") or "",
                               form_url=_text(paper, "URL") or None))
    problems = [] if rows else [why.NO_TABLE]
    fields = [_text(f, "TENLINHVUC") for f in _list(record, "LINHVUCTHUCHIEN")]
    details = ProcedureDetails(
        level=_split_list(_text(record, "CAPTHUCHIEN")),
        field=", ".join(f for f in fields if f),
        agencies=[nfc(_text(a, "TENDONVI")) for a in _list(record, "COQUANTHUCHIEN")
                  if _text(a, "TENDONVI")],
        channels=_laythutuc_channels(record),
        results=[ProcedureResult(name=nfc(_text(r, "TENKETQUA")),
                                 code=_text(r, "MAKETQUA") or None)
                 for r in _list(record, "KETQUATHUCHIEN") if nfc(_text(r, "TENKETQUA"))],
        legal_basis=[LegalDocument(number=_text(d, "SOVANBAN"), title=nfc(_text(d, "TENVANBAN")))
                     for d in _list(record, "CANCUPHAPLY")],
        decision=_text(record, "SOQUYETDINH"))
    return {"code": code, "name": name, "details": details}, rows, problems


def _laythutuc_channels(record: dict[str, Any]) -> list[ChannelTime]:
    out = []
    for way in _list(record, "CACHTHUCTHUCHIEN"):
        channel = _KENH.get(str(way.get("KENH", "")).strip())
        if channel is None:
            raise RecordError(f"CACHTHUCTHUCHIEN.KENH phải là 1, 2 hoặc 3 "
                              f"(giá trị: {way.get('KENH')!r})")
        for time in _list(way, "THOIGIAN") or [{}]:
            value = _number(time, "THOIGIANGIAIQUYET")
            unit = nfc(_text(time, "DONVITINH"))
            fees = [Fee(amount=int(amount) if (amount := _number(f, "SOTIEN")) is not None
                        else None, text=nfc(" ".join(filter(None, (
                            _text(f, "SOTIEN"), _text(f, "DONVI"), _text(f, "MOTA"))))))
                    for f in _list(time, "PHILEPHI")]
            out.append(ChannelTime(channel=channel, value=value, unit=unit,
                                   working_days=working_days(value, unit), fees=fees,
                                   note=shorten(nfc(_text(time, "MOTA")), 600)))
    return out


def _list(record: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RecordError(f"trường {key} phải là danh sách đối tượng")
    return value


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"trường {key} phải là chuỗi ký tự")
    return value.strip()


def _count(record: dict[str, Any], key: str) -> int:
    text = _text(record, key)
    if not text:
        return 0
    if not text.isdigit():
        raise RecordError(f"trường {key} phải là số nguyên (giá trị: {text!r})")
    return int(text)


def _number(record: dict[str, Any], key: str) -> float | None:
    text = _text(record, key).replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        raise RecordError(f"trường {key} phải là số (giá trị: {text!r})") from None


def _code(value: Any, key: str) -> str:
    if not isinstance(value, str) or not CODE.match(value.strip()):
        raise RecordError(f"trường {key}: mã thủ tục phải có dạng d.dddddd "
                          f"(giá trị: {value!r})")
    return value.strip()


# --- together ---------------------------------------------------------------------------------


def _procedure(head: dict[str, Any], rows: list[RawRow],
               problems: list[str]) -> tuple[Procedure, why.ProcedureParse]:
    code, details = head["code"], head["details"]
    checklist = read_rows(code, rows)
    flags = [why.Flag(reason=p) for p in problems] + checklist.flags
    if rows and not checklist.items:
        flags.append(why.Flag(reason=why.NO_ITEMS))
    days, note = _processing_days(details.channels)
    if days is None:
        flags.append(why.Flag(reason=why.NO_TIME))
    if not details.agencies:
        flags.append(why.Flag(reason=why.NO_AGENCY))
    data = {
        "code": code, "name": head["name"], "source": "national",
        "agency": "; ".join(details.agencies) or "Không có thông tin",
        "processing_days": days or 0, "processing_note": note,
        "items": checklist.items, "details": details, "cases": checklist.cases,
        "notes": checklist.notes,
    }
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RecordError(f"không tạo được thủ tục ({where}: {first['msg']})") from None
    parse = why.ProcedureParse(code=code, name=procedure.name, items=len(procedure.items),
                               notes=len(checklist.notes), cases=len(checklist.cases),
                               flags=flags)
    return procedure, parse


def _processing_days(channels: list[ChannelTime]) -> tuple[int | None, str | None]:
    """The in-person channel's working days (the counter's), else the shortest stated."""
    known = [c for c in channels if c.working_days is not None]
    if not known:
        return None, "không có thông tin"
    chosen = next((c for c in known if c.channel is Channel.IN_PERSON), None) or min(
        known, key=lambda c: c.working_days or 0)
    if chosen.unit and chosen.unit != "Ngày làm việc" and chosen.value is not None:
        shown = f"{chosen.value:g} {chosen.unit.lower()}"
        return chosen.working_days, f"công bố: {shown}"
    return chosen.working_days, None
