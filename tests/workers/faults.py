"""Fault injector for tests/workers/test_faults.py, loaded into a real worker process with
``sohoa worker --plugin tests.workers.faults`` (a tiny plugin, as OCRmyPDF's tests do).

``SOHOA_TEST_POISON_PAGE=N``: processing page N of any dossier raises every time, the way a
page that crashes a library would; everything else runs unchanged.
"""

from __future__ import annotations

import os

from sohoa.processing import pages

_real_run_page_job = pages.run_page_job
_poison = os.environ.get("SOHOA_TEST_POISON_PAGE")


def _poisoned(job: dict) -> dict:
    if _poison is not None and job["stem"] == f"p{int(_poison):04d}":
        raise RuntimeError(f"injected fault on page {_poison}")
    return _real_run_page_job(job)


pages.run_page_job = _poisoned
