"""A ``tesseract`` that dies the way an OOM kill or ``kill -9`` kills the real one.

Put first on ``PATH`` (both runners find Tesseract there): version and language probes go
straight to the real program; a recognition run is counted in ``runs``, and the first
``deaths`` of them SIGKILL themselves before doing anything (``deaths=-1``: every run), the
others exec the real Tesseract. Deaths are claimed with ``mkdir`` (atomic), so every process of a
deployment shares the count and two concurrent runs never both take the last one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

_SCRIPT = """#!/bin/sh
case "$1" in --*) exec {real} "$@";; esac
echo run >> {folder}/runs
if [ {deaths} -lt 0 ]; then echo died >> {folder}/always; kill -9 $$; fi
i=1
while [ $i -le {deaths} ]; do
    if mkdir {folder}/death.$i 2>/dev/null; then kill -9 $$; fi
    i=$((i + 1))
done
exec {real} "$@"
"""


@dataclass(frozen=True)
class FakeTesseract:
    folder: Path

    @property
    def bin_dir(self) -> str:
        return str(self.folder / "bin")

    def path_with(self, path: str) -> str:
        """``PATH`` with the fake first."""
        return f"{self.bin_dir}:{path}"

    @property
    def runs(self) -> int:
        return _lines(self.folder / "runs")

    @property
    def deaths(self) -> int:
        return len(list(self.folder.glob("death.*"))) + _lines(self.folder / "always")


def fake_tesseract(folder: Path, deaths: int = 1) -> FakeTesseract:
    """Write the fake into ``folder/bin/tesseract``."""
    real = shutil.which("tesseract")
    assert real is not None and not real.startswith(str(folder)), "real tesseract needed"
    (folder / "bin").mkdir(parents=True, exist_ok=True)
    script = folder / "bin" / "tesseract"
    script.write_text(_SCRIPT.format(real=real, folder=folder, deaths=deaths))
    script.chmod(0o755)
    return FakeTesseract(folder)


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0
