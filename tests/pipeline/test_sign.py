"""Sign stage: PAdES on a PDF/A-2b, checked by pyHanko and independently by poppler's pdfsig."""

from __future__ import annotations

import io
import multiprocessing
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from fontTools.ttLib import TTFont
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from sohoa.errors import SigningError, TimestampError
from sohoa.pipeline.devca import DEV_PKCS12_PASSWORD, ensure_dev_signer
from sohoa.pipeline.sign import STAMP_HEIGHT, STAMP_MARGIN, STAMP_WIDTH, sign_pdf, stamp_rect
from sohoa.pipeline.signers import load_signer
from sohoa.pipeline.stamp_space import CLEARANCE, TIGHT_MARGIN, page_ink
from sohoa.pipeline.verify import verify_pdf
from sohoa.settings import SigningSettings
from tests.helpers import pdfs, pki

SIGNED_AT = datetime(2026, 11, 21, 7, 5, 9, tzinfo=UTC)  # 14:05:09 in Hà Nội
DEV_NAME = "Cán bộ số hóa (THỬ NGHIỆM)"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> SigningSettings:
    return SigningSettings(dev_ca_dir=tmp_path_factory.mktemp("dev-ca"))


@pytest.fixture(scope="module")
def original() -> bytes:
    return pdfs.scanned_pdfa()


@pytest.fixture(scope="module")
def signed(original: bytes, settings: SigningSettings) -> bytes:
    with load_signer(settings) as signer:
        return sign_pdf(original, signer, settings, location="Nghệ An", now=SIGNED_AT)


@pytest.fixture(scope="module")
def nss_dir(tmp_path_factory: pytest.TempPathFactory, settings: SigningSettings) -> Path:
    ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    return pki.nss_store(tmp_path_factory.mktemp("nss"), [ca])


def _pyhanko_status(pdf: bytes, roots: list[Path]):
    reader = PdfFileReader(io.BytesIO(pdf))
    (sig,) = reader.embedded_regular_signatures
    assert isinstance(sig, EmbeddedPdfSignature)
    trust = [load_cert_from_pemder(str(p)) for p in roots]
    context = ValidationContext(trust_roots=trust, allow_fetching=False)
    return validate_pdf_signature(sig, context, ts_validation_context=context)


def test_signature_is_an_incremental_pades_update(original: bytes, signed: bytes) -> None:
    assert signed.startswith(original)
    assert len(signed) > len(original) + 8000  # a CMS container with two certificates
    reader = PdfFileReader(io.BytesIO(signed))
    (sig,) = reader.embedded_regular_signatures
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.sig_object["/Location"] == "Nghệ An"
    assert sig.sig_object["/Reason"] == "Số hóa hồ sơ"


def test_pyhanko_validates_with_dev_ca_as_root(signed: bytes, settings: SigningSettings) -> None:
    ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    status = _pyhanko_status(signed, [ca])
    assert status.bottom_line is True
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signer_reported_dt is None or status.signer_reported_dt == SIGNED_AT


def test_untrusted_without_the_dev_root(signed: bytes) -> None:
    check = verify_pdf(signed, trust_roots=[]).signatures[0]
    assert check.intact is True
    assert check.trusted is False
    assert check.valid is False


def test_verify_reports_signer_and_vietnam_time(signed: bytes, settings: SigningSettings) -> None:
    ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    report = verify_pdf(signed, trust_roots=[ca])
    (check,) = report.signatures
    assert report.valid is True
    assert check.signer_name == DEV_NAME
    assert check.signing_time == "2026-11-21T14:05:09+07:00"
    assert check.coverage == "ENTIRE_FILE"
    assert check.modified_after_signing is False
    assert check.has_timestamp is False


