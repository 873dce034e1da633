"""Small PDF/A-2b files made with pikepdf, standing in for the assemble stage's output; and
the text of a PDF as poppler reads it."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pikepdf.pdfa
from PIL import Image, ImageDraw

A6_POINTS = (297.6, 419.5)


def scanned_pdfa(*, rotate: int = 0, size: tuple[float, float] = A6_POINTS) -> bytes:
    """One page holding a JPEG 'scan' (a grey page with a dark bar), saved as PDF/A-2b.

    ``pikepdf.pdfa.save`` adds the sRGB output intent and the XMP, and validates what it wrote,
    so the input to signing is known-good PDF/A.
    """
    width, height = size
    image = Image.new("RGB", (int(width), int(height)), (236, 236, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, int(width) - 20, 70), fill=(30, 30, 30))
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=80)

    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(width, height))
    picture = pikepdf.Stream(
        pdf,
        jpeg.getvalue(),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=image.width,
        Height=image.height,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
    page.Contents = pdf.make_stream(f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode())
    if rotate:
        page.Rotate = rotate
    out = io.BytesIO()
    pikepdf.pdfa.save(pdf, out, flavour="2b", output_intent="sRGB")
    return out.getvalue()


def jpeg_offset(pdf: bytes) -> int:
    """Offset of a byte in the middle of the page image's JPEG data (inside the signed range)."""
    start = pdf.index(b"\xff\xd8\xff")
    end = pdf.index(b"\xff\xd9", start)
    return (start + end) // 2


def append_page_edit(signed: bytes) -> bytes:
    """An incremental update after signing that replaces page 1's content (a forgery).

    Uses pyHanko's incremental writer so the result is a well-formed revision, exactly what
    an attacker with a PDF library would produce.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    forged = generic.StreamObject(stream_data=b"q 0 0 0 rg 10 10 100 100 re f Q")
    page["/Contents"] = writer.add_object(forged)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as ``pdftotext -layout`` prints it: what a reader of the paper sees."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
