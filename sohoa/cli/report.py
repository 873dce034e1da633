"""What the clerk reads in the terminal: documents found, the verdict, an intake's report.

Shared by the commands that show a dossier (``intake``, ``classify``, ``review``,
``dossier``, ``demo``). Page numbers are 1-based here (people); everything below the CLI
counts from 0.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TextIO

from sqlalchemy.engine import make_url

from sohoa.clock import VIETNAM
from sohoa.domain.doctypes import type_name
from sohoa.domain.procedures import Procedure
from sohoa.domain.verdict import ItemStatus, Verdict
from sohoa.pipeline.classify.analysis import Analysis
from sohoa.services.intake import IntakeReport
from sohoa.settings import Settings
from sohoa.storage.records import BatchState, DossierStatus


def describe(analysis: Analysis, procedure: Procedure | None = None) -> list[str]:
    """What the clerk reads: documents found, then the verdict item by item (1-based pages)."""
    found = [(d.doc_type, d.pages, d.confidence) for d in analysis.documents]
    return describe_documents(found, procedure) + describe_verdict(analysis.verdict, procedure)


def describe_documents(found: Sequence[tuple[str, Sequence[int], float]],
                       procedure: Procedure | None = None) -> list[str]:
    """One line per document found: type, 1-based pages of the stream, confidence."""
    name = procedure.type_name if procedure is not None else type_name
    lines = ["Giấy tờ nhận diện được:"]
    for n, (doc_type, pages, confidence) in enumerate(found, start=1):
        numbers = ", ".join(str(i + 1) for i in pages)
        lines.append(f"  {n}. {name(doc_type)} [{doc_type}] — trang {numbers} "
                     f"(độ tin cậy {confidence:.0%})")
    return lines


def describe_verdict(verdict: Verdict, procedure: Procedure | None = None) -> list[str]:
    """The checklist verdict item by item, extra documents, pages to rescan."""
    name = procedure.type_name if procedure is not None else type_name
    lines = [f"Kết luận: {verdict.summary}"]
    if verdict.case_reason:
        lines.append(f"  Trường hợp: {verdict.case_reason}")
    marks = {ItemStatus.PRESENT: "✓", ItemStatus.MISSING: "✗", ItemStatus.NOT_APPLICABLE: "–"}
    for item in verdict.items:
        lines.append(f"  {marks[item.status]} {item.name}: {item.reason}")
    for extra in verdict.extra_documents:
        lines.append(f"  + {name(extra.doc_type)}: {extra.reason}")
    if verdict.unreadable_pages:
        pages = ", ".join(str(i + 1) for i in verdict.unreadable_pages)
        lines.append(f"  ! Cần quét lại trang: {pages}")
    return lines


def print_report(report: IntakeReport, settings: Settings, out: TextIO | None = None,
                 verbose: bool = False) -> None:
    """The clerk's summary: dossier code, status, verdict, documents, pages to rescan; with
    ``verbose``, where the store and the catalog are (for whoever runs the server)."""
    out = out or sys.stdout
    print(f"Mã hồ sơ: {report.dossier_code}   (thủ tục {report.procedure.code} "
          f"{report.procedure.name})", file=out)
    print(status_line(report.status, report.received_at), file=out)
    plan, first = report.batch.plan, report.batch.first_page
    if plan is not None:
        found = [(d.doc_type, [i - first for i in d.pages], d.confidence)
                 for d in plan.documents]
        print("\n".join(describe_documents(found, report.procedure)
                        + describe_verdict(report.verdict, report.procedure)), file=out)
    if report.batch.state == BatchState.REVIEW:
        print(f"Chờ cán bộ xem lại: sửa bằng sohoa review {report.dossier_code} --type/--split/"
              f"--join/--remove/--order, tiếp nhận bằng sohoa review {report.dossier_code} "
              "--accept", file=out)
    elif report.finished and report.status == DossierStatus.MOI_DANG_KY:
        code, procedure = report.dossier_code, report.procedure.code
        print(f"Hồ sơ thiếu nên chưa tiếp nhận, chưa chuyển tới cơ quan giải quyết. In phiếu "
              f"yêu cầu bổ sung: sohoa receipt {code}. Khi công dân bổ sung: in bìa bằng "
              f"sohoa cover --procedure {procedure} --dossier {code}, đặt lên đầu chồng giấy "
              f"rồi sohoa intake; hoặc không tiếp nhận: sohoa refuse {code}", file=out)
    elif not report.finished:
        print(f"Đang xử lý (lô {report.batch.number}, {report.batch.page_count} trang): "
              f"kết quả sẽ có trong danh mục khi các máy xử lý xong.", file=out)
    if report.documents:
        print("Tài liệu đã ký số và lưu:", file=out)
    for doc in report.documents:
        print(f"  {doc.ordinal:>2}. {type_name(doc.doc_type)} ({doc.page_count} trang) → "
              f"{doc.key}", file=out)
    for line in report.failures:
        print(f"  LỖI {line}", file=out)
    if verbose:
        where = settings.storage.s3_endpoint or settings.storage.object_root.resolve()
        print(f"Kho lưu trữ: {where}", file=out)
        print(f"Danh mục:    {_hide_password(settings.storage.database_url)}", file=out)


def status_line(status: DossierStatus, received_at: datetime) -> str:
    """The national status code and label, and when: received (from 2 on) or registered, in
    Vietnam time."""
    when = "Tiếp nhận lúc" if status not in (DossierStatus.MOI_DANG_KY,
                                             DossierStatus.KHONG_DUOC_TIEP_NHAN) \
        else "Lập hồ sơ lúc"
    note = " — chưa tiếp nhận" if status == DossierStatus.MOI_DANG_KY else ""
    return (f"Trạng thái: {int(status)} ({status.label}{note})   {when} "
            f"{vietnam_time(received_at)} (giờ Việt Nam)")


def vietnam_time(moment: datetime) -> str:
    """``HH:MM:SS dd/mm/yyyy`` in Vietnam time, as the clerk reads a clock."""
    return moment.astimezone(VIETNAM).strftime("%H:%M:%S %d/%m/%Y")


def _hide_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
