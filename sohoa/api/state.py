"""What one counter app holds for its lifetime (on ``app.state.counter``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.templating import Jinja2Templates

from sohoa.api.settings import CounterSettings
from sohoa.processing.context import WorkContext
from sohoa.services.background import Processor

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")


@dataclass
class Counter:
    """The work context (catalog, object store), the background processor, settings."""

    ctx: WorkContext
    processor: Processor
    settings: CounterSettings
    thumbnail_cache: Path
