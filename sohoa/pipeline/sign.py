"""Sign stage: PAdES signature with a visible block top-right of page 1 (Circular 01/2023 Art. 8).

The digitizer signs every file; the block shows who signed and when, in Vietnam time, on
blank paper near the top-right corner (:mod:`sohoa.pipeline.stamp_space` finds it). The
signature is an incremental update (the PDF/A bytes stay an exact prefix), PAdES B-B, or B-T
when a time-stamping authority is configured. The stamp's font is embedded (pyHanko's default
stamp uses an unembedded standard font and a translucent background, both wrong for PDF/A).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import datetime

from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import ImageFont
from pkcs11.exceptions import PKCS11Error
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.stamp import TextStamp, TextStampStyle

from sohoa.clock import VIETNAM
from sohoa.errors import SigningError, TimestampError
from sohoa.pipeline.signers import SignerHandle
from sohoa.pipeline.stamp_space import CM, Size, find_spot, page_ink
from sohoa.settings import SigningSettings

STAMP_WIDTH = 7.0 * CM
STAMP_HEIGHT = 2.2 * CM
STAMP_MARGIN = 0.8 * CM
STAMP_FONT_SIZE = 9
STAMP_LEADING = STAMP_FONT_SIZE + 3
STAMP_PADDING = 4
STAMP_SHRINK = (0.85, 0.7, 0.6)
"""Scales of the tight block tried when the full block finds no blank paper (6 pt at least:
still legible in print)."""
FIELD_PREFIX = "ChuKySoHoa"
STAMP_TEXT = "Ký bởi: %(ky_boi)s\nThời gian: %(thoi_gian)s"
TSA_TIMEOUT_S = 20

Rect = tuple[float, float, float, float]


def sign_pdf(
    pdf: bytes,
    signer: SignerHandle,
    settings: SigningSettings,
    *,
    reason: str = "Số hóa hồ sơ",
    location: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """Return ``pdf`` plus an incremental update holding a visible PAdES signature."""
    signing_time = vietnam_time(now)
    params = {"ky_boi": signer.signer_name, "thoi_gian": stamp_time_text(signing_time)}
    if not settings.stamp_font.is_file():
        raise SigningError(f"Không tìm thấy phông chữ cho khối chữ ký: {settings.stamp_font}")
    try:
        writer = _PdfaIncrementalWriter(io.BytesIO(pdf), strict=False)
        field_name = _free_field_name(writer)
        rotate, rect = _stamp_geometry(writer, pdf, STAMP_TEXT % params, settings)
    except (PdfError, KeyError, ValueError) as exc:
        raise SigningError(f"Không đọc được tệp PDF cần ký: {exc}") from None
    pdf_signer = _PdfSignerAt(
        PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            subfilter=SigSeedSubFilter.PADES,
        ),
        signer.signer,
        signing_time=signing_time,
        timestamper=_timestamper(settings),
        stamp_style=_stamp_style(settings, rotate, STAMP_TEXT % params),
        new_field_spec=SigFieldSpec(field_name, on_page=0, box=rect),  # type: ignore[arg-type]
    )
    return _run(pdf_signer, writer, params, tsa=settings.tsa_url)


def vietnam_time(now: datetime | None) -> datetime:
    """``now`` in Asia/Ho_Chi_Minh; a naive value is taken as already Vietnam time."""
    tz = VIETNAM
    if now is None:
        return datetime.now(tz).replace(microsecond=0)
    if now.tzinfo is None:
        return now.replace(tzinfo=tz)
    return now.astimezone(tz)


def stamp_time_text(moment: datetime) -> str:
    """'dd/mm/yyyy hh:mm:ss (GMT+7)' — the format the technical guidance asks for."""
    local = vietnam_time(moment)
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 7
    return f"{local:%d/%m/%Y %H:%M:%S} (GMT{hours:+d})"


def _run(
    pdf_signer: PdfSigner,
    writer: IncrementalPdfFileWriter,
    params: dict[str, str],
    *,
    tsa: str | None,
) -> bytes:
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    except TimestampRequestError as exc:  # connection, HTTP status, or a refused request
        reason = exc.__cause__ or exc
        raise TimestampError(f"Không lấy được dấu thời gian từ {tsa}: {reason}") from None
    except (PyHankoSigningError, PKCS11Error, PdfError, OSError, ValueError) as exc:
        raise SigningError(f"Ký số thất bại: {type(exc).__name__}: {exc}") from None
    return out.getvalue()


class _PdfaIncrementalWriter(IncrementalPdfFileWriter):
    """Incremental writer that keeps the Info dictionary consistent with the XMP metadata.

    pyHanko appends itself to Info /Producer ("pikepdf; pyHanko") but writes only "pyHanko" to
    XMP pdf:Producer, and stamps Info /ModDate and XMP xmp:ModifyDate from two clock reads;
    PDF/A requires Info entries to equal their XMP twins. So when the file has XMP, Info gets
    XMP's producer and loses /ModDate (XMP keeps the date; Info entries are optional).
    """

    def _update_meta(self) -> None:
        super()._update_meta()
        if self._info is None or "/Metadata" not in self.root:
            return
        info = self._info.get_object()
        info["/Producer"] = generic.TextStringObject(VENDOR)
        info.pop("/ModDate", None)
        self.mark_update(self._info)


class _PdfSignerAt(PdfSigner):
    """A PdfSigner whose signing time is chosen by the caller.

    pyHanko reads the clock inside its signing session (for /M and the stamp's timestamp) and
    offers no parameter; we need the caller's instant in both, so re-runs are reproducible.
    (PAdES leaves the CMS signing-time attribute out; /M is the claimed time.)
    """

    def __init__(self, *args: object, signing_time: datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._signing_time = signing_time

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def _timestamper(settings: SigningSettings) -> HTTPTimeStamper | None:
    if not settings.tsa_url:
        return None
    return HTTPTimeStamper(settings.tsa_url, timeout=TSA_TIMEOUT_S)


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """A signature field name not used yet, so a second signature never reuses a signed field."""
    taken = {name for name, _, _ in enumerate_sig_fields(writer, filled_status=None)}
    n = 1
    while f"{FIELD_PREFIX}{n}" in taken:
        n += 1
    return f"{FIELD_PREFIX}{n}"


def _stamp_geometry(writer: IncrementalPdfFileWriter, pdf: bytes, text: str,
                    settings: SigningSettings) -> tuple[int, Rect]:
    """Page 1's /Rotate and the field rectangle (user space) on blank paper top-right.

    Without a rendering of the page (no pdftoppm) the block takes the fixed corner."""
    page = writer.find_page_for_modification(0)[0].get_object()
    box = _visible_box(page)
    rotate = int(_inherited(page, "/Rotate") or 0) % 360
    if rotate % 90:
        rotate = 0
    ink = page_ink(pdf)
    if ink is None:
        return rotate, stamp_rect(box, rotate)
    shown_w = box[2] - box[0] if rotate in (0, 180) else box[3] - box[1]
    spot = find_spot(ink, shown_w, stamp_sizes(str(settings.stamp_font), text), STAMP_MARGIN)
    return rotate, user_rect(box, rotate, spot.rect)


def stamp_sizes(font_file: str, text: str) -> list[list[Size]]:
    """The block sizes to try, by text size: the usual 7 x 2.2 cm block or one that just
    holds the text at 9 pt, then smaller and smaller blocks (the text shrinks with them)."""
    font = ImageFont.truetype(font_file, 1000)
    lines = text.splitlines()
    text_w = max(font.getlength(line) for line in lines) * STAMP_FONT_SIZE / 1000
    tight = Size(text_w + 2 * STAMP_PADDING + 2, len(lines) * STAMP_LEADING + 2 * STAMP_PADDING)
    full = Size(max(STAMP_WIDTH, tight.width), STAMP_HEIGHT)
    return [[full, tight]] + [[Size(tight.width * k, tight.height * k)] for k in STAMP_SHRINK]


def user_rect(box: Rect, rotate: int, shown: Rect) -> Rect:
    """A rectangle as the viewer shows the page (points, origin top-left, /Rotate applied)
    in user space: the field rectangle pyHanko wants."""
    llx, lly, urx, ury = box
    left, top, right, bottom = shown
    if rotate == 90:  # the viewer's top edge is user-space left, its right is user-space top
        return (llx + top, lly + left, llx + bottom, lly + right)
    if rotate == 180:
        return (urx - right, lly + top, urx - left, lly + bottom)
    if rotate == 270:
        return (urx - bottom, ury - right, urx - top, ury - left)
    return (llx + left, ury - bottom, llx + right, ury - top)


def stamp_rect(box: Rect, rotate: int) -> Rect:
    """Field rectangle in user space that a viewer shows in the top-right corner, whatever
    is printed there: the place when the page cannot be rendered to find blank paper.

    ``box`` is the visible page box (CropBox, else MediaBox) and ``rotate`` the page's /Rotate
    (clockwise, multiple of 90). For 90/270 the rectangle is tall and narrow in user space; the
    appearance stream is counter-rotated so the text reads upright.
    """
    llx, lly, urx, ury = box
    shown_w = urx - llx if rotate in (0, 180) else ury - lly
    w, h, m = STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN
    w = min(w, shown_w - 2 * m)
    return user_rect(box, rotate, (shown_w - m - w, m, shown_w - m, m + h))


def _visible_box(page: generic.DictionaryObject) -> Rect:
    raw = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    if raw is None:
        raise ValueError("trang 1 không có MediaBox")
    x1, y1, x2, y2 = (float(v) for v in raw)
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _inherited(page: generic.DictionaryObject, key: str) -> generic.PdfObject | None:
    node: generic.DictionaryObject | None = page
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _stamp_style(settings: SigningSettings, rotate: int, text: str) -> TextStampStyle:
    font = _Em1000FontFactory(str(settings.stamp_font), font_size=STAMP_FONT_SIZE, text=text)
    return _UprightStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=font,
            font_size=STAMP_FONT_SIZE,
            leading=STAMP_LEADING,
            # no inner margin (pyHanko's default is 10 pt): the block's padding is the margin,
            # so a block sized by :func:`stamp_sizes` shows the text at its nominal size
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(STAMP_PADDING),
        ),
        border_width=1,
        background=None,
        page_rotation=rotate,
    )


@dataclass(frozen=True)
class _UprightStampStyle(TextStampStyle):
    """Text stamp that stays upright on a page with /Rotate.

    pyHanko lays the appearance out in the annotation's user-space box and lets the viewer
    rotate it with the page, so on a /Rotate 90 page the text would run sideways. We lay out in
    the viewer's orientation and give the form XObject a /Matrix that undoes the page rotation.
    """

    page_rotation: int = 0

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict
    ) -> TextStamp:
        if self.page_rotation in (90, 270):
            box = layout.BoxConstraints(width=box.height, height=box.width)
        return _UprightTextStamp(writer=writer, style=self, box=box, text_params=text_params)


_ROTATION_MATRIX = {90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}


class _UprightTextStamp(TextStamp):
    def _render_inner_content(self) -> list[bytes]:
        # an opaque white ground keeps the text legible over scanned content, without the
        # transparency pyHanko's default background uses
        ground = b"q 1 g 0 0 %g %g re f Q" % (self.box.width, self.box.height)
        return [ground, *super()._render_inner_content()]

    def as_form_xobject(self) -> generic.StreamObject:
        xobj = super().as_form_xobject()
        turn = _ROTATION_MATRIX.get(self.style.page_rotation)
        if turn is not None:
            xobj["/Matrix"] = generic.ArrayObject([generic.NumberObject(v) for v in (*turn, 0, 0)])
        return xobj


@dataclass(frozen=True)
class _Em1000FontFactory(GlyphAccumulatorFactory):
    """GlyphAccumulatorFactory fed a copy of the font rescaled to 1000 units per em.

    pyHanko 0.38 writes /W widths and TJ adjustments in the font's own units, which PDF reads
    as thousandths of an em: right for most CFF fonts (1000 units/em), doubled for DejaVu
    (2048), so the text ran off the stamp and /W disagreed with the embedded program (a PDF/A
    violation). Rescaling a subset of just the stamp's glyphs takes ~0.15 s; the full font 1.6 s.
    """

    text: str = ""

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: object = None
    ) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(font_at_1000_upem(self.font_file, self.text)),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


# Printable ASCII covers the digits, punctuation and Latin letters of any stamp; the rest
# of a stamp's characters are the Vietnamese letters of its labels and the signer's name,
# which do not change between signatures. So the subset below is made once per signer
# and cached, and stays small enough that pyHanko parses it quickly for each signature.
STAMP_BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F))


def font_at_1000_upem(font_file: str, text: str) -> bytes:
    """A subset of ``font_file`` covering ``text`` (and printable ASCII), at 1000 units/em."""
    extra = "".join(sorted(set(text) - set(STAMP_BASE_CHARS)))
    return _subset_at_1000_upem(font_file, STAMP_BASE_CHARS + extra)


@functools.lru_cache(maxsize=8)
def _subset_at_1000_upem(font_file: str, chars: str) -> bytes:
    try:
        tt = TTFont(font_file)
    except (OSError, TTLibError) as exc:
        raise SigningError(f"Không đọc được phông chữ {font_file}: {exc}") from None
    options = subset.Options()
    options.hinting = False  # hints are not rescaled; viewers do fine without them
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamp table; fontTools warns about it
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(tt)
    if tt["head"].unitsPerEm != 1000:
        scale_upem(tt, 1000)
    out = io.BytesIO()
    tt.save(out)
    return out.getvalue()
