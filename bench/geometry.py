"""Accuracy and cost of the geometry stages (orient, deskew, border crop) over many pages.

Pages come from the benchmark corpus plan (``bench.corpus``: A4, 200/300 dpi, skew within
+-6 degrees, a third turned, noise, blur, JPEG, dark borders, seals), or with ``--harsh`` from
a sweep at the worst settings the tests use (blur 2, noise 16, JPEG 40, 60-px borders). Each
page is rendered in memory; nothing is written.

Accuracy is measured over the whole sweep; cost separately, as the best of several repeats
of each call on a few A4 pages, because a loaded machine otherwise reports its neighbours.

Run ``python -m bench.geometry [--pages 200] [--harsh] [--small] [--cost-pages 6]``.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from bench.corpus import A4_INCHES, plan
from sohoa.pipeline.deskew import crop, estimate_skew, sheet_box, straighten
from sohoa.pipeline.orient import apply_rotation, detect_rotation
from sohoa_dev.synth import Scan, make_page

SMALL_INCHES = (4.1, 5.8)


@dataclass
class Outcome:
    """What the stages found on one page, against the truth."""

    dpi: int
    rotation_ok: bool
    confidence: float
    skew_error: float
    """estimate_skew on the correctly turned, cropped page minus the true skew."""

    orient_skew_error: float
    """Orientation.skew minus the true skew."""

    box_error: int
    """Largest distance (px) between a found sheet edge and the true one."""


def harsh_scans(pages: int, seed: int) -> list[tuple[int, Scan, int]]:
    """(seed, scan, sentences) at the harshest settings the tests use."""
    rng = random.Random(seed)
    return [
        (seed * 1000 + i, Scan(
            dpi=rng.choice((200, 300)), skew=round(rng.uniform(-6, 6), 2),
            turn=rng.choice((0, 90, 180, 270)), blur=rng.choice((0.0, 1.0, 2.0)),
            noise=rng.choice((0.0, 8.0, 16.0)), jpeg_quality=rng.choice((None, 40, 75)),
            dark_border=rng.choice((0, 60)), seal=rng.random() < 0.15,
        ), 14)
        for i in range(pages)
    ]


def corpus_scans(pages: int, seed: int) -> list[tuple[int, Scan, int]]:
    """(seed, scan, sentences) of the benchmark corpus plan."""
    return [(p.seed, p.scan, p.sentences) for p in plan(pages, seed)]


def expected_box(scan: Scan, width: int, height: int) -> tuple[int, int, int, int]:
    """The sheet without the band synth lays left and top, after the scan's quarter turn."""
    b = scan.dark_border
    sides = {0: "left top", 90: "top right", 180: "right bottom", 270: "bottom left"}[scan.turn]
    return (b * ("left" in sides), b * ("top" in sides),
            width - b * ("right" in sides), height - b * ("bottom" in sides))


def measure(seed: int, scan: Scan, sentences: int, size: tuple[float, float]) -> Outcome:
    """Run the stages in the recommended order: crop, orient, turn, deskew."""
    page = make_page(seed, scan, size_in=size, sentences=sentences)
    gray = np.asarray(page.image.convert("L"))
    box = sheet_box(gray)
    truth = expected_box(scan, gray.shape[1], gray.shape[0])
    gray = crop(gray, box)
    found = detect_rotation(gray, scan.dpi)
    skew = estimate_skew(apply_rotation(gray, page.expected_rotation), scan.dpi)
    return Outcome(
        dpi=scan.dpi, rotation_ok=found.rotation == page.expected_rotation,
        confidence=found.confidence, skew_error=skew - scan.skew,
        orient_skew_error=found.skew - scan.skew,
        box_error=int(np.abs(np.subtract(box, truth)).max()),
    )


