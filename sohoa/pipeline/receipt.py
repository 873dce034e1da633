"""The papers the citizen takes home: the receipt with the appointment, or the request to
complete the dossier.

A complete dossier gets the "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (fields in
docs/domain.md: agency, number, dossier code, applicant, address, contact, request, the components
handed in, number of sets, processing time, received at, appointment, where the result is
returned, fees, both signatures). An incomplete one gets the "Phiếu yêu cầu bổ sung, hoàn
thiện hồ sơ" listing what is missing and why, instead of a receipt. Both carry a QR with the
dossier code, so the result counter finds the dossier by scanning the paper. A dossier the
counter refuses gets the "Phiếu từ chối tiếp nhận, giải quyết hồ sơ" (Mẫu 03, Thông tư
01/2018/TT-VPCP) instead, stating the reason.

Both are laid out as official papers are (Decree 30/2020 layout): the parent agency over the
agency on the left, the national motto on the right, each on one line, then the title
centred on one line. Lines that must not wrap are printed as single cells, their font shrunk
in the rare case a configured name would not fit.

Pure: the caller gathers the data (:mod:`sohoa.services.receipts`); this module only lays it out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from fpdf import FPDF

from sohoa.clock import VIETNAM
from sohoa.pipeline.printing import MARGIN, add_fonts, draw_qr, paragraph

QR_SIZE = 22.0
"""mm: small, it only carries the dossier code; it sits right of the title."""

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
AGENCY_BLOCK = 72.0
"""mm: width of the left header block (parent agency, agency); the motto has the rest."""

TITLE_SIZE = 14.0
MIN_ONE_LINE_SIZE = 7.0
"""pt: a one-line heading shrinks this far at most to stay on one line."""


@dataclass(frozen=True)
class Applicant:
    """Who handed the dossier in (from the CCCD QR when one was scanned, else typed)."""

    name: str = ""
    address: str = ""
    contact: str = ""
    """Phone number and/or e-mail."""


@dataclass(frozen=True)
class ComponentLine:
    """One row of the receipt's table of components."""

    name: str
    kind: str
    """"Bản chính", "Bản sao", "Bản sao hoặc bản chụp"..."""
    quantity: int


@dataclass(frozen=True)
class Receipt:
    agency_name: str
    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    components: Sequence[ComponentLine]
    processing_time: str
    received_at: datetime
    appointment: datetime
    result_place: str
    receiver: str
    sets: int = 1
    fees: str = "Theo quy định"
    parent_agency: str = ""
    """The agency the counter belongs to (cơ quan chủ quản); empty: not printed."""


@dataclass(frozen=True)
class MissingItem:
    name: str
    needed: str = ""
    """What to hand in, without repeating the name: "01 bản chính"."""


@dataclass(frozen=True)
class SupplementNotice:
    agency_name: str
    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    missing: Sequence[MissingItem]
    received_at: datetime
    receiver: str
    rescan_pages: Sequence[int] = field(default_factory=tuple)
    """1-based pages that could not be read and must be handed in again."""
    parent_agency: str = ""


