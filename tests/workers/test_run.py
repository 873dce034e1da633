"""Starting ``sohoa worker`` (``sohoa/workers/run.py``): the current directory never shadows
the package, and worker code that does not import is refused before any worker starts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.workers.stack import SOHOA, Stack

pytestmark = [pytest.mark.ocr, pytest.mark.service]


def test_a_sohoa_folder_in_the_current_directory_does_not_shadow_the_package(
        stack: Stack, a4_scans: list[Path], tmp_path: Path) -> None:
    """Issue 13, point 6: started from a checkout's parent, the workers imported its
    ``sohoa/`` folder and failed every message (ImportError: cannot import name
    '__version__' from 'sohoa')."""
    parent = tmp_path / "checkouts"
    (parent / "sohoa").mkdir(parents=True)
    (parent / "sohoa" / "__init__.py").write_text("# not the package\n")
    stack.worker(cwd=parent)
    batch = stack.submit(a4_scans)
    stack.wait_done(batch, timeout=300)
    stack.assert_complete_once(batch, pages=3)


def test_worker_code_that_does_not_import_is_one_line_and_exit_2(stack: Stack,
                                                                 tmp_path: Path) -> None:
    done = subprocess.run([*SOHOA, "worker", "--processes", "1", "--no-recover",
                           "--plugin", "khong_co.module_nay"], env=stack.env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Máy xử lý không nạp được mã của sohoa" in lines[0]
    assert "khong_co" in lines[0]
