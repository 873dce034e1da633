"""``sohoa reuse``: a citizen's digitized papers that a new dossier can reuse, and the
clerk's decisions.

``--citizen ID [--procedure CODE]`` lists what can be reused (for each checklist item of
the procedure); ``--dossier CODE --owner ID`` says whose dossier it is (when no CCCD was
scanned); ``--dossier CODE --accept ITEM=PAPER`` / ``--decline ITEM=PAPER`` records the
clerk's decision (linked, never copied; audited).
"""

from __future__ import annotations

import argparse
import json

from sohoa.cli.operator import operator, origin
from sohoa.errors import UsageError
from sohoa.processing.context import open_context
from sohoa.services import reuse
from sohoa.settings import Settings
from sohoa.storage import papers

NAME = "reuse"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="tái sử dụng giấy tờ đã số hóa của công dân (không cần nộp lại)",
        description="Liệt kê giấy tờ đã số hóa còn hiệu lực của công dân (theo số định danh) "
        "mà hồ sơ mới dùng lại được; ghi chủ hồ sơ; ghi quyết định dùng lại hay không của "
        "cán bộ cho từng thành phần (liên kết, không sao chép; ghi nhật ký).")
    parser.add_argument("--citizen", metavar="SỐ_ĐỊNH_DANH", help="liệt kê giấy tờ dùng lại được")
    parser.add_argument("--procedure", metavar="MÃ_TTHC", help="chỉ các thành phần của thủ tục")
    parser.add_argument("--json", action="store_true", help="in JSON")
    parser.add_argument("--dossier", metavar="MÃ_HỒ_SƠ", help="hồ sơ mới")
    parser.add_argument("--owner", metavar="SỐ_ĐỊNH_DANH", help="ghi chủ hồ sơ của --dossier")
    parser.add_argument("--accept", action="append", default=[], metavar="THÀNH_PHẦN=MÃ_GIẤY_TỜ",
                        help="dùng lại giấy tờ cho thành phần (lặp lại được)")
    parser.add_argument("--decline", action="append", default=[],
                        metavar="THÀNH_PHẦN=MÃ_GIẤY_TỜ", help="không dùng lại")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.citizen and not args.dossier:
        raise UsageError("Cần --citizen hoặc --dossier (xem sohoa reuse --help)")
    with open_context(settings) as ctx:
        if args.dossier:
            if args.owner:
                count = papers.set_owner(ctx.catalog, args.dossier, args.owner)
                print(f"{args.dossier}: chủ hồ sơ {args.owner}, {count} giấy tờ vào kho")
            for accept, pairs in ((True, args.accept), (False, args.decline)):
                for item_id, paper_code in map(_pair, pairs):
                    paper = reuse.decide(ctx, operator(), args.dossier, item_id, paper_code,
                                         accept, origin())
                    print(f"{args.dossier} {item_id}: {'dùng lại' if accept else 'không dùng'}"
                          f" {paper.code} (hồ sơ {paper.dossier_code})")
        if args.citizen:
            found = reuse.offers(ctx, operator(), args.citizen, args.procedure)
            if args.json:
                print(json.dumps([{"item": o.item_id, "may_read": o.may_read,
                                   **o.paper.model_dump(mode="json")} for o in found],
                                 ensure_ascii=False, indent=2))
            for offer in [] if args.json else found:
                print(f"{offer.item_id or '-'}: {offer.paper.code} {offer.paper.title} — "
                      f"{offer.message}")
    return 0


def _pair(text: str) -> tuple[str, str]:
    item, sep, paper = text.partition("=")
    if not sep or not item.strip() or not paper.strip():
        raise UsageError(f"Cần THÀNH_PHẦN=MÃ_GIẤY_TỜ, không phải {text!r}")
    return item.strip(), paper.strip()
