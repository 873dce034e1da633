"""What reading one page produces, as it crosses process, queue and storage boundaries.

A page job runs in another process (a local pool or a queue worker), so its result travels as
plain JSON and is parsed back here (:func:`page_job_result`). Three shapes:

- :class:`PageRead`: the full pipeline ran; the cleaned image and the text layer were written
  to local files whose paths it carries.
- :class:`PageGlance`: the quick look at the counter (title area and QR codes): enough to
  classify, nothing to assemble.
- :class:`PageUnread`: the page could not be read; the reason is in the clerk's words.

Once a worker has put the artefacts in the object store, the catalog records a
:class:`StoredPage` (object keys instead of local paths; the OCR text is kept apart in its own
column). The stored JSON has the same field names as the job result, so rows written by
earlier versions read back unchanged.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sohoa.domain.reports import ImageModeName, PageReport, QualityFlagName


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PageImage(_Frozen):
    """The cleaned page image, encoded as the PDF/A will embed it."""

    width: int = Field(gt=0)
    height: int = Field(gt=0)
    mode: ImageModeName
    filter: str = Field(description="PDF filter name without the slash: DCTDecode, "
                                    "CCITTFaxDecode")


class PageImageFile(PageImage):
    """The image, written by the page job to a local file."""

    path: str


class StoredArtefact(_Frozen):
    """An artefact in the object store, checked against its SHA-256 when fetched."""

    key: str
    sha256: str


class StoredPageImage(PageImage):
    """The image, in the object store."""

    key: str
    sha256: str


class PageText(_Frozen):
    """What classification reads from a page: its text, its QR codes and its flags."""

    text: str
    qr: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


class PageRead(_Frozen):
    """A page the full pipeline read, with its artefacts in local files."""

    ok: Literal[True] = True
    report: PageReport
    text: str
    qr: list[str] = []
    image: PageImageFile
    text_layer: str = Field(description="path of the invisible-text PDF Tesseract wrote")

    @property
    def index(self) -> int:
        return self.report.index

    def page_text(self) -> PageText:
        return PageText(text=self.text, qr=tuple(self.qr), flags=tuple(self.report.flags))


class GlanceReport(_Frozen):
    """What the quick look measures: orientation and quality, no deskew or OCR confidence."""

    index: int = Field(ge=0)
    rotation: Literal[0, 90, 180, 270]
    dpi: float = Field(gt=0)
    flags: list[QualityFlagName]


class PageGlance(_Frozen):
    """A page the quick look read: the title area's text and the QR codes."""

    ok: Literal[True] = True
    report: GlanceReport
    text: str
    qr: list[str] = []

    @property
    def index(self) -> int:
        return self.report.index

    def page_text(self) -> PageText:
        return PageText(text=self.text, qr=tuple(self.qr), flags=tuple(self.report.flags))


class PageUnread(_Frozen):
    """A page that could not be read; the others of its file still are."""

    ok: Literal[False] = False
    index: int = Field(ge=0)
    reason: str
    transient: bool = False
    """An external program crashed or timed out: trying the page again may well succeed."""


class StoredPage(_Frozen):
    """A read page as the catalog records it (``pages.result``)."""

    report: PageReport
    qr: list[str] = []
    image: StoredPageImage
    text_layer: StoredArtefact

    def page_text(self, text: str) -> PageText:
        return PageText(text=text, qr=tuple(self.qr), flags=tuple(self.report.flags))


PageJobResult = PageRead | PageGlance | PageUnread

_JOB_RESULT: TypeAdapter[PageJobResult] = TypeAdapter(PageJobResult)


def page_job_result(data: dict) -> PageJobResult:
    """A page job's JSON result, typed (the shapes differ in their fields, so the match is
    unambiguous)."""
    return _JOB_RESULT.validate_python(data)
