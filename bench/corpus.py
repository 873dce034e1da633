"""A deterministic corpus of full A4 scanned pages with ground truth, for the benchmark.

The conditions span what a counter ADF delivers: 200 and 300 dpi, skew within ±6°, about a
third of the sheets fed sideways or upside down, sensor noise, soft focus, JPEG artefacts,
the lid's dark border and now and then a red seal. Every page is written as the scanner would
(JPEG at its quality, or PNG when lossless, dpi recorded) and ``truth.json`` keeps the text and
the conditions, so any engine can be scored on the same files.

Run ``python -m bench.corpus DIR [--pages N] [--seed S]`` to write one by hand.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sohoa_dev.synth import Scan, make_page, save_scan

A4_INCHES = (8.27, 11.69)
SENTENCES = (18, 22)
"""Sentences drawn per page: enough to fill an A4 sheet like a real form."""

TURNS = (90, 180, 270)


@dataclass(frozen=True)
class CorpusPage:
    """One page file of the corpus and the truth about it."""

    name: str
    file: str
    """File name inside the corpus directory."""

    seed: int
    sentences: int
    scan: Scan
    text: str = ""

    def truth(self) -> dict:
        """The page's entry in ``truth.json``."""
        return {"name": self.name, "file": self.file, "seed": self.seed,
                "sentences": self.sentences, "dpi": self.scan.dpi, "skew": self.scan.skew,
                "turn": self.scan.turn, "conditions": asdict(self.scan), "text": self.text}


def _turns(rng: random.Random, count: int) -> list[int]:
    """A third of the pages (rounded) turned, cycling 90/180/270, at shuffled positions."""
    turned = round(count / 3)
    turns = [TURNS[k % 3] for k in range(turned)] + [0] * (count - turned)
    rng.shuffle(turns)
    return turns


def _scan(rng: random.Random, dpi: int, turn: int) -> Scan:
    """Random scanner conditions for one page (the JPEG quality is applied when saving)."""
    return Scan(
        dpi=dpi,
        skew=round(rng.uniform(-6.0, 6.0), 2),
        turn=turn,
        blur=round(rng.uniform(0.0, 0.9), 2),
        noise=round(rng.uniform(0.0, 10.0), 1),
        jpeg_quality=None if rng.random() < 0.25 else rng.randint(55, 90),
        dark_border=rng.randint(10, 80) if rng.random() < 0.4 else 0,
        seal=rng.random() < 0.15,
    )


def plan(pages: int = 24, seed: int = 2025) -> list[CorpusPage]:
    """The pages' names, seeds and conditions, without rendering anything (cheap)."""
    rng = random.Random(seed)
    turns = _turns(rng, pages)
    planned = []
    for i in range(pages):
        dpi = 300 if i % 2 == 0 else 200
        scan = _scan(rng, dpi, turns[i])
        suffix = ".jpg" if scan.jpeg_quality else ".png"
        name = f"page{i + 1:03d}"
        planned.append(CorpusPage(name=name, file=name + suffix, seed=seed * 1000 + i,
                                  sentences=rng.randint(*SENTENCES), scan=scan))
    return planned


def render(page: CorpusPage, directory: Path) -> CorpusPage:
    """Render, degrade and save one page; returns it with its ground-truth text.

    The JPEG quality is left out of the in-memory degradation and used when saving, so the
    file is compressed exactly once, as by a scanner.
    """
    synth = make_page(page.seed, replace(page.scan, jpeg_quality=None), size_in=A4_INCHES,
                      sentences=page.sentences)
    synth = replace(synth, scan=page.scan)
    save_scan(synth, directory / page.file, quality=page.scan.jpeg_quality or 90)
    return replace(page, text=synth.text)


def write_corpus(directory: Path, pages: int = 24, seed: int = 2025) -> list[CorpusPage]:
    """Write every page file and ``truth.json`` to ``directory``; returns the pages."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [render(page, directory) for page in plan(pages, seed)]
    truth = {"seed": seed, "size_in": A4_INCHES, "pages": [p.truth() for p in written]}
    (directory / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the benchmark corpus.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    for page in write_corpus(args.directory, args.pages, args.seed):
        s = page.scan
        print(f"{page.file}: {s.dpi} dpi, skew {s.skew:+.2f}, turn {s.turn}, "
              f"blur {s.blur}, noise {s.noise}, jpeg {s.jpeg_quality}, "
              f"border {s.dark_border}, seal {s.seal}")


if __name__ == "__main__":
    main()
