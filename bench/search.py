"""Archivist search: query latency over an index of 100,000 pages (target p95 ≤ 200 ms).

Not a test — it prints figures. It fills a scratch catalog with ``--pages`` pages of
generated Vietnamese administrative text (``sohoa_dev.synth``: 18–22 form sentences with fake
names, numbers and dates, a title, an address line — ~1,500 characters, like an OCRed A4
form) in dossiers of 10 pages cut into 3 documents, received over two years at five
agencies, routed to one or two of six deciding agencies; then builds the search index with
the product's own ``SearchIndex.reindex_all`` (timed) and runs ``--queries`` searches
(single words, two words, phrases, with and without diacritics, rare and common terms,
exclusions, filters, agency restriction), each measured end to end (SQL, count, snippets).

    .venv/bin/python -m bench.search                        # SQLite, 100,000 pages
    .venv/bin/python -m bench.search --backend both         # and PostgreSQL at 127.0.0.1
    .venv/bin/python -m bench.search --pages 5000 --queries 50   # quick look
    .venv/bin/python -m bench.search --backend postgresql --keep sohoa_bench_keep  # reusable

The catalog lives in a temporary directory (SQLite) or a temporary database
(``sohoa_bench_…`` on 127.0.0.1:5432, dropped at the end). With ``--keep NAME`` (PostgreSQL)
the database NAME is kept: a later run with the same name reuses its catalog (and its index,
unless ``--reindex``: the search tables are rebuilt from migration 0006 and reindexed — what
changing the index's schema needs); drop it with ``--drop NAME``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

from sohoa.search.index import SearchIndex, SearchQuery, index_document_pages
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.models import Document, Dossier, DossierRoute, Page, RawScan
from sohoa_dev.synth import HEADER, TITLES, fake, vietnamese_lines

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PROCEDURES = ("1.001193", "1.001612", "2.001583", "1.013831", "1.013225", "2.001827",
              "3.000347", "1.004227")
AGENCIES = ("000.00.14.H56", "000.00.15.H56", "000.00.16.H56", "000.00.17.H56",
            "000.00.18.H56")
DECIDERS = ("H56.TUPHAP", "H56.XAYDUNG", "H56.TNMT", "H56.KHDT", "H56.GTVT", "H56.YTE")
DOC_TYPES = ("to_khai_khai_sinh", "giay_chung_sinh", "van_ban_uy_quyen", "can_cuoc",
             "giay_de_nghi_dk_ho_kinh_doanh", "don_de_nghi_cap_gpxd", "hop_dong_chuyen_nhuong",
             "giay_to_quyen_su_dung_dat", "to_khai_thue", "khac")
PAGES_PER_DOSSIER = 10
DOCUMENT_SIZES = (2, 3, 5)
START = datetime(2024, 1, 1, 1, 0, tzinfo=UTC)


# --- the corpus ----------------------------------------------------------------------------


def page_text(rng: random.Random) -> str:
    """One page: motto, a title, an addressee's line, 18–22 form sentences."""
    person, place = fake.person(rng), fake.address(rng)
    lines = [*HEADER, rng.choice(TITLES),
             f"Họ và tên: {person['name']}, sinh ngày {person['birth']}, số định danh "
             f"{person['id12']}, nơi cư trú: {place}."]
    lines += vietnamese_lines(rng, rng.randint(18, 22))
    return "\n".join(lines)


