"""Colour / gray / bitonal choice and the compressed bytes it produces."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
from PIL import Image

from sohoa.pipeline import imaging
from sohoa.pipeline.imaging import ImageMode
from sohoa_dev.synth import Scan, make_page

SMALL = (4.1, 5.8)


def _pixels(scan: Scan, seed: int = 1) -> np.ndarray:
    return np.asarray(make_page(seed, scan, size_in=SMALL, sentences=8).image)


def test_text_page_is_bitonal() -> None:
    assert imaging.choose_mode(_pixels(Scan(dpi=300, noise=6, jpeg_quality=70)), 300) \
        is ImageMode.BITONAL


def test_red_seal_keeps_colour() -> None:
    px = _pixels(Scan(dpi=300, seal=True))
    assert px.ndim == 3
    assert imaging.choose_mode(px, 300) is ImageMode.COLOUR


def test_gray_copy_of_a_colour_page_is_not_colour() -> None:
    px = _pixels(Scan(dpi=300, seal=True)).mean(axis=2).astype(np.uint8)
    rgb = np.stack([px] * 3, axis=2)
    assert not imaging.has_colour(rgb, 300)


def test_photo_area_keeps_gray() -> None:
    px = _pixels(Scan(dpi=300)).copy()
    h, w = px.shape
    ramp = np.linspace(70, 190, w // 3, dtype=np.uint8)
    px[h // 2: h // 2 + h // 4, : w // 3] = ramp  # a smooth 'photo' of a quarter page height
    assert imaging.choose_mode(px, 300) is ImageMode.GRAY


def test_g4_bytes_decode_to_the_binarized_page() -> None:
    px = _pixels(Scan(dpi=200))
    enc = imaging.encode(px, ImageMode.BITONAL)
    assert enc.filter == "CCITTFaxDecode" and enc.bits == 1
    assert len(enc.data) < px.size / 20  # G4 of a text page is tiny
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, enc.data)
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width, stream.Height = enc.width, enc.height
    stream.ColorSpace, stream.BitsPerComponent = pikepdf.Name.DeviceGray, 1
    stream.Filter = pikepdf.Name.CCITTFaxDecode
    stream.DecodeParms = pikepdf.Dictionary(K=-1, Columns=enc.width, Rows=enc.height,
                                            BlackIs1=True)
    decoded = np.asarray(pikepdf.PdfImage(stream).as_pil_image().convert("L"))
    expected = imaging.binarize(px)
    assert decoded.shape == expected.shape
    assert np.mean(decoded != expected) < 0.001


def test_jpeg_modes_round_trip() -> None:
    px = _pixels(Scan(dpi=200, seal=True))
    enc = imaging.encode(px, ImageMode.COLOUR)
    img = Image.open(io.BytesIO(enc.data))
    assert img.mode == "RGB" and img.size == (px.shape[1], px.shape[0])
    diff = np.abs(np.asarray(img, dtype=int) - px.astype(int)).mean()
    assert diff < 4
    gray = imaging.encode(px, ImageMode.GRAY)
    assert Image.open(io.BytesIO(gray.data)).mode == "L"
