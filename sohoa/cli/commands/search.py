"""``sohoa search TEXT``: the archivist search from the server's shell.

The operator on the server sees every dossier (no agency restriction). ``--json`` prints the
same document as ``GET /api/v1/search``.
"""

from __future__ import annotations

import argparse
import json

from sohoa.cli.options import DAY, INTEGER, json_option
from sohoa.clock import VIETNAM
from sohoa.processing.context import catalog_session
from sohoa.search.index import SearchIndex, SearchQuery, SearchResults
from sohoa.search.response import response_of
from sohoa.settings import Settings

NAME = "search"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="tra cứu nội dung (OCR) các tài liệu đã lưu",
        description="Tìm các trang có mọi từ đã gõ (có dấu hay không dấu đều được; trang có "
        "đúng dấu như đã gõ xếp trước). \"Cụm từ\" trong ngoặc kép tìm đúng thứ tự, -từ để "
        "loại trừ. Mỗi kết quả: mã hồ sơ, tài liệu, số trang trong tài liệu, đoạn trích "
        "(từ khớp trong «»).")
    parser.add_argument("text", metavar="NỘI_DUNG", help="từ, \"cụm từ\", -từ loại trừ")
    parser.add_argument("--procedure", metavar="CODE", help="mã thủ tục")
    parser.add_argument("--agency", metavar="CODE", help="mã cơ quan tiếp nhận hồ sơ")
    parser.add_argument("--type", metavar="LOẠI", dest="doc_type",
                        help="loại giấy tờ, ví dụ giay_chung_sinh")
    parser.add_argument("--from", metavar="YYYY-MM-DD", dest="received_from",
                        type=DAY, help="tiếp nhận từ ngày")
    parser.add_argument("--to", metavar="YYYY-MM-DD", dest="received_to",
                        type=DAY, help="tiếp nhận đến ngày (tính cả ngày đó)")
    parser.add_argument("--status", type=INTEGER, metavar="N", help="trạng thái hồ sơ (1-10)")
    parser.add_argument("--limit", type=INTEGER, default=20, help="số kết quả (tối đa 100) [20]")
    parser.add_argument("--offset", type=INTEGER, default=0, help="bỏ qua N kết quả đầu [0]")
    json_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 with hits, 1 with none."""
    query = SearchQuery(args.text, procedure_code=args.procedure, agency_code=args.agency,
                        doc_type=args.doc_type, received_from=args.received_from,
                        received_to=args.received_to, status=args.status, limit=args.limit,
                        offset=args.offset)
    with catalog_session(settings.storage) as catalog:
        results = SearchIndex(catalog).search(query)
    if args.json:
        answer = response_of(results, args.text, args.limit, args.offset)
        print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(results, args.offset)))
    return 0 if results.hits else 1


def describe(results: SearchResults, offset: int = 0) -> list[str]:
    """Two lines per hit, matches in «»; a count line first."""
    if results.total == 0:
        return ["Không tìm thấy trang nào."]
    shown = f", hiện {offset + 1}–{offset + len(results.hits)}" if results.hits else ""
    lines = [f"{'Có ít nhất' if not results.total_is_exact else 'Tìm thấy'} "
             f"{results.total} trang{shown}."]
    for n, hit in enumerate(results.hits, start=offset + 1):
        excerpt = "".join(f"«{t}»" if match else t for t, match in hit.snippet)
        lines.append(f"{n}. {hit.dossier_code} · tài liệu {hit.ordinal} ({hit.title}) · trang "
                     f"{hit.page} · thủ tục {hit.procedure_code} · "
                     f"{hit.received_at.astimezone(VIETNAM):%d/%m/%Y} · {hit.status_name}")
        lines.append(f"   {excerpt}")
    return lines
