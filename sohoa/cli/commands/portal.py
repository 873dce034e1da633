"""``sohoa portal status|send|retry|payload``: the national portal sync, by hand.

``status`` shows what waits in the outbox and what was dead-lettered; ``send`` delivers
(once, or until stopped); ``retry`` gives a dossier's dead-lettered records another round;
``payload`` prints a dossier in the national sync format.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import threading

from sohoa.api.auth import secret_key
from sohoa.cli.options import INTEGER
from sohoa.clock import VIETNAM
from sohoa.processing.context import open_context
from sohoa.services import portal
from sohoa.settings import Settings
from sohoa.storage.outbox import OutboxEntry

NAME = "portal"
STATES = {"pending": "chờ gửi", "delivered": "đã gửi", "dead": "lỗi, đã dừng gửi"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia: trạng thái, gửi, gửi lại",
        description="Mỗi thay đổi trạng thái và mỗi tài liệu mới của hồ sơ được ghi vào hộp "
        "thư đi cùng lúc với thay đổi, rồi gửi tới SOHOA_PORTAL_URL theo đúng thứ tự của "
        "từng hồ sơ. Địa chỉ và xác thực của cổng thật là cấu hình; chưa thử với cổng thật.")
    actions = parser.add_subparsers(dest="portal_command", required=True, metavar="THAO_TÁC")
    status = actions.add_parser("status", help="số bản ghi chờ gửi, đã gửi, lỗi")
    status.add_argument("--limit", type=INTEGER, default=20, help="liệt kê tối đa [20]")
    status.add_argument("--json", action="store_true", help="in JSON")
    send = actions.add_parser("send", help="gửi các bản ghi đến hạn (Ctrl+C để dừng)")
    send.add_argument("--once", action="store_true", help="gửi hết các bản ghi đến hạn rồi dừng")
    retry = actions.add_parser("retry", help="gửi lại các bản ghi lỗi của hồ sơ")
    retry.add_argument("code", metavar="MÃ_HỒ_SƠ")
    payload = actions.add_parser("payload", help="in hồ sơ theo định dạng đồng bộ quốc gia")
    payload.add_argument("code", metavar="MÃ_HỒ_SƠ")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with open_context(settings) as ctx:
        if args.portal_command == "status":
            _print_status(portal.status(ctx, args.limit), args.json)
        elif args.portal_command == "retry":
            print(f"{args.code}: {portal.retry(ctx, args.code)} bản ghi được gửi lại.")
        elif args.portal_command == "payload":
            dossier = portal.national_dossier(ctx, args.code, secret_key(settings))
            print(dossier.model_dump_json(indent=2))
        else:
            _send(portal.sender(ctx, secret_key(settings)), args.once)
    return 0


def _send(sender: portal.Sender, once: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if once:
        print(f"Đã gửi {sender.drain()} lượt.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        sender.run(stop)


def _print_status(summary: portal.OutboxSummary, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"counts": summary.counts,
                          "waiting": [_entry_json(e) for e in summary.waiting],
                          "dead": [_entry_json(e) for e in summary.dead]},
                         ensure_ascii=False, indent=2))
        return
    print(", ".join(f"{STATES[k]}: {v}" for k, v in summary.counts.items()))
    for title, entries in (("Chờ gửi", summary.waiting), ("Lỗi, đã dừng gửi", summary.dead)):
        if entries:
            print(f"{title}:")
        for e in entries:
            print(f"  {e.dossier_code} #{e.sequence} ({e.kind}) {e.attempts} lần gửi, lần tới "
                  f"{e.next_attempt_at.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S}"
                  + (f" — {e.last_error}" if e.last_error else ""))


def _entry_json(entry: OutboxEntry) -> dict:
    return {"dossier": entry.dossier_code, "sequence": entry.sequence, "kind": entry.kind,
            "state": entry.state, "attempts": entry.attempts,
            "created_at": entry.created_at.isoformat(),
            "next_attempt_at": entry.next_attempt_at.isoformat(),
            "last_error": entry.last_error}
