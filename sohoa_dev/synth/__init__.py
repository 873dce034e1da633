"""Synthetic scanned material with known ground truth, for tests, benchmarks and the demo.

:mod:`.pages` renders single pages of form text and the scanner's defects (what the
digitization benchmark uses); :mod:`.documents` renders whole labelled documents of every
document type; :mod:`.dossiers` stacks them into labelled dossiers for a procedure.
"""

from sohoa_dev.synth.pages import (
    FONT_DIRS,
    FONT_FILES,
    GIVEN,
    HEADER,
    MIDDLE,
    MONEY_WORDS,
    PLACES,
    SENTENCES,
    SURNAMES,
    TITLES,
    Scan,
    SynthPage,
    character_error_rate,
    degrade,
    font,
    make_page,
    normalise_text,
    render_page,
    save_scan,
    vietnamese_lines,
)

__all__ = [
    "FONT_DIRS", "FONT_FILES", "GIVEN", "HEADER", "MIDDLE", "MONEY_WORDS", "PLACES",
    "SENTENCES", "SURNAMES", "TITLES", "Scan", "SynthPage", "character_error_rate", "degrade",
    "font", "make_page", "normalise_text", "render_page", "save_scan", "vietnamese_lines",
]
