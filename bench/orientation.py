"""Orientation on real archive scans and on generated pages: pages turned, evidence, s/page.

A script that prints figures, not a test. Two corpora:

- **Real scans** (``../shared/real-scans/``, 84 PDFs, 239 pages, every one upright as scanned;
  see its README): each page is rendered as the pipeline renders it (:mod:`sohoa.pipeline.load`,
  at its own dpi), its scanner border cropped, then the orientation decided exactly as
  :func:`sohoa.pipeline.page.process_page` does. Every page turned is a page damaged: the
  target is 0. Read from ``../shared`` by path, never copied; one line and a skip when absent.
- **Generated pages** (``sohoa_dev.synth``): the archive look-alikes of
  :mod:`sohoa_dev.synth.tables` (landscape budget tables and staff lists, check-box forms,
  boxed forms; seals, signatures, photocopy grey) and plain form pages, each in all four
  turns, skewed, noisy, at 150-300 dpi. The target is every page exact.

Per corpus: pages, pages wrong (turned, for the real scans), which evidence decided
(``lines``: the glyph geometry was strong; ``readability``: the candidate turns were OCR'd;
``none``: no text), and seconds per page for the geometry alone and for the whole decision
(geometry plus the readability check where it ran). ``--osd`` adds Tesseract's own detector
(``--psm 0``) on every real page, for comparison. ``--turn-real`` also turns every real page
90, 180 and 270 degrees (losslessly, after the border crop) and checks each comes back: real
content in every orientation, which the archive does not have.

Run ``OMP_THREAD_LIMIT=1 .venv/bin/python -m bench.orientation [--seeds 3] [--real DIR]
[--no-real] [--no-generated] [--osd] [--turn-real]``.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from sohoa.pipeline import deskew, load, orient
from sohoa.pipeline.imaging import to_gray
from sohoa.pipeline.model import RasterPage
from sohoa.settings import LoadLimits, OcrSettings
from sohoa_dev.synth import Scan, make_page
from sohoa_dev.synth.tables import PAGE_KINDS, make_archive_page

REAL_SCANS = Path(__file__).resolve().parents[2] / "shared" / "real-scans"
TURNS = (0, 90, 180, 270)


@dataclass(frozen=True)
class Outcome:
    """The decision on one page, against the truth."""

    name: str
    expected: int
    found: orient.Orientation
    lines_s: float
    """Seconds for the geometry alone (:func:`orient.detect_rotation`)."""

    decide_s: float
    """Seconds for the whole decision (:func:`orient.decide_rotation`)."""


def decide(name: str, gray: np.ndarray, dpi: float, expected: int,
           settings: OcrSettings, turn: int = 0) -> Outcome:
    """Crop the scanner border as the pipeline does (then turn the sheet clockwise by
    ``turn``, for --turn-real), and time both stages on it."""
    sheet = orient.apply_rotation(deskew.crop(gray, deskew.sheet_box(gray)), turn)
    start = time.perf_counter()
    orient.detect_rotation(sheet, dpi)
    lines_s = time.perf_counter() - start
    start = time.perf_counter()
    found = orient.decide_rotation(sheet, dpi, settings)
    return Outcome(name, expected, found, lines_s, time.perf_counter() - start)


def real_pages(folder: Path) -> Iterator[tuple[str, np.ndarray, float]]:
    """(name, gray pixels, dpi) of every page of every PDF in ``folder``, as loaded."""
    for path in sorted(folder.glob("*.pdf")):
        for page in load.iter_pages(path, LoadLimits()):
            if isinstance(page, RasterPage):
                yield f"{path.stem} p{page.index + 1}", to_gray(page.pixels), page.dpi
            else:
                print(f"  not rendered: {path.name} page {page.index + 1}: {page.reason}")


def generated_pages(seeds: int) -> Iterator[tuple[str, np.ndarray, float, int]]:
    """(name, gray, dpi, expected rotation): every archive kind and plain pages, four turns."""
    dpis = (150, 200, 300)
    for seed in range(seeds):
        for k, kind in enumerate(PAGE_KINDS):
            for turn in TURNS:
                n = seed * 100 + k * 10 + turn // 90
                scan = Scan(dpi=dpis[(seed + k) % 3], turn=turn, skew=(n * 37 % 11 - 5) * 0.6,
                            noise=(0, 6, 10)[n % 3], blur=(0, 0.8)[n % 2],
                            jpeg_quality=(None, 70, 50)[seed % 3])
                page = make_archive_page(n, kind, scan, photocopy=n % 3 == 1, seal=n % 5 != 0,
                                         signature=n % 4 != 0)
                yield (f"{kind} {scan.dpi}dpi turn {turn}", np.asarray(page.image.convert("L")),
                       scan.dpi, page.expected_rotation)
        for turn in TURNS:
            n = 1000 + seed * 10 + turn // 90
            scan = Scan(dpi=(200, 300)[n % 2], turn=turn, skew=(n % 9 - 4) * 1.2, noise=8,
                        seal=n % 3 == 0, jpeg_quality=75)
            page = make_page(n, scan)
            yield (f"plain {scan.dpi}dpi turn {turn}", np.asarray(page.image.convert("L")),
                   scan.dpi, page.expected_rotation)


def osd(gray: np.ndarray, dpi: float) -> tuple[int, float]:
    """Tesseract OSD's (clockwise turn to make upright, confidence) on the whole page."""
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page.pgm"
        cv2.imwrite(str(image), gray)
        out = subprocess.run(["tesseract", str(image), "-", "--psm", "0", "--dpi",
                              str(round(dpi))], capture_output=True, text=True, timeout=120)
    text = out.stdout + out.stderr
    rotate = re.search(r"Rotate: (\d+)", text)
    conf = re.search(r"Orientation confidence: ([\d.]+)", text)
    return (int(rotate.group(1)) if rotate else 0), (float(conf.group(1)) if conf else 0.0)


