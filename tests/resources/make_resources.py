"""Regenerate the sample input files of tests/resources (see README.md there).

Run from the repository root: ``.venv/bin/python -m tests.resources.make_resources``.
Everything is deterministic (fixed seeds, no timestamps that matter) and small.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from sohoa_dev.synth import Scan, make_page

HERE = Path(__file__).resolve().parent
SMALL = (2.5, 1.8)
"""Inches: a strip of a form is enough for loader tests."""


def page_image(seed: int, dpi: int, size_in: tuple[float, float] = SMALL,
               seal: bool = False) -> Image.Image:
    """A synthetic scanned page (sohoa_dev.synth) as a Pillow image, without metadata.

    Pillow's multi-frame TIFF writer chokes on per-frame ``info`` left by synth.
    """
    img = make_page(seed, Scan(dpi=dpi, seal=seal), size_in=size_in, sentences=4).image
    img.info = {}
    return img


def jpeg_bytes(img: Image.Image, quality: int = 60, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, **kwargs)
    return buf.getvalue()


def png_bytes(img: Image.Image, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", **kwargs)
    return buf.getvalue()


def tiff_bytes(frames: list[Image.Image], compression: str | None, dpi: int) -> bytes:
    buf = io.BytesIO()
    frames = [f.copy() for f in frames]  # Pillow reuses a previous save's encoder config
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:],
                   compression=compression, dpi=(dpi, dpi))
    return buf.getvalue()


def image_pdf(pages: list[tuple[Image.Image, float, int]]) -> pikepdf.Pdf:
    """An image-only PDF as a scanner (or img2pdf) writes it: one JPEG filling each page.

    ``pages``: (image, dpi, /Rotate). The page is exactly the image at that dpi.
    """
    pdf = pikepdf.new()
    for img, dpi, rotate in pages:
        width_pt, height_pt = img.width * 72 / dpi, img.height * 72 / dpi
        colour = pikepdf.Name.DeviceRGB if img.mode == "RGB" else pikepdf.Name.DeviceGray
        image = pikepdf.Stream(pdf, jpeg_bytes(img), Type=pikepdf.Name.XObject,
                               Subtype=pikepdf.Name.Image, Width=img.width, Height=img.height,
                               ColorSpace=colour, BitsPerComponent=8,
                               Filter=pikepdf.Name.DCTDecode)
        page = pdf.add_blank_page(page_size=(width_pt, height_pt))
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(
            f"q {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm /Im0 Do Q".encode())
        if rotate:
            page.obj.Rotate = rotate
    return pdf


def pdf_bytes(pdf: pikepdf.Pdf, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id="encryption" not in kwargs, **kwargs)
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG whose IHDR claims ``width`` x ``height``; no such pixels exist."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def docx_like() -> bytes:
    """A ZIP with the first member a Word document has; enough to look like a .docx."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("[Content_Types].xml", date_time=(2025, 1, 1, 0, 0, 0))
        zf.writestr(info, '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                          '.org/package/2006/content-types"/>')
    return buf.getvalue()


def corrupt_middle_frame(data: bytes) -> bytes:
    """Overwrite the compressed data of frame 2 of a deflate TIFF with noise."""
    with Image.open(io.BytesIO(data)) as img:
        img.seek(1)
        start, count = img.tag_v2[273][0], img.tag_v2[279][0]
    noise = np.random.default_rng(7).integers(0, 256, count - 16, dtype=np.uint8).tobytes()
    return data[:start + 8] + noise + data[start + 8 + count - 16:]


def build() -> dict[str, bytes]:
    """Every resource file, by name."""
    gray = page_image(1, 150)
    colour = page_image(2, 150, seal=True)
    bitonal = page_image(3, 150).point(lambda v: 255 if v > 128 else 0).convert("1")
    deflate3 = tiff_bytes([page_image(s, 150) for s in (4, 5, 6)], "tiff_deflate", 150)
    scan200 = image_pdf([(page_image(8, 200, (4.1, 2.9)), 200, 0),
                         (page_image(9, 200, (2.0, 2.9)), 200, 90)])
    secret = image_pdf([(gray, 150, 0)])
    files = {
        "empty.jpg": b"",
        "truncated.jpg": jpeg_bytes(gray)[:-900],
        "truncated.png": png_bytes(gray)[: len(png_bytes(gray)) * 2 // 3],
        "truncated.tif": deflate3[: len(deflate3) * 2 // 3],
        "three-frames.tif": tiff_bytes([bitonal, gray, colour], "tiff_deflate", 200),
        "corrupt-middle-frame.tif": corrupt_middle_frame(deflate3),
        "bomb-100000x100000.png": png_claiming(100_000, 100_000),
        "docx-renamed.pdf": docx_like(),
        "text-renamed.pdf": "Biên bản họp thành viên hộ gia đình\n".encode() * 20,
        "no-pages.pdf": pdf_bytes(pikepdf.new()),
        "scan-200dpi.pdf": pdf_bytes(scan200),
        "truncated.pdf": pdf_bytes(scan200)[:40_000],
        "encrypted-user.pdf": pdf_bytes(secret, encryption=pikepdf.Encryption(
            user="1234", owner="chu-so-huu", R=6)),
        "encrypted-owner.pdf": pdf_bytes(secret, encryption=pikepdf.Encryption(
            user="", owner="chu-so-huu", R=6,
            allow=pikepdf.Permissions(extract=False, modify_other=False))),
    }
    return files


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name:28s} {len(data):>8d} bytes")


if __name__ == "__main__":
    main()