class _Paper(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        add_fonts(self)
        self.set_title(title)
        self.set_creator("sohoa")
        self.set_lang("vi")
        self.add_page()


RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
NOTICE_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt and appointment slip, one A4 page (more if the table is long)."""
    pdf = _Paper(f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {receipt.dossier_code}")
    _heading(pdf, receipt.parent_agency, receipt.agency_name, receipt.received_at)
    _title(pdf, RECEIPT_TITLE, receipt.dossier_code)
    _applicant(pdf, receipt.agency_name, receipt.applicant, receipt.procedure_name,
               "tiếp nhận hồ sơ của")
    paragraph(pdf, "1. Thành phần hồ sơ nộp gồm:", 11)
    _components(pdf, receipt.components)
    for line in (f"2. Số lượng hồ sơ: {receipt.sets:02d} bộ.",
                 f"3. Thời gian giải quyết hồ sơ theo quy định là: {receipt.processing_time}.",
                 f"4. Thời gian nhận hồ sơ: {clock_and_day(receipt.received_at)}.",
                 f"5. Thời gian trả kết quả giải quyết hồ sơ: "
                 f"{clock_and_day(receipt.appointment)}.",
                 f"6. Nhận kết quả tại: {place_text(receipt.result_place)}.",
                 f"7. Phí, lệ phí: {receipt.fees}."):
        paragraph(pdf, line, 11)
    _signatures(pdf, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", receipt.applicant.name,
                receipt.receiver)
    return bytes(pdf.output())


def supplement_pdf(notice: SupplementNotice) -> bytes:
    """The request to complete the dossier: what is missing, and why."""
    pdf = _Paper(f"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {notice.dossier_code}")
    _heading(pdf, notice.parent_agency, notice.agency_name, notice.received_at)
    _title(pdf, NOTICE_TITLE, notice.dossier_code)
    _applicant(pdf, notice.agency_name, notice.applicant, notice.procedure_name,
               "đã nhận hồ sơ của")  # Mẫu 02's wording: received for checking, not accepted
    paragraph(pdf, f"Ngày nộp: {clock_and_day(notice.received_at)}.", 11)
    paragraph(pdf, "Hồ sơ chưa đầy đủ. Đề nghị Ông/Bà bổ sung, hoàn thiện những nội dung sau:",
              11, bold=True)
    for number, item in enumerate(notice.missing, start=1):
        needed = f": {item.needed}" if item.needed else ""
        paragraph(pdf, f"{number}. {item.name}{needed}.", 11)
    if notice.rescan_pages:
        pages = ", ".join(str(n) for n in notice.rescan_pages)
        paragraph(pdf, f"{len(notice.missing) + 1}. Nộp lại để quét lại các trang không đọc "
                  f"được: trang {pages}.", 11)
    paragraph(pdf, "Lý do: hồ sơ chưa có đủ thành phần theo quy định của thủ tục. Mọi vướng "
              "mắc xin liên hệ cán bộ tiếp nhận.", 11)
    _signatures(pdf, "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", notice.applicant.name,
                notice.receiver)
    return bytes(pdf.output())


@dataclass(frozen=True)
class RefusalSlip:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Mẫu 03): who, what was asked, why not."""

    agency_name: str
    dossier_code: str
    procedure_name: str
    applicant: Applicant
    reason: str
    """Empty only for a dossier refused before reasons were kept: a line to fill by hand."""
    refused_at: datetime
    receiver: str
    parent_agency: str = ""


REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"
REFUSAL_GROUNDS = ("Sau khi nghiên cứu, căn cứ quy định, cơ quan tiếp nhận hồ sơ thông báo "
                   "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:")
HAND_FILLED_LINES = 3
"""Dotted lines the clerk writes the reason on, where none was recorded."""


def refusal_pdf(slip: RefusalSlip) -> bytes:
    """The refusal slip handed to the citizen, one A4 page, signed by the receiving clerk
    only (Mẫu 03 has no applicant's signature: the citizen is told, not asked)."""
    pdf = _Paper(f"Phiếu từ chối tiếp nhận, giải quyết hồ sơ {slip.dossier_code}")
    _heading(pdf, slip.parent_agency, slip.agency_name, slip.refused_at)
    _title(pdf, REFUSAL_TITLE, slip.dossier_code)
    _applicant(pdf, f"Bộ phận Tiếp nhận và Trả kết quả {slip.agency_name}", slip.applicant,
               slip.procedure_name, "tiếp nhận hồ sơ của")
    paragraph(pdf, REFUSAL_GROUNDS, 11)
    reason = slip.reason.strip()
    if reason:
        paragraph(pdf, reason, 11, bold=True)
    else:
        _lines_to_write_on(pdf, HAND_FILLED_LINES)
    paragraph(pdf, "Xin thông báo để Ông/Bà được biết và thực hiện./.", 11)
    _signatures(pdf, "", "NGƯỜI TIẾP NHẬN HỒ SƠ", "", slip.receiver)
    return bytes(pdf.output())


@dataclass(frozen=True)
class ResultLine:
    """One result handed over: its name, số/ký hiệu, who issued it and when."""

    name: str
    number: str
    issuing_agency: str
    issued_on: str


@dataclass(frozen=True)
class HandoverSlip:
    """Phiếu trả kết quả: what was handed to whom, by whom, when."""

    agency_name: str
    dossier_code: str
    procedure_name: str
    receipt_number: str
    recipient: str
    recipient_id: str
    results: Sequence[ResultLine]
    handed_at: datetime
    handed_by: str
    parent_agency: str = ""


def handover_pdf(slip: HandoverSlip) -> bytes:
    """The hand-over slip the citizen signs when collecting the result."""
    pdf = _Paper(f"Phiếu trả kết quả {slip.dossier_code}")
    _heading(pdf, slip.parent_agency, slip.agency_name, slip.handed_at)
    _title(pdf, "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ", slip.dossier_code)
    paragraph(pdf, f"Số phiếu: {slip.receipt_number}", 11)
    paragraph(pdf, f"Thủ tục: {slip.procedure_name}", 11)
    paragraph(pdf, f"Người nhận: {slip.recipient}"
              + (f" — số định danh {slip.recipient_id}" if slip.recipient_id else ""), 11)
    paragraph(pdf, "Kết quả đã nhận:", 11)
    for number, line in enumerate(slip.results, start=1):
        paragraph(pdf, f"{number}. {line.name} số {line.number}, do {line.issuing_agency} "
                  f"ban hành ngày {line.issued_on}.", 11)
    paragraph(pdf, f"Thời gian trả kết quả: {clock_and_day(slip.handed_at)}.", 11)
    _signatures(pdf, "NGƯỜI NHẬN KẾT QUẢ", "NGƯỜI TRẢ KẾT QUẢ", slip.recipient, slip.handed_by)
    return bytes(pdf.output())


def clock_and_day(moment: datetime) -> str:
    """"14 giờ 30 phút, ngày 26/11/2026" in Vietnam time."""
    local = moment.astimezone(VIETNAM)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {local:%d/%m/%Y}"


def place_text(place: str) -> str:
    """The place without a leading "Tại": the line already says "Nhận kết quả tại:"."""
    return re.sub(r"^\s*tại\s+", "", place, flags=re.IGNORECASE)


def _heading(pdf: FPDF, parent: str, agency: str, day: datetime) -> None:
    """Left: parent agency, agency (bold), a short rule. Right: the motto on one line, the
    "Độc lập - Tự do - Hạnh phúc" line underlined, the date."""
    top = pdf.get_y()
    if parent:
        pdf.set_font("Sans", "", 10)
        pdf.multi_cell(AGENCY_BLOCK, 5, parent.upper(), align="CENTER", new_x="LMARGIN",
                       new_y="NEXT")
    pdf.set_font("Sans", "B", 10)
    pdf.multi_cell(AGENCY_BLOCK, 5, agency.upper(), align="CENTER", new_x="LMARGIN",
                   new_y="NEXT")
    _rule(pdf, MARGIN + AGENCY_BLOCK / 2, pdf.get_y() + 1, AGENCY_BLOCK / 3)
    left_bottom = pdf.get_y() + 1
    right, width = MARGIN + AGENCY_BLOCK, pdf.epw - AGENCY_BLOCK
    pdf.set_y(top)
    one_line(pdf, MOTTO[0], 11, x=right, width=width)
    second = one_line(pdf, MOTTO[1], 12, x=right, width=width)
    _rule(pdf, right + width / 2, pdf.get_y() + 1, second)
    pdf.set_y(pdf.get_y() + 2)
    local = day.astimezone(VIETNAM)
    one_line(pdf, f"Ngày {local:%d} tháng {local:%m} năm {local:%Y}", 10, x=right, width=width,
             bold=False)
    pdf.set_y(max(pdf.get_y(), left_bottom) + 5)


def _title(pdf: FPDF, title: str, code: str) -> None:
    """The title centred on the page, one line; the dossier code under it; the QR right."""
    top = pdf.get_y()
    draw_qr(pdf, code, x=pdf.w - MARGIN - QR_SIZE, y=top, size=QR_SIZE)
    pdf.set_y(top + 2)
    beside = QR_SIZE + 1  # as much room left as the QR takes right: centred on the page
    for text, size in ((title, TITLE_SIZE), (f"Mã hồ sơ: {code}", 12)):
        one_line(pdf, text, size, x=MARGIN + beside, width=pdf.epw - 2 * beside)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE) + 3)


