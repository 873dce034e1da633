"""``sohoa audit``: the append-only log of who did what, when and from where."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from sohoa.cli.options import INTEGER, json_option
from sohoa.clock import VIETNAM, parse_day
from sohoa.processing.context import catalog_session
from sohoa.settings import Settings
from sohoa.storage.audit import AuditLog

NAME = "audit"
EPILOG = """\
Thao tác (--action) là tên có dấu chấm; một tên gồm cả các thao tác con của nó:
  login, login.failed, logout                   đăng nhập, đăng nhập sai, đăng xuất
  document.read, document.url                   đọc tài liệu đã ký, cấp đường dẫn tải
  dossier.create/.scan/.correct/.accept/.status thay đổi hồ sơ
  user.create/.disable/.enable/.password, token.issue/.revoke   tài khoản, mã truy cập
  access.denied                                 bị từ chối (sai vai trò, thiếu mã CSRF...)
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="xem nhật ký truy cập và thay đổi (ai, làm gì, khi nào, từ đâu)",
        description="Các dòng nhật ký, mới nhất trước. Nhật ký chỉ ghi thêm: cơ sở dữ liệu "
        "từ chối sửa hoặc xóa dòng đã ghi.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossier", metavar="CODE", help="chỉ hồ sơ này")
    parser.add_argument("--actor", metavar="USER", help="chỉ người dùng này (cả mã truy cập "
                        "của họ)")
    parser.add_argument("--action", metavar="ACTION", help="chỉ thao tác này, ví dụ "
                        "document.read hoặc login")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="từ ngày (giờ Việt Nam)")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="đến hết ngày (giờ Việt Nam)")
    parser.add_argument("--limit", type=INTEGER, default=50, metavar="N",
                        help="số dòng tối đa [50]")
    json_option(parser, "in dạng JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
    until = parse_day(args.until, "--until")
    since = parse_day(args.since, "--since")
    with catalog_session(settings.storage) as catalog:
        lines = AuditLog(catalog).entries(
            dossier=args.dossier, actor=args.actor, action=args.action, since=since,
            until=until + timedelta(days=1) if until else None, limit=args.limit)
    if args.json:
        print(json.dumps([{**line.as_json(), "at": line.at.astimezone(VIETNAM).isoformat()}
                          for line in lines], ensure_ascii=False, indent=2))
        return 0
    for e in lines:
        at = e.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
        where = f" hồ sơ {e.dossier_code}" if e.dossier_code else ""
        what = f" {e.target}" if e.target else ""
        detail = f" {json.dumps(e.detail, ensure_ascii=False)}" if e.detail else ""
        print(f"{e.id:>6} {at} {e.actor} ({e.role}) {e.action} {e.outcome}{where}{what} "
              f"từ {e.remote_addr or '?'}{detail}")
    if not lines:
        print("Không có dòng nhật ký nào khớp.", file=sys.stderr)
    return 0
