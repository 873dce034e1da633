"""Reading the editable YAML data files (procedures, retention rules): parsed once, read
again when the file changes, every problem a :class:`~sohoa.errors.CatalogError` that names
the file (and the line, for broken YAML)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from sohoa.errors import CatalogError

T = TypeVar("T")


def load_data_file(path: Path, what: str, parse: Callable[[str, str], T]) -> T:
    """``parse(text, file name)`` of the file at ``path``; ``what`` names it in messages
    ("danh mục thủ tục"). Cached per file until its size or modification time changes."""
    path = path.resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise CatalogError(f"{path.name}: không đọc được {what} ({exc.strerror})") from None
    return _parsed(path, stat.st_mtime_ns, stat.st_size, what, parse)


@lru_cache(maxsize=16)
def _parsed(path: Path, _mtime_ns: int, _size: int, what: str, parse: Callable) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path.name}: không đọc được {what} ({exc})") from None
    return parse(text, path.name)


def yaml_data(text: str, source: str) -> Any:
    """The YAML document in ``text``; broken YAML names the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}" if mark is not None else ""
        raise CatalogError(f"{source}: YAML không hợp lệ{where}") from None
