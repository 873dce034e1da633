"""The ObjectStore contract, run against the local-directory store and the in-memory stub."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from sohoa.errors import IntegrityError, ObjectNotFoundError, StorageError
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.memory import MemoryObjectStore
from sohoa.storage.objects import ObjectStore, StoredObject, raw_scan_key, sha256_hex

SCAN = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
KEY = "dossiers/000.00.14.H56-200203-0118/raw/0123456789abcdef-Tờ_khai.pdf"


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    return MemoryObjectStore()


def test_both_stores_satisfy_the_protocol(store: ObjectStore) -> None:
    assert isinstance(store, ObjectStore)


def test_put_then_get_returns_the_same_bytes_and_checksum(store: ObjectStore) -> None:
    stored = store.put(KEY, SCAN, "application/pdf")
    assert stored == StoredObject(KEY, sha256_hex(SCAN), len(SCAN), "application/pdf")
    assert stored.size == 10_256
    assert store.get(KEY) == SCAN
    assert store.get(KEY, sha256=stored.sha256) == SCAN
    assert store.stat(KEY) == stored
    assert store.exists(KEY)


def test_putting_the_same_bytes_again_is_a_no_op(store: ObjectStore) -> None:
    first = store.put(KEY, SCAN, "application/pdf")
    again = store.put(KEY, SCAN, "application/pdf")
    assert again == first
    assert store.list("dossiers/") == [KEY]


def test_different_bytes_never_overwrite_an_archive(store: ObjectStore) -> None:
    store.put(KEY, SCAN)
    with pytest.raises(StorageError, match="different bytes"):
        store.put(KEY, SCAN + b"x")
    assert store.get(KEY) == SCAN


def test_get_with_the_wrong_expected_checksum_fails(store: ObjectStore) -> None:
    store.put(KEY, SCAN)
    with pytest.raises(IntegrityError):
        store.get(KEY, sha256=sha256_hex(b"another file"))


def test_missing_objects(store: ObjectStore) -> None:
    assert not store.exists(KEY)
    with pytest.raises(ObjectNotFoundError):
        store.get(KEY)
    with pytest.raises(ObjectNotFoundError):
        store.stat(KEY)
    assert store.list("dossiers/") == []


def test_unsafe_keys_are_refused_by_every_operation(store: ObjectStore) -> None:
    for call in (
        lambda: store.put("../escape", b"x"),
        lambda: store.get("/etc/passwd"),
        lambda: store.exists("a//b"),
        lambda: store.list("../"),
    ):
        with pytest.raises(StorageError):
            call()


def test_list_is_sorted_and_filters_by_plain_prefix(store: ObjectStore) -> None:
    code = "000.00.14.H56-200203-0118"
    keys = [
        f"dossiers/{code}/raw/{sha256_hex(b'b')[:16]}-b.pdf",
        f"dossiers/{code}/documents/02-khac.pdf",
        f"dossiers/{code}/documents/01-can_cuoc.pdf",
        "dossiers/000.00.14.H56-200203-0119/documents/01-khac.pdf",
    ]
    for index, key in enumerate(keys):
        store.put(key, f"object {index}".encode())
    assert store.list(f"dossiers/{code}/documents/") == sorted(keys[1:3])
    assert store.list(f"dossiers/{code}/") == sorted(keys[:3])
    assert store.list("dossiers/000.00.14.H56-200203-011") == sorted(keys)
    assert store.list("") == sorted(keys)


def test_raw_scan_key_from_the_content_makes_reuploads_idempotent(store: ObjectStore) -> None:
    code = "000.00.14.H56-200203-0118"
    key = raw_scan_key(code, sha256_hex(SCAN), "C:\\scans\\Tờ khai (1).pdf")
    store.put(key, SCAN)
    store.put(raw_scan_key(code, sha256_hex(SCAN), "C:\\scans\\Tờ khai (1).pdf"), SCAN)
    assert store.list(f"dossiers/{code}/raw/") == [key]


def test_memory_store_detects_corruption() -> None:
    store = MemoryObjectStore()
    store.put(KEY, SCAN)
    store.corrupt(KEY, SCAN[:-1] + b"?")
    with pytest.raises(IntegrityError):
        store.get(KEY)


# --- local store specifics ------------------------------------------------------------------


def test_local_store_keeps_plain_files_and_a_checksum_record(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    stored = store.put(KEY, SCAN, "application/pdf")
    assert store.data_path(KEY).read_bytes() == SCAN
    record = json.loads((tmp_path / "meta" / (KEY + ".json")).read_text())
    assert record == {"sha256": stored.sha256, "size": 10_256, "content_type": "application/pdf"}
    assert list((tmp_path / "tmp").iterdir()) == []


def test_flipping_one_byte_on_disk_is_detected_on_every_read(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put(KEY, SCAN)
    path = store.data_path(KEY)
    damaged = bytearray(path.read_bytes())
    damaged[5000] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(IntegrityError):
        store.get(KEY)  # no expected checksum given: the recorded one is still checked
    with pytest.raises(StorageError, match="different bytes"):
        store.put(KEY, bytes(damaged))


def test_missing_checksum_record_is_an_integrity_error(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put(KEY, SCAN)
    (tmp_path / "meta" / (KEY + ".json")).unlink()
    with pytest.raises(IntegrityError):
        store.get(KEY)


def test_a_write_interrupted_after_its_claim_is_completed_by_the_retry(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put(KEY, SCAN)
    store.data_path(KEY).unlink()  # as if the process died between claim and publish
    assert not store.exists(KEY)
    with pytest.raises(StorageError):
        store.put(KEY, b"other bytes")
    assert store.put(KEY, SCAN).sha256 == sha256_hex(SCAN)
    assert store.get(KEY) == SCAN


def test_a_key_cannot_be_both_a_file_and_a_folder(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put("dossiers/a", b"file")
    with pytest.raises(StorageError):
        store.put("dossiers/a/b", b"nested")


def _racing_put(root: str, payload: bytes, barrier, results) -> None:  # noqa: ANN001
    store = LocalObjectStore(root)
    barrier.wait()
    for round_ in range(30):
        try:
            store.put(f"race/{round_:02d}.bin", payload)
            results.put((round_, payload))
        except StorageError:
            results.put((round_, None))


def test_two_processes_writing_one_key_never_mix_bytes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    payloads = [b"A" * 200_000, b"B" * 200_000]
    workers = [
        ctx.Process(target=_racing_put, args=(str(tmp_path), p, barrier, results)) for p in payloads
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in range(60)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    store = LocalObjectStore(tmp_path)
    for round_ in range(30):
        winners = [p for r, p in outcomes if r == round_ and p is not None]
        assert len(winners) == 1, f"round {round_}: {len(winners)} writers succeeded"
        assert store.get(f"race/{round_:02d}.bin") == winners[0]
