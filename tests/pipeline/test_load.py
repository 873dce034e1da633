"""The load stage: every bad input gets its own typed error, good input its pixels and dpi.

Sample files live in tests/resources (see the README there); variants that depend on a
limit or a format detail are made on the fly from :mod:`sohoa_dev.synth` pages.
"""

from __future__ import annotations

import inspect
import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from sohoa.errors import (
    CorruptFileError,
    DecompressionBombError,
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    InputError,
    TooManyPagesError,
    UnsupportedFileError,
)
from sohoa.pipeline.load import FileInfo, iter_pages, load_page, probe, sniff
from sohoa.pipeline.model import PageLoadFailure, RasterPage
from sohoa.settings import LoadLimits
from sohoa_dev.synth import Scan, make_page
from tests.resources.make_resources import image_pdf, jpeg_bytes, page_image, tiff_bytes
from tests.support import require_program

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
LIMITS = LoadLimits()


@pytest.fixture
def pdftoppm() -> None:
    """Rendering PDFs needs poppler: skip locally without it, fail under CI."""
    require_program("pdftoppm")


def resource(name: str) -> Path:
    return RESOURCES / name


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def loaded(path: Path, limits: LoadLimits = LIMITS) -> list[RasterPage | PageLoadFailure]:
    return list(iter_pages(path, limits))


def refused(error: type[InputError], path: Path, limits: LoadLimits = LIMITS) -> str:
    """The message of the error probing ``path`` raises; checks it names the file only."""
    with pytest.raises(error) as caught:
        probe(path, limits)
    message = str(caught.value)
    assert path.name in message
    assert str(path.parent) not in message
    assert "\n" not in message
    with pytest.raises(error):
        iter_pages(path, limits)  # refused at the call, before any page is decoded
    return message


# --- refusals --------------------------------------------------------------------------


def test_zero_byte_file_is_empty() -> None:
    assert "0 byte" in refused(EmptyFileError, resource("empty.jpg"))


def test_pdf_without_pages_is_empty() -> None:
    assert "0 trang" in refused(EmptyFileError, resource("no-pages.pdf"))


def test_tiff_without_any_frame_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "khong-trang.tif", b"II*\x00\x00\x00\x00\x00")
    refused(EmptyFileError, path)


def test_word_document_renamed_pdf_is_unsupported() -> None:
    message = refused(UnsupportedFileError, resource("docx-renamed.pdf"))
    assert "ZIP" in message and message.startswith("Tệp không phải ảnh quét hay PDF")


def test_text_renamed_pdf_is_unsupported() -> None:
    assert "văn bản" in refused(UnsupportedFileError, resource("text-renamed.pdf"))


def test_gif_is_unsupported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("L", (20, 20), 255).save(buf, "GIF")
    assert "GIF" in refused(UnsupportedFileError, write(tmp_path, "anh.jpg", buf.getvalue()))


@pytest.mark.parametrize("name", ["truncated.jpg", "truncated.png", "truncated.tif",
                                  "truncated.pdf"])
def test_truncated_files_are_corrupt(name: str) -> None:
    message = refused(CorruptFileError, resource(name))
    assert "bị hỏng" in message


@pytest.mark.parametrize("keep", [0.98, 0.75, 0.5, 0.1])
def test_jpeg_cut_anywhere_is_corrupt(tmp_path: Path, keep: float) -> None:
    data = jpeg_bytes(page_image(11, 150))
    path = write(tmp_path, "cat.jpg", data[: int(len(data) * keep)])
    refused(CorruptFileError, path)


def test_jpeg_missing_only_its_end_marker_is_corrupt(tmp_path: Path) -> None:
    data = jpeg_bytes(page_image(11, 150))
    assert data.endswith(b"\xff\xd9")
    refused(CorruptFileError, write(tmp_path, "thieu-eoi.jpg", data[:-2]))


def test_tiff_cut_inside_its_header_is_corrupt(tmp_path: Path) -> None:
    refused(CorruptFileError, write(tmp_path, "dau.tif", b"II*\x00\x08\x00"))


