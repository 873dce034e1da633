"""``sohoa token issue|list|revoke``: API tokens for an agency's own systems."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from sohoa.cli.operator import operator, origin
from sohoa.cli.options import INTEGER
from sohoa.clock import VIETNAM
from sohoa.processing.context import catalog_session
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog

NAME = "token"


def add_parser(sub: argparse._SubParsersAction) -> None:
    token = sub.add_parser(
        NAME, help="mã truy cập API cho hệ thống của cơ quan: cấp, liệt kê, thu hồi",
        description="Hệ thống của cơ quan gửi 'Authorization: Bearer <mã>' với mỗi yêu cầu. "
        "Mã chỉ được in MỘT LẦN khi cấp; hệ thống chỉ lưu bản băm SHA-256.")
    actions = token.add_subparsers(dest="token_command", required=True, metavar="THAO_TÁC")
    issue = actions.add_parser("issue", help="cấp mã mới (in ra một lần)")
    issue.add_argument("username", metavar="USERNAME", help="tài khoản mà mã thay mặt")
    issue.add_argument("--name", required=True, help="tên gợi nhớ, ví dụ hệ thống dùng mã")
    issue.add_argument("--days", type=INTEGER, default=90, help="số ngày hiệu lực [90]")
    listing = actions.add_parser("list", help="liệt kê mã (không bao giờ in lại mã)")
    listing.add_argument("username", nargs="?", metavar="USERNAME")
    revoke = actions.add_parser("revoke", help="thu hồi mã ngay")
    revoke.add_argument("token_id", type=INTEGER, metavar="ID")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with catalog_session(settings.storage) as catalog:
        accounts, log = Accounts(catalog), AuditLog(catalog)
        if args.token_command == "issue":
            issued = accounts.issue_token(args.username, args.name, args.days)
            log.record(operator(), "token.issue", target=issued.token.username,
                       remote_addr=origin(), detail={"token_id": issued.token.id,
                                                     "name": issued.token.name,
                                                     "days": args.days})
            print(f"Mã truy cập số {issued.token.id} cho {issued.token.username}, hết hạn "
                  f"{_day(issued.token.expires_at)}. Sao chép ngay, mã chỉ in một lần:",
                  file=sys.stderr)
            print(issued.secret)
            return 0
        if args.token_command == "revoke":
            revoked = accounts.revoke_token(args.token_id)
            log.record(operator(), "token.revoke", target=revoked.username,
                       remote_addr=origin(), detail={"token_id": revoked.id,
                                                     "name": revoked.name})
            print(f"Đã thu hồi mã truy cập số {revoked.id} ({revoked.name}) của "
                  f"{revoked.username}.")
            return 0
        tokens = accounts.tokens(args.username)
    now = datetime.now(UTC)
    states = {"active": "còn hiệu lực", "expired": "hết hạn", "revoked": "đã thu hồi"}
    for t in tokens:
        used = _day(t.last_used_at) if t.last_used_at else "chưa dùng"
        print(f"{t.id:>4}  {t.username:<16} {t.prefix}…  {states[t.state(now)]:<13} "
              f"hết hạn {_day(t.expires_at)}  dùng lần cuối {used}  {t.name}")
    return 0


def _day(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")
