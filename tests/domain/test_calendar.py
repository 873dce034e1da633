"""Working days and appointments: weekends, holidays, the 15:00 rule, make-up Saturdays."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sohoa.domain.calendar import (
    WorkCalendar,
    appointment,
    counting_start,
    load_calendar,
)
from sohoa.errors import CatalogError

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return load_calendar()


def test_packaged_calendar_knows_tet_2026(calendar: WorkCalendar) -> None:
    assert not calendar.is_working_day(date(2026, 2, 17))  # mùng 1 Tết Bính Ngọ
    assert not calendar.is_working_day(date(2026, 11, 21))  # a Saturday
    assert calendar.is_working_day(date(2026, 11, 23))
    assert calendar.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_before_cutoff_counts_from_today(calendar: WorkCalendar) -> None:
    # Monday 23/11/2026 09:30, 3 working days -> Thursday 26/11 09:30
    assert appointment(calendar, at(2026, 11, 23, 9, 30), 3) == at(2026, 11, 26, 9, 30)


def test_after_15h_counts_from_the_next_working_day(calendar: WorkCalendar) -> None:
    # Friday 27/11/2026 15:20 -> counting starts Monday 30/11 08:00 -> 3 days: Thu 3/12 08:00
    assert counting_start(calendar, at(2026, 11, 27, 15, 20)) == at(2026, 11, 30, 8, 0)
    assert appointment(calendar, at(2026, 11, 27, 15, 20), 3) == at(2026, 12, 3, 8, 0)
    assert appointment(calendar, at(2026, 11, 27, 14, 59), 3) == at(2026, 12, 2, 14, 59)


def test_weekend_and_holidays_are_skipped(calendar: WorkCalendar) -> None:
    # Thursday 12/2/2026 10:00 + 5 working days: 13/2 (Fri), then Tết 16-20/2, then 23-26/2
    assert appointment(calendar, at(2026, 2, 12, 10), 5) == at(2026, 2, 26, 10)
    # received on a Saturday: counted from Monday's opening
    assert appointment(calendar, at(2026, 11, 21, 10), 1) == at(2026, 11, 24, 8, 0)


def test_same_day_procedures(calendar: WorkCalendar) -> None:
    assert appointment(calendar, at(2026, 11, 23, 9), 0) == at(2026, 11, 23, 16, 30)
    assert appointment(calendar, at(2026, 11, 23, 16, 0), 0) == at(2026, 11, 24, 8, 0)\
        .replace(hour=16, minute=30)  # after 15:00: the next working day
    assert appointment(calendar, at(2026, 11, 23, 7, 10), 0) == at(2026, 11, 23, 16, 30)


def test_make_up_saturday_and_own_holidays(tmp_path: Path) -> None:
    path = tmp_path / "lich.yaml"
    path.write_text("holidays: [2026-11-24]\nworking_saturdays: [2026-11-28]\n",
                    encoding="utf-8")
    own = load_calendar(path)
    assert not own.is_working_day(date(2026, 11, 24)) and own.is_working_day(date(2026, 11, 28))
    # Monday 23/11 10:00 + 4 days: 25, 26, 27, Sat 28 (make-up)
    assert appointment(own, at(2026, 11, 23, 10), 4) == at(2026, 11, 28, 10)
    assert own.cutoff == time(15, 0)


def test_a_malformed_calendar_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "lich.yaml"
    path.write_text("holidays: [2026-13-01]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="month must be in 1..12"):
        load_calendar(path)
    path.write_text("holidays: [ngay-mai]\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="holidays"):
        load_calendar(path)
    with pytest.raises(CatalogError, match="không đọc được"):
        load_calendar(tmp_path / "khong-co.yaml")
