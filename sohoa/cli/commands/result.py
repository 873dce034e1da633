"""``sohoa result add|list|handover``: results (kết quả giải quyết) at the return counter.

``add`` stores the result's PDF with what the agency said about it — a PDF the agency
signed is kept byte for byte, a scanned paper result is signed by the digitizer — and moves
the dossier 4 → 9; ``handover`` records who collected it and moves it 9 → 10.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sohoa.cli.operator import operator, origin
from sohoa.clock import VIETNAM, parse_day
from sohoa.domain.results import ResultRecord
from sohoa.processing.context import open_context
from sohoa.services import results
from sohoa.settings import Settings
from sohoa.storage import results as stored_results

NAME = "result"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="kết quả giải quyết: thêm vào hồ sơ, liệt kê, trả cho công dân",
        description="Thêm kết quả (tệp PDF có chữ ký số của cơ quan được giữ nguyên; bản giấy "
        "quét được ký số như tài liệu tiếp nhận), hồ sơ chuyển 4 → 9; trả kết quả: ghi người "
        "nhận, người trả, thời điểm, hồ sơ chuyển 9 → 10.")
    actions = parser.add_subparsers(dest="result_command", required=True, metavar="THAO_TÁC")
    add = actions.add_parser("add", help="thêm kết quả vào hồ sơ")
    add.add_argument("code", metavar="MÃ_HỒ_SƠ")
    add.add_argument("file", type=Path, metavar="TỆP.pdf")
    add.add_argument("--result-code", metavar="KQ.Gxx.nnnnnn", help="mã kết quả trong danh mục")
    add.add_argument("--name", required=True, help="tên giấy tờ kết quả")
    add.add_argument("--number", required=True, help="số / ký hiệu")
    add.add_argument("--issued", required=True, metavar="YYYY-MM-DD", help="ngày ban hành")
    add.add_argument("--agency", required=True, help="cơ quan ban hành")
    add.add_argument("--signer", required=True, help="người ký")
    add.add_argument("--valid-until", metavar="YYYY-MM-DD", help="hiệu lực đến (bỏ trống: "
                     "vĩnh viễn)")
    listing = actions.add_parser("list", help="các kết quả của hồ sơ")
    listing.add_argument("code", metavar="MÃ_HỒ_SƠ")
    handover = actions.add_parser("handover", help="trả kết quả cho công dân")
    handover.add_argument("code", metavar="MÃ_HỒ_SƠ")
    handover.add_argument("--recipient", required=True, help="họ tên người nhận")
    handover.add_argument("--id", default="", dest="recipient_id",
                          help="số định danh / giấy tờ của người nhận")
    handover.add_argument("--slip", type=Path, metavar="TỆP.pdf",
                          help="ghi phiếu trả kết quả (để in, người nhận ký) vào tệp này")


def run(args: argparse.Namespace, settings: Settings) -> int:
    with open_context(settings) as ctx:
        if args.result_command == "add":
            metadata = results.result_metadata(
                code=args.result_code, name=args.name, number=args.number,
                issued_on=_day(args.issued, "--issued"), issuing_agency=args.agency,
                signer=args.signer, valid_until=_day(args.valid_until, "--valid-until"))
            added = results.add_result(ctx, operator(), args.code, args.file.read_bytes(),
                                       metadata, origin())
            _show(added)
        elif args.result_command == "handover":
            done = results.hand_over(ctx, operator(), args.code, args.recipient,
                                     args.recipient_id, origin())
            print(f"{done.dossier_code}: đã trả kết quả cho {done.recipient} lúc "
                  f"{done.handed_at.astimezone(VIETNAM):%H:%M:%S %d/%m/%Y} (phiếu "
                  f"{done.receipt_number}, người trả {done.handed_by})")
            if args.slip:
                args.slip.write_bytes(results.handover_slip(ctx, args.code))
                print(f"Phiếu trả kết quả: {args.slip}")
        else:
            for result in stored_results.results(ctx.catalog, args.code):
                _show(result)
    return 0


def _day(text: str | None, option: str) -> object:
    moment = parse_day(text, option)
    return moment.date() if moment else None


def _show(result: ResultRecord) -> None:
    meta = result.metadata
    until = f"đến {meta.valid_until:%d/%m/%Y}" if meta.valid_until else "vĩnh viễn"
    how = "giữ nguyên chữ ký của cơ quan" if result.kept_as_received else "ký số khi số hóa"
    print(f"{result.dossier_code} #{result.ordinal}: {meta.name} số {meta.number} "
          f"({meta.code or 'không mã'}), {meta.issuing_agency} ban hành "
          f"{meta.issued_on:%d/%m/%Y}, {meta.signer} ký; hiệu lực {until}; {how}")
