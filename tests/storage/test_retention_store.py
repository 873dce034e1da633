"""Nothing is deleted before its retention ends: the local and memory stores refuse it
themselves, the S3 server refuses it (SeaweedFS, object lock), and so does the catalog."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from sqlalchemy import delete, select

from sohoa.errors import IntegrityError, ObjectNotFoundError, RetentionError, StorageError
from sohoa.storage.catalog import Catalog
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.memory import MemoryObjectStore
from sohoa.storage.models import Document, Dossier
from sohoa.storage.objects import ObjectLock, ObjectStore, StoredObject, sha256_hex
from sohoa.storage.s3 import S3ObjectStore
from sohoa_dev.services.seaweed import SeaweedServer

KEY = "dossiers/000.00.14.H56-260305-0001/documents/01-to_khai_khai_sinh.pdf"
PDF = b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n"
SOON = datetime.now(UTC) + timedelta(days=2)
LATER = datetime.now(UTC) + timedelta(days=30)
PAST = datetime.now(UTC) - timedelta(days=1)


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    return MemoryObjectStore()


# --- stores without a server: the store itself refuses ---------------------------------------


def test_a_locked_object_cannot_be_deleted(store: ObjectStore) -> None:
    stored = store.put(KEY, PDF, "application/pdf", retain=ObjectLock(SOON))
    assert store.retention(KEY) == ObjectLock(SOON)
    with pytest.raises(RetentionError, match="còn trong thời hạn lưu trữ \\(đến "):
        store.delete(KEY)
    assert store.get(KEY, sha256=stored.sha256) == PDF
    assert store.digest(KEY) == sha256_hex(PDF)


def test_a_permanent_object_cannot_be_deleted_even_after_its_date(store: ObjectStore) -> None:
    store.put(KEY, PDF, retain=ObjectLock(SOON))
    store.retain(KEY, ObjectLock(PAST, permanent=True))
    assert store.retention(KEY) == ObjectLock(SOON, permanent=True)
    with pytest.raises(RetentionError, match="vĩnh viễn"):
        store.delete(KEY)
    assert store.exists(KEY)


def test_retention_is_extended_never_shortened(store: ObjectStore) -> None:
    store.put(KEY, PDF)
    assert store.retention(KEY) is None
    assert store.retain(KEY, LATER) == ObjectLock(LATER).until
    assert store.retain(KEY, SOON) == ObjectLock(LATER).until
    store.put(KEY, PDF, retain=ObjectLock(SOON))  # a redelivered put asks for less
    assert store.retention(KEY) == ObjectLock(LATER)
    with pytest.raises(ObjectNotFoundError):
        store.retain("dossiers/x/documents/02-khac.pdf", SOON)


def test_objects_without_a_lock_in_force_can_be_deleted(store: ObjectStore) -> None:
    store.put("dossiers/x/raw/aa-scan.pdf", PDF)
    store.put(KEY, PDF, retain=ObjectLock(PAST))  # its retention has ended
    store.put("dossiers/x/text/01-khac.txt", b"van ban", retain=True)  # no period: no lock
    for key in ("dossiers/x/raw/aa-scan.pdf", KEY, "dossiers/x/text/01-khac.txt"):
        store.delete(key)
        assert not store.exists(key)
        with pytest.raises(ObjectNotFoundError):
            store.delete(key)
    store.put(KEY, PDF + b"x")  # the key is free again


def test_local_store_keeps_the_lock_beside_the_object_and_distrusts_a_bad_record(
        tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    store.put(KEY, PDF, retain=ObjectLock(SOON, permanent=True))
    record = json.loads((tmp_path / "objects" / "locks" / f"{KEY}.json").read_text())
    assert record == {"until": ObjectLock(SOON).until.isoformat(), "permanent": True}
    again = LocalObjectStore(tmp_path / "objects")  # another process sees it
    assert again.retention(KEY) == ObjectLock(SOON, permanent=True)
    (tmp_path / "objects" / "locks" / f"{KEY}.json").write_text("{not json")
    with pytest.raises(IntegrityError, match="không đọc được"):
        again.delete(KEY)  # an unreadable lock still protects
    assert again.exists(KEY)


def test_a_lock_needs_a_time_zone_and_rounds_up_to_whole_seconds() -> None:
    with pytest.raises(StorageError, match="múi giờ"):
        ObjectLock(datetime(2030, 1, 1))
    moment = datetime(2030, 1, 1, 6, 59, 59, 1, tzinfo=UTC)
    assert ObjectLock(moment).until == datetime(2030, 1, 1, 7, 0, 0, tzinfo=UTC)
    assert ObjectLock(moment, permanent=True).recorded_until is None
    assert not ObjectLock(PAST).active() and ObjectLock(PAST, permanent=True).active()


# --- S3: the server itself refuses ----------------------------------------------------------


def _version(server: SeaweedServer, bucket: str, key: str) -> str:
    (version,) = [o.version_id for o in
                  server.client().list_objects(bucket, prefix=key, include_version=True)]
    return version


@pytest.mark.service
def test_s3_server_refuses_to_delete_a_locked_version(
        s3_store: S3ObjectStore, s3_server: SeaweedServer) -> None:
    client = s3_server.client()
    dated, permanent = KEY, KEY.replace("01-", "02-")
    s3_store.put(dated, PDF, "application/pdf", retain=ObjectLock(SOON))
    s3_store.put(permanent, PDF, "application/pdf", retain=ObjectLock(SOON, permanent=True))
    assert client.get_object_retention(s3_store.bucket, dated).retain_until_date == \
        ObjectLock(SOON).until
    assert client.get_object_retention(s3_store.bucket, permanent).mode == COMPLIANCE
    assert client.is_object_legal_hold_enabled(s3_store.bucket, permanent)
    assert s3_store.retention(dated) == ObjectLock(SOON)
    assert s3_store.retention(permanent) == ObjectLock(SOON, permanent=True)
    for key in (dated, permanent):
        with pytest.raises(RetentionError):
            s3_store.delete(key)  # refused before asking the server
        with pytest.raises(S3Error) as refused:  # and the server refuses anyone
            client.remove_object(s3_store.bucket, key, version_id=_version(
                s3_server, s3_store.bucket, key))
        assert refused.value.code == "AccessDenied"
        assert s3_store.get(key) == PDF


@pytest.mark.service
def test_s3_legal_hold_alone_keeps_an_object_and_unlocked_ones_go_entirely(
        s3_store: S3ObjectStore, s3_server: SeaweedServer) -> None:
    client = s3_server.client()
    s3_store.put(KEY, PDF)
    client.enable_object_legal_hold(s3_store.bucket, KEY)  # no retention date at all
    assert s3_store.retention(KEY).permanent
    with pytest.raises(S3Error) as refused:
        client.remove_object(s3_store.bucket, KEY,
                             version_id=_version(s3_server, s3_store.bucket, KEY))
    assert refused.value.code == "AccessDenied"
    raw = "dossiers/x/raw/aa-scan.pdf"
    s3_store.put(raw, PDF)
    s3_store.delete(raw)
    assert not s3_store.exists(raw)
    assert list(client.list_objects(s3_store.bucket, prefix=raw, include_version=True)) == []


@pytest.mark.service
def test_s3_adds_the_legal_hold_to_an_object_stored_earlier_without_it(
        s3_store: S3ObjectStore) -> None:
    s3_store.put(KEY, PDF, "application/pdf")  # an interrupted first run
    s3_store.put(KEY, PDF, "application/pdf", retain=ObjectLock(SOON, permanent=True))
    assert s3_store.retention(KEY) == ObjectLock(SOON, permanent=True)


# --- the catalog: rows under retention are never deleted ---------------------------------------


def _dossier_with_documents(catalog: Catalog) -> str:
    code = catalog.new_dossier("1.001193", "000.00.14.H56", datetime.now(UTC))
    for ordinal, until in ((1, PAST), (2, SOON), (3, None)):
        catalog.add_document(code, ordinal, StoredObject(f"{code}/{ordinal}", "a" * 64, 1),
                             title="t", page_count=1, retain_until=until)
    return code


def test_the_catalog_records_retain_until_and_refuses_to_drop_retained_rows(
        catalog: Catalog) -> None:
    code = _dossier_with_documents(catalog)
    with catalog.read_session() as session:
        recorded = dict(session.execute(select(Document.ordinal, Document.retain_until)).all())
    assert recorded[3] is None  # permanent
    assert abs(recorded[1] - PAST) < timedelta(seconds=1)
    assert abs(recorded[2] - SOON) < timedelta(seconds=1)
    deletions = {
        "the dossier (cascade)": lambda s: s.execute(delete(Dossier).where(Dossier.code == code)),
        "every document": lambda s: s.execute(delete(Document)),
        "a permanent one": lambda s: s.delete(s.scalar(select(Document).where(
            Document.ordinal == 3))),
        "a dated one": lambda s: s.execute(delete(Document).where(Document.ordinal == 2)),
    }
    for name, deletion in deletions.items():
        with pytest.raises(RetentionError, match="1 tài liệu|2 tài liệu"), \
                catalog.write_session() as session:
            deletion(session)
        assert len(catalog.dossier(code).documents) == 3, name
    with catalog.write_session() as session:  # its retention has ended
        session.execute(delete(Document).where(Document.ordinal == 1))
    assert [d.ordinal for d in catalog.dossier(code).documents] == [2, 3]


def test_a_failed_receipt_still_forgets_its_new_dossier(catalog: Catalog) -> None:
    """The one deleting path of the product (a batch whose scans could not be stored) goes
    on working: such a dossier has no documents."""
    from sohoa.storage.records import ReceivedFile

    batch = catalog.batches.receive(procedure_code="1.001193", agency_code="000.00.14.H56",
                                    received_at=datetime.now(UTC),
                                    files=[ReceivedFile("a.png", "b" * 64, 10, 1, None)])
    catalog.batches.discard(batch.dossier_code, batch.number)
    assert not catalog.has_dossier(batch.dossier_code)
