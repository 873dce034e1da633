"""The hand-over list (mục lục hồ sơ nộp lưu) that goes with the packages, as a PDF.

One row per dossier handed over, with the columns an archive's receiving clerk checks
against the packages (mã hồ sơ, tiêu đề, thời gian, thời hạn bảo quản, số tài liệu / tờ /
trang, mã gói), then the count and the signatures of who hands over and who receives
(biên bản giao nhận is signed on paper). Landscape A4: the table is wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF

from sohoa.clock import VIETNAM
from sohoa.domain.archive.models import ArchivalFile
from sohoa.pipeline.printing import MARGIN, add_fonts, paragraph

FILE_NAME = "muc-luc-ho-so-nop-luu.pdf"


@dataclass(frozen=True)
class HandedOver:
    record: ArchivalFile
    package_id: str


def handover_pdf(agency_name: str, archive_name: str, rows: Sequence[HandedOver],
                 made_at: datetime, with_documents: bool = False) -> bytes:
    """The list; ``with_documents`` adds each dossier's documents (mục lục văn bản), as the
    copy inside a package has it."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    add_fonts(pdf)
    pdf.set_title("Mục lục hồ sơ nộp lưu")
    pdf.set_creator("sohoa")
    pdf.set_lang("vi")
    pdf.set_creation_date(made_at)
    pdf.add_page()
    paragraph(pdf, agency_name.upper(), 11, bold=True)
    paragraph(pdf, "MỤC LỤC HỒ SƠ NỘP LƯU", 15, bold=True)
    paragraph(pdf, f"Nộp lưu vào: {archive_name}. Lập lúc "
              f"{made_at.astimezone(VIETNAM):%H:%M ngày %d/%m/%Y}.", 10)
    pdf.ln(2)
    pdf.set_font("Sans", "", 8)
    with pdf.table(col_widths=(8, 40, 62, 26, 20, 22, 62),
                   text_align=("CENTER", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "LEFT"),
                   line_height=4, padding=1) as table:
        table.row(("STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Thời gian", "Thời hạn bảo quản",
                   "Số tài liệu / tờ / trang", "Mã gói (OBJID)"))
        for number, row in enumerate(rows, start=1):
            r = row.record
            table.row((str(number), r.file_code, r.title,
                       f"{r.start_date:%d/%m/%Y} - {r.end_date:%d/%m/%Y}",
                       f"{r.retention_code} {r.retention_label}",
                       f"{r.doc_total} / {r.sheet_total} / {r.page_total}", row.package_id))
    pdf.ln(3)
    documents = sum(r.record.doc_total for r in rows)
    pages = sum(r.record.page_total for r in rows)
    paragraph(pdf, f"Tổng cộng: {len(rows)} hồ sơ, {documents} tài liệu, {pages} trang.", 10,
              bold=True)
    if with_documents:
        for row in rows:
            _documents(pdf, row.record)
    pdf.ln(4)
    half = (pdf.w - 2 * MARGIN) / 2
    pdf.set_font("Sans", "B", 10)
    pdf.cell(half, 6, "NGƯỜI GIAO", align="C")
    pdf.cell(half, 6, "NGƯỜI NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 9)
    pdf.cell(half, 5, "(Ký và ghi rõ họ tên)", align="C")
    pdf.cell(half, 5, "(Ký và ghi rõ họ tên)", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _documents(pdf: FPDF, record: ArchivalFile) -> None:
    pdf.ln(3)
    paragraph(pdf, f"Mục lục văn bản trong hồ sơ {record.file_code}", 11, bold=True)
    pdf.set_font("Sans", "", 8)
    with pdf.table(col_widths=(8, 50, 70, 14, 40, 58),
                   text_align=("CENTER", "LEFT", "LEFT", "CENTER", "LEFT", "LEFT"),
                   line_height=4, padding=1) as table:
        table.row(("STT", "Tên loại", "Trích yếu nội dung", "Số trang", "Người ký số",
                   "Tệp"))
        for d in record.documents:
            table.row((str(d.ordinal), d.type_name, d.subject, str(d.page_count), d.signer,
                       d.file_name))
