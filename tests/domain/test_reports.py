"""The per-page JSON says how the page was turned, how sure, and what decided it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sohoa.domain.reports import PageReport

PAGE = {"index": 0, "rotation": 180, "deskew_angle": 0.4, "dpi": 150.0,
        "flags": ["low_resolution"], "confidence": 88.5, "image_mode": "bitonal"}


def test_rotation_evidence_and_confidence_are_reported() -> None:
    page = PageReport(**PAGE, rotation_confidence=0.62, rotation_evidence="readability")
    assert (page.rotation, page.rotation_confidence, page.rotation_evidence) == (
        180, 0.62, "readability")
    for name in ("rotation_confidence", "rotation_evidence"):
        assert PageReport.model_fields[name].description


def test_reports_written_before_the_fields_existed_still_read() -> None:
    page = PageReport(**PAGE)
    assert (page.rotation_confidence, page.rotation_evidence) == (0.0, "none")


@pytest.mark.parametrize(("field", "value"), [("rotation_confidence", 1.5),
                                              ("rotation_confidence", -0.1),
                                              ("rotation_evidence", "guess")])
def test_out_of_range_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        PageReport(**PAGE, **{field: value})
