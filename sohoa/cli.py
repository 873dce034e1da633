"""The ``sohoa`` command: parses arguments, reads settings once, calls the library.

Typed errors become exit codes here and nowhere else (see :mod:`sohoa.errors`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sohoa import __version__, access_commands, route_commands, search_commands
from sohoa.errors import SohoaError
from sohoa.settings import Settings

EPILOG = """\
Cấu hình qua biến môi trường (settings from the environment):
  SOHOA_DATA_DIR       thư mục dữ liệu (catalog, kho đối tượng, CA thử nghiệm) [sohoa-data]
  SOHOA_AGENCY         mã cơ quan đầu mã hồ sơ [000.00.14.H56]
  SOHOA_PKCS12 / SOHOA_PKCS12_PASSWORD          chữ ký số từ tệp PKCS#12
  SOHOA_PKCS11_MODULE / _TOKEN / _PIN / _KEY    chữ ký số từ USB token (PKCS#11)
  SOHOA_TSA_URL        máy chủ dấu thời gian RFC 3161 (PAdES B-T)
  SOHOA_JOBS           số tiến trình xử lý trang [số lõi CPU]
  SOHOA_OCR_LANGUAGES  ngôn ngữ OCR, ví dụ vie+eng [vie]
  SOHOA_CATALOG        tệp danh mục thủ tục (YAML) [danh mục kèm theo]
  SOHOA_MODEL          mô hình phân loại trang đã huấn luyện (sohoa train)
Chạy quy mô lớn (scale profile; không đặt: chạy nhúng, không cần máy chủ):
  SOHOA_DATABASE_URL   danh mục, ví dụ postgresql+psycopg://u:p@host/sohoa [SQLite]
  SOHOA_BROKER_URL     hàng đợi: redis://host:6379/0 hoặc amqp://u:p@host:5672/
  SOHOA_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY / _BUCKET / _SECURE   kho S3 (MinIO...)
  SOHOA_RETENTION_DAYS khóa lưu giữ (object lock) tài liệu đã ký, số ngày
  SOHOA_RETENTION      tệp thời hạn lưu trữ theo thủ tục / loại giấy tờ (YAML)
Không cấu hình chữ ký: tự tạo CA THỬ NGHIỆM (không dùng cho sản xuất).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="Số hóa hồ sơ giấy tại Bộ phận một cửa: nắn thẳng, nhận dạng chữ (OCR) "
        "tiếng Việt, tạo PDF/A có lớp chữ, ký số PAdES và lưu trữ.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sohoa {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    dig = sub.add_parser(
        "digitize", help="số hóa tệp quét thành PDF/A đã ký (không lưu vào kho)",
        description="Mỗi tệp vào (JPEG, PNG, TIFF nhiều trang, PDF) cho ra DIR/<tên>.pdf "
        "(PDF/A-2b đã ký số), DIR/<tên>.txt (văn bản OCR, các trang cách nhau bởi ký tự "
        "form feed) và DIR/<tên>.json (từng trang: index, rotation, deskew_angle, dpi, "
        "flags, confidence). Tệp lỗi không làm mất tệp khác; mã thoát khác 0 nếu có lỗi.")
    _files_argument(dig)
    dig.add_argument("--out", required=True, type=Path, metavar="DIR", help="thư mục kết quả")
    _common_options(dig)

    intake = sub.add_parser(
        "intake", help="tiếp nhận hồ sơ mới: số hóa, lưu kho, cấp mã hồ sơ",
        description="Tạo hồ sơ mới cho thủ tục CODE: lưu bản quét gốc trước, số hóa từng "
        "tệp thành một tài liệu PDF/A đã ký, lưu vào kho dưới dossiers/<mã hồ sơ>/ và ghi "
        "danh mục. In mã hồ sơ và tóm tắt.")
    _procedure_option(intake)
    _files_argument(intake)
    intake.add_argument("--lane", choices=["counter", "backlog"], default="counter",
                        help="counter: công dân đang chờ (ưu tiên); backlog: số hóa hồ sơ "
                        "lưu trữ [counter]")
    intake.add_argument("--review", action="store_true",
                        help="dừng sau khi phân loại để cán bộ xem lại (sohoa review), chỉ ký "
                        "và lưu khi cán bộ tiếp nhận")
    intake.add_argument("--wait", action="store_true",
                        help="khi dùng hàng đợi (SOHOA_BROKER_URL): chờ các máy xử lý xong "
                        "rồi in kết quả")
    _common_options(intake)

    worker = sub.add_parser(
        "worker", help="chạy máy xử lý (cần SOHOA_BROKER_URL)",
        description="Khởi động các tiến trình xử lý nhận việc từ hàng đợi Redis/RabbitMQ: "
        "OCR từng trang, phân loại, ghép, ký số và lưu tài liệu. Khi khởi động, việc dở "
        "dang trong danh mục (sau sự cố) được đưa lại vào hàng đợi. Dừng bằng Ctrl+C / "
        "SIGTERM: việc đang làm được làm xong.")
    worker.add_argument("--processes", type=int, metavar="N",
                        help="số tiến trình (mặc định: số lõi CPU)")
    worker.add_argument("--lanes", default="counter,backlog", metavar="LANES",
                        help="hàng đợi nhận việc: counter, backlog hoặc cả hai [cả hai]")
    worker.add_argument("--no-recover", action="store_true",
                        help="không đưa lại việc dở dang khi khởi động")
    worker.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="mô-đun Python nạp thêm vào mỗi tiến trình (middleware riêng "
                        "của đơn vị, công cụ chẩn đoán)")

    dossier = sub.add_parser(
        "dossier", help="xem một hồ sơ: tiến độ, tài liệu, kết luận, trang lỗi",
        description="In tình trạng lô quét mới nhất của hồ sơ CODE từ danh mục: đã xử lý "
        "xong chưa, tài liệu đã ký và lưu, kết luận đủ/thiếu, trang nào lỗi và vì sao.")
    dossier.add_argument("code", metavar="CODE", help="mã hồ sơ")

    review = sub.add_parser(
        "review", help="xem lại, sửa và tiếp nhận lô quét đang chờ (intake --review)",
        description="Sửa kết quả phân loại của lô quét mới nhất của hồ sơ CODE (số trang tính "
        "từ 1, theo thứ tự quét của lô), xem lại kết luận, rồi --accept để ký số và lưu.")
    review.add_argument("code", metavar="CODE", help="mã hồ sơ")
    _correction_options(review)
    review.add_argument("--remove", action="append", default=[], type=int, metavar="N",
                        help="bỏ trang N khỏi hồ sơ (bản quét gốc vẫn được giữ)")
    review.add_argument("--order", metavar="N,N,...",
                        help="thứ tự mới của các trang, ví dụ 3,1,2")
    review.add_argument("--accept", action="store_true",
                        help="tiếp nhận: ký số và lưu các tài liệu")
    _common_options(review)

    scanners = sub.add_parser(
        "scanners", help="liệt kê máy quét (SANE, eSCL/AirScan)",
        description="Các máy quét SANE nhìn thấy (USB, mạng qua sane-airscan) và, với --device, "
        "những gì máy đó hỗ trợ (nguồn giấy, chế độ màu, độ phân giải).")
    scanners.add_argument("--device", help="tên thiết bị, ví dụ airscan:e0:Quay-1")
    scanners.add_argument("--sane-config", type=Path, metavar="DIR",
                          help="thư mục cấu hình SANE (SANE_CONFIG_DIR)")

    watch = sub.add_parser(
        "watch", help="thư mục nóng: tiếp nhận tệp do phần mềm máy quét ghi ra",
        description="Theo dõi DIR: mỗi lần quét (các tệp ghi ra cách nhau không quá --group "
        "giây) thành một hồ sơ mới của thủ tục CODE. Tệp chỉ được lấy khi đã ghi xong, không "
        "bao giờ xử lý hai lần; tệp lỗi được chuyển vào DIR/../cach-ly kèm lý do. Dừng: Ctrl+C.")
    _procedure_option(watch)
    watch.add_argument("folder", type=Path, metavar="DIR")
    watch.add_argument("--group", type=float, default=5.0, metavar="SECONDS",
                       help="các tệp ghi cách nhau không quá chừng này giây là một lần quét [5]")
    watch.add_argument("--review", action="store_true",
                       help="dừng sau khi phân loại để cán bộ xem lại (sohoa review)")
    _common_options(watch)

    receipt = sub.add_parser(
        "receipt", help="in giấy tiếp nhận và hẹn trả kết quả (hoặc phiếu yêu cầu bổ sung)",
        description="Hồ sơ đủ: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (ngày hẹn tính theo "
        "ngày làm việc, nhận sau 15:00 tính từ ngày làm việc kế tiếp). Hồ sơ thiếu: Phiếu yêu "
        "cầu bổ sung, hoàn thiện hồ sơ, liệt kê thành phần còn thiếu và lý do.")
    receipt.add_argument("code", metavar="CODE", help="mã hồ sơ")
    receipt.add_argument("--out", type=Path, metavar="FILE.pdf",
                         help="tệp sẽ ghi [giay-tiep-nhan-<mã>.pdf / yeu-cau-bo-sung-<mã>.pdf]")
    receipt.add_argument("--name", default="", help="họ tên người nộp (mặc định: từ mã QR CCCD)")
    receipt.add_argument("--address", default="", help="địa chỉ người nộp")
    receipt.add_argument("--contact", default="", help="số điện thoại / email")
    receipt.add_argument("--receiver", help="họ tên cán bộ tiếp nhận")
    receipt.add_argument("--fees", help="phí, lệ phí [Theo quy định]")

    recover = sub.add_parser(
        "recover", help="làm tiếp các lô quét dở dang sau sự cố",
        description="Tìm trong danh mục các lô quét chưa xong (không tiến triển trong "
        "--idle giây) và làm tiếp: chạy ngay (cấu hình nhúng) hoặc đưa vào hàng đợi.")
    recover.add_argument("--idle", type=float, default=0.0, metavar="SECONDS",
                         help="chỉ các lô không tiến triển ít nhất chừng này giây [0]")
    _common_options(recover)

    verify = sub.add_parser(
        "verify", help="kiểm tra chữ ký số của một tệp PDF",
        description="Chữ ký hợp lệ hay không, người ký, thời gian ký, và tệp có bị sửa "
        "sau khi ký hay không. Mã thoát 0 khi hợp lệ, 1 khi không hợp lệ.")
    verify.add_argument("file", type=Path, metavar="FILE.pdf")
    verify.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    classify = sub.add_parser(
        "classify", help="phân loại trang, tách tài liệu và kết luận đủ/thiếu (không lưu)",
        description="Nhận diện loại giấy tờ của từng trang, tách xấp giấy thành các tài liệu "
        "và đối chiếu với thành phần hồ sơ của thủ tục CODE. Không lưu gì. Cán bộ có thể sửa "
        "kết quả: --type, --split, --join (số trang tính từ 1, theo thứ tự quét).")
    _procedure_option(classify)
    _files_argument(classify)
    classify.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    classify.add_argument("--fast", action="store_true",
                          help="chỉ đọc phần đầu trang (nhanh, như tại quầy)")
    classify.add_argument("--model", type=Path, metavar="PATH",
                          help="mô hình phân loại đã huấn luyện (sohoa train)")
    _correction_options(classify)
    _common_options(classify)

    train = sub.add_parser(
        "train", help="huấn luyện mô hình phân loại trang từ bản quét đã gán nhãn",
        description="DIR chứa một thư mục con cho mỗi loại giấy tờ, đặt tên theo mã loại "
        "(ví dụ DIR/giay_chung_sinh/*.jpg); mọi trang của các tệp trong đó được gán loại "
        "ấy. Mô hình được ghi ra --out và dùng qua --model hoặc SOHOA_MODEL.")
    train.add_argument("folder", type=Path, metavar="DIR")
    train.add_argument("--out", required=True, type=Path, metavar="MODEL",
                       help="tệp mô hình sẽ ghi")
    _common_options(train)

    cover = sub.add_parser(
        "cover", help="in bìa hồ sơ và tờ phân cách có mã QR",
        description="Ghi tệp PDF để in: bìa hồ sơ (mã QR, mã hồ sơ, thành phần hồ sơ) và một "
        "tờ phân cách cho mỗi thành phần được quét. Đặt bìa lên đầu xấp giấy, tờ phân cách "
        "trước mỗi thành phần: khi quét, hệ thống tự gắn trang vào hồ sơ và tách tài liệu.")
    _procedure_option(cover)
    which = cover.add_mutually_exclusive_group()
    which.add_argument("--dossier", metavar="CODE", help="mã hồ sơ (để trống: viết tay)")
    which.add_argument("--new", action="store_true",
                       help="đăng ký hồ sơ mới (trạng thái 1, mới đăng ký) và in bìa mang mã "
                       "của nó: quét bìa trên xấp giấy, sohoa intake gắn xấp vào hồ sơ này")
    cover.add_argument("--out", type=Path, metavar="FILE.pdf",
                       help="tệp sẽ ghi [bia-<thủ tục>.pdf]")

    catalog = sub.add_parser(
        "catalog", help="danh mục thủ tục và thành phần hồ sơ",
        description="Không có CODE: liệt kê các thủ tục. Có CODE: thành phần hồ sơ của thủ "
        "tục đó (giấy tờ, bản chính/bản sao, bắt buộc / nếu có / chỉ xuất trình).")
    catalog.add_argument("code", nargs="?", metavar="CODE", help="mã thủ tục, ví dụ 1.001193")

    demo = sub.add_parser(
        "demo", help="chạy thử trên hồ sơ mẫu kèm theo",
        description="Tiếp nhận hồ sơ mẫu (tờ khai khai sinh, giấy chứng sinh) với cấu hình "
        "nhúng mặc định, rồi kiểm tra chữ ký của các tài liệu đã lưu.")
    _common_options(demo)

    scrub = sub.add_parser(
        "scrub", help="kiểm tra toàn vẹn kho lưu trữ: mã băm, chữ ký số, khóa lưu giữ",
        description="Đọc lại mọi tài liệu, tệp văn bản và bản quét gốc trong danh mục: so mã "
        "băm SHA-256, kiểm tra lại chữ ký số và khóa lưu giữ. In từng sai lệch (hồ sơ, khóa "
        "đối tượng, lý do). Mã thoát 0 khi không có sai lệch, 10 khi có.")
    scrub.add_argument("--dossier", metavar="CODE", help="chỉ kiểm tra hồ sơ này")
    scrub.add_argument("--since", metavar="YYYY-MM-DD",
                       help="chỉ tài liệu ký (bản quét nhận) từ ngày này")
    scrub.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    scrub.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")

    serve = sub.add_parser(
        "serve", help="chạy ứng dụng web tại quầy (quét, kết luận đủ/thiếu, tiếp nhận, in giấy)",
        description="Ứng dụng web cho cán bộ một cửa: chọn thủ tục, quét (SOHOA_SCANNER_DEVICE, "
        "SOHOA_SANE_CONFIG_DIR, SOHOA_SCAN_RESOLUTION/_MODE/_SOURCE) hoặc tải tệp lên, xem "
        "từng trang và kết luận đủ/thiếu ngay khi xử lý, sửa, tiếp nhận, in giấy tiếp nhận. "
        "Cấu hình nhúng mặc định; với SOHOA_BROKER_URL... chạy theo quy mô lớn.")
    serve.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe [127.0.0.1]")
    serve.add_argument("--port", type=int, default=8000, help="cổng [8000]")
    _common_options(serve)
    search_commands.add_parsers(sub)  # sohoa search, sohoa reindex
    access_commands.add_parsers(sub)  # sohoa user, sohoa token, sohoa audit
    route_commands.add_parsers(sub)  # sohoa route
    return parser


