"""Countries and dates a passage mentions, in English, French, Spanish, Russian and Arabic.

Country names come from three places: the country registry (:mod:`atrocity_watch.countries`)
when it is installed, the ISO 3166 names and their official translations that ``pycountry``
ships, and this project's own list of short names (``data/country_names.yaml``). Every name maps
to an ISO 3166-1 alpha-3 code, the key used everywhere in the system.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

# --- text normalisation ------------------------------------------------------------------------

_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})


def fold(text: str) -> str:
    """Remove accents and Arabic vowel marks, unify Arabic alef forms; keep letter case.

    Used for matching only: "Côte d'Ivoire" and "Cote d'Ivoire", "سوريّة" and "سورية" match.
    """
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_ALEF)
    decomposed = unicodedata.normalize("NFKD", text)
    # Cyrillic й and ё decompose too; keep them (they are letters in Russian, not accents).
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and out and "\u0400" <= out[-1] <= "\u04ff":
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out).replace("’", "'")


# --- countries ---------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _name_pattern(name: str) -> str:
    """A regular expression for one name, tolerant of Russian endings and Arabic prefixes."""
    words = fold(name).split()
    if _CYRILLIC.search(name):
        parts = []
        for word in words:
            if len(word) >= 5 and word[-2:] in ("ый", "ий", "ой", "ая", "ое", "ые"):
                parts.append(re.escape(word[:-2]) + r"\w{1,4}")  # adjectives: Южный, Южного
            elif len(word) >= 5 and word[-1] in "аяйеиоуыь":
                parts.append(re.escape(word[:-1]) + r"\w{0,3}")
            else:
                parts.append(re.escape(word) + r"\w{0,2}")
        return r"\s+".join(parts)
    if _ARABIC.search(name):
        body = r"\s+".join(re.escape(w) for w in words)
        # و (and), ب (in), ل (for), ف, ك attach to the next word; ال after ل becomes لل.
        if words[0].startswith("ال"):
            body = "(?:ال|ل)" + r"\s+".join(re.escape(w) for w in [words[0][2:], *words[1:]])
        return r"(?:[وفبلك]{1,2})?" + body
    return r"\s+".join(re.escape(w) for w in words)


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}

    def add(name: str, iso3: str) -> None:
        key = fold(name).strip()
        if len(key) >= 3 and key not in names:
            names[key] = iso3

    raw = yaml.safe_load(
        resources.files("atrocity_watch.evidence")
        .joinpath("data/country_names.yaml")
        .read_text(encoding="utf-8")
    )
    for iso3, aliases in raw.items():
        for alias in aliases or []:
            add(str(alias), str(iso3))
    for iso3, name in _registry_names():
        add(name, iso3)
    import pycountry

    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("fr", "es", "ru", "ar")
    ]
    for country in pycountry.countries:
        iso3 = str(country.alpha_3)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                add(str(value), iso3)
        for translation in translations:
            translated = translation.gettext(str(country.name))
            add(translated, iso3)
            if ", " in translated:  # "Palestine, État de" -> "État de Palestine"
                head, _, tail = translated.partition(", ")
                add(f"{tail} {head}", iso3)
    ordered = sorted(names, key=len, reverse=True)  # longest first: South Sudan before Sudan
    alternatives = "|".join(f"(?:{_name_pattern(n)})" for n in ordered)
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    lookup = {}
    for name, iso3 in names.items():
        lookup[name] = iso3
    return pattern, lookup


def country_registry() -> Any:
    """``atrocity_watch.countries.get_registry`` when that layer is installed, else None."""
    import importlib

    try:
        module = importlib.import_module("atrocity_watch.countries")
    except ImportError:
        return None
    return getattr(module, "get_registry", None)


def _registry_names() -> Iterable[tuple[str, str]]:
    """Names from the project's country registry, when that layer is installed."""
    get_registry = country_registry()
    if get_registry is None:
        return []
    try:
        registry = get_registry()
        return [(c.name, c.iso3) for c in registry.all(include_historical=False)]
    except Exception:  # a registry that cannot load must not stop documents being read
        return []


def _resolve(match: str, lookup: dict[str, str]) -> str | None:
    key = " ".join(match.split())
    if key in lookup:
        return lookup[key]
    # Inflected Russian or prefixed Arabic form: find the listed name it was matched by.
    for name, iso3 in lookup.items():
        if re.fullmatch(_name_pattern(name), key):
            return iso3
    return None