def fill_catalog(engine: Engine, pages: int, seed: int,
                 progress: Callable[[int], None]) -> list[str]:
    """Bulk-insert dossiers, raw scans, documents, routes and pages (no index yet); returns
    a sample of page texts to draw rare query terms from."""
    rng = random.Random(seed)
    sample: list[str] = []
    dossiers = max(1, pages // PAGES_PER_DOSSIER)
    chunk = 200
    for first in range(0, dossiers, chunk):
        rows = _dossier_rows(rng, range(first, min(dossiers, first + chunk)), sample)
        with engine.begin() as conn:
            for table, values in rows.items():
                conn.execute(insert(table.__table__), values)
        progress(min(dossiers, first + chunk) * PAGES_PER_DOSSIER)
    return sample


def _dossier_rows(rng: random.Random, numbers: range, sample: list[str]) -> dict:
    rows: dict = {Dossier: [], RawScan: [], Document: [], Page: [], DossierRoute: []}
    for n in numbers:
        did = n + 1
        received = START + timedelta(minutes=rng.randint(0, 730 * 24 * 60))
        rows[Dossier].append({"id": did, "code": f"BENCH-{did:06d}",
                              "procedure_code": rng.choice(PROCEDURES),
                              "agency_code": rng.choice(AGENCIES),
                              "status": rng.choice((2, 2, 2, 4, 4, 9, 10, 5)),
                              "received_at": received, "created_at": received})
        rows[RawScan].append({"id": did, "dossier_id": did, "object_key": f"raw/{did}",
                              "sha256": "0" * 64, "original_name": "scan.pdf", "size": 1,
                              "received_at": received})
        for agency in rng.sample(DECIDERS, rng.choice((1, 1, 2))):
            rows[DossierRoute].append({"dossier_id": did, "agency_code": agency,
                                       "routed_at": received})
        index = 0
        for ordinal, size in enumerate(DOCUMENT_SIZES, start=1):
            doc_id = did * 10 + ordinal
            rows[Document].append({"id": doc_id, "dossier_id": did, "ordinal": ordinal,
                                   "doc_type": rng.choice(DOC_TYPES), "title": f"Tài liệu "
                                   f"{ordinal}", "object_key": f"doc/{doc_id}",
                                   "sha256": "0" * 64, "page_count": size})
            for _ in range(size):
                body = page_text(rng)
                if rng.random() < 0.002:
                    sample.append(body)
                rows[Page].append({"id": did * 100 + index, "dossier_id": did,
                                   "document_id": doc_id, "raw_scan_id": did,
                                   "index_in_dossier": index, "source_page_index": index,
                                   "rotation": 0, "deskew_angle": 0.0, "flags": [],
                                   "text": body, "state": "done"})
                index += 1
    return rows


# --- the queries ---------------------------------------------------------------------------

COMMON = ("hồ sơ", "ủy quyền", "đề nghị", "giấy phép", "thường trú", "kinh doanh",
          "pháp luật", "công trình", "lái xe", "Nghệ An", "Đà Nẵng", "Hà Nội", "Nguyễn",
          "khai sinh", "cam đoan", "diện tích", "bổ sung", "quốc tịch")
PHRASES = ('"ủy ban nhân dân"', '"giấy phép lái xe"', '"số định danh cá nhân"',
           '"bộ phận một cửa"', '"tổ dân phố"', '"vốn kinh doanh"', '"thành phố Đà Nẵng"',
           '"cửa hàng tạp hóa"')
NONE = ("hộ chiếu ngoại giao", "tàu bay", "xyzzy", "khai tử")


def _folded(words: str) -> str:
    from sohoa.search.textfold import fold

    return fold(words)


def make_queries(rng: random.Random, sample: list[str], count: int,
                 ) -> list[tuple[str, SearchQuery]]:
    """``count`` (category, query) pairs, a fixed mix of kinds."""
    def rare() -> str:
        text_ = rng.choice(sample)
        ids = [w for w in text_.split() if w.strip(".,;").isdigit() and len(w.strip(".,;")) == 12]
        names = [line.split(":")[1].split(",")[0].strip() for line in text_.splitlines()
                 if line.startswith("Họ và tên:")]
        return ids[0].strip(".,;") if ids and rng.random() < 0.5 else f'"{names[0]}"'

    def filters() -> dict:
        kind = rng.randrange(5)
        if kind == 0:
            return {"procedure_code": rng.choice(PROCEDURES)}
        if kind == 1:
            return {"doc_type": rng.choice(DOC_TYPES)}
        if kind == 2:
            start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))
            return {"received_from": start, "received_to": start + timedelta(days=30)}
        if kind == 3:
            return {"status": rng.choice((4, 9))}
        return {"agency_code": rng.choice(AGENCIES), "doc_type": rng.choice(DOC_TYPES)}

    kinds: list[tuple[str, Callable[[], tuple[str, dict]]]] = [
        ("common word(s)", lambda: (rng.choice(COMMON), {})),
        ("common, no diacritics", lambda: (_folded(rng.choice(COMMON)), {})),
        ("two common words", lambda: (f"{rng.choice(COMMON)} {rng.choice(COMMON)}", {})),
        ("phrase", lambda: (rng.choice(PHRASES), {})),
        ("phrase, no diacritics", lambda: (_folded(rng.choice(PHRASES)), {})),
        ("rare (id, full name)", lambda: (rare(), {})),
        ("exclusion", lambda: (f"{rng.choice(COMMON)} -{rng.choice(COMMON)}", {})),
        ("common + filter", lambda: (rng.choice(COMMON), filters())),
        ("agency restricted", lambda: (rng.choice(COMMON), {"restrict_to_agencies":
                                                             frozenset({rng.choice(DECIDERS)})})),
        ("no hit", lambda: (rng.choice(NONE), {})),
    ]
    out = []
    for n in range(count):
        label, make = kinds[n % len(kinds)]
        words, extra = make()
        out.append((label, SearchQuery(words, limit=20, **extra)))
    return out


