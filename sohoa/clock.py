"""Vietnam time, in one place.

Everything sohoa stores is timezone-aware (UTC in the catalog); everything a clerk, an agency
or an archivist reads is Vietnam time (UTC+7, no daylight saving): dossier codes take the
Vietnam-local day, receipts and appointments count Vietnam working days, a retention period
ends on 1 January Vietnam time, a ``--since YYYY-MM-DD`` filter starts at Vietnam midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sohoa.errors import UsageError

VIETNAM_TZ = "Asia/Ho_Chi_Minh"
VIETNAM = ZoneInfo(VIETNAM_TZ)


def vietnam_now() -> datetime:
    """Now, as a Vietnam-time aware datetime."""
    return datetime.now(VIETNAM)


def in_vietnam(moment: datetime) -> datetime:
    """``moment`` on the Vietnam clock; a naive value is taken as UTC (what the catalog
    stores), never as the server's own zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM)


def start_of_day(day: date) -> datetime:
    """Vietnam midnight at the start of ``day``."""
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def parse_day(text: str | None, field: str = "Ngày") -> datetime | None:
    """A day typed by a person (``YYYY-MM-DD``) as Vietnam midnight; None when empty.

    The message names ``field`` (an option or a form label) and the form it should take."""
    if not text:
        return None
    try:
        return start_of_day(date.fromisoformat(text.strip()))
    except ValueError:
        raise UsageError(f"{field}: ngày không hợp lệ {text!r}, phải có dạng YYYY-MM-DD "
                         "(ví dụ 2026-11-23)") from None


def parse_vietnamese_day(text: str | None, field: str = "Ngày") -> date | None:
    """A day as people at the counter write it (``dd/mm/yyyy``, also ``d/m/yyyy`` or
    ``dd-mm-yyyy``); None when empty. Forms use text fields for it, so the browser's own
    language never turns it into mm/dd/yyyy."""
    if not text or not text.strip():
        return None
    parts = text.strip().replace("-", "/").replace(".", "/").split("/")
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day)
    except ValueError:
        raise UsageError(f"{field}: ngày không hợp lệ “{text.strip()}”, phải có dạng "
                         "ngày/tháng/năm (ví dụ 23/11/2026)") from None
