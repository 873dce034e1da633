"""Working days and the appointment printed on a receipt (giấy hẹn trả kết quả).

Deadlines are counted in working days (Monday to Friday, less public holidays, plus any
make-up Saturday); a dossier received after 15:00 counts from the next working day
(docs/domain.md). Holidays are editable data (``holidays.yaml``, or ``SOHOA_HOLIDAYS``),
because they are announced year by year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sohoa.clock import VIETNAM
from sohoa.errors import CatalogError

PACKAGED_HOLIDAYS = Path(__file__).with_name("holidays.yaml")


class WorkCalendar(BaseModel):
    """Which days are working days, and the counter's hours."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    holidays: frozenset[date] = frozenset()
    working_saturdays: frozenset[date] = frozenset()
    cutoff: time = time(15, 0)
    """Received after this, the count starts on the next working day."""
    opens: time = time(8, 0)
    closes: time = time(17, 0)
    same_day_return: time = time(16, 30)
    """When results of "trong ngày" procedures are returned."""

    def is_working_day(self, day: date) -> bool:
        if day in self.working_saturdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_working_day(day)
        return day


def counting_start(calendar: WorkCalendar, received_at: datetime) -> datetime:
    """When the processing time starts: the receipt itself on a working day before the
    cut-off (not before opening time), else the opening of the next working day."""
    local = received_at.astimezone(VIETNAM)
    if calendar.is_working_day(local.date()) and local.time() < calendar.cutoff:
        return max(local, _at(local.date(), calendar.opens))
    return _at(calendar.next_working_day(local.date()), calendar.opens)


def appointment(calendar: WorkCalendar, received_at: datetime, processing_days: int) -> datetime:
    """Date and hour the result is promised for (Vietnam time).

    ``processing_days`` working days after the counting start, at the same hour (never
    after closing); 0 (trong ngày) means the same working day at ``same_day_return``.
    """
    start = counting_start(calendar, received_at)
    if processing_days == 0:
        return _at(start.date(), max(calendar.same_day_return, start.time()))
    due = calendar.add_working_days(start.date(), processing_days)
    return _at(due, min(start.time().replace(second=0, microsecond=0), calendar.closes))


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=VIETNAM)


def load_calendar(path: Path | None = None) -> WorkCalendar:
    """The calendar at ``path`` (None: the packaged holidays), cached until the file changes."""
    path = Path(path or PACKAGED_HOLIDAYS).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise CatalogError(f"{path.name}: không đọc được lịch ngày nghỉ ({exc.strerror})") \
            from None
    return _load(path, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime_ns: int) -> WorkCalendar:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        # PyYAML turns 2026-13-01 into a date itself, and raises ValueError on a bad one
        raise CatalogError(f"{path.name}: không đọc được lịch ngày nghỉ ({exc})") from None
    try:
        return WorkCalendar.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise CatalogError(f"{path.name}: trường {where}: {problem['msg']}") from None
