"""Assemble stage: page images + Tesseract text layers → one PDF/A-2b document.

Each page is its image drawn full-page with Tesseract's text-only page laid over it as a
form XObject (invisible text, glyph boxes aligned with the words). The result must pass
``pikepdf.pdfa`` before anything signs or stores it.

Metadata uses only XMP schemas PDF/A permits without extension schemas (pikepdf's checker
is an allow-list and refuses extension schemas): the dossier code is ``dc:identifier``,
the procedure ``dc:relation``, who and when ``dc:creator`` / ``xmp:CreateDate``, and
``pdf:Keywords`` repeats everything as ``key=value`` pairs for machines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pikepdf
import pikepdf.pdfa

from sohoa import __version__
from sohoa.errors import PdfaError
from sohoa.pipeline.imaging import EncodedImage

Name = pikepdf.Name


@dataclass(frozen=True)
class PageLayer:
    """What assembly needs of one processed page."""

    image: EncodedImage
    dpi: float
    text_layer_pdf: bytes
    """Tesseract's text-only PDF for exactly this image (empty: no text layer)."""


@dataclass(frozen=True)
class DocumentMetadata:
    """Who digitized what, recorded in the document's XMP."""

    title: str
    digitized_at: datetime
    digitized_by: str
    dossier_code: str | None = None
    procedure_code: str | None = None
    language: str = "vi"

    def keywords(self, pages: int) -> str:
        pairs = {"dossier": self.dossier_code, "procedure": self.procedure_code,
                 "pages": pages, "digitized_at": self.digitized_at.isoformat(),
                 "digitized_by": self.digitized_by}
        return "; ".join(f"{k}={v}" for k, v in pairs.items() if v is not None)


def assemble_pdfa(pages: Sequence[PageLayer], meta: DocumentMetadata) -> bytes:
    """The PDF/A-2b bytes of one document; PdfaError when the check refuses it."""
    if not pages:
        raise PdfaError("Không có trang nào để tạo tài liệu PDF/A")
    pdf = pikepdf.new()
    for layer in pages:
        _add_page(pdf, layer)
    _set_metadata(pdf, meta, len(pages))
    out = io.BytesIO()
    try:
        pikepdf.pdfa.save(pdf, out, flavour="2b", output_intent="sRGB")
    except pikepdf.pdfa.PdfaError as exc:
        problems = "; ".join(f.message for f in exc.report.findings[:3])
        raise PdfaError(f"Tài liệu không đạt PDF/A-2b: {problems}") from exc
    return out.getvalue()


def decode_image(image: EncodedImage) -> np.ndarray:
    """The pixels of a page image as the PDF will embed it (JPEG or raw CCITT G4): what the
    counter screen shows of a processed page. Decoded by the same dictionary the PDF
    carries, so the screen shows exactly what was signed."""
    with pikepdf.new() as pdf:
        pil = pikepdf.PdfImage(_image_xobject(pdf, image)).as_pil_image()
        return np.asarray(pil.convert("L" if pil.mode in ("1", "L") else "RGB"))


def _image_xobject(pdf: pikepdf.Pdf, image: EncodedImage) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, image.data)
    stream.Type, stream.Subtype = Name.XObject, Name.Image
    stream.Width, stream.Height = image.width, image.height
    stream.ColorSpace = Name("/" + image.colour_space)
    stream.BitsPerComponent = image.bits
    stream.Filter = Name("/" + image.filter)
    if image.filter == "CCITTFaxDecode":
        stream.DecodeParms = pikepdf.Dictionary(
            K=-1, Columns=image.width, Rows=image.height, BlackIs1=True
        )
    return stream


def _add_page(pdf: pikepdf.Pdf, layer: PageLayer) -> None:
    width = layer.image.width * 72.0 / layer.dpi
    height = layer.image.height * 72.0 / layer.dpi
    page_dict = pikepdf.Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im0=_image_xobject(pdf, layer.image))
        ),
    )
    page_dict.Contents = pikepdf.Stream(
        pdf, f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode()
    )
    pdf.pages.append(pikepdf.Page(page_dict))
    if layer.text_layer_pdf:
        _overlay_text(pdf, pdf.pages[-1], layer.text_layer_pdf, width, height)


def _overlay_text(pdf: pikepdf.Pdf, page: pikepdf.Page, text_pdf: bytes,
                  width: float, height: float) -> None:
    """Lay Tesseract's invisible text page over the image, scaled to the same box."""
    with pikepdf.open(io.BytesIO(text_pdf)) as src:
        form = pdf.copy_foreign(src.pages[0].as_form_xobject())
    page.add_overlay(form, pikepdf.Rectangle(0, 0, width, height))


def _set_metadata(pdf: pikepdf.Pdf, meta: DocumentMetadata, pages: int) -> None:
    stamp = meta.digitized_at.isoformat()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.digitized_by]
        xmp["dc:language"] = [meta.language]
        xmp["dc:format"] = "application/pdf"
        xmp["dc:description"] = _description(meta, pages)
        if meta.dossier_code:
            xmp["dc:identifier"] = meta.dossier_code
        if meta.procedure_code:
            xmp["dc:relation"] = [f"thu-tuc:{meta.procedure_code}"]
        xmp["xmp:CreateDate"] = stamp
        xmp["xmp:ModifyDate"] = stamp
        xmp["xmp:CreatorTool"] = f"sohoa {__version__}"
        xmp["pdf:Producer"] = f"sohoa {__version__} (pikepdf {pikepdf.__version__})"
        xmp["pdf:Keywords"] = meta.keywords(pages)


def _description(meta: DocumentMetadata, pages: int) -> str:
    parts = [f"{pages} trang", f"số hóa lúc {meta.digitized_at:%d/%m/%Y %H:%M:%S}",
             f"bởi {meta.digitized_by}"]
    if meta.dossier_code:
        parts.insert(0, f"Hồ sơ {meta.dossier_code}")
    if meta.procedure_code:
        parts.insert(1, f"thủ tục {meta.procedure_code}")
    return ", ".join(parts)
