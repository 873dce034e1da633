"""MRC-compressed PDF pages, as production scanner software writes them.

Kodak/Alaris-style "MRC" (mixed raster content) scans, the kind counters receive, split a
page into layers: a low-resolution JPEG background (the paper), the text as a 1-bit mask at
twice that resolution over a low-resolution colour layer (the ink's colour), a small colour
image for a red seal, and often the scanner software's own invisible OCR text. No single
image of such a page is the page: only the composite is. These generated look-alikes let tests
check that sohoa renders the composite, at the text mask's resolution, with the page's true
size and turn, and replaces an existing text layer.

The mask can be attached three ways, all seen in the wild: ``"mask"`` (a colour image with a
1-bit ``/Mask`` stencil, what the real scans use), ``"smask"`` (an 8-bit ``/SMask`` alpha),
``"stencil"`` (an ``/ImageMask`` image painted in the fill colour).
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pikepdf
from PIL import Image, ImageDraw

from sohoa_dev.synth.pages import render_page

Name = pikepdf.Name
MaskKind = Literal["mask", "smask", "stencil"]
PAPER = (246, 241, 228)
INK = (22, 24, 38)
SEAL_RED = (205, 35, 40)


@dataclass(frozen=True)
class MrcPage:
    """One generated MRC page and the truth about it."""

    text_image: Image.Image
    """The clean page at the mask's resolution (mode L, black text on white): the truth the
    composite must reproduce."""

    lines: tuple[str, ...]
    mask_dpi: int
    background_dpi: int
    rotate: int
    hidden_text: str | None

    @property
    def size_pt(self) -> tuple[float, float]:
        """MediaBox width and height in points (before ``/Rotate``)."""
        return (self.text_image.width * 72 / self.mask_dpi,
                self.text_image.height * 72 / self.mask_dpi)


def make_mrc_page(seed: int, size_in: tuple[float, float] = (8.27, 11.69), *,
                  mask_dpi: int = 300, background_dpi: int = 150, sentences: int = 10,
                  rotate: int = 0, hidden_text: str | None = None) -> MrcPage:
    """A page of generated form text (landscape when ``size_in`` is wider than tall)."""
    img, lines = render_page(seed, mask_dpi, size_in, sentences)
    return MrcPage(img.convert("L"), lines, mask_dpi, background_dpi, rotate, hidden_text)


def mrc_pdf(pages: list[MrcPage], kind: MaskKind = "mask", seal: bool = True) -> pikepdf.Pdf:
    """A PDF whose every page is drawn from 3–4 images: background, text mask over its colour
    layer, a red seal with its own mask; plus an invisible text layer when asked."""
    pdf = pikepdf.new()
    for number, page in enumerate(pages):
        _add_page(pdf, page, kind, seal, number)
    return pdf


def _add_page(pdf: pikepdf.Pdf, page: MrcPage, kind: MaskKind, seal: bool, seed: int) -> None:
    width_pt, height_pt = page.size_pt
    ink = np.asarray(page.text_image) < 128
    low = (round(page.text_image.width * page.background_dpi / page.mask_dpi),
           round(page.text_image.height * page.background_dpi / page.mask_dpi))
    xobjects = {"/Bg": _jpeg(pdf, _paper(low, seed)), "/Fg": _text_layer(pdf, ink, low, kind)}
    draw = [f"q {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm /Bg Do Q"]
    fill = " ".join(f"{c / 255:.3f}" for c in INK)
    draw.append(f"q {fill} rg {width_pt:.4f} 0 0 {height_pt:.4f} 0 0 cm /Fg Do Q")
    if seal:
        side_in = 1.1
        xobjects["/Seal"] = _seal(pdf, round(side_in * page.mask_dpi))
        side = side_in * 72
        # lower right, over the last lines of text, as a seal is stamped over the signature
        x, y = width_pt - side - 0.6 * 72, 0.9 * 72
        draw.append(f"q {side:.4f} 0 0 {side:.4f} {x:.4f} {y:.4f} cm /Seal Do Q")
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(xobjects))
    if page.hidden_text:
        resources.Font = pikepdf.Dictionary(F1=pikepdf.Dictionary(
            Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
        text = page.hidden_text.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)")
        draw.append("BT 3 Tr /F1 14 Tf 72 " + f"{height_pt - 60:.2f}" + " Td ("
                    + text.decode("latin-1") + ") Tj ET")
    new = pdf.add_blank_page(page_size=(width_pt, height_pt))
    new.obj.Resources = resources
    new.obj.Contents = pdf.make_stream("\n".join(draw).encode("latin-1"))
    if page.rotate:
        new.obj.Rotate = page.rotate


def _paper(size: tuple[int, int], seed: int) -> Image.Image:
    """The background layer: tinted paper with a little grain, no text."""
    rng = np.random.default_rng(seed)
    base = np.empty((size[1], size[0], 3), np.float32)
    base[:] = PAPER
    base += rng.normal(0, 3, base.shape)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def _text_layer(pdf: pikepdf.Pdf, ink: np.ndarray, low: tuple[int, int],
                kind: MaskKind) -> pikepdf.Stream:
    """The ink: a low-resolution colour image masked by the high-resolution text."""
    height, width = ink.shape
    if kind == "stencil":
        return pikepdf.Stream(pdf, _packed_bits(~ink), Type=Name.XObject, Subtype=Name.Image,
                              Width=width, Height=height, ImageMask=True,
                              BitsPerComponent=1, Filter=Name.FlateDecode)
    colour = _jpeg(pdf, Image.new("RGB", low, INK))
    if kind == "mask":  # 1-bit stencil: 0 paints, 1 masks out
        colour.Mask = pikepdf.Stream(pdf, _packed_bits(~ink), Type=Name.XObject,
                                     Subtype=Name.Image, Width=width, Height=height,
                                     ImageMask=True, BitsPerComponent=1,
                                     Filter=Name.FlateDecode)
    else:  # 8-bit soft mask: 255 is opaque ink
        alpha = np.where(ink, 255, 0).astype(np.uint8)
        colour.SMask = pikepdf.Stream(pdf, zlib.compress(alpha.tobytes()), Type=Name.XObject,
                                      Subtype=Name.Image, Width=width, Height=height,
                                      ColorSpace=Name.DeviceGray, BitsPerComponent=8,
                                      Filter=Name.FlateDecode)
    return colour


def _seal(pdf: pikepdf.Pdf, side: int) -> pikepdf.Stream:
    """A red round seal as a colour JPEG whose own 1-bit mask leaves the paper under it."""
    img = Image.new("RGB", (side, side), "white")
    draw = ImageDraw.Draw(img)
    for k, width in ((0, side // 28), (side // 9, side // 40)):
        draw.ellipse((k + 2, k + 2, side - k - 3, side - k - 3), outline=SEAL_RED,
                     width=max(2, width))
    c, r = side / 2, side / 6
    draw.regular_polygon((c, c, r), 5, fill=SEAL_RED)
    red = np.asarray(img)[:, :, 1] < 160
    seal = _jpeg(pdf, img)
    seal.Mask = pikepdf.Stream(pdf, _packed_bits(~red), Type=Name.XObject, Subtype=Name.Image,
                               Width=side, Height=side, ImageMask=True, BitsPerComponent=1,
                               Filter=Name.FlateDecode)
    return seal


def _jpeg(pdf: pikepdf.Pdf, img: Image.Image) -> pikepdf.Stream:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return pikepdf.Stream(pdf, buf.getvalue(), Type=Name.XObject, Subtype=Name.Image,
                          Width=img.width, Height=img.height, ColorSpace=Name.DeviceRGB,
                          BitsPerComponent=8, Filter=Name.DCTDecode)


def _packed_bits(ones: np.ndarray) -> bytes:
    """Rows of 1-bit samples, most significant bit first, each row padded to a byte."""
    return zlib.compress(np.packbits(ones.astype(np.uint8), axis=1).tobytes())
