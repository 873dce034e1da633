"""The page job's results keep their JSON shape across processes, queues and the catalog."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sohoa.domain.pages import (
    PageGlance,
    PageRead,
    PageUnread,
    StoredPage,
    page_job_result,
)

REPORT = {"index": 2, "rotation": 180, "rotation_confidence": 1.0, "rotation_evidence": "lines",
          "deskew_angle": -1.25, "dpi": 300.0, "flags": ["low_resolution"], "confidence": 91.5,
          "image_mode": "bitonal"}
IMAGE = {"width": 2480, "height": 3508, "mode": "bitonal", "filter": "CCITTFaxDecode"}


def test_each_shape_of_job_result_is_recognised_by_its_fields() -> None:
    read = page_job_result({"ok": True, "report": REPORT, "text": "CỘNG HÒA", "qr": ["x"],
                            "image": {**IMAGE, "path": "/tmp/p.img"},
                            "text_layer": "/tmp/p.layer.pdf"})
    glance = page_job_result({"ok": True, "text": "GIẤY KHAI SINH", "qr": [],
                              "report": {"index": 0, "rotation": 90, "dpi": 150.0,
                                         "flags": []}})
    unread = page_job_result({"ok": False, "index": 4, "reason": "tệp rỗng (0 byte)"})
    assert isinstance(read, PageRead) and read.index == 2 and read.image.path == "/tmp/p.img"
    assert read.page_text().flags == ("low_resolution",) and read.page_text().qr == ("x",)
    assert isinstance(glance, PageGlance) and glance.report.rotation == 90
    assert isinstance(unread, PageUnread) and (unread.index, unread.reason) == (
        4, "tệp rỗng (0 byte)")


def test_a_result_with_a_missing_or_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError):
        page_job_result({"ok": True, "report": REPORT, "text": "", "image": IMAGE,
                         "text_layer": "/tmp/l.pdf"})  # the image file's path is missing
    with pytest.raises(ValidationError):
        page_job_result({"ok": False, "index": 1, "reason": "x", "surprise": 1})


def test_the_stored_form_keeps_the_field_names_rows_were_written_with() -> None:
    row = {"report": REPORT, "qr": [],
           "image": {**IMAGE, "key": "d/pages/0002-ab.g4", "sha256": "ab" * 32},
           "text_layer": {"key": "d/pages/0002-cd.layer.pdf", "sha256": "cd" * 32}}
    stored = StoredPage.model_validate(row)
    # a field added since (input_text_layer) reads back at its default; nothing else changes
    assert stored.model_dump(mode="json") == {**row,
                                              "report": {**REPORT, "input_text_layer": False}}
    assert stored.page_text("văn bản").text == "văn bản"
    # Rows written before the rotation's confidence and evidence were reported still read.
    older = {k: v for k, v in REPORT.items() if not k.startswith("rotation_")}
    old_row = StoredPage.model_validate({**row, "report": older})
    assert (old_row.report.rotation, old_row.report.rotation_evidence) == (180, "none")
