"""``sohoa verify FILE.pdf``: is the signature valid, who signed, when, changed since?"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sohoa.cli.options import json_option
from sohoa.errors import VerificationError
from sohoa.pipeline.verify import describe, trust_roots_for, verify_pdf
from sohoa.settings import Settings

NAME = "verify"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="kiểm tra chữ ký số của một tệp PDF",
        description="Chữ ký hợp lệ hay không, người ký, thời gian ký, và tệp có bị sửa "
        "sau khi ký hay không. Mã thoát 0 khi hợp lệ, 1 khi không hợp lệ.")
    parser.add_argument("file", type=Path, metavar="FILE.pdf")
    json_option(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 only when the signature is valid."""
    report = verify_pdf(_read_input(args.file), trust_roots_for(settings.signing))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(describe(report)))
    return 0 if report.valid else 1


def _read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise VerificationError(f"Không có tệp: {path.name}") from None
    except IsADirectoryError:
        raise VerificationError(f"Đây là thư mục, không phải tệp PDF: {path.name}") from None
    except OSError as exc:
        raise VerificationError(f"Không đọc được tệp (mã lỗi {exc.errno}): {path.name}") \
            from None