def one_line(pdf: FPDF, text: str, size: float, *, x: float, width: float,
             bold: bool = True) -> float:
    """``text`` centred in ``width`` mm from ``x`` on one line (a cell never wraps; the font
    shrinks if it would overflow). Returns the text's width in mm."""
    style = "B" if bold else ""
    pdf.set_font("Sans", style, size)
    while pdf.get_string_width(text) > width - 2 * pdf.c_margin and size > MIN_ONE_LINE_SIZE:
        size -= 0.5
        pdf.set_font("Sans", style, size)
    pdf.set_x(x)
    pdf.cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.get_string_width(text)


def _rule(pdf: FPDF, centre: float, y: float, length: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(centre - length / 2, y, centre + length / 2, y)


def _applicant(pdf: FPDF, agency: str, applicant: Applicant, request: str, verb: str) -> None:
    paragraph(pdf, f"{agency} {verb}:", 11)
    for label, value in (("Ông/Bà", applicant.name), ("Địa chỉ", applicant.address),
                         ("Số điện thoại / Email", applicant.contact)):
        paragraph(pdf, f"{label}: {value or '.' * 60}", 11)
    paragraph(pdf, f"Nội dung yêu cầu giải quyết: {request}", 11)
    pdf.ln(1)


def _lines_to_write_on(pdf: FPDF, count: int) -> None:
    """Dotted lines across the page, spaced for handwriting."""
    pdf.set_font("Sans", "", 11)
    dots = "." * int((pdf.epw - 2 * pdf.c_margin) / pdf.get_string_width(".") - 1)
    for _ in range(count):
        pdf.set_x(MARGIN)
        pdf.cell(pdf.epw, 8, dots, new_x="LMARGIN", new_y="NEXT")


def _components(pdf: FPDF, lines: Sequence[ComponentLine]) -> None:
    pdf.set_font("Sans", "", 10)
    with pdf.table(col_widths=(8, 62, 20, 10), text_align=("CENTER", "LEFT", "LEFT", "CENTER"),
                   line_height=5, padding=1.2) as table:
        table.row(("STT", "Tên giấy tờ", "Bản chính / bản sao", "Số lượng"))
        for number, line in enumerate(lines, start=1):
            table.row((str(number), line.name, line.kind, str(line.quantity)))
    pdf.ln(2)


def _signatures(pdf: FPDF, left: str, right: str, left_name: str, right_name: str) -> None:
    """Two signature blocks side by side; an empty ``left`` leaves the left half blank (a
    paper only the clerk signs keeps its signature on the right, as the forms place it)."""
    pdf.ln(6)
    half = (pdf.w - 2 * MARGIN) / 2
    pdf.set_font("Sans", "B", 11)
    pdf.cell(half, 6, left, align="C")
    pdf.cell(half, 6, right, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9)
    pdf.cell(half, 5, "(Ký và ghi rõ họ tên)" if left else "", align="C")
    pdf.cell(half, 5, "(Ký và ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_font("Sans", "B", 11)
    pdf.cell(half, 6, left_name, align="C")
    pdf.cell(half, 6, right_name, align="C", new_x="LMARGIN", new_y="NEXT")