def test_tiff_whose_ifd_chain_loops_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(tiff_bytes([page_image(21, 100)], None, 100))
    with Image.open(io.BytesIO(bytes(data))) as img:
        first_ifd = int.from_bytes(data[4:8], "little")
        entries = int.from_bytes(data[first_ifd:first_ifd + 2], "little")
        assert img.n_frames == 1
    link = first_ifd + 2 + 12 * entries
    data[link:link + 4] = first_ifd.to_bytes(4, "little")  # next IFD = itself
    assert "chuỗi IFD bị đứt" in refused(CorruptFileError, write(tmp_path, "vong.tif",
                                                                 bytes(data)))


def test_pdf_with_garbage_body_is_corrupt(tmp_path: Path) -> None:
    path = write(tmp_path, "hong.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    assert "hỏng" in refused(CorruptFileError, path)


def test_pdf_with_user_password_is_encrypted() -> None:
    message = refused(EncryptedPdfError, resource("encrypted-user.pdf"))
    assert message.startswith("Tệp PDF được bảo vệ bằng mật khẩu (PDF được mã hóa")


def test_pdf_with_owner_password_only_is_encrypted() -> None:
    path = resource("encrypted-owner.pdf")
    with pikepdf.open(path) as pdf:  # opens without a password: only permissions are locked
        assert pdf.is_encrypted
    assert "mật khẩu chủ sở hữu" in refused(EncryptedPdfError, path)


def test_png_claiming_ten_gigapixels_is_a_bomb() -> None:
    path = resource("bomb-100000x100000.png")
    assert path.stat().st_size < 200
    assert "10000000000 px" in refused(DecompressionBombError, path)


def test_image_over_the_pixel_limit_is_a_bomb_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path, "to.jpg", jpeg_bytes(page_image(12, 150)))  # 375 x 270 px
    message = refused(DecompressionBombError, path, LoadLimits(max_pixels=100_000))
    assert "375x270 px, giới hạn 100000 px" in message
    assert probe(path, LoadLimits(max_pixels=101_250)).page_count == 1


def test_pdf_page_over_the_pixel_limit_at_its_render_dpi_is_a_bomb() -> None:
    # Page 1 of scan-200dpi.pdf is an 819 x 580 px scan: 475,020 px at its own 200 dpi.
    path = resource("scan-200dpi.pdf")
    assert "819x580 px ở 200 dpi" in refused(DecompressionBombError, path,
                                                LoadLimits(max_pixels=475_000))
    probe(path, LoadLimits(max_pixels=475_020))


def test_born_digital_pdf_page_is_sized_at_the_default_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, "a0.pdf", text_pdf([(2384, 3370)]))  # A0 poster
    message = refused(DecompressionBombError, path)
    assert "9934x14042 px ở 300 dpi" in message


def test_too_many_pages_in_tiff_and_pdf() -> None:
    limits = LoadLimits(max_pages=2)
    assert "hơn 2 trang" in refused(TooManyPagesError, resource("three-frames.tif"),
                                          limits)
    tiff = resource("three-frames.tif")
    assert probe(tiff, LoadLimits(max_pages=3)).page_count == 3
    assert "2 trang, giới hạn 1" in refused(TooManyPagesError, resource("scan-200dpi.pdf"),
                                          LoadLimits(max_pages=1))


def test_file_over_the_byte_limit_is_too_large() -> None:
    path = resource("three-frames.tif")
    size = path.stat().st_size
    message = refused(FileTooLargeError, path, LoadLimits(max_file_bytes=size - 1))
    assert f"{size} byte" in message
    assert probe(path, LoadLimits(max_file_bytes=size)).size_bytes == size


# --- probing ------------------------------------------------------------------------------


def test_type_is_sniffed_from_bytes_not_extension(tmp_path: Path) -> None:
    buf = io.BytesIO()
    page_image(13, 150).save(buf, "PNG")
    path = write(tmp_path, "scan.jpg", buf.getvalue())
    assert probe(path, LIMITS) == FileInfo(kind="png", page_count=1,
                                           size_bytes=len(buf.getvalue()))
    assert sniff(b"junk before the header %PDF-1.4\n") == "pdf"
    assert sniff(b"MM\x00*\x00\x00\x00\x08") == "tiff"
    assert sniff(b"hello") is None