# --- running -------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run_backend(label: str, url: str, args: argparse.Namespace, size_of: Callable[[], int],
                ) -> dict:
    engine = make_engine(url)
    if args.keep and args.reindex:
        _rebuild_search_schema(engine)
    migrate(engine)
    catalog = Catalog(engine, indexer=index_document_pages)
    kept = _kept_sample(engine) if args.keep and label == "postgresql" else None
    fill_s = build_s = 0.0
    if kept is None:
        t0 = time.perf_counter()
        sample = fill_catalog(engine, args.pages, args.seed,
                              lambda done: print(f"\r{label}: catalog {done} pages", end="",
                                                 flush=True))
        fill_s = time.perf_counter() - t0
        if args.keep:
            _keep_sample(engine, sample)
        print(f"\n{label}: catalog filled in {fill_s:.0f} s", flush=True)
    else:
        sample = kept
        print(f"{label}: reusing the catalog of {args.keep}", flush=True)
    if kept is None or args.reindex:
        before = size_of()
        t0 = time.perf_counter()
        indexed = SearchIndex(catalog).reindex_all(
            lambda done, total: print(f"\r{label}: indexed {done}/{total}", end="",
                                      flush=True))
        build_s = time.perf_counter() - t0
        index_mb = (size_of() - before) / 1e6
        print(f"\n{label}: {indexed} pages indexed in {build_s:.0f} s, index "
              f"{index_mb:.0f} MB", flush=True)
    else:
        with engine.connect() as conn:
            indexed = conn.execute(text("SELECT count(*) FROM search_pages")).scalar_one()
        index_mb = size_of() / 1e6
    queries = make_queries(random.Random(args.seed + 1), sample, args.queries)
    index = SearchIndex(catalog)
    for _, query in queries[:10]:
        index.search(query)  # warm the page cache and the connection pool
    timings: list[tuple[str, float, int]] = []
    for category, query in queries:
        t0 = time.perf_counter()
        results = index.search(query)
        timings.append((category, (time.perf_counter() - t0) * 1000, results.total))
    engine.dispose()
    return {"backend": label, "pages": indexed, "fill_s": fill_s, "build_s": build_s,
            "index_mb": index_mb, "timings": timings}


