"""Printable cover and separator sheets (bìa hồ sơ, tờ phân cách) for a procedure's dossier.

The clerk prints them before scanning: the cover goes on top of the stack and links the batch
to the dossier; a separator goes before each checklist item's papers and forces the split, so
classification needs no guessing for that stack. Both carry a big QR (decoded by
:func:`sohoa.pipeline.classify.qr.decode_qr`) and say in words what they are, so they also
work as a paper checklist at the counter. Only scanned items get a separator: papers that are
only shown (xuất trình) are never scanned.

The PDF is written by fpdf2 with an embedded Unicode TrueType font (DejaVu Sans covers
Vietnamese); the QR is a vector path of its dark modules, sharp at any printer resolution.
"""

from __future__ import annotations

from fpdf import FPDF

from sohoa.domain.dossier_code import parse_dossier_code
from sohoa.domain.procedures import ChecklistItem, Procedure, Requirement, quantity_text
from sohoa.pipeline.classify.qr import sheet_payload
from sohoa.pipeline.printing import MARGIN, add_fonts, draw_qr, paragraph

QR_SIZE = 45.0
"""mm of the QR symbol: ~1.4 mm modules, read at any scan resolution, blur or skew."""
QR_QUIET = 6.0
"""mm of white kept between the QR and any text (4 modules and some)."""
COVER_INSTRUCTION = ("Đặt tờ này lên đầu xấp giấy khi quét. Đặt mỗi tờ phân cách ngay trước "
                     "giấy tờ của thành phần tương ứng. Giấy tờ chỉ xuất trình không quét.")
SEPARATOR_INSTRUCTION = "Đặt tờ này ngay trước giấy tờ của thành phần trên khi quét."


class _SheetPdf(FPDF):
    """A4 portrait; every page (even a cover that overflows) carries its sheet's QR."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        add_fonts(self)
        self.qr_text = ""
        self.continued = False

    def start_sheet(self, qr_text: str) -> None:
        """A new sheet: its first page has text beside the QR, later ones start below it."""
        self.qr_text, self.continued = qr_text, False
        self.add_page()
        self.continued = True

    def header(self) -> None:
        draw_qr(self, self.qr_text, x=self.w - MARGIN - QR_SIZE, y=MARGIN, size=QR_SIZE)
        self.set_xy(MARGIN, MARGIN + QR_SIZE + QR_QUIET if self.continued else MARGIN)


def cover_sheets_pdf(procedure: Procedure, dossier_code: str | None) -> bytes:
    """The cover sheet and one separator per scanned checklist item, as one printable PDF.

    ``dossier_code`` None prints a blank line to write the code by hand (sheets printed ahead
    of time); a malformed code raises InvalidDossierCodeError before anything is drawn.
    """
    dossier_code = str(parse_dossier_code(dossier_code)) if dossier_code else None
    pdf = _SheetPdf()
    pdf.set_title(f"Bìa hồ sơ và tờ phân cách — thủ tục {procedure.code}")
    pdf.set_creator("sohoa")
    pdf.set_lang("vi")
    pdf.start_sheet(sheet_payload("cover", procedure.code, dossier_code))
    _cover_page(pdf, procedure, dossier_code)
    scanned = procedure.scanned_items
    for number, item in enumerate(scanned, start=1):
        pdf.start_sheet(sheet_payload("separator", procedure.code, dossier_code, item.id))
        _separator_page(pdf, procedure, dossier_code, item, f"{number}/{len(scanned)}")
    return bytes(pdf.output())


def _cover_page(pdf: _SheetPdf, procedure: Procedure, dossier_code: str | None) -> None:
    text_w = pdf.w - 2 * MARGIN - QR_SIZE - QR_QUIET
    paragraph(pdf, "BÌA HỒ SƠ", 26, bold=True, width=text_w)
    pdf.ln(2)
    paragraph(pdf, f"Mã hồ sơ: {dossier_code or '_' * 28}", 14, bold=True, width=text_w)
    paragraph(pdf, f"Thủ tục: {procedure.code} — {procedure.name}", 12, width=text_w)
    paragraph(pdf, f"Cơ quan giải quyết: {procedure.agency}", 11, width=text_w)
    paragraph(pdf, f"Thời hạn giải quyết: {procedure.processing_time}", 11, width=text_w)
    pdf.set_y(max(pdf.get_y(), MARGIN + QR_SIZE + QR_QUIET))
    paragraph(pdf, "THÀNH PHẦN HỒ SƠ", 13, bold=True)
    pdf.ln(1)
    _checklist_table(pdf, procedure)
    pdf.ln(6)
    paragraph(pdf, "Hướng dẫn", 11, bold=True)
    paragraph(pdf, COVER_INSTRUCTION, 11)


def _checklist_table(pdf: _SheetPdf, procedure: Procedure) -> None:
    pdf.set_font("Sans", "", 10)
    with pdf.table(col_widths=(8, 57, 22, 13), text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
                   line_height=5, padding=1.5) as table:
        table.row(("STT", "Thành phần hồ sơ", "Bản chính / bản sao", "Yêu cầu"))
        for number, item in enumerate(procedure.items, start=1):
            table.row((str(number), _item_name(item), _quantity(item), item.requirement.label))


def _separator_page(pdf: _SheetPdf, procedure: Procedure, dossier_code: str | None,
                    item: ChecklistItem, position: str) -> None:
    text_w = pdf.w - 2 * MARGIN - QR_SIZE - QR_QUIET
    paragraph(pdf, "TỜ PHÂN CÁCH", 26, bold=True, width=text_w)
    pdf.ln(2)
    paragraph(pdf, f"Thành phần hồ sơ {position}", 13, width=text_w)
    if dossier_code:
        paragraph(pdf, f"Mã hồ sơ: {dossier_code}", 12, bold=True, width=text_w)
    pdf.set_y(max(pdf.get_y(), MARGIN + QR_SIZE + QR_QUIET) + 8)
    paragraph(pdf, item.name, 24, bold=True)
    pdf.ln(3)
    paragraph(pdf, f"{_quantity(item)} — {item.requirement.label}", 14)
    if item.condition:
        paragraph(pdf, f"Điều kiện: {item.condition}", 12)
    pdf.ln(8)
    paragraph(pdf, f"Thủ tục: {procedure.code} — {procedure.name}", 12)
    pdf.ln(6)
    paragraph(pdf, SEPARATOR_INSTRUCTION, 11)


def _item_name(item: ChecklistItem) -> str:
    return f"{item.name} ({item.condition})" if item.condition else item.name


def _quantity(item: ChecklistItem) -> str:
    if item.requirement is Requirement.SHOWN_ONLY:
        return "bản chính để đối chiếu, không quét"
    return quantity_text(item)
