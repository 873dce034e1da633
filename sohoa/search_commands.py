"""``sohoa search`` and ``sohoa reindex``: the archivist search from the command line.

The operator on the server sees every dossier (no agency restriction). ``--json`` prints the
same document as ``GET /api/v1/search``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from sohoa.settings import Settings


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register both sub-commands on ``sohoa``'s parser."""
    search = sub.add_parser(
        "search", help="tra cứu nội dung (OCR) các tài liệu đã lưu",
        description="Tìm các trang có mọi từ đã gõ (có dấu hay không dấu đều được; trang có "
        "đúng dấu như đã gõ xếp trước). \"Cụm từ\" trong ngoặc kép tìm đúng thứ tự, -từ để "
        "loại trừ. Mỗi kết quả: mã hồ sơ, tài liệu, số trang trong tài liệu, đoạn trích "
        "(từ khớp trong «»).")
    search.add_argument("text", metavar="NỘI_DUNG", help="từ, \"cụm từ\", -từ loại trừ")
    search.add_argument("--procedure", metavar="CODE", help="mã thủ tục")
    search.add_argument("--agency", metavar="CODE", help="mã cơ quan tiếp nhận hồ sơ")
    search.add_argument("--type", metavar="LOẠI", dest="doc_type",
                        help="loại giấy tờ, ví dụ giay_chung_sinh")
    search.add_argument("--from", metavar="YYYY-MM-DD", dest="received_from",
                        type=date.fromisoformat, help="tiếp nhận từ ngày")
    search.add_argument("--to", metavar="YYYY-MM-DD", dest="received_to",
                        type=date.fromisoformat, help="tiếp nhận đến ngày (tính cả ngày đó)")
    search.add_argument("--status", type=int, metavar="N", help="trạng thái hồ sơ (1-10)")
    search.add_argument("--limit", type=int, default=20, help="số kết quả (tối đa 100) [20]")
    search.add_argument("--offset", type=int, default=0, help="bỏ qua N kết quả đầu [0]")
    search.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    reindex = sub.add_parser(
        "reindex", help="dựng lại chỉ mục tra cứu từ danh mục",
        description="Xóa và dựng lại chỉ mục tìm kiếm toàn văn từ văn bản OCR của mọi trang "
        "thuộc các tài liệu đã lưu (sau khi nâng cấp, hoặc nếu chỉ mục hỏng).")
    reindex.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")


def search(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa search TEXT``: exit 0 with hits, 1 with none."""
    from sohoa.processing.context import open_catalog
    from sohoa.storage.search import SearchIndex, SearchQuery

    query = SearchQuery(args.text, procedure_code=args.procedure, agency_code=args.agency,
                        doc_type=args.doc_type, received_from=args.received_from,
                        received_to=args.received_to, status=args.status, limit=args.limit,
                        offset=args.offset)
    catalog = open_catalog(settings.storage)
    try:
        results = SearchIndex(catalog).search(query)
    finally:
        catalog.engine.dispose()
    if args.json:
        from sohoa.domain.search_api import response_of

        answer = response_of(results, args.text, args.limit, args.offset)
        print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(results, args.offset)))
    return 0 if results.hits else 1


def describe(results, offset: int = 0) -> list[str]:  # noqa: ANN001 - SearchResults
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
                     f"{hit.received_at.astimezone(_vietnam()):%d/%m/%Y} · {hit.status_name}")
        lines.append(f"   {excerpt}")
    return lines


def _vietnam():  # noqa: ANN202
    from sohoa.clock import VIETNAM

    return VIETNAM


def reindex(args: argparse.Namespace, settings: Settings) -> int:
    """``sohoa reindex``: rebuild the search index with a page progress bar."""
    from sohoa.processing.context import open_catalog
    from sohoa.storage.search import SearchIndex

    catalog = open_catalog(settings.storage)
    try:
        with _bar(args.quiet) as bar:
            def update(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            indexed = SearchIndex(catalog).reindex_all(update)
    finally:
        catalog.engine.dispose()
    print(f"Đã lập chỉ mục {indexed} trang.")
    return 0


def _bar(quiet: bool):  # noqa: ANN202 - a tqdm bar
    from tqdm import tqdm

    return tqdm(total=0, desc="Lập chỉ mục", unit="trang", disable=quiet, file=sys.stderr,
                dynamic_ncols=True)


HANDLERS = {"search": search, "reindex": reindex}
