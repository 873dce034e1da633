"""The Tesseract program: version probe and one run producing several outputs.

Wrapped in its own module (as OCRmyPDF does with each external program) so the rest of the
pipeline never builds a command line. One run gives text, TSV word boxes and the text-only
PDF layer together: recognition is the expensive part and must happen once per page.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sohoa.errors import OcrError, ProgramCrashError

# Tesseract 5 retries unconfident lines as inverted (white-on-black) text; scanned dossiers
# have none, and skipping it saves a noticeable share of the time (OCRmyPDF does the same).
NO_INVERT = ("-c", "tessedit_do_invert=0")
FIXED_CONFIG = (*NO_INVERT, "-c", "textonly_pdf=1")


@dataclass(frozen=True)
class TesseractRun:
    """What one Tesseract run wrote."""

    text: str
    tsv: str
    pdf: bytes


@functools.cache
def version(cmd: str = "tesseract") -> str:
    """``5.3.0``-style version of the installed program; OcrError when it is missing."""
    try:
        out = subprocess.run([cmd, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrError(f"Không chạy được Tesseract ({cmd}): {exc}") from exc
    match = re.search(r"tesseract\s+v?(\d+\.\d+\.\d+)", out.stdout + out.stderr)
    if not match:
        raise OcrError(f"Không đọc được phiên bản Tesseract từ '{cmd} --version'")
    return match.group(1)


@functools.cache
def languages(cmd: str = "tesseract") -> frozenset[str]:
    """Installed language models."""
    out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def check_languages(wanted: str, cmd: str = "tesseract") -> None:
    """OcrError naming the missing model, before any page is processed."""
    missing = [lang for lang in wanted.split("+") if lang not in languages(cmd)]
    if missing:
        raise OcrError(
            f"Thiếu dữ liệu ngôn ngữ Tesseract: {', '.join(missing)} "
            f"(cài gói tesseract-ocr-{missing[0]})"
        )


def run(image: Path, dpi: float, langs: str, cmd: str = "tesseract",
        timeout_s: float = 180.0) -> TesseractRun:
    """Recognise ``image`` once, returning text, TSV and the text-only PDF layer."""
    base = image.with_suffix("")
    _execute([cmd, str(image), str(base), "-l", langs, "--dpi", str(round(dpi)),
              *FIXED_CONFIG, "txt", "tsv", "pdf"], image.name, cmd, timeout_s)
    return TesseractRun(
        text=base.with_suffix(".txt").read_text(encoding="utf-8"),
        tsv=base.with_suffix(".tsv").read_text(encoding="utf-8"),
        pdf=base.with_suffix(".pdf").read_bytes(),
    )


def run_text(image: Path, dpi: float, langs: str, cmd: str = "tesseract",
             timeout_s: float = 60.0) -> str:
    """Text only (no boxes, no layer): the quick look at a page's title area."""
    base = image.with_suffix("")
    _execute([cmd, str(image), str(base), "-l", langs, "--dpi", str(round(dpi)),
              *NO_INVERT, "txt"], image.name, cmd, timeout_s)
    return base.with_suffix(".txt").read_text(encoding="utf-8")


def run_tsv(image: Path, dpi: float, langs: str, cmd: str = "tesseract",
            timeout_s: float = 60.0, psm: int = 6) -> str:
    """Word boxes and confidences only, reading ``image`` as one block of text (``psm`` 6).

    One uniform block, because Tesseract's automatic layout (``psm`` 3) finds text lines
    standing upright and reads them turned: a page turned a quarter would then read as well
    as the upright one, and the orientation check (:mod:`sohoa.pipeline.readability`) must
    see the difference.
    """
    base = image.with_suffix("")
    _execute([cmd, str(image), str(base), "-l", langs, "--dpi", str(round(dpi)),
              "--psm", str(psm), *NO_INVERT, "tsv"], image.name, cmd, timeout_s)
    return base.with_suffix(".tsv").read_text(encoding="utf-8")


@functools.cache
def word_list(langs: str, cmd: str = "tesseract") -> frozenset[str]:
    """The lower-cased words of the languages' own dictionaries (Vietnamese: ~5,000
    syllables), unpacked from the installed ``.traineddata`` with the tools the
    tesseract-ocr package ships; empty when they cannot be found (no network, no copy kept).
    """
    tools = [shutil.which(name) for name in ("combine_tessdata", "dawg2wordlist")]
    folder = tessdata_dir(cmd)
    if None in tools or folder is None:
        return frozenset()
    words: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="sohoa-words-") as tmp:
        for lang in langs.split("+"):
            data, prefix = folder / f"{lang}.traineddata", Path(tmp) / f"{lang}."
            out = Path(tmp) / f"{lang}.txt"
            try:
                subprocess.run([tools[0], "-u", str(data), str(prefix)], capture_output=True,
                               timeout=30, check=True)
                subprocess.run([tools[1], f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg",
                                str(out)], capture_output=True, timeout=30, check=True)
                text = out.read_text(encoding="utf-8")
            except (OSError, subprocess.SubprocessError):
                continue
            words.update(unicodedata.normalize("NFC", w.strip().lower())
                         for w in text.splitlines() if w.strip())
    return frozenset(words)


@functools.cache
def tessdata_dir(cmd: str = "tesseract") -> Path | None:
    """The folder Tesseract reads its language models from, as it reports it."""
    try:
        out = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'"([^"]+)"', out.stdout + out.stderr)
    return Path(match.group(1)) if match else None


def _execute(args: list[str], name: str, cmd: str, timeout_s: float) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(args, capture_output=True, timeout=timeout_s, env=env)
    except subprocess.TimeoutExpired as exc:
        raise ProgramCrashError(f"Tesseract quá thời gian ({timeout_s:.0f} s) trên {name}"
                                ) from exc
    except OSError as exc:
        raise OcrError(f"Không chạy được Tesseract ({cmd}): {exc}") from exc
    if proc.returncode < 0:  # killed by a signal: OOM killer, kill -9 — worth another try
        raise ProgramCrashError(f"Tesseract bị dừng đột ngột (mã {proc.returncode}) trên "
                                f"{name}")
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise OcrError(f"Tesseract lỗi (mã {proc.returncode}): {detail[0]}")
