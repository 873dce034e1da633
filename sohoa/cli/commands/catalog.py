"""``sohoa catalog``: the procedures, one procedure's checklist, the import of the national
catalog with its parse report, and the administrator's corrections.

    sohoa catalog [CODE]                         procedures, or one procedure's checklist
    sohoa catalog --search TEXT                  procedures whose code or name matches
    sohoa catalog import FILE [--report]         import the national catalog (JSONL(.gz) of
                                                 the portal, or LayThuTuc JSON)
    sohoa catalog report [--all]                 the latest import's parse report
    sohoa catalog correct CODE [ITEM] --set F=V  correct a procedure or one of its items
    sohoa catalog corrections [CODE]             the corrections, [--remove ITEM:FIELD]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.operator import operator
from sohoa.domain.procedures import describe_procedure
from sohoa.errors import UsageError
from sohoa.search.procedures import ProcedureIndex
from sohoa.services import procedures as service
from sohoa.settings import Settings

NAME = "catalog"
ACTIONS = ("import", "report", "correct", "corrections")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="danh mục thủ tục, thành phần hồ sơ; nhập danh mục quốc gia, sửa đổi",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Không có CODE: liệt kê các thủ tục. Có CODE: thành phần hồ sơ của thủ "
        "tục đó (giấy tờ, mẫu, bản chính/bản sao, bắt buộc / nếu có / chỉ xuất trình, trường "
        "hợp).\n\n"
        "  sohoa catalog import FILE [--report]   nhập danh mục thủ tục quốc gia (JSONL, "
        "JSONL.gz hoặc JSON LayThuTuc)\n"
        "  sohoa catalog report [--all]           báo cáo đọc danh mục của lần nhập gần nhất\n"
        "  sohoa catalog correct CODE [ITEM] --set TRƯỜNG=GIÁ_TRỊ   sửa thủ tục/thành phần\n"
        "  sohoa catalog corrections [CODE] [--remove ITEM:TRƯỜNG]  các sửa đổi đã lưu\n\n"
        "Thủ tục trong procedures.yaml (do cán bộ soạn) luôn được ưu tiên hơn danh mục nhập; "
        "sửa đổi được lưu riêng nên không mất khi nhập lại.")
    parser.add_argument("words", nargs="*", metavar="CODE | import FILE | …",
                        help="mã thủ tục, hoặc một việc: import, report, correct, corrections")
    parser.add_argument("--search", metavar="TEXT",
                        help="tìm thủ tục theo mã hoặc tên (có dấu hay không dấu)")
    parser.add_argument("--report", action="store_true",
                        help="(import) in cả danh sách thủ tục cần xem lại và lý do")
    parser.add_argument("--all", action="store_true",
                        help="(report) in cả danh sách thủ tục cần xem lại và lý do")
    parser.add_argument("--set", action="append", default=[], metavar="TRƯỜNG=GIÁ_TRỊ",
                        dest="assignments",
                        help="(correct) giá trị mới; lặp lại được. Thành phần: name, "
                        "requirement, condition, originals, copies, sets, doc_types, form, "
                        "form_source, alternatives, case, removed. Thủ tục: name, agency, "
                        "processing_days, processing_note")
    parser.add_argument("--remove", metavar="ITEM:TRƯỜNG",
                        help="(corrections) bỏ một sửa đổi (ITEM để trống: của thủ tục)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    words = list(args.words)
    action = words.pop(0) if words and words[0] in ACTIONS else None
    if action == "import":
        return _import(words, args, settings)
    if action == "report":
        source, report = service.import_report(settings)
        if report is None:
            print(f"Không có báo cáo đọc danh mục ({source})")
            return 0
        print(f"Báo cáo đọc danh mục: {source}")
        print("\n".join(report.summary_lines()))
        if args.all:
            print("\n".join(report.review_lines()))
        return 0
    if action == "correct":
        return _correct(words, args, settings)
    if action == "corrections":
        return _corrections(words, args, settings)
    directory = service.procedure_directory(settings)
    if args.search is not None:
        found = ProcedureIndex(directory.entries()).search(args.search, limit=50)
        print(f"{len(found)} thủ tục khớp {args.search!r}:")
        print("\n".join(f"  {e.code}  {e.name}" for e in found))
        return 0
    if len(words) > 1:
        raise UsageError(f"Thừa tham số: {' '.join(words[1:])} (xem sohoa catalog --help)")
    if not words:
        entries = directory.entries()
        print(f"Danh mục thủ tục ({len(entries)} thủ tục; "
              f"{sum(e.curated for e in entries)} do cán bộ soạn):")
        print("\n".join(f"  {e.code}  {e.name}" for e in entries))
        return 0
    print("\n".join(describe_procedure(directory.get(words[0]))))
    return 0


def _import(words: list[str], args: argparse.Namespace, settings: Settings) -> int:
    if len(words) != 1:
        raise UsageError("Cần đúng một tệp: sohoa catalog import FILE")
    outcome = service.import_catalog(settings, Path(words[0]), operator().username)
    report = outcome.report
    print(f"Đã nhập {outcome.procedures} thủ tục.")
    print("\n".join(report.summary_lines()))
    if args.report:
        print("\n".join(report.review_lines()))
    for fix in outcome.unmatched:
        print(f"Sửa đổi không còn áp dụng được (thành phần không còn): {fix.describe()}")
    return 1 if report.refused else 0


def _correct(words: list[str], args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= len(words) <= 2:
        raise UsageError("Cần: sohoa catalog correct CODE [ITEM] --set TRƯỜNG=GIÁ_TRỊ")
    code, item_id = words[0], words[1] if len(words) == 2 else ""
    procedure = service.correct(settings, code, item_id, args.assignments,
                                operator().username)
    print(f"Đã lưu {len(args.assignments)} sửa đổi cho thủ tục {procedure.code}"
          + (f", thành phần {item_id}" if item_id else ""))
    print("\n".join(describe_procedure(procedure)))
    return 0


def _corrections(words: list[str], args: argparse.Namespace, settings: Settings) -> int:
    code = words[0] if words else None
    if args.remove:
        if code is None:
            raise UsageError("Cần mã thủ tục: sohoa catalog corrections CODE --remove ITEM:TRƯỜNG")
        item_id, _, field = args.remove.rpartition(":")
        removed = service.remove_correction(settings, code, item_id, field)
        print("Đã bỏ sửa đổi" if removed else "Không có sửa đổi này")
        return 0 if removed else 1
    fixes = service.list_corrections(settings, code)
    print(f"{len(fixes)} sửa đổi:")
    print("\n".join(f"  {fix.describe()}" + (f" — {fix.author}" if fix.author else "")
                    for fix in fixes))
    return 0
