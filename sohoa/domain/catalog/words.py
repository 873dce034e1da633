"""Small text tools for reading the published checklists: folding, slugs, Vietnamese
syllables (to find where a form's file name was glued to the text without a space)."""

from __future__ import annotations

import re
import unicodedata

_STROKE = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """NFC, whitespace runs (tabs, newlines of the crawl) as one space, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower case without diacritics; đ → d ("Giấy đề nghị" → "giay de nghi")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slug(text: str, words: int = 6, limit: int = 40) -> str:
    """A readable id from a name: folded, the first ``words`` words, ``_`` between them
    ("Đơn đề nghị cấp giấy phép chặt hạ" → "don_de_nghi_cap_giay_phep")."""
    parts = re.findall(r"[a-z0-9]+", fold(text))[:words]
    out = ""
    for part in parts:
        candidate = f"{out}_{part}" if out else part
        if len(candidate) > limit:
            break
        out = candidate
    if not out or not out[0].isalpha():
        out = f"gt_{out}" if out else "giay_to"
    return out


_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
_SYLLABLE = re.compile(rf"^{_INITIAL}[aeiouy]{{1,3}}(?:ch|ng|nh|c|m|n|p|t)?$")


def is_syllable(word: str) -> bool:
    """Whether a folded word is one Vietnamese syllable ("bo", "van"), not two glued ("bovan")."""
    return bool(_SYLLABLE.match(word))


def glued_split(word: str) -> int | None:
    """Where two syllables were glued into one word ("bộvăn" → 2), or None."""
    folded = fold(word)
    if not folded.isalpha() or is_syllable(folded):
        return None
    for cut in range(1, len(folded)):
        if is_syllable(folded[:cut]) and is_syllable(folded[cut:]):
            return cut
    return None


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-")
