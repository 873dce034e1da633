"""Pages scanned again at the counter take the old page's place in the clerk's corrections."""

from __future__ import annotations

from sohoa.domain.corrections import Corrections


def replace_overrides(stored: dict | None, before: int, after: int, replaced: int) -> dict:
    """The stored corrections once pages ``before..after-1`` replace page ``replaced``."""
    return Corrections.from_json(stored).replacing(before, after, replaced).to_json()


def test_new_pages_stand_where_the_replaced_page_stood() -> None:
    # four pages shown in the order 2, 0, 1, 3; page 0 is scanned again as two sheets (4, 5)
    got = replace_overrides({"order": [2, 0, 1, 3], "removed": [3]}, 4, 6, 0)
    assert got == {"order": [2, 0, 4, 5, 1, 3], "removed": [0, 3]}


def test_what_the_clerk_said_of_the_old_page_applies_to_the_new_one() -> None:
    before = {"types": {"1": "cccd", "0": "khac"}, "split_before": [1], "join": [2]}
    got = replace_overrides(before, 3, 4, 1)
    assert got["types"] == {"1": "cccd", "0": "khac", "3": "cccd"}
    assert got["split_before"] == [1, 3] and got["join"] == [2]
    assert got["order"] == [0, 1, 3, 2] and got["removed"] == [1]
    assert before == {"types": {"1": "cccd", "0": "khac"}, "split_before": [1], "join": [2]}


def test_without_earlier_overrides_the_order_is_the_scan_order() -> None:
    assert replace_overrides(None, 2, 3, 1) == {"order": [0, 1, 2], "removed": [1]}
