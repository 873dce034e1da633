"""``sohoa watch DIR --procedure CODE``: each scan session written to a hot folder becomes a
dossier, through the same intake as ``sohoa intake``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sohoa.cli.options import NUMBER, common_options, procedure_option
from sohoa.errors import MissingFileError
from sohoa.processing.context import open_context
from sohoa.scanner_bridge.hotfolder.watcher import HotFolder, HotFolderSettings
from sohoa.services.feeds import intake_handler
from sohoa.services.procedures import procedure_directory
from sohoa.settings import Settings

NAME = "watch"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="thư mục nóng: tiếp nhận tệp do phần mềm máy quét ghi ra",
        description="Theo dõi DIR: mỗi lần quét (các tệp ghi ra cách nhau không quá --group "
        "giây) thành một hồ sơ mới của thủ tục CODE. Tệp chỉ được lấy khi đã ghi xong, không "
        "bao giờ xử lý hai lần; tệp lỗi được chuyển vào DIR/../cach-ly kèm lý do. Dừng: Ctrl+C.")
    procedure_option(parser)
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument("--group", type=NUMBER, default=5.0, metavar="SECONDS",
                        help="các tệp ghi cách nhau không quá chừng này giây là một lần quét [5]")
    parser.add_argument("--review", action="store_true",
                        help="dừng sau khi phân loại để cán bộ xem lại (sohoa review)")
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Runs until Ctrl+C (exit 0)."""
    if not args.folder.is_dir():
        raise MissingFileError(f"Không có thư mục {args.folder} để theo dõi")
    procedure = procedure_directory(settings).get(args.procedure)
    with open_context(settings) as ctx:
        handle = intake_handler(ctx, procedure, hold=args.review,
                                on_batch=lambda code: print(f"Đã tiếp nhận hồ sơ {code}",
                                                            flush=True))
        folder = HotFolder(HotFolderSettings.beside(args.folder, args.group),
                           handle_batch=handle)
        print(f"Đang theo dõi {args.folder} (thủ tục {procedure.code}); dừng: Ctrl+C",
              flush=True)
        try:
            with folder:
                while True:
                    time.sleep(1)
        except KeyboardInterrupt:
            return 0
