"""The catalog service on SQLite and PostgreSQL: dossier numbers, round trips, concurrency."""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sohoa.domain.dossier_code import parse_dossier_code
from sohoa.errors import DossierNotFoundError, InvalidDossierCodeError, StorageError
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.objects import StoredObject, document_key, raw_scan_key, sha256_hex
from sohoa.storage.records import DossierStatus

AGENCY = "000.00.14.H56"
VN = timezone(timedelta(hours=7))
MORNING = datetime(2025, 3, 14, 9, 15, 30, 123456, tzinfo=VN)



def test_sequence_counts_per_agency_and_restarts_each_day(catalog: Catalog) -> None:
    codes = [
        catalog.new_dossier("1.001193", AGENCY, MORNING),
        catalog.new_dossier("1.001193", AGENCY, MORNING + timedelta(hours=2)),
        catalog.new_dossier("2.000488", AGENCY, MORNING + timedelta(hours=7)),
        catalog.new_dossier("1.001193", AGENCY, MORNING + timedelta(days=1)),
        catalog.new_dossier("1.001193", "000.00.15.H56", MORNING),
        catalog.new_dossier("1.001193", AGENCY, MORNING + timedelta(days=1, hours=1)),
    ]
    assert codes == [
        "000.00.14.H56-250314-0001",
        "000.00.14.H56-250314-0002",
        "000.00.14.H56-250314-0003",
        "000.00.14.H56-250315-0001",
        "000.00.15.H56-250314-0001",
        "000.00.14.H56-250315-0002",
    ]


def test_the_day_is_the_vietnam_local_date(catalog: Catalog) -> None:
    late_utc = datetime(2025, 3, 15, 17, 30, tzinfo=UTC)  # 00:30 on 16 March in Hà Nội
    code = catalog.new_dossier("1.001193", AGENCY, late_utc)
    assert code == "000.00.14.H56-250316-0001"
    assert catalog.dossier(code).received_at == late_utc


def test_bad_input_is_refused_without_using_a_number(catalog: Catalog) -> None:
    with pytest.raises(StorageError, match="múi giờ"):
        catalog.new_dossier("1.001193", AGENCY, datetime(2025, 3, 14, 9, 0))
    with pytest.raises(InvalidDossierCodeError):
        catalog.new_dossier("1.001193", "bad-agency", MORNING)
    assert catalog.new_dossier("1.001193", AGENCY, MORNING).endswith("-0001")


