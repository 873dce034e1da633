"""The readability check: when the lines are weak evidence, the reading that reads best wins,
and a page is never turned without a clear margin."""

from __future__ import annotations

import numpy as np
import pytest

from sohoa.pipeline import orient, readability, tesseract
from sohoa.pipeline.orient import Orientation, decide_rotation
from sohoa.settings import OcrSettings
from sohoa_dev.synth import Scan, make_page
from sohoa_dev.synth.tables import A5_LANDSCAPE, A5_PORTRAIT, make_archive_page

pytestmark = pytest.mark.ocr


@pytest.fixture(scope="module")
def settings(tesseract_vie: str) -> OcrSettings:
    return OcrSettings(tesseract_cmd=tesseract_vie)


def _gray(page) -> np.ndarray:
    return np.asarray(page.image.convert("L"))


def _weak(monkeypatch: pytest.MonkeyPatch, rotation: int, candidates: tuple[int, ...]) -> None:
    """Make the lines say ``rotation`` without conviction, as on the real table pages."""
    monkeypatch.setattr(orient, "detect_rotation",
                        lambda gray, dpi: Orientation(rotation, 0.2, 0.0, "lines", candidates))


def test_the_word_list_comes_from_tesseracts_own_vietnamese_data(settings):
    words = tesseract.word_list("vie", settings.tesseract_cmd)
    assert len(words) > 3000
    assert {"việt", "nam", "thực", "phẩm", "hội", "đồng", "ủy", "ban"} <= words


def test_upright_table_reads_far_better_than_turned(settings):
    page = make_archive_page(7, "staff", Scan(dpi=150), A5_LANDSCAPE)
    readings = {turn: readability.read(_gray(page), 150, turn, settings)
                for turn in (0, 90, 180)}
    upright = readings[0]
    assert upright.words >= 15 and upright.dictionary_rate > 0.4 and upright.confidence > 60
    for turn in (90, 180):
        assert upright.score - readings[turn].score > 0.2, (turn, readings)


def test_weak_lines_on_an_upright_page_leave_it_as_scanned(settings, monkeypatch):
    # The lines wrongly lean to upside down (what real budget tables did): reading decides.
    page = make_archive_page(8, "budget", Scan(dpi=150, skew=1.2), A5_LANDSCAPE)
    _weak(monkeypatch, 180, (180, 0))
    found = decide_rotation(_gray(page), 150, settings)
    assert (found.rotation, found.evidence) == (0, "readability")
    assert found.confidence > 0.5


@pytest.mark.parametrize(("turn", "candidates"), [(180, (0, 180)), (90, (90, 270, 0))])
def test_weak_lines_on_a_turned_page_still_turn_it(settings, monkeypatch, turn, candidates):
    page = make_archive_page(9, "checklist", Scan(dpi=150, turn=turn), A5_PORTRAIT)
    _weak(monkeypatch, candidates[0], candidates)
    found = decide_rotation(_gray(page), 150, settings)
    assert (found.rotation, found.evidence) == (page.expected_rotation, "readability")


def test_nothing_readable_means_no_turn(settings, monkeypatch):
    rng = np.random.default_rng(4)
    specks = np.full((600, 800), 235, np.uint8)
    for y, x in zip(rng.integers(0, 590, 80), rng.integers(0, 790, 80), strict=True):
        specks[y:y + 6, x:x + 9] = 30
    _weak(monkeypatch, 180, (180, 0))
    found = decide_rotation(specks, 150, settings)
    assert (found.rotation, found.evidence) == (0, "none")


def test_strong_lines_are_not_read_again(settings, monkeypatch):
    page = make_archive_page(10, "staff", Scan(dpi=150, turn=270), A5_LANDSCAPE)

    def no_ocr(*_args, **_kwargs):
        raise AssertionError("a page with strong line evidence must not be OCR'd twice")

    monkeypatch.setattr(readability, "read", no_ocr)
    found = decide_rotation(_gray(page), 150, settings)
    assert (found.rotation, found.evidence) == (90, "lines")


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_sparse_page_comes_out_exact_in_every_turn(settings, turn):
    # The national header, a title and one sentence (a cover, a short notice): too few lines
    # for the geometry to be sure every time; the decision, reading where needed, is exact.
    page = make_page(40 + turn, Scan(dpi=150, turn=turn, skew=1.0, noise=5), sentences=1)
    found = decide_rotation(_gray(page), 150, settings)
    assert found.rotation == page.expected_rotation
    assert found.evidence in ("lines", "readability")


def test_a_turn_found_by_reading_brings_its_own_skew(settings, monkeypatch):
    # The lines said "upright, not sure"; reading finds the page was fed sideways: the skew
    # reported must be the one measured with the lines running the other way.
    page = make_archive_page(11, "staff", Scan(dpi=150, turn=90, skew=2.0), A5_LANDSCAPE)
    _weak(monkeypatch, 0, (0, 180, 270))
    found = decide_rotation(_gray(page), 150, settings)
    assert (found.rotation, found.evidence) == (270, "readability")
    assert found.skew == pytest.approx(2.0, abs=0.25)