def _procedure_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--procedure", required=True, metavar="CODE",
                        help="mã thủ tục hành chính, ví dụ 1.001193 (xem: sohoa catalog)")


def _files_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="tệp quét: JPEG, PNG, TIFF nhiều trang hoặc PDF")


def _correction_options(parser: argparse.ArgumentParser) -> None:
    """The clerk's corrections, by 1-based page number in scanning order."""
    parser.add_argument("--type", action="append", default=[], metavar="N=LOẠI", dest="types",
                        help="đặt loại giấy tờ cho trang N, ví dụ 3=giay_chung_sinh")
    parser.add_argument("--split", action="append", default=[], type=int, metavar="N",
                        help="bắt đầu tài liệu mới tại trang N")
    parser.add_argument("--join", action="append", default=[], type=int, metavar="N",
                        help="gộp trang N vào tài liệu trước nó")


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="số tiến trình xử lý trang (mặc định: số lõi CPU)")
    parser.add_argument("--languages", metavar="LANGS",
                        help="ngôn ngữ OCR của Tesseract, ví dụ vie hoặc vie+eng [vie]")
    parser.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")


def settings_for(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "jobs", None):
        settings = replace(settings, jobs=max(1, args.jobs))
    if getattr(args, "languages", None):
        settings = replace(settings, ocr=replace(settings.ocr, languages=args.languages))
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (typed errors mapped here, in one place)."""
    args = build_parser().parse_args(argv)
    # pyHanko logs whole tracebacks at WARNING for modified files; the verdict says it better.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    from sohoa import commands, scrub

    handler = {"digitize": commands.digitize, "intake": commands.intake,
               "verify": commands.verify, "demo": commands.demo,
               "catalog": commands.catalog, "classify": commands.classify,
               "train": commands.train, "cover": commands.cover,
               "worker": commands.worker, "recover": commands.recover,
               "dossier": commands.dossier, "receipt": commands.receipt,
               "review": commands.review, "serve": commands.serve,
               "scanners": commands.scanners, "watch": commands.watch,
               "scrub": scrub.command, **search_commands.HANDLERS,
               **access_commands.HANDLERS, **route_commands.HANDLERS}[args.command]
    try:
        return handler(args, settings_for(args))
    except SohoaError as exc:
        print(f"sohoa: lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sohoa: đã dừng theo yêu cầu", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
