"""Language of a passage, restricted to the languages analysts read.

The detector (lingua) only chooses among :data:`LANGUAGES`, which is both faster and more accurate
than choosing among 75 languages: a French report is never taken for Catalan.
"""

from __future__ import annotations

from functools import cache
from typing import Any

#: ISO 639-1 codes the library recognises: the six UN languages plus German and Portuguese.
LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ru", "ar", "zh", "pt", "de")
UNDETERMINED = "und"

_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ru": "Russian",
    "ar": "Arabic",
    "zh": "Chinese",
    "pt": "Portuguese",
    "de": "German",
    UNDETERMINED: "undetermined",
}


def language_name(code: str) -> str:
    """The English name of a language code the library uses."""
    return _NAMES.get(code, code)


@cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_minimum_relative_distance(0.05)
        .build()
    )


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language, or ``"und"`` when unsure.

    >>> detect_language("Les forces armées ont bombardé le marché.")
    'fr'
    """
    if sum(ch.isalpha() for ch in text) < 3:
        return UNDETERMINED
    language = _detector().detect_language_of(text)
    if language is None:
        return UNDETERMINED
    return str(language.iso_code_639_1.name).lower()


def detect_languages(texts: list[str]) -> list[str]:
    """Detect the language of many texts at once (uses both cores for long lists)."""
    if len(texts) < 32:
        return [detect_language(t) for t in texts]
    detector = _detector()
    found = detector.detect_languages_in_parallel_of(texts)
    return [
        UNDETERMINED
        if lang is None or sum(ch.isalpha() for ch in text) < 3
        else str(lang.iso_code_639_1.name).lower()
        for text, lang in zip(texts, found, strict=True)
    ]