def report(title: str, outcomes: list[Outcome], what_wrong: str) -> None:
    """One block of figures for a corpus."""
    wrong = [o for o in outcomes if o.found.rotation != o.expected]
    evidence = collections.Counter(o.found.evidence for o in outcomes)
    read = [o for o in outcomes if o.found.evidence == "readability"]
    pages = len(outcomes)
    print(f"{title}: {pages} pages, {what_wrong}: {len(wrong)}")
    print("  evidence: " + ", ".join(f"{k} {evidence[k]}" for k in ("lines", "readability",
                                                                       "none")))
    print(f"  s/page: geometry {sum(o.lines_s for o in outcomes) / pages:.3f}, "
          f"whole decision {sum(o.decide_s for o in outcomes) / pages:.3f}"
          + (f" (readability pages alone {sum(o.decide_s for o in read) / len(read):.2f})"
             if read else ""))
    for o in wrong:
        print(f"  WRONG {o.name}: turned {o.found.rotation} (expected {o.expected}), "
              f"confidence {o.found.confidence}, evidence {o.found.evidence}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Orientation on real scans and generated pages")
    parser.add_argument("--real", type=Path, default=REAL_SCANS, help="folder of real PDFs")
    parser.add_argument("--no-real", action="store_true")
    parser.add_argument("--no-generated", action="store_true")
    parser.add_argument("--seeds", type=int, default=3,
                        help="generated rounds (each: 4 archive kinds + a plain page, 4 turns)")
    parser.add_argument("--osd", action="store_true", help="also run Tesseract OSD on real pages")
    parser.add_argument("--turn-real", action="store_true",
                        help="also turn every real page 90/180/270 degrees and check it")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    settings = OcrSettings()
    if not args.no_real:
        if not args.real.is_dir():
            print(f"real scans: skipped ({args.real} not present)")
        else:
            outcomes, osd_turned, osd_s, turned = [], 0, 0.0, []
            for name, gray, dpi in real_pages(args.real):
                outcomes.append(decide(name, gray, dpi, 0, settings))
                for turn in (90, 180, 270) if args.turn_real else ():
                    turned.append(decide(f"{name} turned {turn}", gray, dpi, (360 - turn) % 360,
                                         settings, turn))
                if args.osd:
                    start = time.perf_counter()
                    turn, _ = osd(gray, dpi)
                    osd_s += time.perf_counter() - start
                    osd_turned += turn != 0
            report(f"real scans ({args.real})", outcomes, "upright pages turned")
            if args.osd:
                print(f"  tesseract OSD alone would turn {osd_turned} of {len(outcomes)}, "
                      f"{osd_s / len(outcomes):.2f} s/page")
            if turned:
                report("real scans turned 90/180/270 by the bench", turned, "pages wrong")
    if not args.no_generated:
        outcomes = [decide(name, gray, dpi, expected, settings)
                    for name, gray, dpi, expected in generated_pages(args.seeds)]
        report("generated (archive kinds and plain pages, all four turns)", outcomes,
               "pages wrong")


if __name__ == "__main__":
    main()