def summary(result: dict) -> list[str]:
    ms = [t for _, t, _ in result["timings"]]
    lines = [f"### {result['backend']}: {result['pages']:,} pages",
             "",
             f"Catalog filled in {result['fill_s']:.0f} s; index built in "
             f"{result['build_s']:.0f} s (`SearchIndex.reindex_all`); index size "
             f"{result['index_mb']:.0f} MB.",
             "",
             "| queries | p50 ms | p95 ms | max ms | median hits |",
             "|---|---|---|---|---|",
             f"| all {len(ms)} | {_pct(ms, .5):.1f} | {_pct(ms, .95):.1f} | {max(ms):.1f} | "
             f"{statistics.median(h for _, _, h in result['timings']):.0f} |"]
    categories = dict.fromkeys(c for c, _, _ in result["timings"])
    for category in categories:
        mine = [(t, h) for c, t, h in result["timings"] if c == category]
        times = [t for t, _ in mine]
        lines.append(f"| {category} ({len(mine)}) | {_pct(times, .5):.1f} | "
                     f"{_pct(times, .95):.1f} | {max(times):.1f} | "
                     f"{statistics.median(h for _, h in mine):.0f} |")
    verdict = "met" if _pct(ms, .95) <= 200 else "NOT met"
    lines += ["", f"Target p95 ≤ 200 ms: {_pct(ms, .95):.1f} ms — {verdict}", ""]
    return lines


@contextmanager
def sqlite_catalog() -> Iterator[tuple[str, Callable[[], int]]]:
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-search-") as folder:
        path = Path(folder) / "catalog.sqlite3"
        url = f"sqlite:///{path}"

        def size() -> int:
            engine = make_engine(url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            return path.stat().st_size
        yield url, size


def _kept_sample(engine: Engine) -> list[str] | None:
    """The rare-term sample of a kept catalog, or None when it was never filled."""
    with engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('bench_sample')")).scalar_one() is None:
            return None
        return list(conn.execute(text("SELECT body FROM bench_sample ORDER BY n")).scalars())


def _keep_sample(engine: Engine, sample: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_sample (n integer PRIMARY KEY, body text)"))
        conn.execute(text("INSERT INTO bench_sample VALUES (:n, :body)"),
                     [{"n": n, "body": body} for n, body in enumerate(sample)])


def _rebuild_search_schema(engine: Engine) -> None:
    """Back to revision 0005 (drops ``search_pages``) so that :func:`migrate` recreates the
    index's tables as migration 0006 now says."""
    from alembic import command

    from sohoa.storage.db import alembic_config

    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar_one() is None:
            return
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")


@contextmanager
def postgres_catalog(keep: str | None = None) -> Iterator[tuple[str, Callable[[], int]]]:
    import psycopg

    name = keep or f"sohoa_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def size() -> int:
        engine = make_engine(url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT coalesce(pg_total_relation_size("
                                      "to_regclass('search_pages')), 0)")).scalar_one()
        engine.dispose()
        return int(found)
    try:
        yield url, size
    finally:
        if not keep:
            drop_database(name)


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every timing here")
    parser.add_argument("--keep", metavar="NAME", help="PostgreSQL: keep (and reuse) this "
                        "database")
    parser.add_argument("--reindex", action="store_true", help="with --keep: rebuild the "
                        "search tables and index")
    parser.add_argument("--drop", metavar="NAME", help="drop a kept database and exit")
    args = parser.parse_args()
    if args.drop:
        drop_database(args.drop)
        return
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    load = [round(x, 2) for x in os.getloadavg()]
    results = []
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        opener = sqlite_catalog() if backend == "sqlite" else postgres_catalog(args.keep)
        with opener as (url, size):
            results.append(run_backend(backend, url, args, size))
    print(f"\n## Run of {started}\n")
    print(f"Command: `python -m bench.search {' '.join(os.sys.argv[1:])}`  ")
    print(f"Machine: {os.cpu_count()} cores, load average {load} before, "
          f"{[round(x, 2) for x in os.getloadavg()]} after\n")
    for result in results:
        print("\n".join(summary(result)))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
