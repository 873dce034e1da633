"""``sohoa archive``: hand dossiers over to the archive as E-ARK CSIP packages, and check them.

    sohoa archive export CODE... --out DIR        one package (folder + zip) per dossier
    sohoa archive export --procedure 1.001193 --closed-from 2026-01-01 --out DIR
    sohoa archive verify PACKAGE...               checksums, schemas, fields, signatures
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.operator import operator, origin
from sohoa.cli.options import DAY
from sohoa.domain.archive.models import PackageType
from sohoa.errors import ExitCode, UsageError
from sohoa.processing.context import open_context
from sohoa.services.archive import (
    DEFAULT_ARCHIVE,
    Selection,
    export_packages,
    select_dossiers,
    verify_package,
)
from sohoa.settings import Settings

NAME = "archive"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="nộp lưu hồ sơ: xuất gói E-ARK (METS + EAD + PREMIS), kiểm tra gói",
        description="Xuất hồ sơ đã đóng thành gói nộp lưu theo E-ARK CSIP (METS, EAD, PREMIS, "
        "tài liệu PDF/A đã ký, lược đồ XSD) kèm mục lục hồ sơ nộp lưu; kiểm tra lại gói bất "
        "cứ lúc nào chỉ với sohoa.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="export | verify")
    export = actions.add_parser(
        "export", help="xuất gói nộp lưu",
        description="Mỗi hồ sơ một gói (thư mục và tệp zip) trong DIR, cùng tệp "
        "muc-luc-ho-so-nop-luu.pdf. Nêu mã hồ sơ, hoặc chọn các hồ sơ đã đóng (đã xử lý "
        "xong / đã trả kết quả) theo thủ tục, cơ quan, ngày kết thúc.")
    export.add_argument("codes", nargs="*", metavar="CODE", help="mã hồ sơ")
    export.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="thư mục nhận gói")
    export.add_argument("--procedure", metavar="CODE", help="chọn theo mã thủ tục")
    export.add_argument("--agency", metavar="CODE", help="chọn theo mã cơ quan tiếp nhận")
    export.add_argument("--closed-from", type=DAY, metavar="YYYY-MM-DD",
                        help="ngày kết thúc hồ sơ từ")
    export.add_argument("--closed-to", type=DAY, metavar="YYYY-MM-DD",
                        help="ngày kết thúc hồ sơ đến")
    export.add_argument("--aip", action="store_true",
                        help="gói lưu trữ (AIP) thay vì gói nộp (SIP)")
    export.add_argument("--archive-name", default=DEFAULT_ARCHIVE, metavar="TÊN",
                        help=f"cơ quan lưu trữ nhận gói [{DEFAULT_ARCHIVE}]")
    verify = actions.add_parser(
        "verify", help="kiểm tra gói nộp lưu",
        description="Kiểm tra lại mọi mã băm, cú pháp và lược đồ XML, các trường bắt buộc, "
        "chữ ký số, và METS, EAD, PREMIS mô tả cùng các tệp. Liệt kê mọi lỗi; thoát khác 0 "
        "nếu có lỗi.")
    verify.add_argument("packages", nargs="+", type=Path, metavar="PACKAGE",
                        help="thư mục gói hoặc tệp zip")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "verify":
        return _verify(args.packages, settings)
    selection = Selection(args.procedure, args.agency, args.closed_from, args.closed_to)
    if args.codes and selection != Selection():
        raise UsageError("Nêu mã hồ sơ hoặc điều kiện chọn (--procedure, --agency, "
                         "--closed-from, --closed-to), không dùng cả hai")
    with open_context(settings) as ctx:
        codes = list(args.codes) or select_dossiers(ctx, selection)
        kind = PackageType.AIP if args.aip else PackageType.SIP
        report = export_packages(ctx, operator(), codes, args.out, kind, args.archive_name,
                                 origin())
    for package in report.packages:
        print(f"{package.dossier_code}  {package.package_id}  {package.documents} tài liệu, "
              f"{package.pages} trang, {package.signatures_valid} chữ ký hợp lệ\n"
              f"    {package.folder}\n    {package.zip_path}")
    print(f"Đã xuất {len(report.packages)} gói nộp lưu vào {args.out}; mục lục: "
          f"{report.handover_list}")
    return 0


def _verify(packages: list[Path], settings: Settings) -> int:
    failed = 0
    for path in packages:
        check = verify_package(settings, path)
        if check.ok:
            print(f"{path}: HỢP LỆ — gói {check.package_id}, {check.files_checked} tệp khớp "
                  f"mã băm, {check.signatures_valid}/{check.documents} chữ ký hợp lệ")
            continue
        failed += 1
        print(f"{path}: CÓ {len(check.problems)} LỖI")
        for problem in check.problems:
            print(f"  - {problem}")
    return int(ExitCode.VERIFICATION) if failed else 0