def test_probe_reports_kind_pages_and_size() -> None:
    assert probe(resource("three-frames.tif"), LIMITS) == FileInfo(
        kind="tiff", page_count=3, size_bytes=resource("three-frames.tif").stat().st_size)
    info = probe(resource("scan-200dpi.pdf"), LIMITS)
    assert (info.kind, info.page_count) == ("pdf", 2)


# --- images -------------------------------------------------------------------------------


def test_jpeg_page_pixels_and_dpi(tmp_path: Path) -> None:
    img = page_image(14, 200)
    path = write(tmp_path, "trang.jpg", jpeg_bytes(img, dpi=(200, 200)))
    [page] = loaded(path)
    assert isinstance(page, RasterPage)
    assert (page.source, page.index, page.dpi) == ("trang.jpg", 0, 200.0)
    assert page.pixels.dtype == np.uint8 and page.pixels.shape == (img.height, img.width)
    assert np.abs(page.pixels.astype(int) - np.asarray(img, dtype=int)).mean() < 3


@pytest.mark.parametrize("recorded", [None, (1, 1), (10, 10), (5000, 5000)])
def test_missing_or_absurd_dpi_falls_back_to_the_default(tmp_path: Path, recorded) -> None:
    kwargs = {} if recorded is None else {"dpi": recorded}
    path = write(tmp_path, "khong-dpi.jpg", jpeg_bytes(page_image(15, 150), **kwargs))
    [page] = loaded(path, LoadLimits(default_dpi=240))
    assert page.dpi == 240


def test_png_dpi_from_phys(tmp_path: Path) -> None:
    buf = io.BytesIO()
    page_image(16, 150).save(buf, "PNG", dpi=(150, 150))
    [page] = loaded(write(tmp_path, "phys.png", buf.getvalue()))
    assert page.dpi == pytest.approx(150, abs=0.1)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    stored = Image.new("L", (300, 200), 255)
    stored.paste(0, (0, 0, 40, 40))  # black mark at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    path = write(tmp_path, "dien-thoai.jpg", jpeg_bytes(stored, quality=95, exif=exif))
    [page] = loaded(path)
    assert page.pixels.shape == (300, 200)
    assert page.pixels[:30, -30:].mean() < 20  # the mark is now top-right
    assert page.pixels[:30, :30].mean() > 235


def test_cmyk_jpeg_comes_out_rgb(tmp_path: Path) -> None:
    img = Image.new("CMYK", (120, 80), (0, 0, 0, 0))
    img.paste((255, 0, 0, 0), (0, 0, 60, 80))  # cyan left half
    path = write(tmp_path, "cmyk.jpg", jpeg_bytes(img, quality=95))
    [page] = loaded(path)
    assert page.pixels.shape == (80, 120, 3)
    cyan, white = page.pixels[10:70, 10:50].mean(axis=(0, 1)), page.pixels[10:70, 70:110].mean(
        axis=(0, 1))
    assert cyan[0] < 20 and cyan[1] > 235 and cyan[2] > 235
    assert (white > 245).all()


def test_sixteen_bit_png_is_scaled_to_eight_bit(tmp_path: Path) -> None:
    ramp = np.tile(np.arange(0, 65536, 256, dtype=np.uint16), (10, 1))  # 10 x 256
    buf = io.BytesIO()
    Image.fromarray(ramp).save(buf, "PNG")
    [page] = loaded(write(tmp_path, "16bit.png", buf.getvalue()))
    assert page.pixels.dtype == np.uint8 and page.pixels.shape == (10, 256)
    assert np.array_equal(page.pixels[0], np.arange(256, dtype=np.uint8))


