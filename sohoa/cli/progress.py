"""Progress bars on stderr, so standard output holds only what a script may read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress(total: int | None, quiet: bool, desc: str = "Số hóa", unit: str = "trang"
             ) -> Iterator[tqdm]:
    """A bar counting ``unit`` (hidden with --quiet or when there is nothing to count;
    ``total`` None: not known yet, the caller sets it)."""
    with tqdm(total=total, desc=desc, unit=unit, disable=quiet or total == 0,
              file=sys.stderr, dynamic_ncols=True) as bar:
        yield bar
