"""``sohoa scrub``: is every stored object still what the catalog says it is?"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from sohoa.cli.options import NUMBER, json_option, quiet_option
from sohoa.cli.progress import progress
from sohoa.clock import parse_day
from sohoa.errors import DossierNotFoundError, ScrubMismatchError
from sohoa.pipeline.verify import trust_roots_for
from sohoa.processing.context import catalog_session
from sohoa.services.scrub import ORPHAN_GRACE, Finding, scrub
from sohoa.settings import Settings
from sohoa.storage.inventory import Scope, count_objects
from sohoa.storage.stores import open_object_store

NAME = "scrub"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="kiểm tra toàn vẹn kho lưu trữ: mã băm, chữ ký số, khóa lưu giữ",
        description="Đọc lại mọi tài liệu, tệp văn bản và bản quét gốc trong danh mục: so mã "
        "băm SHA-256, kiểm tra lại chữ ký số và khóa lưu giữ. In từng sai lệch (hồ sơ, khóa "
        "đối tượng, lý do). Mã thoát 0 khi không có sai lệch, 10 khi có.")
    parser.add_argument("--dossier", metavar="CODE", help="chỉ kiểm tra hồ sơ này")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="chỉ tài liệu ký (bản quét nhận) từ ngày này")
    parser.add_argument("--collect-orphans", action="store_true",
                        help="xóa sản phẩm trang mồ côi (không bản ghi nào dùng) cũ hơn "
                        "--grace giờ")
    parser.add_argument("--grace", type=NUMBER, default=ORPHAN_GRACE.total_seconds() / 3600,
                        metavar="HOURS",
                        help="chỉ dọn đối tượng mồ côi cũ hơn chừng này giờ [24]")
    json_option(parser)
    quiet_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print every finding and a summary; exit 0 only when clean (10 otherwise)."""
    scope = Scope(args.dossier, parse_day(args.since, "--since"))
    with catalog_session(settings.storage) as catalog:
        if args.dossier and not catalog.has_dossier(args.dossier):
            raise DossierNotFoundError(f"không có hồ sơ {args.dossier} trong danh mục")
        quiet = args.quiet or not sys.stderr.isatty()
        with progress(count_objects(catalog, scope), quiet, "Kiểm tra", unit="tệp") as bar:
            def show(findings: list[Finding]) -> None:
                if not args.json:
                    for found in findings:
                        bar.write(f"SAI  {found.dossier}  {found.key}: {found.message}")
                bar.update()

            report = scrub(catalog, open_object_store(settings.storage),
                           trust_roots_for(settings.signing), scope, show,
                           collect_orphans=args.collect_orphans,
                           grace=timedelta(hours=args.grace))
    if not args.json:
        for orphan in report.orphans:
            state = "ĐÃ DỌN" if orphan.collected else "MỒ CÔI"
            print(f"{state}  {orphan.dossier}  {orphan.key} ({orphan.size} byte)")
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json
          else report.summary())
    if report.findings:
        raise ScrubMismatchError(f"kiểm tra toàn vẹn phát hiện {len(report.findings)} sai "
                                 f"lệch ở {report.bad_objects} đối tượng")
    return 0