def report(outcomes: list[Outcome]) -> None:
    """Print orientation, skew and border accuracy over all pages."""
    wrong = [i for i, o in enumerate(outcomes) if not o.rotation_ok]
    skew = np.abs([o.skew_error for o in outcomes])
    oskew = np.abs([o.orient_skew_error for o in outcomes])
    boxes = np.array([o.box_error for o in outcomes])
    print(f"pages: {len(outcomes)}")
    print(f"orientation: {len(outcomes) - len(wrong)}/{len(outcomes)} exact, wrong at {wrong}, "
          f"min confidence {min(o.confidence for o in outcomes):.3f}")
    for name, err in (("estimate_skew", skew), ("Orientation.skew", oskew)):
        print(f"{name} |error| deg: mean {err.mean():.4f}  p95 {np.percentile(err, 95):.4f}  "
              f"max {err.max():.4f}  over 0.1: {int((err > 0.1).sum())}")
    print(f"sheet_box error px: max {boxes.max()}  over 3 px: {int((boxes > 3).sum())}")


def _best_ms(call: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def page_cost(pixels: np.ndarray, dpi: int, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` milliseconds of each stage on one page, in the recommended order."""
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if pixels.ndim == 3 else pixels
    box = sheet_box(gray)
    sheet, sheet_gray = crop(pixels, box), crop(gray, box)
    found = detect_rotation(sheet_gray, dpi)
    turned = apply_rotation(sheet, found.rotation)
    upright = apply_rotation(sheet_gray, found.rotation)
    return {
        "sheet_box": _best_ms(lambda: sheet_box(gray), repeat),
        "crop": _best_ms(lambda: crop(pixels, box), repeat),
        "detect_rotation": _best_ms(lambda: detect_rotation(sheet_gray, dpi), repeat),
        "apply_rotation": _best_ms(lambda: apply_rotation(sheet, found.rotation), repeat),
        "estimate_skew": _best_ms(lambda: estimate_skew(upright, dpi), repeat),
        "straighten": _best_ms(lambda: straighten(turned, found.skew), repeat),
        "straighten (gray)": _best_ms(lambda: straighten(upright, found.skew), repeat),
    }


def cost(pages: int, dpi: int, repeat: int = 7) -> None:
    """Per-stage milliseconds on full A4 pages (median over pages of the best of repeats)."""
    rows = []
    for i in range(pages):
        scan = Scan(dpi=dpi, skew=(-1) ** i * (1 + i % 5), turn=(90 * i) % 360, noise=8,
                    blur=0.5, jpeg_quality=75, dark_border=40 * (i % 2), seal=i % 3 == 2)
        rows.append(page_cost(np.asarray(make_page(500 + i, scan).image), dpi, repeat))
    print(f"cost at {dpi} dpi, A4, ms (median over {pages} pages, a third with colour seals, "
          f"of the best of {repeat} runs; 1 OpenCV thread):")
    for name in rows[0]:
        print(f"  {name:18s} {np.median([r[name] for r in rows]):6.1f}")
    chain = [r["sheet_box"] + r["crop"] + r["detect_rotation"] + r["apply_rotation"]
             + r["straighten"] for r in rows]
    print(f"  {'chain':18s} {np.median(chain):6.1f}  (box, crop, orient, turn, straighten by "
          "Orientation.skew; add estimate_skew if called separately)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Geometry accuracy and cost on synth pages.")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--harsh", action="store_true", help="worst-case conditions sweep")
    parser.add_argument("--small", action="store_true", help="A6 pages for the sweep (fast)")
    parser.add_argument("--cost-pages", type=int, default=6, help="A4 pages timed per dpi")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    if args.pages:
        scans = (harsh_scans if args.harsh else corpus_scans)(args.pages, args.seed)
        size = SMALL_INCHES if args.small else A4_INCHES
        report([measure(seed, scan, sentences, size) for seed, scan, sentences in scans])
    for dpi in (300, 200) if args.cost_pages else ():
        cost(args.cost_pages, dpi)


if __name__ == "__main__":
    main()
