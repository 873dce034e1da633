"""Build the national catalog the package ships (sohoa/domain/catalog/national.json.gz).

    .venv/bin/python scripts/build_national_catalog.py [FILE]

FILE defaults to ../shared/catalog/national-procedures-2026-07.jsonl.gz (the crawl of the
National Public Service Portal, July 2026). The procedures are read by the same parser as
``sohoa catalog import``; the parse report goes into the file and its figures are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sohoa.domain.catalog.reader import read_catalog
from sohoa.domain.catalog.shipped import SHIPPED, compact, write_shipped

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "catalog" / \
    "national-procedures-2026-07.jsonl.gz"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT
    procedures, report = read_catalog(source.read_bytes(), source.name)
    rows = [compact(p.model_dump(mode="json", exclude_defaults=True))
            for p in procedures.values()]
    size = write_shipped(SHIPPED, rows, report, source.name)
    print("\n".join(report.summary_lines()))
    print(f"Đã ghi {SHIPPED} ({size / 1024:.0f} KiB, {len(rows)} thủ tục)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
