"""Object keys: what is refused, how user file names become safe segments, the key layout."""

from __future__ import annotations

import unicodedata

import pytest

from sohoa.errors import StorageError
from sohoa.storage.objects import (
    MAX_KEY_BYTES,
    document_key,
    raw_scan_key,
    safe_segment,
    text_key,
    validate_key,
)

CODE = "000.00.14.H56-200203-0118"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.mark.parametrize(
    "key",
    [
        "dossiers/a/raw/x.pdf",
        "a",
        "Tờ khai (1).pdf",
        "dossiers/M01.123.45-250315-AB0012/documents/01-can_cuoc.pdf",
        "a/" * 300 + "b",  # 601 bytes: long but legal
    ],
)
def test_valid_keys_are_returned_unchanged(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../secret",
        "dossiers/../../etc/passwd",
        "a/./b",
        "a//b",
        "a/b/",
        "a\\b",
        "..\\..\\windows",
        "a\x00b",
        "a\nb",
        "a\x7fb",
        "a\u202eb",  # right-to-left override: hides the real extension
        "x" * (MAX_KEY_BYTES + 1),
        "a/" + "y" * 256,
        unicodedata.normalize("NFD", "Tờ khai.pdf"),
    ],
)
def test_unsafe_keys_are_refused(key: str) -> None:
    with pytest.raises(StorageError):
        validate_key(key)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\cmd.exe", "cmd.exe"),
        ("C:\\Users\\Lan\\Scans\\Giấy chứng sinh.pdf", "Giấy_chứng_sinh.pdf"),
        ("Tờ khai (1).pdf", "Tờ_khai_(1).pdf"),
        ("a\x00b", "ab"),
        ("  .hidden  ", "hidden"),
        ("..", "unnamed"),
        ("", "unnamed"),
        ("\x00\x01", "unnamed"),
        ("scan*?:<>|\"'.tif", "scan_.tif"),
        (unicodedata.normalize("NFD", "Đơn đề nghị.PDF"), "Đơn_đề_nghị.PDF"),
    ],
)
def test_safe_segment_keeps_vietnamese_and_drops_the_rest(name: str, expected: str) -> None:
    segment = safe_segment(name)
    assert segment == expected
    assert validate_key(segment) == segment
    assert unicodedata.is_normalized("NFC", segment)


def test_safe_segment_shortens_long_names_but_keeps_the_extension() -> None:
    segment = safe_segment("Hồ sơ đăng ký " * 40 + ".pdf")
    assert segment.endswith(".pdf")
    assert len(segment.encode("utf-8")) <= 120
    assert segment.startswith("Hồ_sơ_đăng_ký_Hồ_sơ")


def test_raw_scan_key_layout() -> None:
    key = raw_scan_key(CODE, SHA, "../Tờ khai.pdf")
    assert key == f"dossiers/{CODE}/raw/9f86d081884c7d65-Tờ_khai.pdf"


def test_document_and_text_keys_share_ordinal_and_slug() -> None:
    assert document_key(CODE, 3, "to_khai_khai_sinh") == (
        f"dossiers/{CODE}/documents/03-to_khai_khai_sinh.pdf"
    )
    assert text_key(CODE, 3, "to_khai_khai_sinh") == (
        f"dossiers/{CODE}/text/03-to_khai_khai_sinh.txt"
    )
    assert document_key(CODE, 12, "khac").endswith("/12-khac.pdf")


def test_key_builders_refuse_a_code_that_escapes() -> None:
    with pytest.raises(StorageError):
        document_key("../x", 1, "khac")
    with pytest.raises(StorageError):
        raw_scan_key(CODE, "abc", "a.pdf")
    with pytest.raises(StorageError):
        document_key(CODE, -1, "khac")
