"""The MRC look-alike: several images per page, none of which is the page on its own."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
import pytest
from PIL import Image

from sohoa_dev.synth.mrc import make_mrc_page, mrc_pdf


def images(page: pikepdf.Page) -> dict[str, pikepdf.Stream]:
    found = {}
    for name, xobject in page.resources.XObject.items():
        found[name] = xobject
        for key in ("/Mask", "/SMask"):
            if key in xobject:
                found[f"{name}{key}"] = xobject[key]
    return found


@pytest.mark.parametrize("kind", ["mask", "smask", "stencil"])
def test_layers_background_text_mask_and_seal(kind: str) -> None:
    truth = make_mrc_page(41, (5.8, 4.1), sentences=3, hidden_text="ZEBRAQUIX")
    pdf = pikepdf.open(io.BytesIO(_saved(mrc_pdf([truth], kind))))  # type: ignore[arg-type]
    page = pdf.pages[0]
    layers = images(page)
    assert len(layers) >= (3 if kind == "stencil" else 4)
    background = Image.open(io.BytesIO(layers["/Bg"].read_raw_bytes()))
    assert background.size == (870, 615)  # 150 dpi
    assert np.asarray(background.convert("L")).min() > 150  # paper only: no text in it
    text = layers["/Fg" if kind == "stencil" else f"/Fg/{kind.title().replace('Sm', 'SM')}"]
    assert (int(text.Width), int(text.Height)) == (1740, 1230)  # the text at 300 dpi
    assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 417.6, 295.2])
    assert b"ZEBRAQUIX" in page.Contents.read_bytes()


def _saved(pdf: pikepdf.Pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()
