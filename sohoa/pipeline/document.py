"""Per-document work: page job results → assembled PDF/A bytes and the OCR text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sohoa.domain.pages import PageRead
from sohoa.pipeline.assemble import DocumentMetadata, PageLayer, assemble_pdfa
from sohoa.pipeline.imaging import EncodedImage, ImageMode


def layer_from_result(result: PageRead) -> PageLayer:
    """Rebuild what assembly needs from a page job's result and its artefact files."""
    image = result.image
    encoded = EncodedImage(data=Path(image.path).read_bytes(), width=image.width,
                           height=image.height, mode=ImageMode(image.mode), filter=image.filter)
    return PageLayer(encoded, result.report.dpi, Path(result.text_layer).read_bytes())


def build_document(results: Sequence[PageRead], meta: DocumentMetadata) -> bytes:
    """PDF/A-2b of the successful pages, in the order given (a document may span two
    scanner files, so the page index inside a file is no order)."""
    return assemble_pdfa([layer_from_result(r) for r in results], meta)


def document_text(results: Sequence[PageRead]) -> str:
    """OCR text of the pages in the order given, separated by form feeds (one page per
    \\f section)."""
    return "\f".join(r.text for r in results)