def test_pdfsig_says_valid_and_trusted(signed: bytes, nss_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = pki.pdfsig(path, nss_dir)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report
    assert f"Signer Certificate Common Name: {DEV_NAME}" in report


def test_stamp_text_shows_signer_and_gmt7_time(signed: bytes, tmp_path: Path) -> None:
    pki.require_tools("pdftotext")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Ký bởi: {DEV_NAME}" in text
    assert "Thời gian: 21/11/2026 14:05:09 (GMT+7)" in text


def test_widget_is_printable_top_right_with_appearance(signed: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(signed))
    (widget,) = pdf.pages[0].Annots
    assert widget.Subtype == "/Widget" and widget.FT == "/Sig"
    assert int(widget.F) & 4  # Print: PDF/A wants visible widgets printed
    llx, lly, urx, ury = (float(v) for v in widget.Rect)
    page_w, page_h = pdfs.A6_POINTS
    # the page's dark bar runs 40-70 pt from the top and under it the top fifth of this A6
    # page has no room: a smaller block goes into the blank band above the bar
    assert urx == pytest.approx(page_w - TIGHT_MARGIN, abs=0.01)
    assert page_h - ury == pytest.approx(TIGHT_MARGIN, abs=0.01)
    assert page_h - lly <= 40 - CLEARANCE
    assert STAMP_WIDTH / 2 < urx - llx < STAMP_WIDTH
    appearance = widget.AP.N
    assert appearance.Subtype == "/Form"
    assert b"/BackgroundGS" not in appearance.read_bytes()  # no transparency trick
    assert "/ExtGState" not in appearance.Resources


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_stamp_is_upright_top_right_on_rotated_pages(
    rotate: int, settings: SigningSettings, tmp_path: Path
) -> None:
    pki.require_tools("pdftotext")
    with load_signer(settings) as signer:
        out = sign_pdf(pdfs.scanned_pdfa(rotate=rotate), signer, settings, now=SIGNED_AT)
    path = tmp_path / "rotated.pdf"
    path.write_bytes(out)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = [x for x in bbox.splitlines() if "<word" in x]
    boxes = [[float(w.split(f'{k}="')[1].split('"')[0]) for k in ("xMin", "yMin", "xMax", "yMax")]
             for w in words]
    stamp = [b for w, b in zip(words, boxes, strict=True) if "Ký bởi" in w or "GMT" in w]
    assert len(stamp) == 2
    shown_w, shown_h = pdfs.A6_POINTS if rotate == 180 else pdfs.A6_POINTS[::-1]
    # poppler reports word boxes in the displayed (rotated) page, origin top-left: the
    # stamp's words read left to right (upright) in the top fifth, right half, off the bar
    ink = page_ink(pdfs.scanned_pdfa(rotate=rotate))
    assert ink is not None and ink.shape[1] == pytest.approx(shown_w, abs=1)
    for x0, y0, x1, y1 in stamp:
        assert x1 - x0 > y1 - y0  # a horizontal word, so the text is upright
        assert x0 > shown_w / 2 - STAMP_WIDTH / 2
        assert y1 < max(shown_h * 0.2, STAMP_MARGIN + STAMP_HEIGHT) + 1  # small pages: 1 row
        assert not ink[int(y0):int(y1) + 1, int(x0):int(x1) + 1].any()


def test_stamp_rect_follows_rotation() -> None:
    box = (0.0, 0.0, 300.0, 400.0)
    m, w, h = STAMP_MARGIN, STAMP_WIDTH, STAMP_HEIGHT
    assert stamp_rect(box, 0) == pytest.approx((300 - m - w, 400 - m - h, 300 - m, 400 - m))
    assert stamp_rect(box, 90) == pytest.approx((m, 400 - m - w, m + h, 400 - m))
    assert stamp_rect(box, 180) == pytest.approx((m, m, m + w, m + h))
    assert stamp_rect(box, 270) == pytest.approx((300 - m - h, m, 300 - m, m + w))


def test_signed_file_still_declares_pdfa_2b(signed: bytes) -> None:
    pdf = pikepdf.open(io.BytesIO(signed))
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "2"
    assert meta["pdfaid:conformance"] == "B"
    # PDF/A: an Info entry must equal its XMP twin (pyHanko left them different)
    assert str(pdf.trailer.Info.Producer) == meta["pdf:Producer"]
    assert "/ModDate" not in pdf.trailer.Info  # pyHanko's two clock reads could differ
    assert "xmp:ModifyDate" in meta
    assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
    # pikepdf's checker cannot judge forms/signature widgets ("unsupported"), but nothing that
    # it does check may be a violation
    report = pikepdf.pdfa.check(pdf, "2b")
    assert report.violations == ()
    assert {f.rule for f in report.unsupported} <= {"pikepdf:schema-Catalog"}


def test_every_font_in_the_update_is_embedded_with_true_widths(
    original: bytes, signed: bytes
) -> None:
    pdf = pikepdf.open(io.BytesIO(signed))
    before = {obj.objgen for obj in pikepdf.open(io.BytesIO(original)).objects}
    fonts = [
        o
        for o in pdf.objects
        if isinstance(o, pikepdf.Dictionary)
        and o.get("/Type") == "/Font"
        and o.get("/Subtype") != "/Type0"
        and o.objgen not in before
    ]
    assert fonts, "the stamp brought no font"
    for font in fonts:
        descriptor = font.FontDescriptor
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font.BaseFont
        program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
        scale = 1000 / program["head"].unitsPerEm
        order, hmtx = program.getGlyphOrder(), program["hmtx"]
        widths = list(font.W)
        checked = 0
        for first, run in zip(widths[::2], widths[1::2], strict=True):
            for offset, width in enumerate(run):
                advance = hmtx[order[int(first) + offset]][0] * scale
                assert float(width) == pytest.approx(advance, abs=1.0)
                checked += 1
        assert checked >= 30  # every distinct glyph of the two stamp lines


def test_signing_time_defaults_to_now_in_vietnam(
    original: bytes, settings: SigningSettings
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    with load_signer(settings) as signer:
        out = sign_pdf(original, signer, settings)
    ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    claimed = datetime.fromisoformat(verify_pdf(out, [ca]).signatures[0].signing_time or "")
    assert claimed.utcoffset().total_seconds() == 7 * 3600
    assert (claimed - before).total_seconds() >= 0


# --- signers ------------------------------------------------------------------------------


def test_pkcs12_signer_signs_and_wrong_password_is_refused(
    original: bytes, settings: SigningSettings
) -> None:
    dev = ensure_dev_signer(settings.dev_ca_dir)
    p12 = SigningSettings(pkcs12_path=dev.pkcs12_path, pkcs12_password=DEV_PKCS12_PASSWORD)
    with load_signer(p12) as signer:
        assert signer.signer_name == DEV_NAME
        out = sign_pdf(original, signer, p12, now=SIGNED_AT)
    assert verify_pdf(out, [dev.ca_cert_path]).valid is True

    wrong = SigningSettings(pkcs12_path=dev.pkcs12_path, pkcs12_password="sai-mat-khau")
    with pytest.raises(SigningError, match="sai mật khẩu"):
        load_signer(wrong)
    missing = SigningSettings(pkcs12_path=dev.pkcs12_path.with_name("none.p12"))
    with pytest.raises(SigningError, match="Không tìm thấy"):
        load_signer(missing)


def test_dev_ca_is_labelled_and_reused(tmp_path: Path) -> None:
    first = ensure_dev_signer(tmp_path)
    ca_bytes, signer_bytes = first.ca_cert_path.read_bytes(), first.signer_cert_path.read_bytes()
    again = ensure_dev_signer(tmp_path)
    assert again == first
    assert first.ca_cert_path.read_bytes() == ca_bytes
    assert first.signer_cert_path.read_bytes() == signer_bytes

    cert = x509.load_pem_x509_certificate(signer_bytes)
    (cn,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    (org,) = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    name = DEV_NAME.encode("utf-8")
    assert cn.value == DEV_NAME
    assert b"\x0c" + bytes([len(name)]) + name in cert.public_bytes(Encoding.DER)  # UTF8String
    assert "KHÔNG DÙNG CHO SẢN XUẤT" in str(org.value)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    days = (cert.not_valid_after_utc - cert.not_valid_before_utc).days
    assert 365 <= days <= 1000
    ca = x509.load_pem_x509_certificate(ca_bytes)
    assert cert.issuer == ca.subject
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def _ensure_in_process(ca_dir: str) -> str:
    return ensure_dev_signer(Path(ca_dir)).ca_cert_path.read_text()


def test_dev_ca_creation_is_safe_when_processes_race(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        cas = pool.map(_ensure_in_process, [str(tmp_path)] * 3)
    assert len(set(cas)) == 1
    signer = x509.load_pem_x509_certificate(
        ensure_dev_signer(tmp_path).signer_cert_path.read_bytes()
    )
    assert signer.issuer == x509.load_pem_x509_certificate(cas[0].encode()).subject
    assert not list(tmp_path.glob(".*.tmp"))


# --- PAdES B-T with a local RFC 3161 server ----------------------------------------------


@pytest.fixture
def tsa(tmp_path: Path):
    with pki.local_tsa(tmp_path / "tsa") as server:
        yield server


def test_timestamped_signature(
    original: bytes, settings: SigningSettings, tsa: pki.LocalTsa, nss_dir: Path, tmp_path: Path
) -> None:
    stamped = SigningSettings(dev_ca_dir=settings.dev_ca_dir, tsa_url=tsa.url)
    before = datetime.now(UTC).replace(microsecond=0)  # the TSA's time has whole seconds
    with load_signer(stamped) as signer:
        out = sign_pdf(original, signer, stamped, now=SIGNED_AT)
    after = datetime.now(UTC)
    assert tsa.requests >= 1
    dev_ca = ensure_dev_signer(settings.dev_ca_dir).ca_cert_path
    report = verify_pdf(out, [dev_ca, tsa.ca.cert_path])
    (check,) = report.signatures
    assert check.has_timestamp is True
    assert check.valid is True and report.valid is True
    stamped_at = datetime.fromisoformat(check.timestamp_time or "")
    assert before <= stamped_at <= after  # stamped while signing, however long that took
    # without the TSA's root the timestamp is untrusted, and so is the signature (bottom_line)
    assert verify_pdf(out, [dev_ca]).signatures[0].valid is False

    path = tmp_path / "b-t.pdf"
    path.write_bytes(out)
    assert "Signature is Valid." in pki.pdfsig(path, nss_dir)


def test_unreachable_tsa_is_a_timestamp_error(
    original: bytes, settings: SigningSettings, tsa: pki.LocalTsa
) -> None:
    url = tsa.url
    tsa.stop()  # the port is now closed
    down = SigningSettings(dev_ca_dir=settings.dev_ca_dir, tsa_url=url)
    with load_signer(down) as signer, pytest.raises(TimestampError):
        sign_pdf(original, signer, down, now=SIGNED_AT)


def test_input_that_is_not_a_pdf_is_a_signing_error(settings: SigningSettings) -> None:
    with load_signer(settings) as signer, pytest.raises(SigningError, match="Không đọc được"):
        sign_pdf(b"JFIF not a pdf at all", signer, settings)
