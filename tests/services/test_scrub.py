"""Retention applied when documents are stored, and ``sohoa scrub`` finding every kind of
damage: a changed byte, a lost file, a validly signed substitute, a lock that went missing."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from sqlalchemy import select, update

from sohoa.cli.main import main
from sohoa.domain.corrections import Corrections
from sohoa.domain.plan import PlannedDocument
from sohoa.errors import StorageUnavailableError
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.verify import trust_roots_for
from sohoa.processing.context import WorkContext, open_context
from sohoa.processing.documents import store_document
from sohoa.services.scrub import scrub
from sohoa.storage.catalog import Catalog
from sohoa.storage.db import make_engine, migrate
from sohoa.storage.inventory import Scope
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.models import Document, Page
from sohoa.storage.objects import (
    ObjectLock,
    StoredObject,
    document_key,
    page_artefact_key,
    raw_scan_key,
    sha256_hex,
    text_key,
)
from sohoa.storage.records import BatchRecord
from sohoa_dev.services.seaweed import SeaweedServer
from tests.helpers.seaweed import fresh_bucket_name, started_server
from tests.processing.conftest import work_settings
from tests.support import SERVICE_START_S

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNED = datetime(2026, 3, 5, 10, 0, tzinfo=VN)
BIRTH, LICENCE = "1.001193", "3.000347"
DOCUMENTS = {BIRTH: ("to_khai_khai_sinh", "giay_chung_sinh"),
             LICENCE: ("don_de_nghi_doi_gplx", "giay_kham_suc_khoe", "giay_phep_lai_xe")}


def tiny_pdf(marker: str) -> bytes:
    """One small page whose Info dictionary carries ``marker`` (a byte to corrupt later)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Title"] = marker
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def signed_pdf(ctx: WorkContext, marker: str) -> bytes:
    return sign_pdf(tiny_pdf(marker), ctx.signer(), ctx.settings.signing, now=SIGNED)


@dataclass
class Archive:
    ctx: WorkContext
    codes: dict[str, str]
    """Procedure code -> dossier code."""

    @property
    def store(self) -> LocalObjectStore:
        return self.ctx.objects  # type: ignore[return-value]

    def doc_key(self, procedure: str, ordinal: int) -> str:
        return document_key(self.codes[procedure], ordinal, DOCUMENTS[procedure][ordinal - 1])

    def raw_key(self, procedure: str) -> str:
        code = self.codes[procedure]
        return raw_scan_key(code, sha256_hex(code.encode()), "scan.pdf")


def _batch(code: str, procedure: str) -> BatchRecord:
    return BatchRecord(code, 1, procedure, "counter", "analysed", 0, 0, 1, Corrections(), None)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """Two dossiers stored through the document step (no OCR): a birth registration
    (permanent) and a driving licence exchange (10 years), each with one raw scan."""
    ctx = open_context(work_settings(tmp_path / "data"))
    codes = {}
    for procedure, doc_types in DOCUMENTS.items():
        code = ctx.catalog.new_dossier(procedure, ctx.settings.agency_code, SIGNED)
        codes[procedure] = code
        raw = ctx.objects.put(raw_scan_key(code, sha256_hex(code.encode()), "scan.pdf"),
                              tiny_pdf(f"RAW-{code}"), "application/pdf")
        ctx.catalog.add_raw_scan(code, raw, "scan.pdf", SIGNED)
        for ordinal, doc_type in enumerate(doc_types, start=1):
            doc = PlannedDocument(ordinal=ordinal, doc_type=doc_type, title=doc_type, pages=[])
            store_document(ctx, _batch(code, procedure), doc,
                           signed_pdf(ctx, f"MARK-{code}-{ordinal}"), f"van ban {ordinal}",
                           SIGNED, ctx.signer())
    yield Archive(ctx, codes)
    ctx.close()


# --- retention applied when a document is stored ------------------------------------------------


