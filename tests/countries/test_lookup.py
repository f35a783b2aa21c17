"""Looking countries up by name and by code, including codes whose meaning changed over time."""

from __future__ import annotations

import pytest

from atrocity_watch.countries import (
    AmbiguousCountryError,
    CountryOutOfScopeError,
    Registry,
    UnknownCountryError,
    get_registry,
)


@pytest.fixture(scope="module")
def reg() -> Registry:
    return get_registry()


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("COTE D’IVOIRE", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Myanmar (Burma)", "MMR"),
        ("DR Congo", "COD"),
        ("Congo, Dem. Rep.", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("Congo, Rep.", "COG"),
        ("Korea, Rep.", "KOR"),
        ("Korea, Dem. People's Rep.", "PRK"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Gambia, The", "GMB"),
        ("The Gambia", "GMB"),
        ("St. Kitts and Nevis", "KNA"),
        ("Yemen (North Yemen)", "YEM"),
        ("Yemen (South Yemen)", "YMD"),
        ("Cambodia (Kampuchea)", "KHM"),
        ("Bosnia-Herzegovina", "BIH"),
        ("Kosovo", "XKX"),
        ("  united   states of america ", "USA"),
    ],
)
def test_names_as_sources_write_them(reg: Registry, name: str, iso3: str) -> None:
    assert reg.lookup(name).iso3 == iso3


@pytest.mark.parametrize(
    ("name", "year", "iso3"),
    [
        ("Serbia (Yugoslavia)", 1995, "YUG"),
        ("Serbia (Yugoslavia)", 2004, "SCG"),
        ("Serbia (Yugoslavia)", 2010, "SRB"),
        ("Serbia (Yugoslavia)", None, "SRB"),
        ("Serbia", 1980, "YUG"),
        ("Serbia", 2020, "SRB"),
        ("Russia (Soviet Union)", 1989, "SUN"),
        ("Russia (Soviet Union)", 1995, "RUS"),
        ("Czechia", 1980, "CSK"),
        ("Czechia", 2000, "CZE"),
        ("Yemen", 1980, "YEM"),
    ],
)
def test_names_whose_meaning_changed(reg: Registry, name: str, year: int | None, iso3: str) -> None:
    assert reg.lookup(name, year=year).iso3 == iso3


def test_historical_state_outside_its_years_is_an_error(reg: Registry) -> None:
    with pytest.raises(
        UnknownCountryError, match=r"means Soviet Union \(SUN\) to 1991, not a country of 2000"
    ):
        reg.lookup("USSR", year=2000)
    assert reg.lookup("USSR", year=1980).iso3 == "SUN"


def test_unknown_name_lists_closest_matches(reg: Registry) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        reg.lookup("Nigera")
    message = str(caught.value)
    assert message.startswith(
        "Unknown country 'Nigera'. Closest matches: Nigeria (NGA), Niger (NER)"
    )
    assert caught.value.suggestions[:2] == (("Nigeria", "NGA"), ("Niger", "NER"))
    assert not isinstance(caught.value, AmbiguousCountryError)


def test_nonsense_says_there_is_no_close_match(reg: Registry) -> None:
    with pytest.raises(UnknownCountryError, match="No close match"):
        reg.lookup("Qwxzzy")


def test_ambiguous_name_lists_every_meaning(reg: Registry) -> None:
    with pytest.raises(AmbiguousCountryError) as caught:
        reg.lookup("Korea")
    assert {iso3 for _, iso3 in caught.value.suggestions} == {"KOR", "PRK"}
    assert "give a fuller name or a code" in str(caught.value)
    # The ambiguity is an UnknownCountryError too, so loaders need to catch one class.
    assert isinstance(caught.value, UnknownCountryError)


def test_parenthesis_is_never_guessed_away(reg: Registry) -> None:
    # The outer part alone would be Yemen; the registry only accepts a bracketed name when
    # both parts agree or the whole spelling is listed.
    with pytest.raises(UnknownCountryError):
        reg.lookup("Yemen (Aden)")


@pytest.mark.parametrize("bad", ["", "   ", None, float("nan")])
def test_empty_values_are_errors(reg: Registry, bad: object) -> None:
    with pytest.raises(UnknownCountryError):
        reg.resolve(bad, "name")


@pytest.mark.parametrize(
    ("method", "code", "year", "iso3"),
    [
        ("by_gw", 345, 1995, "YUG"),
        ("by_gw", 345, 2004, "SCG"),
        ("by_gw", 340, 2010, "SRB"),
        ("by_gw", 260, 1980, "DEU"),
        ("by_gw", 260, 2010, "DEU"),
        ("by_gw", 265, 1980, "DDR"),
        ("by_gw", 255, 1939, "DEU"),
        ("by_cow", 255, 1995, "DEU"),
        ("by_cow", 260, 1980, "DEU"),
        ("by_cow", 345, 2010, "SRB"),
        ("by_gw", 678, 1980, "YEM"),
        ("by_gw", 678, 2000, "YEM"),
        ("by_gw", 680, 1980, "YMD"),
        ("by_cow", 679, 2000, "YEM"),
        ("by_gw", 365, 1980, "SUN"),
        ("by_gw", 365, 2000, "RUS"),
        ("by_gw", 315, 1980, "CSK"),
        ("by_gw", 316, 2000, "CZE"),
        ("by_gw", 625, 2005, "SDN"),
        ("by_gw", 625, 2015, "SDN"),
        ("by_gw", 626, 2015, "SSD"),
        ("by_gw", 816, 1970, "VNM"),
        ("by_gw", 817, 1970, "XRV"),
        ("by_gw", 511, 1964, "XZN"),
        ("by_gw", 347, 2010, "XKX"),
        ("by_gw", 437, None, "CIV"),
        ("by_cow", 437, None, "CIV"),
        ("by_gw", 970, 2000, "KIR"),
        ("by_cow", 970, 2000, "NRU"),
        ("by_iso_numeric", 384, None, "CIV"),
        ("by_iso_numeric", 736, 2005, "SDN"),
        ("by_iso_numeric", 729, 2015, "SDN"),
        ("by_iso_numeric", 891, 1995, "YUG"),
        ("by_ucdp", 345, 2020, "SRB"),
        ("by_ucdp", 345, 1990, "YUG"),
        ("by_ucdp", 327, 2020, "VAT"),
        ("by_vdem", 198, 1990, "YUG"),
        ("by_vdem", 198, 2010, "SRB"),
        ("by_vdem", 11, 1980, "SUN"),
        ("by_vdem", 35, 1970, "XRV"),
        ("by_vdem", 64, None, "CIV"),
        ("by_gw_letters", "CDI", None, "CIV"),
    ],
)
def test_codes_by_year(
    reg: Registry, method: str, code: int | str, year: int | None, iso3: str
) -> None:
    assert getattr(reg, method)(code, year=year).iso3 == iso3


def test_codes_accept_text_and_floats_as_written_in_files(reg: Registry) -> None:
    assert reg.resolve("437", "gw").iso3 == "CIV"
    assert reg.resolve("437.0", "gw").iso3 == "CIV"
    assert reg.resolve(437.0, "cow").iso3 == "CIV"
    assert reg.resolve("civ", "iso3").iso3 == "CIV"
    assert reg.resolve("ZAR", "iso3", year=1990).iso3 == "COD"  # codespell:ignore


def test_code_that_changed_meaning_needs_a_year(reg: Registry) -> None:
    with pytest.raises(AmbiguousCountryError) as caught:
        reg.by_gw(345)
    message = str(caught.value)
    assert "Yugoslavia 1918-2002 (YUG)" in message and "Serbia and Montenegro" in message
    assert "give the year" in message


def test_code_outside_its_years(reg: Registry) -> None:
    with pytest.raises(UnknownCountryError, match=r"not used in 1995 .*1949-1990"):
        reg.by_gw(265, year=1995)


def test_code_before_independence_still_names_the_country(reg: Registry) -> None:
    # Some datasets give a territory its later code before independence (e.g. Namibia in 1985).
    assert reg.by_gw(565, year=1985).iso3 == "NAM"  # codespell:ignore


def test_state_ended_before_1946_is_out_of_scope(reg: Registry) -> None:
    with pytest.raises(CountryOutOfScopeError, match="Bavaria, a State from 1816 to 1871"):
        reg.by_gw(245)


def test_unknown_code_suggests_nearby_codes(reg: Registry) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        reg.by_gw(438.5)
    assert "Gleditsch-Ward number" in str(caught.value)
    with pytest.raises(UnknownCountryError) as caught:
        reg.by_gw(999)
    assert caught.value.suggestions and caught.value.suggestions[0][1] == "WSM"


def test_unknown_scheme_is_an_error(reg: Registry) -> None:
    with pytest.raises(UnknownCountryError, match="scheme must be one of"):
        reg.resolve("CIV", scheme="fips")


def test_country_attributes(reg: Registry) -> None:
    civ = reg.by_iso3("CIV")
    assert (civ.iso_numeric, civ.gw, civ.gw_letters, civ.cow, civ.ucdp_id, civ.vdem_id) == (
        384, 437, "CDI", 437, 437, 64)  # fmt: skip
    assert civ.valid_from == 1960 and civ.valid_to is None and not civ.historical
    deu = reg.by_iso3("DEU")
    assert (deu.gw, deu.cow) == (260, 255)
    srb = reg.by_iso3("SRB")
    assert (srb.gw, srb.cow, srb.ucdp_id) == (340, 345, 345)


@pytest.mark.parametrize(
    ("iso3", "first", "last"),
    [("YUG", 1918, 2002), ("SCG", 2003, 2006), ("SUN", 1922, 1991), ("CSK", 1918, 1992),
     ("DDR", 1949, 1990), ("YMD", 1967, 1990), ("XRV", 1954, 1975)],
)  # fmt: skip
def test_historical_states(reg: Registry, iso3: str, first: int, last: int) -> None:
    country = reg.by_iso3(iso3)
    assert country.historical and (country.valid_from, country.valid_to) == (first, last)
    assert country in reg.all(include_historical=True)
    assert country not in reg.all(include_historical=False)


def test_every_registry_key_is_three_capital_letters(reg: Registry) -> None:
    for country in reg.all():
        assert len(country.iso3) == 3 and country.iso3.isalpha() and country.iso3.isupper()
        assert reg.by_iso3(country.iso3) is country
