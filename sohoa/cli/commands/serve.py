"""``sohoa serve``: the counter web app (:mod:`sohoa.api`) under uvicorn."""

from __future__ import annotations

import argparse

import uvicorn

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.cli.options import INTEGER, common_options
from sohoa.errors import ConfigurationError
from sohoa.pipeline import tesseract
from sohoa.settings import Settings, check_production

NAME = "serve"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="chạy ứng dụng web tại quầy (quét, kết luận đủ/thiếu, tiếp nhận, in giấy)",
        description="Ứng dụng web cho cán bộ một cửa: chọn thủ tục, quét (SOHOA_SCANNER_DEVICE, "
        "SOHOA_SANE_CONFIG_DIR, SOHOA_SCAN_RESOLUTION/_MODE/_SOURCE) hoặc tải tệp lên, xem "
        "từng trang và kết luận đủ/thiếu ngay khi xử lý, sửa, tiếp nhận, in giấy tiếp nhận. "
        "Cấu hình nhúng mặc định; với SOHOA_BROKER_URL... chạy theo quy mô lớn.")
    parser.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe [127.0.0.1]")
    parser.add_argument("--port", type=INTEGER, default=8000, help="cổng [8000]")
    common_options(parser)


def run(args: argparse.Namespace, settings: Settings) -> int:
    check_production(settings)
    counter = CounterSettings.from_env()
    if settings.production and not counter.secure_cookies:
        raise ConfigurationError("SOHOA_SECURE_COOKIES=0 chỉ dùng khi phát triển: khi vận hành "
                                 "phiên đăng nhập chỉ đi qua HTTPS")
    tesseract.check_languages(settings.ocr.languages, settings.ocr.tesseract_cmd)
    app = create_app(settings, counter)
    print(f"Quầy tiếp nhận: http://{args.host}:{args.port}/  (Ctrl+C để dừng)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
