"""``sohoa user``, ``sohoa token`` and ``sohoa audit``: accounts and the audit log from the
server's shell (the operator is trusted; every change is still written to the audit log,
as the operating-system user, from ``cli@<host>``)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sohoa.clock import VIETNAM
from sohoa.domain.access import ROLE_NAMES, Principal, Role
from sohoa.errors import AccountError
from sohoa.settings import Settings

PASSWORD_ENV = "SOHOA_NEW_PASSWORD"
AUDIT_EPILOG = """\
Thao tác (--action) là tên có dấu chấm; một tên gồm cả các thao tác con của nó:
  login, login.failed, logout                   đăng nhập, đăng nhập sai, đăng xuất
  document.read, document.url                   đọc tài liệu đã ký, cấp đường dẫn tải
  dossier.create/.scan/.correct/.accept/.status thay đổi hồ sơ
  user.create/.disable/.enable/.password, token.issue/.revoke   tài khoản, mã truy cập
  access.denied                                 bị từ chối (sai vai trò, thiếu mã CSRF...)
"""


# --- parsers -------------------------------------------------------------------------------


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``user``, ``token`` and ``audit`` on the ``sohoa`` command's sub-parsers."""
    _user_parser(sub)
    _token_parser(sub)
    audit = sub.add_parser(
        "audit", help="xem nhật ký truy cập và thay đổi (ai, làm gì, khi nào, từ đâu)",
        description="Các dòng nhật ký, mới nhất trước. Nhật ký chỉ ghi thêm: cơ sở dữ liệu "
        "từ chối sửa hoặc xóa dòng đã ghi.", epilog=AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--dossier", metavar="CODE", help="chỉ hồ sơ này")
    audit.add_argument("--actor", metavar="USER", help="chỉ người dùng này (cả mã truy cập "
                       "của họ)")
    audit.add_argument("--action", metavar="ACTION", help="chỉ thao tác này, ví dụ "
                       "document.read hoặc login")
    audit.add_argument("--since", metavar="YYYY-MM-DD", help="từ ngày (giờ Việt Nam)")
    audit.add_argument("--until", metavar="YYYY-MM-DD", help="đến hết ngày (giờ Việt Nam)")
    audit.add_argument("--limit", type=int, default=50, metavar="N", help="số dòng tối đa [50]")
    audit.add_argument("--json", action="store_true", help="in dạng JSON")


def _user_parser(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser(
        "user", help="tài khoản người dùng: tạo, liệt kê, vô hiệu hóa, đặt mật khẩu",
        description="Vai trò: clerk (cán bộ tiếp nhận: dùng quầy), agency (cơ quan giải "
        "quyết: chỉ thấy hồ sơ chuyển tới mã cơ quan của mình), archivist (lưu trữ viên: tra "
        f"cứu mọi hồ sơ, chỉ đọc), admin (quản trị). Mật khẩu lấy từ {PASSWORD_ENV} hoặc "
        "được hỏi hai lần (không hiện khi gõ); ít nhất 10 ký tự.")
    actions = user.add_subparsers(dest="user_command", required=True, metavar="THAO_TÁC")
    add = actions.add_parser("add", help="tạo tài khoản")
    add.add_argument("username", metavar="USERNAME",
                     help="tên đăng nhập: chữ thường không dấu, số, . - _")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--agency", action="append", default=[], metavar="CODE",
                     help="mã cơ quan (bắt buộc với --role agency; lặp lại cho nhiều cơ quan)")
    add.add_argument("--name", default="", help="họ tên")
    actions.add_parser("list", help="liệt kê tài khoản")
    for name, text in (("disable", "vô hiệu hóa (phiên đăng nhập và mã truy cập ngừng ngay)"),
                       ("enable", "kích hoạt lại"),
                       ("passwd", "đặt mật khẩu mới (mọi phiên đăng nhập kết thúc)")):
        actions.add_parser(name, help=text).add_argument("username", metavar="USERNAME")


def _token_parser(sub: argparse._SubParsersAction) -> None:
    token = sub.add_parser(
        "token", help="mã truy cập API cho hệ thống của cơ quan: cấp, liệt kê, thu hồi",
        description="Hệ thống của cơ quan gửi 'Authorization: Bearer <mã>' với mỗi yêu cầu. "
        "Mã chỉ được in MỘT LẦN khi cấp; hệ thống chỉ lưu bản băm SHA-256.")
    actions = token.add_subparsers(dest="token_command", required=True, metavar="THAO_TÁC")
    issue = actions.add_parser("issue", help="cấp mã mới (in ra một lần)")
    issue.add_argument("username", metavar="USERNAME", help="tài khoản mà mã thay mặt")
    issue.add_argument("--name", required=True, help="tên gợi nhớ, ví dụ hệ thống dùng mã")
    issue.add_argument("--days", type=int, default=90, help="số ngày hiệu lực [90]")
    listing = actions.add_parser("list", help="liệt kê mã (không bao giờ in lại mã)")
    listing.add_argument("username", nargs="?", metavar="USERNAME")
    revoke = actions.add_parser("revoke", help="thu hồi mã ngay")
    revoke.add_argument("token_id", type=int, metavar="ID")


# --- handlers ------------------------------------------------------------------------------


@contextmanager
def _catalog(settings: Settings) -> Iterator:
    from sohoa.processing.context import open_catalog

    catalog = open_catalog(settings.storage)
    try:
        yield catalog
    finally:
        catalog.engine.dispose()


def operator() -> Principal:
    """The operator at the server's shell, as the audit log names them."""
    return Principal(getpass.getuser(), Role.ADMIN, via="cli")


def origin() -> str:
    return f"cli@{socket.gethostname()}"[:64]


def new_password(username: str) -> str:
    """From ``SOHOA_NEW_PASSWORD``, or asked twice on a terminal; never from a pipe."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise AccountError(f"Không có bàn phím để hỏi mật khẩu: đặt {PASSWORD_ENV}")
    first = getpass.getpass(f"Mật khẩu mới cho {username}: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AccountError("Hai lần nhập mật khẩu không khớp")
    return first


def user(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.storage.accounts import Accounts
    from sohoa.storage.audit import AuditLog

    with _catalog(settings) as catalog:
        accounts, log = Accounts(catalog), AuditLog(catalog)
        command = args.user_command
        if command == "list":
            for u in accounts.users():
                print(_user_line(u))
            return 0
        if command == "add":
            password = new_password(args.username)
            made = accounts.create_user(args.username, args.role, password,
                                        agency_codes=args.agency, full_name=args.name)
            log.record(operator(), "user.create", target=made.username, remote_addr=origin(),
                       detail={"role": made.role.value, "agency_codes": list(made.agency_codes)})
            print(f"Đã tạo tài khoản {made.username} ({ROLE_NAMES[made.role]}).")
            return 0
        change: dict[str, Callable[[], object]] = {
            "disable": lambda: accounts.set_active(args.username, False),
            "enable": lambda: accounts.set_active(args.username, True),
            "passwd": lambda: accounts.set_password(args.username,
                                                    new_password(args.username)),
        }
        change[command]()
        action = "user.password" if command == "passwd" else f"user.{command}"
        log.record(operator(), action, target=args.username.lower(), remote_addr=origin())
        print({"disable": f"Đã vô hiệu hóa {args.username}.",
               "enable": f"Đã kích hoạt lại {args.username}.",
               "passwd": f"Đã đặt mật khẩu mới cho {args.username}; mọi phiên đăng nhập "
                         "cũ đã kết thúc."}[command])
    return 0


def _user_line(u) -> str:
    state = "hoạt động" if u.active else "đã vô hiệu hóa"
    codes = f" [{', '.join(u.agency_codes)}]" if u.agency_codes else ""
    name = f" — {u.full_name}" if u.full_name else ""
    return f"{u.username:<20} {ROLE_NAMES[u.role]:<18} {state}{codes}{name}"


def token(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.storage.accounts import Accounts
    from sohoa.storage.audit import AuditLog

    with _catalog(settings) as catalog:
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
        now = datetime.now(UTC)
        states = {"active": "còn hiệu lực", "expired": "hết hạn", "revoked": "đã thu hồi"}
        for t in accounts.tokens(args.username):
            used = _day(t.last_used_at) if t.last_used_at else "chưa dùng"
            print(f"{t.id:>4}  {t.username:<16} {t.prefix}…  {states[t.state(now)]:<13} "
                  f"hết hạn {_day(t.expires_at)}  dùng lần cuối {used}  {t.name}")
    return 0


def _day(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")


def audit(args: argparse.Namespace, settings: Settings) -> int:
    from sohoa.clock import parse_day
    from sohoa.storage.audit import AuditLog

    until = parse_day(args.until, "--until")
    with _catalog(settings) as catalog:
        lines = AuditLog(catalog).entries(
            dossier=args.dossier, actor=args.actor, action=args.action,
            since=parse_day(args.since, "--since"),
            until=until + timedelta(days=1) if until else None, limit=args.limit)
    if args.json:
        print(json.dumps([line.as_json() for line in lines], ensure_ascii=False, indent=2))
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


HANDLERS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "user": user, "token": token, "audit": audit}
