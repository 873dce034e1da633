"""``sohoa user add|list|disable|enable|passwd``: accounts from the server's shell."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from sohoa.cli.operator import operator, origin
from sohoa.domain.access import ROLE_NAMES, Role
from sohoa.errors import AccountError
from sohoa.processing.context import catalog_session
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts
from sohoa.storage.audit import AuditLog

NAME = "user"
PASSWORD_ENV = "SOHOA_NEW_PASSWORD"


def add_parser(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser(
        NAME, help="tài khoản người dùng: tạo, liệt kê, vô hiệu hóa, đặt mật khẩu",
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    with catalog_session(settings.storage) as catalog:
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


def _user_line(u) -> str:  # noqa: ANN001 - a UserRecord
    state = "hoạt động" if u.active else "đã vô hiệu hóa"
    codes = f" [{', '.join(u.agency_codes)}]" if u.agency_codes else ""
    name = f" — {u.full_name}" if u.full_name else ""
    return f"{u.username:<20} {ROLE_NAMES[u.role]:<18} {state}{codes}{name}"