def detect_countries(text: str) -> tuple[str, ...]:
    """ISO3 codes of the countries ``text`` names, in order of first mention.

    >>> detect_countries("Refugees from Syria reached Lebanon; d'autres ont fui vers la Turquie.")
    ('SYR', 'LBN', 'TUR')
    >>> detect_countries("Беженцы из Сирии")
    ('SYR',)
    """
    pattern, lookup = _gazetteer()
    found: list[str] = []
    for match in pattern.finditer(fold(text)):
        iso3 = _resolve(match.group(0), lookup)
        if iso3 and iso3 not in found:
            found.append(iso3)
    return tuple(found)


# --- dates -------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _words in enumerate(
    [
        "january janvier enero январ يناير كانون الثاني",
        "february fevrier febrero феврал فبراير شباط",
        "march mars marzo март марта مارس اذار",
        "april avril abril апрел ابريل نيسان",
        "may mai mayo май мая مايو ايار",
        "june juin junio июн يونيو حزيران",
        "july juillet julio июл يوليو تموز",
        "august aout agosto август اغسطس اب",
        "september septembre septiembre сентябр سبتمبر ايلول",
        "october octobre octubre октябр اكتوبر تشرين الاول",
        "november novembre noviembre ноябр نوفمبر تشرين الثاني",
        "december decembre diciembre декабр ديسمبر كانون الاول",
    ],
    start=1,
):
    for _word in _words.split():
        _MONTHS.setdefault(_word, _number)

_MONTH_WORD = r"([^\W\d_]{3,12})"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?{_MONTH_WORD}\s+(?:de\s+|del\s+)?((?:19|20)\d\d)\b"
)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH_WORD}\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH_WORD}\s+(?:de\s+|del\s+)?((?:19|20)\d\d)\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\b")
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/-])")


def _month(word: str) -> int | None:
    word = fold(word).lower()
    if word in _MONTHS:
        return _MONTHS[word]
    for stem, number in _MONTHS.items():  # Russian case endings: января, октябре
        if len(stem) >= 4 and word.startswith(stem) and len(word) - len(stem) <= 2:
            return number
    return None


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def detect_dates(text: str) -> tuple[str, ...]:
    """Dates ``text`` mentions, as ISO strings of the precision given: day, month or year.

    Day-first numeric dates (26/10/2015) are read as the UN and most of the world write them.

    >>> detect_dates("Letter dated 22 October 2015; the meeting of June 2015; since 2011.")
    ('2015-10-22', '2015-06', '2011')
    """
    folded = fold(text)
    found: list[tuple[int, str]] = []
    covered: list[tuple[int, int]] = []

    def take(start: int, end: int, value: str) -> None:
        if any(s <= start < e or s < end <= e for s, e in covered):
            return
        covered.append((start, end))
        found.append((start, value))

    for m in _ISO.finditer(folded):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            take(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in _DAY_MONTH_YEAR.finditer(folded):
        mo_ = _month(m.group(2))
        d, y = int(m.group(1)), int(m.group(3))
        if mo_ and _valid(y, mo_, d):
            take(m.start(), m.end(), f"{y:04d}-{mo_:02d}-{d:02d}")
    for m in _MONTH_DAY_YEAR.finditer(folded):
        mo_ = _month(m.group(1))
        d, y = int(m.group(2)), int(m.group(3))
        if mo_ and _valid(y, mo_, d):
            take(m.start(), m.end(), f"{y:04d}-{mo_:02d}-{d:02d}")
    for m in _NUMERIC.finditer(folded):
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mo, d):
            take(m.start(), m.end(), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in _MONTH_YEAR.finditer(folded):
        mo_ = _month(m.group(1))
        if mo_:
            take(m.start(), m.end(), f"{int(m.group(2)):04d}-{mo_:02d}")
    for m in _YEAR.finditer(folded):
        take(m.start(), m.end(), m.group(1))
    found.sort()
    out: list[str] = []
    for _, value in found:
        if value not in out:
            out.append(value)
    return tuple(out)


def date_range(values: Iterable[str]) -> tuple[date, date] | None:
    """The first and last day covered by ISO date strings of any precision (None when empty)."""
    starts: list[date] = []
    ends: list[date] = []
    for value in values:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(parts[0], parts[1], parts[2])
            starts.append(day)
            ends.append(day)
        elif len(parts) == 2:
            starts.append(date(parts[0], parts[1], 1))
            next_month = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            ends.append(date.fromordinal(next_month.toordinal() - 1))
        else:
            starts.append(date(parts[0], 1, 1))
            ends.append(date(parts[0], 12, 31))
    if not starts:
        return None
    return min(starts), max(ends)
