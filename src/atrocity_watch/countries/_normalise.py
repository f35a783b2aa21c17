"""How country names are compared: forgiving about spelling noise, never about meaning.

Two spellings are the same name when they agree after folding case and accents, dropping
punctuation and the word "the", and spelling "&" and "St." out. Nothing here guesses: word
order, abbreviations such as "Dem. Rep." and former names are listed as aliases in
``data/names.csv`` instead.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DROP = re.compile(r"'")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD_SPELLINGS = {"st": "saint", "ste": "sainte"}
_DROPPED_WORDS = frozenset({"the"})


def normalise_name(text: str) -> str:
    """The comparison key of a country name.

    >>> normalise_name("Côte d’Ivoire")
    'cote divoire'
    >>> normalise_name("Gambia, The")
    'gambia'
    >>> normalise_name("St. Kitts & Nevis")
    'saint kitts and nevis'
    """
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("&", " and ").replace("ß", "ss").casefold()
    ascii_text = _DROP.sub("", ascii_text)
    words = [w for w in _NON_WORD.split(ascii_text) if w]
    words = [_WORD_SPELLINGS.get(w, w) for w in words if w not in _DROPPED_WORDS]
    return " ".join(words)


def split_parenthesis(text: str) -> tuple[str, str] | None:
    """``("Cambodia", "Kampuchea")`` for ``"Cambodia (Kampuchea)"``; None without brackets."""
    match = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", text)
    if match is None:
        return None
    return match.group(1), match.group(2)
