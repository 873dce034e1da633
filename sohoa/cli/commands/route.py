"""``sohoa route``: which agencies may read a dossier — shown, added by hand, or applied from
the routing rules to every dossier that has none yet (dossiers finished before the rules
existed, or before ``SOHOA_ROUTING`` named their procedure). Each change is audited."""

from __future__ import annotations

import argparse

from sohoa.cli.operator import operator, origin
from sohoa.domain.routing import load_routing
from sohoa.errors import ConfigurationError
from sohoa.processing.context import catalog_session
from sohoa.services.routing import check_agencies, route_by_hand
from sohoa.settings import Settings
from sohoa.storage import routing
from sohoa.storage.audit import AuditLog

NAME = "route"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME, help="chuyển hồ sơ tới cơ quan giải quyết (cơ quan đó mới xem được hồ sơ)",
        description="Không có tùy chọn: in các cơ quan mà hồ sơ đã được chuyển tới. "
        "--agency: chuyển thêm tới các cơ quan này (phải là cơ quan đã cấu hình: cơ quan "
        "tiếp nhận, cơ quan trong quy tắc định tuyến, hoặc có tài khoản cơ quan; hồ sơ phải "
        "đã được tiếp nhận). --missing: áp dụng quy tắc định tuyến "
        "(SOHOA_ROUTING; mặc định: cơ quan tiếp nhận) cho mọi hồ sơ đã có tài liệu mà chưa "
        "được chuyển đi. Mọi thay đổi được ghi vào nhật ký.")
    parser.add_argument("codes", nargs="*", metavar="MÃ_HỒ_SƠ")
    parser.add_argument("--agency", action="append", default=[], metavar="MÃ_CƠ_QUAN",
                        help="mã cơ quan nhận hồ sơ (lặp lại được)")
    parser.add_argument("--missing", action="store_true",
                        help="định tuyến mọi hồ sơ chưa được chuyển đi theo quy tắc")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not args.codes and not args.missing:
        raise ConfigurationError("Cần mã hồ sơ, hoặc --missing (xem sohoa route --help)")
    with catalog_session(settings.storage) as catalog:
        log, who = AuditLog(catalog), operator()
        check_agencies(catalog, settings, args.agency)
        wanted = [(code, list(args.agency)) for code in args.codes]
        if args.missing:
            rules = load_routing(settings.routing_path)
            wanted += [(code, rules.agencies_for(procedure, agency))
                       for code, procedure, agency in routing.unrouted(catalog)]
        for code, agencies in wanted:
            before = routing.routes(catalog, code)
            after = route_by_hand(catalog, code, agencies) if agencies else before
            if after != before:
                log.record(who, "dossier.route", dossier_code=code, remote_addr=origin(),
                           detail={"added": sorted(set(after) - set(before))})
            print(f"{code}: {', '.join(after) or '(chưa chuyển tới cơ quan nào)'}")
    return 0