def test_round_trip_of_a_whole_dossier(catalog: Catalog, tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    code = catalog.new_dossier("1.001193", AGENCY, MORNING)
    scan = b"%PDF-1.7 three scanned pages"
    raw_key = raw_scan_key(code, sha256_hex(scan), "Tờ khai (1).pdf")
    raw = store.put(raw_key, scan, "application/pdf")
    catalog.add_raw_scan(code, raw, "Tờ khai (1).pdf", MORNING)
    lines = ["TỜ KHAI ĐĂNG KÝ KHAI SINH", "Họ, chữ đệm, tên", "GIẤY CHỨNG SINH"]
    for index, words in enumerate(lines):
        catalog.add_page(
            code,
            index,
            raw_scan_key=raw.key,
            source_page_index=index,
            rotation=90 * index,
            deskew_angle=-1.25,
            dpi=300.0,
            flags=["low_contrast"] if index == 2 else [],
            ocr_confidence=91.5,
            text=words,
        )
    doc_key = document_key(code, 1, "to_khai_khai_sinh")
    signed = store.put(doc_key, b"%PDF signed", "application/pdf")
    signed_at = datetime(2025, 3, 14, 2, 20, tzinfo=UTC)
    catalog.add_document(
        code,
        1,
        signed,
        title="Tờ khai đăng ký khai sinh",
        page_count=2,
        doc_type="to_khai_khai_sinh",
        signed_at=signed_at,
        signer="Nguyễn Thị Lan",
        page_indexes=[0, 1],
    )

    record = catalog.dossier(code)
    assert (record.code, record.procedure_code, record.agency_code) == (code, "1.001193", AGENCY)
    assert record.status == DossierStatus.DUOC_TIEP_NHAN == 2
    assert record.received_at == MORNING and record.received_at.tzinfo == UTC
    assert abs(record.created_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert [(r.key, r.sha256, r.original_name, r.size) for r in record.raw_scans] == [
        (raw.key, sha256_hex(scan), "Tờ khai (1).pdf", 28)
    ]
    (document,) = record.documents
    assert (document.ordinal, document.doc_type, document.key, document.page_count) == (
        1,
        "to_khai_khai_sinh",
        signed.key,
        2,
    )
    assert (document.signer, document.signed_at) == ("Nguyễn Thị Lan", signed_at)
    assert [(p.index, p.document_ordinal, p.rotation, p.flags) for p in record.pages] == [
        (0, 1, 0, ()),
        (1, 1, 90, ()),
        (2, None, 180, ("low_contrast",)),
    ]
    assert record.pages[1].text == "Họ, chữ đệm, tên"
    assert (record.pages[0].dpi, record.pages[0].deskew_angle) == (300.0, -1.25)
    assert record.pages[0].raw_scan_key == raw.key
    assert store.get(document.key, sha256=document.sha256) == b"%PDF signed"


def test_recording_again_is_idempotent_but_never_rewrites(catalog: Catalog) -> None:
    code = catalog.new_dossier("1.001193", AGENCY, MORNING)
    raw = StoredObject(f"dossiers/{code}/raw/00-a.pdf", sha256_hex(b"a"), 1, "application/pdf")
    first = catalog.add_raw_scan(code, raw, "a.pdf", MORNING)
    assert catalog.add_raw_scan(code, raw, "a.pdf", MORNING) == first
    catalog.add_page(code, 0, raw_scan_key=raw.key, source_page_index=0, text="first OCR")
    catalog.add_page(code, 0, raw_scan_key=raw.key, source_page_index=0, text="second OCR")
    assert [p.text for p in catalog.dossier(code).pages] == ["second OCR"]

    doc = StoredObject(f"dossiers/{code}/documents/01-khac.pdf", sha256_hex(b"d"), 1)
    kept = catalog.add_document(code, 1, doc, title="Khác", page_count=1, page_indexes=[0])
    assert catalog.add_document(code, 1, doc, title="Khác", page_count=1) == kept
    other = StoredObject(doc.key, sha256_hex(b"other"), 5)
    with pytest.raises(StorageError):
        catalog.add_document(code, 1, other, title="Khác", page_count=1)
    with pytest.raises(StorageError):
        catalog.add_page(code, 1, raw_scan_key="dossiers/x/raw/none.pdf", source_page_index=0)
    with pytest.raises(StorageError):
        catalog.add_document(
            code, 2, StoredObject("k2", "0" * 64, 1), title="x", page_count=1, page_indexes=[7]
        )
    assert len(catalog.dossier(code).documents) == 1


def test_status_and_missing_dossiers(catalog: Catalog) -> None:
    code = catalog.new_dossier("1.001193", AGENCY, MORNING)
    catalog.set_status(code, DossierStatus.DA_TRA_KET_QUA)
    assert catalog.dossier(code).status == 10
    with pytest.raises(ValueError):
        catalog.set_status(code, 11)
    with pytest.raises(DossierNotFoundError):
        catalog.dossier("000.00.14.H56-250314-9999")
    with pytest.raises(DossierNotFoundError):
        catalog.set_status("000.00.14.H56-250314-9999", 4)


def test_list_dossiers_oldest_first_and_by_agency(catalog: Catalog) -> None:
    late = catalog.new_dossier("1.001193", AGENCY, MORNING + timedelta(hours=3))
    early = catalog.new_dossier("1.001193", AGENCY, MORNING)
    other = catalog.new_dossier("1.001193", "000.00.15.H56", MORNING + timedelta(hours=1))
    assert [d.code for d in catalog.list_dossiers()] == [early, other, late]
    assert [d.code for d in catalog.list_dossiers(AGENCY)] == [early, late]


# --- concurrency ----------------------------------------------------------------------------

PER_WORKER = 25


def _allocate(url: str, barrier, results) -> None:  # noqa: ANN001
    """One counter: connect first, then take numbers with a short pause, as a clerk would.

    Without the pause SQLite's busy handler lets one process take every number in a row
    (it sleeps while the other re-locks at once) and the two would never interleave.
    """
    engine = make_engine(url)
    catalog = Catalog(engine)
    catalog.list_dossiers()  # connect before the race starts
    barrier.wait()
    codes = []
    for _ in range(PER_WORKER):
        codes.append(catalog.new_dossier("1.001193", AGENCY, MORNING))
        time.sleep(0.002)
    engine.dispose()
    results.put(codes)


def _assert_distinct_and_consecutive(batches: list[list[str]]) -> list[int]:
    numbers = [parse_dossier_code(c).sequence for batch in batches for c in batch]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for batch in batches:  # each worker sees its own numbers increase
        assert [parse_dossier_code(c).sequence for c in batch] == sorted(
            parse_dossier_code(c).sequence for c in batch
        )
    return numbers


def test_two_processes_get_distinct_consecutive_numbers(catalog_url: str) -> None:
    migrate(catalog_url)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_allocate, args=(catalog_url, barrier, results)) for _ in "ab"]
    for worker in workers:
        worker.start()
    batches = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(_assert_distinct_and_consecutive(batches)) == 2 * PER_WORKER
    engine = make_engine(catalog_url)
    assert len(Catalog(engine).list_dossiers()) == 2 * PER_WORKER
    engine.dispose()


def test_threads_sharing_one_catalog_get_distinct_numbers(catalog: Catalog) -> None:
    batches: list[list[str]] = [[], [], []]
    start = threading.Barrier(3)

    def run(batch: list[str]) -> None:
        start.wait()
        batch.extend(catalog.new_dossier("1.001193", AGENCY, MORNING) for _ in range(15))

    threads = [threading.Thread(target=run, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(_assert_distinct_and_consecutive(batches)) == 45


def test_first_number_of_the_day_raced_by_another_transaction(postgres_url: str) -> None:
    """Another counter inserts the day's row first: our INSERT conflicts and falls back."""
    from sqlalchemy import text

    migrate(postgres_url)
    engine = make_engine(postgres_url)
    catalog, codes = Catalog(engine), []
    with engine.connect() as rival:
        rival.execute(
            text(
                "INSERT INTO dossier_sequences (agency_code, day, last_sequence) "
                "VALUES (:agency, DATE '2025-03-14', 1)"
            ),
            {"agency": AGENCY},
        )  # not committed yet: our INSERT must wait on the unique index
        thread = threading.Thread(
            target=lambda: codes.append(catalog.new_dossier("1.001193", AGENCY, MORNING))
        )
        thread.start()
        with engine.connect() as watcher:
            deadline = time.monotonic() + 120  # a deadline for a busy machine, not a measure
            while time.monotonic() < deadline:  # until our INSERT is blocked on the rival's row
                waiting = watcher.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query LIKE 'INSERT INTO dossier_sequences%' "
                        "AND datname = current_database()"  # not another test run's
                    )
                ).scalar_one()
                watcher.rollback()
                if waiting:
                    break
                time.sleep(0.05)
        assert waiting == 1
        rival.commit()
    thread.join(timeout=60)
    engine.dispose()
    assert codes == ["000.00.14.H56-250314-0002"]