def test_transparent_and_palette_pngs_land_on_white_paper(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
    rgba.paste((200, 30, 35, 255), (0, 0, 20, 30))  # red seal ink on the left half
    buf = io.BytesIO()
    rgba.save(buf, "PNG")
    [page] = loaded(write(tmp_path, "rgba.png", buf.getvalue()))
    assert page.pixels.shape == (30, 40, 3)
    assert tuple(page.pixels[5, 5]) == (200, 30, 35) and tuple(page.pixels[5, 35]) == (255,) * 3
    buf = io.BytesIO()
    page_image(17, 150).convert("P").save(buf, "PNG")
    [page] = loaded(write(tmp_path, "palette.png", buf.getvalue()))
    assert page.pixels.ndim == 2  # gray palette: no colour to keep


def test_colour_image_that_is_gray_comes_out_2d(tmp_path: Path) -> None:
    buf = io.BytesIO()
    page_image(18, 150).convert("RGB").save(buf, "PNG")
    [page] = loaded(write(tmp_path, "xam.png", buf.getvalue()))
    assert page.pixels.ndim == 2


def test_tiff_frames_bitonal_gray_and_colour() -> None:
    pages = loaded(resource("three-frames.tif"))
    assert [p.index for p in pages] == [0, 1, 2]
    assert all(isinstance(p, RasterPage) and p.dpi == 200 for p in pages)
    bitonal, gray, colour = (p.pixels for p in pages)
    assert bitonal.shape == gray.shape == (270, 375)
    assert set(np.unique(bitonal)) == {0, 255}
    assert len(np.unique(gray)) > 50
    assert colour.shape == (270, 375, 3)
    red = (colour[:, :, 0].astype(int) - colour[:, :, 1]) > 100
    assert red.sum() > 200  # the seal


def test_corrupt_middle_tiff_frame_fails_alone() -> None:
    first, middle, last = loaded(resource("corrupt-middle-frame.tif"))
    assert isinstance(first, RasterPage) and isinstance(last, RasterPage)
    assert isinstance(middle, PageLoadFailure)
    assert (middle.source, middle.index) == ("corrupt-middle-frame.tif", 1)
    assert middle.reason.startswith("Không giải mã được trang 2")
    assert last.index == 2 and (last.pixels < 128).mean() > 0.01  # real text came out


def test_tiff_pages_come_lazily(tmp_path: Path) -> None:
    path = write(tmp_path, "nhieu.tif", tiff_bytes([page_image(s, 100) for s in range(5)],
                                                   "tiff_deflate", 100))
    pages = iter_pages(path, LIMITS)
    assert inspect.isgenerator(pages)
    assert next(pages).index == 0


# --- PDFs ---------------------------------------------------------------------------------


def text_pdf(sizes: list[tuple[float, float]]) -> bytes:
    """A born-digital PDF: text drawn with a standard font, no image at all."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    for width, height in sizes:
        page = pdf.add_blank_page(page_size=(width, height))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 24 Tf 20 {height - 60} Td (Giay de nghi) Tj ET".encode())
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_image_only_pdf_renders_at_the_scan_resolution(pdftoppm: None) -> None:
    first, rotated = loaded(resource("scan-200dpi.pdf"))
    assert isinstance(first, RasterPage) and isinstance(rotated, RasterPage)
    assert first.dpi == pytest.approx(200, abs=1)
    original = np.asarray(page_image(8, 200, (4.1, 2.9)), dtype=int)  # 580 x 819 px
    assert first.pixels.shape == original.shape  # 1:1 with the scan
    decoded = np.asarray(Image.open(io.BytesIO(jpeg_bytes(page_image(8, 200, (4.1, 2.9))))))
    assert np.abs(first.pixels.astype(int) - decoded).mean() < 0.5  # copied, not resampled
    assert rotated.dpi == pytest.approx(200, abs=1)
    assert rotated.pixels.shape == (400, 580)  # a 2.0 x 2.9 in page with /Rotate 90


def test_scan_placed_with_a_scaled_matrix_and_colour(tmp_path: Path, pdftoppm: None) -> None:
    img = page_image(19, 300, (3.0, 2.0), seal=True)
    pdf = image_pdf([(img, 300, 0)])
    path = tmp_path / "mau.pdf"
    pdf.save(path)
    [page] = loaded(path)
    assert page.dpi == pytest.approx(300, abs=1)
    assert page.pixels.shape == (600, 900, 3)


def test_scan_drawn_turned_by_its_matrix_keeps_its_dpi(tmp_path: Path,
                                                       pdftoppm: None) -> None:
    """A 600 x 400 px scan drawn turned a quarter by ``cm`` on a 2 x 3 in page: 200 dpi."""
    img = page_image(22, 200, (3.0, 2.0))
    pdf = image_pdf([(img, 200, 0)])
    page = pdf.pages[0]
    page.obj.MediaBox = pikepdf.Array([0, 0, 144, 216])
    page.obj.Contents = pdf.make_stream(b"q 0 216 -144 0 144 0 cm /Im0 Do Q")
    path = tmp_path / "xoay.pdf"
    pdf.save(path)
    [loaded_page] = loaded(path)
    assert loaded_page.dpi == pytest.approx(200, abs=1)
    assert loaded_page.pixels.shape == (600, 400)


def test_text_pdf_renders_at_the_default_dpi(tmp_path: Path, pdftoppm: None) -> None:
    path = write(tmp_path, "van-ban.pdf", text_pdf([(216, 144)]))  # 3 x 2 in
    [page] = loaded(path, LoadLimits(default_dpi=150))
    assert page.dpi == 150 and page.pixels.shape == (300, 450)
    assert page.pixels.ndim == 2
    assert (page.pixels < 128).sum() > 500  # the text was drawn


def test_broken_pdf_page_fails_alone(tmp_path: Path, pdftoppm: None) -> None:
    pdf = pikepdf.Pdf.open(io.BytesIO(text_pdf([(216, 144)] * 3)))
    pdf.pages[1].obj.Contents = 5  # not a stream: poppler cannot create that page
    path = tmp_path / "mot-trang-hong.pdf"
    pdf.save(path)
    first, broken, last = loaded(path)
    assert isinstance(first, RasterPage) and isinstance(last, RasterPage)
    assert isinstance(broken, PageLoadFailure) and broken.index == 1
    assert broken.reason.startswith("Không chuyển được trang 2 thành ảnh")
    assert str(tmp_path) not in broken.reason
    assert (last.pixels < 128).sum() > 200


def test_pdf_pages_come_lazily(pdftoppm: None) -> None:
    pages = iter_pages(resource("scan-200dpi.pdf"), LIMITS)
    assert inspect.isgenerator(pages)
    assert next(pages).index == 0


def test_synth_scan_round_trip_through_pdf(tmp_path: Path, pdftoppm: None) -> None:
    synth = make_page(20, Scan(dpi=250, skew=2, noise=6), size_in=(3.0, 2.0), sentences=3)
    synth.image.info = {}
    path = tmp_path / "quet.pdf"
    image_pdf([(synth.image, 250, 0)]).save(path)
    [page] = loaded(path)
    assert page.dpi == pytest.approx(250, abs=1)
    assert page.pixels.shape == (synth.image.height, synth.image.width)


def test_load_page_takes_one_page_by_index(tmp_path: Path) -> None:
    frames = [Image.new("L", (120, 90), v) for v in (10, 120, 240)]
    path = tmp_path / "three.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    page = load_page(path, 1, LoadLimits())
    assert page.index == 1 and page.pixels.shape == (90, 120)
    assert int(page.pixels.mean()) == 120
    with pytest.raises(IndexError):
        load_page(path, 3, LoadLimits())


def test_pages_that_already_carry_text_are_noticed(tmp_path: Path, pdftoppm: None) -> None:
    """Born-digital text, text inside a form XObject: noticed; a plain scan: not."""
    pdf = pikepdf.Pdf.open(io.BytesIO(text_pdf([(216, 144)] * 2)))
    second = pdf.pages[1].obj
    form = pdf.make_stream(second.Contents.read_bytes(), Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Form, BBox=[0, 0, 216, 144],
                           Resources=second.Resources)
    second.Contents = pdf.make_stream(b"q /Fm0 Do Q")
    second.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
    path = tmp_path / "co-chu.pdf"
    pdf.save(path)
    assert [p.input_text_layer for p in loaded(path)] == [True, True]
    scan = loaded(resource("scan-200dpi.pdf"))
    assert [p.input_text_layer for p in scan] == [False, False]
