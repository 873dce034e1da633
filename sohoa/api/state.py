"""What one counter app holds for its lifetime (on ``app.state.counter``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from sohoa.api.settings import CounterSettings
from sohoa.clock import in_vietnam
from sohoa.processing.context import WorkContext
from sohoa.services.background import Processor

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")


def vietnam_time(moment: datetime | None, layout: str = "%d/%m/%Y %H:%M") -> str:
    """The template filter every page shows a time with (``{{ t|vn }}``, ``{{ t|vn("%d/%m/%Y")
    }}``): Vietnam time, whatever zone the value was stored in; "—" when there is none."""
    return in_vietnam(moment).strftime(layout) if moment else "—"


TEMPLATES.env.filters["vn"] = vietnam_time


@dataclass
class Counter:
    """The work context (catalog, object store), the background processor, settings."""

    ctx: WorkContext
    processor: Processor
    settings: CounterSettings
    thumbnail_cache: Path
