"""``sohoa reindex``: rebuild the search index from the catalog."""

from __future__ import annotations

import argparse

from sohoa.cli.options import quiet_option
from sohoa.cli.progress import progress
from sohoa.processing.context import catalog_session
from sohoa.search.index import SearchIndex
from sohoa.settings import Settings

NAME = "reindex"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="dựng lại chỉ mục tra cứu từ danh mục",
        description="Xóa và dựng lại chỉ mục tìm kiếm toàn văn từ văn bản OCR của mọi trang "
        "thuộc các tài liệu đã lưu (sau khi nâng cấp, hoặc nếu chỉ mục hỏng).")
    quiet_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    with catalog_session(settings.storage) as catalog, \
            progress(None, args.quiet, "Lập chỉ mục") as bar:
        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        indexed = SearchIndex(catalog).reindex_all(update)
    print(f"Đã lập chỉ mục {indexed} trang.")
    return 0