def test_storing_a_document_records_and_locks_its_retention(archive: Archive) -> None:
    with archive.ctx.catalog.read_session() as session:
        recorded = {key: until for key, until in session.execute(
            select(Document.object_key, Document.retain_until))}
    ten_years = datetime(2037, 1, 1, tzinfo=VN)  # signed in 2026, kept 10 full years
    assert recorded == {archive.doc_key(BIRTH, 1): None, archive.doc_key(BIRTH, 2): None,
                        archive.doc_key(LICENCE, 1): ten_years,
                        archive.doc_key(LICENCE, 2): ten_years,
                        archive.doc_key(LICENCE, 3): ten_years}
    store = archive.store
    assert store.retention(archive.doc_key(BIRTH, 1)) == ObjectLock(
        datetime(2127, 1, 1, tzinfo=VN), permanent=True)  # legal hold + 100 years
    assert store.retention(archive.doc_key(LICENCE, 2)) == ObjectLock(ten_years)
    assert store.retention(text_key(archive.codes[BIRTH], 1, "to_khai_khai_sinh")) is None


def test_scrub_of_a_sound_archive_is_clean(archive: Archive, monkeypatch, capsys) -> None:
    report = scrub(archive.ctx.catalog, archive.store, trust_roots_for(
        archive.ctx.settings.signing))
    assert report.findings == []
    assert dict(report.checked) == {"document": 5, "text": 5, "raw_scan": 2}
    assert report.summary() == ("Đã kiểm tra 5 tài liệu, 5 tệp văn bản, 2 bản quét gốc: "
                                "không có sai lệch.")
    monkeypatch.setenv("SOHOA_DATA_DIR", str(archive.ctx.settings.data_dir))
    assert main(["scrub", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"clean": True, "checked": {"document": 5, "text": 5, "raw_scan": 2},
                   "mismatches": 0, "bad_objects": 0, "retention_checked": True,
                   "findings": [], "orphans": []}
    assert main(["scrub", "--dossier", archive.codes[BIRTH]]) == 0
    assert capsys.readouterr().out.strip() == ("Đã kiểm tra 2 tài liệu, 2 tệp văn bản, 1 bản "
                                               "quét gốc: không có sai lệch.")
    assert main(["scrub", "--since", "2026-03-06"]) == 0
    assert "Đã kiểm tra 0 tài liệu, 0 tệp văn bản, 0 bản quét gốc" in capsys.readouterr().out


def _flip(path: Path, marker: bytes) -> None:
    data = path.read_bytes()
    at = data.index(marker)
    path.write_bytes(data[:at] + b"X" + data[at + 1:])


def test_scrub_reports_every_damaged_object_and_checks_all_the_others(
        archive: Archive, monkeypatch, capsys) -> None:
    store, root = archive.store, archive.store.root
    birth, licence = archive.codes[BIRTH], archive.codes[LICENCE]
    _flip(store.data_path(archive.doc_key(BIRTH, 1)), f"MARK-{birth}-1".encode())
    store.data_path(archive.doc_key(LICENCE, 2)).unlink()  # lost on disk
    store.data_path(archive.doc_key(LICENCE, 3)).write_bytes(signed_pdf(archive.ctx, "OTHER"))
    _flip(store.data_path(archive.raw_key(LICENCE)), f"RAW-{licence}".encode())
    store.data_path(text_key(birth, 2, "giay_chung_sinh")).unlink()
    (root / "locks" / f"{archive.doc_key(LICENCE, 1)}.json").unlink()

    report = scrub(archive.ctx.catalog, store, trust_roots_for(archive.ctx.settings.signing))
    found = {(f.key, f.problem) for f in report.findings}
    assert found == {
        (archive.doc_key(BIRTH, 1), "hash_mismatch"),
        (archive.doc_key(BIRTH, 1), "signature_broken"),
        (archive.doc_key(LICENCE, 2), "missing"),
        (archive.doc_key(LICENCE, 3), "replaced"),
        (archive.raw_key(LICENCE), "hash_mismatch"),
        (text_key(birth, 2, "giay_chung_sinh"), "missing"),
        (archive.doc_key(LICENCE, 1), "retention_missing"),
    }
    assert dict(report.checked) == {"document": 5, "text": 5, "raw_scan": 2}
    by_key = {f.key: f for f in report.findings}
    assert by_key[archive.doc_key(LICENCE, 3)].message.endswith(
        "dù mang chữ ký hợp lệ: tài liệu đã bị thay thế")
    assert by_key[archive.doc_key(LICENCE, 2)].message == \
        "không có tài liệu trong kho lưu trữ"
    assert by_key[archive.doc_key(LICENCE, 1)].message == \
        "không có khóa lưu giữ trong kho (danh mục: lưu đến 01/01/2037)"
    assert by_key[archive.doc_key(LICENCE, 1)].dossier == licence

    monkeypatch.setenv("SOHOA_DATA_DIR", str(archive.ctx.settings.data_dir))
    assert main(["scrub", "--json"]) == 10
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert (out["clean"], out["mismatches"], out["bad_objects"]) == (False, 7, 6)
    assert {(f["dossier"], f["kind"], f["problem"]) for f in out["findings"]} >= {
        (birth, "document", "signature_broken"), (licence, "raw_scan", "hash_mismatch"),
        (birth, "text", "missing")}
    assert "kiểm tra toàn vẹn phát hiện 7 sai lệch ở 6 đối tượng" in captured.err
    assert main(["scrub", "--dossier", birth]) == 10
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == ("Đã kiểm tra 2 tài liệu, 2 tệp văn bản, 1 bản quét gốc: 3 sai lệch "
                         "ở 2 đối tượng.")
    assert sum(line.startswith(f"SAI  {birth}  ") for line in lines) == 3


def test_scrub_usage_errors(archive: Archive, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(archive.ctx.settings.data_dir))
    assert main(["scrub", "--dossier", "000.00.14.H56-200101-9999"]) == 7
    assert "không có hồ sơ 000.00.14.H56-200101-9999" in capsys.readouterr().err
    assert main(["scrub", "--since", "05/03/2026"]) == 2
    assert "ngày không hợp lệ" in capsys.readouterr().err


# --- on S3: the lock in force is compared with the catalog --------------------------------------


@pytest.mark.service
def test_scrub_on_s3_finds_locks_shorter_than_recorded(s3_store, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    migrate(url)
    catalog = Catalog(make_engine(url))
    ctx = open_context(work_settings(tmp_path / "data"))
    try:
        code = catalog.new_dossier(LICENCE, "000.00.14.H56", SIGNED)
        soon = datetime.now(UTC) + timedelta(days=2)
        cases = [(ObjectLock(soon), soon), (ObjectLock(soon), soon + timedelta(days=30)),
                 (ObjectLock(soon), None)]  # sound, too short, permanent without legal hold
        for ordinal, (lock, recorded) in enumerate(cases, start=1):
            key = document_key(code, ordinal, "khac")
            stored = s3_store.put(key, signed_pdf(ctx, f"S3-{ordinal}"), "application/pdf",
                                  retain=lock)
            s3_store.put(text_key(code, ordinal, "khac"), b"van ban", "text/plain")
            catalog.add_document(code, ordinal, stored, title="x", page_count=1,
                                 doc_type="khac", signed_at=SIGNED, retain_until=recorded)
        report = scrub(catalog, s3_store, trust_roots_for(ctx.settings.signing),
                       Scope(dossier_code=code))
    finally:
        ctx.close()
        catalog.engine.dispose()
    assert [(f.key.rsplit("/", 1)[1], f.problem) for f in report.findings] == [
        ("02-khac.pdf", "retention_short"), ("03-khac.pdf", "retention_short")]
    assert "thiếu legal hold" in report.findings[1].message
    assert dict(report.checked) == {"document": 3, "text": 3}


# --- issue 13: orphans, and a damaged object is a finding, not the end of the scrub -----------


def test_scrub_lists_orphan_page_artefacts_and_collects_them_after_the_grace_period(
        archive: Archive, monkeypatch, capsys) -> None:
    """A page read twice leaves the loser's artefacts behind (issue 13, point 2)."""
    code, store = archive.codes[BIRTH], archive.store
    raw = archive.raw_key(BIRTH)
    archive.ctx.catalog.add_page(code, 0, raw_scan_key=raw, source_page_index=0)
    kept = store.put(page_artefact_key(code, 0, sha256_hex(b"kept"), "layer.pdf"), b"kept")
    orphan = store.put(page_artefact_key(code, 0, sha256_hex(b"lost"), "layer.pdf"), b"lost")
    with archive.ctx.catalog.write_session() as session:
        session.execute(update(Page).values(result={"text_layer": {"key": kept.key}}))
    trust = trust_roots_for(archive.ctx.settings.signing)

    report = scrub(archive.ctx.catalog, store, trust)
    assert report.findings == []  # garbage, not damage
    assert [(o.dossier, o.key, o.size, o.collected) for o in report.orphans] == [
        (code, orphan.key, 4, False)]
    assert report.summary().endswith("1 sản phẩm trang mồ côi (không bản ghi nào dùng).")
    report = scrub(archive.ctx.catalog, store, trust, collect_orphans=True)
    assert [o.collected for o in report.orphans] == [False]  # younger than 24 h
    assert store.exists(orphan.key)

    monkeypatch.setenv("SOHOA_DATA_DIR", str(archive.ctx.settings.data_dir))
    assert main(["scrub", "--collect-orphans", "--grace", "0"]) == 0
    out = capsys.readouterr().out
    assert f"ĐÃ DỌN  {code}  {orphan.key} (4 byte)" in out
    assert out.strip().endswith("1 sản phẩm trang mồ côi (không bản ghi nào dùng), đã dọn 1.")
    assert not store.exists(orphan.key) and store.exists(kept.key)
    assert scrub(archive.ctx.catalog, store, trust).orphans == []


@pytest.fixture(scope="module")
def own_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """A SeaweedFS of these tests' own: its volume files get damaged, it gets stopped."""
    server = started_server(tmp_path_factory.mktemp("seaweed-scrub"))
    yield server
    server.close()


def _damage_volume(server: SeaweedServer, bucket: str, marker: bytes) -> None:
    """Flip one byte of an object inside SeaweedFS's volume file, as a failing disk would:
    the server then answers every read of that object with InternalError."""
    (volume,) = [p for p in (server.root / "data").glob(f"{bucket}_*.dat")
                 if marker in p.read_bytes()]
    data = bytearray(volume.read_bytes())
    data[data.index(marker)] ^= 0xFF
    volume.write_bytes(bytes(data))


@pytest.mark.service
def test_scrub_on_s3_reports_a_damaged_object_and_goes_on(own_s3: SeaweedServer,
                                                           tmp_path: Path) -> None:
    """Issue 13, point 3: one flipped byte in a volume stopped the scrub (exit 8) and three
    other mismatches were never reported."""
    from sohoa.storage.s3 import S3ObjectStore

    bucket = fresh_bucket_name()
    store = S3ObjectStore(own_s3.settings(bucket, retry_seconds=3.0))
    url = f"sqlite:///{tmp_path / 'catalog.sqlite3'}"
    migrate(url)
    catalog = Catalog(make_engine(url))
    try:
        code = catalog.new_dossier(BIRTH, "000.00.14.H56", SIGNED)
        scans = {name: os.urandom(60_000) for name in ("a", "b", "c", "d")}
        keys = {}
        for name, data in scans.items():
            stored = store.put(raw_scan_key(code, sha256_hex(data), f"{name}.png"), data)
            if name == "c":  # the catalog remembers other bytes: a changed scan
                stored = StoredObject(stored.key, sha256_hex(b"other"), stored.size)
            catalog.add_raw_scan(code, stored, f"{name}.png", SIGNED)
            keys[name] = stored.key
        store.delete(keys["d"])  # lost
        _damage_volume(own_s3, bucket, scans["b"][30_000:30_064])

        report = scrub(catalog, store, [])
        assert sorted((f.key, f.problem) for f in report.findings) == sorted([
            (keys["b"], "unreadable"), (keys["c"], "hash_mismatch"), (keys["d"], "missing")])
        assert dict(report.checked) == {"raw_scan": 4}
        unreadable = next(f for f in report.findings if f.problem == "unreadable")
        assert unreadable.message.startswith("không đọc được từ kho lưu trữ")

        own_s3.stop()  # down for every object: that is an outage, not a finding
        try:
            with pytest.raises(StorageUnavailableError):
                scrub(catalog, store, [])
        finally:
            own_s3.start(timeout=SERVICE_START_S)
    finally:
        catalog.engine.dispose()
