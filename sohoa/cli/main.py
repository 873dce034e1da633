"""The ``sohoa`` command: parse the arguments, read the settings once, run one command,
turn a typed error into its exit code.

Each sub-command is a module of :mod:`sohoa.cli.commands` with ``add_parser`` (its options
and help) and ``run(args, settings)`` (parse, call the services, print). Typed errors become
exit codes here and nowhere else (:class:`sohoa.errors.ExitCode`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from sohoa import __version__
from sohoa.cli import vietnamese
from sohoa.cli.commands import NAMES, command
from sohoa.errors import ExitCode, SohoaError
from sohoa.settings import Settings

EPILOG = """\
Cấu hình qua biến môi trường SOHOA_* (settings from the environment): xem
  sohoa settings        mọi biến, giá trị mặc định và ý nghĩa
Không cấu hình chữ ký: tự tạo CA THỬ NGHIỆM (không dùng cho sản xuất).
Mã thoát: 0 xong, 1 có tệp/trang lỗi, 2 sai lệnh hoặc cấu hình, 3 tệp vào không dùng được,
  4 lỗi xử lý, 5 ký số, 6 kiểm tra chữ ký, 7 kho lưu trữ, 8 máy chủ không trả lời (thử lại
  sau), 9 máy quét, 10 kiểm tra toàn vẹn có sai lệch, 11 chưa đăng nhập / không có quyền.
"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``) the root and that one sub-command."""
    vietnamese.install()
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="Số hóa hồ sơ giấy tại Bộ phận một cửa: nắn thẳng, nhận dạng chữ (OCR) "
        "tiếng Việt, tạo PDF/A có lớp chữ, ký số PAdES và lưu trữ.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sohoa {__version__}",
                        help="hiện phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for name in NAMES if only is None else (only,):
        command(name).add_parser(sub)
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    """The environment's settings, with the command line's --jobs and --languages."""
    settings = Settings.from_env()
    if getattr(args, "jobs", None):
        settings = replace(settings, jobs=max(1, args.jobs))
    if getattr(args, "languages", None):
        settings = replace(settings, ocr=replace(settings.ocr, languages=args.languages))
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (typed errors mapped here, in one place)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_named(argv)).parse_args(argv)
    # pyHanko logs whole tracebacks at WARNING for modified files; the verdict says it better.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    try:
        return command(args.command).run(args, settings_for(args))
    except SohoaError as exc:
        print(f"sohoa: lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sohoa: đã dừng theo yêu cầu", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # `sohoa ... | head`: the reader has gone, which is fine
        _silence_stdout()
        return ExitCode.OK


def _named(argv: Sequence[str]) -> str | None:
    """The sub-command the arguments start with, when it is one (otherwise every command's
    parser is built: for --help, and for argparse's message on a mistyped name)."""
    return argv[0] if argv and argv[0] in NAMES else None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's own flush at exit does not complain again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
