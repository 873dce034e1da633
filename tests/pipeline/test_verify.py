"""Verification: tampering is caught by both pyHanko (via verify_pdf) and poppler's pdfsig."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from sohoa.errors import VerificationError
from sohoa.pipeline.devca import ensure_dev_signer
from sohoa.pipeline.sign import sign_pdf
from sohoa.pipeline.signers import load_signer
from sohoa.pipeline.verify import describe, trust_roots_for, verify_pdf
from sohoa.settings import SigningSettings
from tests.helpers import pdfs, pki

SIGNED_AT = datetime(2026, 11, 21, 7, 5, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> SigningSettings:
    return SigningSettings(dev_ca_dir=tmp_path_factory.mktemp("dev-ca"))


@pytest.fixture(scope="module")
def dev_ca(settings: SigningSettings) -> Path:
    return ensure_dev_signer(settings.dev_ca_dir).ca_cert_path


@pytest.fixture(scope="module")
def original() -> bytes:
    return pdfs.scanned_pdfa()


@pytest.fixture(scope="module")
def signed(original: bytes, settings: SigningSettings) -> bytes:
    with load_signer(settings) as signer:
        return sign_pdf(original, signer, settings, now=SIGNED_AT)


@pytest.fixture(scope="module")
def nss_dir(tmp_path_factory: pytest.TempPathFactory, dev_ca: Path) -> Path:
    return pki.nss_store(tmp_path_factory.mktemp("nss"), [dev_ca])


def test_one_changed_byte_breaks_the_signature(
    original: bytes, signed: bytes, dev_ca: Path, nss_dir: Path, tmp_path: Path
) -> None:
    at = pdfs.jpeg_offset(original)
    tampered = bytearray(signed)
    tampered[at] ^= 0x55
    report = verify_pdf(bytes(tampered), [dev_ca])
    (check,) = report.signatures
    assert check.intact is False
    assert check.valid is False
    assert report.valid is False
    lines = describe(report)
    assert "  Nội dung đã bị thay đổi: mã băm không khớp với chữ ký" in lines
    assert "  Chứng thư số không thuộc CA tin cậy" not in lines

    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(tampered))
    out = pki.pdfsig(path, nss_dir)
    assert "Signature is Invalid." in out or "Digest Mismatch." in out
    assert "Signature is Valid." not in out


def test_damaged_signature_container_is_reported_not_raised(signed: bytes, dev_ca: Path) -> None:
    # change one byte of the embedded signer certificate's own signature (random bytes, no
    # DER structure), so the CMS still parses but its signing-certificate attribute mismatches
    sig = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures[0]
    tail = sig.signer_cert.dump()[-64:].hex().upper().encode()
    at = signed.index(tail) + 64
    flipped = b"00" if signed[at : at + 2] != b"00" else b"11"
    damaged = signed[:at] + flipped + signed[at + 2 :]
    report = verify_pdf(damaged, [dev_ca])
    (check,) = report.signatures
    assert check.valid is False and check.intact is False and report.valid is False
    assert check.problem
    assert any(line.startswith("  Chữ ký bị hỏng") for line in describe(report))


def test_page_edited_after_signing_is_reported(
    signed: bytes, dev_ca: Path, nss_dir: Path, tmp_path: Path
) -> None:
    forged = pdfs.append_page_edit(signed)
    assert forged.startswith(signed)
    report = verify_pdf(forged, [dev_ca])
    (check,) = report.signatures
    assert check.intact is True  # the signed bytes themselves are untouched
    assert check.coverage == "ENTIRE_REVISION"
    assert check.modification_level == "OTHER"
    assert check.modified_after_signing is True
    assert check.valid is False
    assert report.valid is False
    assert "  Tệp đã bị sửa đổi sau khi ký" in describe(report)

    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    assert "Not total document signed" in pki.pdfsig(path, nss_dir)


def test_bytes_appended_after_eof_are_a_modification(
    signed: bytes, dev_ca: Path, nss_dir: Path, tmp_path: Path
) -> None:
    appended = signed + b"\n1 0 obj\n(not in any xref)\nendobj\n"
    report = verify_pdf(appended, [dev_ca])
    (check,) = report.signatures
    assert check.intact is True and check.modification_level == "NONE"
    assert check.modified_after_signing is True
    assert report.valid is False

    path = tmp_path / "appended.pdf"
    path.write_bytes(appended)
    assert "Not total document signed" in pki.pdfsig(path, nss_dir)


def test_a_second_signature_is_a_harmless_later_change(
    signed: bytes, settings: SigningSettings, dev_ca: Path, nss_dir: Path, tmp_path: Path
) -> None:
    with load_signer(settings) as signer:
        twice = sign_pdf(signed, signer, settings, reason="Kiểm tra", now=SIGNED_AT)
    assert twice.startswith(signed)
    report = verify_pdf(twice, [dev_ca])
    first, second = report.signatures
    assert (first.field_name, second.field_name) == ("ChuKySoHoa1", "ChuKySoHoa2")
    assert first.coverage == "ENTIRE_REVISION"
    assert first.modification_level == "FORM_FILLING"
    assert first.modified_after_signing is False and first.valid is True
    assert second.coverage == "ENTIRE_FILE" and second.valid is True
    assert report.valid is True

    path = tmp_path / "twice.pdf"
    path.write_bytes(twice)
    assert pki.pdfsig(path, nss_dir).count("Signature is Valid.") == 2


def test_report_is_json_and_readable(signed: bytes, dev_ca: Path) -> None:
    report = verify_pdf(signed, [dev_ca])
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["valid"] is True
    (sig,) = data["signatures"]
    assert sig["signer_name"] == "Cán bộ số hóa (THỬ NGHIỆM)"
    assert sig["signing_time"] == "2026-11-21T14:05:09+07:00"
    assert describe(report) == [
        "Tệp hợp lệ: mọi chữ ký còn nguyên vẹn và đáng tin cậy",
        "Chữ ký 1 (ChuKySoHoa1):",
        "  Chữ ký hợp lệ",
        "  Người ký: Cán bộ số hóa (THỬ NGHIỆM)",
        "  Thời gian ký: 21/11/2026 14:05:09 (GMT+7)",
    ]


def test_untrusted_signer_is_described(signed: bytes) -> None:
    lines = describe(verify_pdf(signed, []))
    assert lines[0] == "Tệp KHÔNG hợp lệ"
    assert "  Chứng thư số không thuộc CA tin cậy" in lines


def test_unsigned_pdf_and_non_pdf_are_refused(original: bytes, dev_ca: Path) -> None:
    with pytest.raises(VerificationError, match="không có chữ ký"):
        verify_pdf(original, [dev_ca])
    with pytest.raises(VerificationError, match="không phải PDF"):
        verify_pdf(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, [dev_ca])
    with pytest.raises(VerificationError):
        verify_pdf(b"%PDF-1.7\n garbage without objects", [dev_ca])


def test_trust_roots_add_the_dev_ca_only_when_it_exists(tmp_path: Path, dev_ca: Path) -> None:
    extra = tmp_path / "gov-root.crt"
    fresh = SigningSettings(dev_ca_dir=tmp_path / "never-made", trust_roots=(extra,))
    assert trust_roots_for(fresh) == [extra]
    assert not (tmp_path / "never-made").exists()
    made = SigningSettings(dev_ca_dir=dev_ca.parent, trust_roots=(extra,))
    assert trust_roots_for(made) == [extra, dev_ca]
