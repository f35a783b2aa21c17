"""UN M49 regions, organisation membership by date, land borders, and data-file validation."""

from __future__ import annotations

from datetime import date

import pytest

from atrocity_watch.countries import (
    Registry,
    RegistryDataError,
    UnknownOrganisationError,
    get_registry,
)
from atrocity_watch.countries._build import read_data_rows
from atrocity_watch.countries._orgs import parse_organisations


@pytest.fixture(scope="module")
def reg() -> Registry:
    return get_registry()


def _members(reg: Registry, org: str, on: str | None = None) -> set[str]:
    return {c.iso3 for c in reg.members(org, as_of=date.fromisoformat(on) if on else None)}


def test_m49_chain(reg: Registry) -> None:
    assert [r.name for r in reg.region_of("CIV")] == [
        "Africa",
        "Sub-Saharan Africa",
        "Western Africa",
    ]
    assert [r.code for r in reg.region_of("DEU")] == ["150", "155"]
    assert [r.name for r in reg.region_of("YUG")] == ["Europe", "Southern Europe"]


def test_in_region_by_name_or_code(reg: Registry) -> None:
    west_africa = {c.iso3 for c in reg.in_region("Western Africa")}
    assert west_africa == {c.iso3 for c in reg.in_region("11")}
    assert {"CIV", "NGA", "SEN", "MLI"} <= west_africa and "KEN" not in west_africa
    africa = {c.iso3 for c in reg.in_region("Africa")}
    assert west_africa < africa and "SSD" in africa and "EGY" in africa
    assert "YMD" not in {c.iso3 for c in reg.in_region("Western Asia")}
    assert "YMD" in {c.iso3 for c in reg.in_region("Western Asia", include_historical=True)}


def test_unknown_region(reg: Registry) -> None:
    with pytest.raises(UnknownOrganisationError, match="Closest matches: Western Africa"):
        reg.region("Westren Africa")


def test_au_membership_over_time(reg: Registry) -> None:
    assert len(_members(reg, "AU")) == 55
    assert "MAR" in _members(reg, "AU", "2017-06-01")
    assert "MAR" not in _members(reg, "AU", "2010-06-01")  # outside the OAU/AU 1984-2017
    assert "SSD" not in _members(reg, "AU", "2011-01-01")
    assert "SSD" in _members(reg, "AU", "2011-08-01")
    assert "ESH" in _members(reg, "AU")  # the Sahrawi Republic
    au = reg.organisation("African Union")
    assert au.code == "AU" and au.as_of == date(2025, 10, 31) and "au.int" in au.source
    assert {"NER", "MLI", "BFA", "SDN"} <= set(au.suspended())
    assert "GAB" not in au.suspended() and "GAB" in au.suspended(date(2024, 1, 1))


def test_ecowas_withdrawal_of_the_sahel_states(reg: Registry) -> None:
    sahel = {"MLI", "BFA", "NER"}
    assert sahel <= _members(reg, "ECOWAS", "2025-01-28")
    assert not sahel & _members(reg, "ECOWAS", "2025-01-29")
    assert len(_members(reg, "ECOWAS")) == 12
    assert "MRT" not in _members(reg, "ECOWAS", "2010-01-01")


def test_eu_and_brexit(reg: Registry) -> None:
    assert "GBR" in _members(reg, "EU", "2020-01-31")
    assert "GBR" not in _members(reg, "EU", "2020-02-01")
    assert len(_members(reg, "EU")) == 27
    assert "HRV" not in _members(reg, "EU", "2013-06-30") and "HRV" in _members(
        reg, "EU", "2013-07-01"
    )


def test_eac_enlargement(reg: Registry) -> None:
    assert _members(reg, "EAC", "2001-01-01") == {"KEN", "TZA", "UGA"}
    assert {"SSD", "COD", "SOM"} <= _members(reg, "EAC")  # codespell:ignore
    assert "SOM" not in _members(reg, "EAC", "2024-03-03")  # codespell:ignore


def test_other_organisations(reg: Registry) -> None:
    assert len(_members(reg, "ASEAN")) == 11 and "TLS" not in _members(reg, "ASEAN", "2025-01-01")
    assert len(_members(reg, "LAS")) == 22
    assert "YMD" in _members(reg, "LAS", "1980-01-01")
    assert len(_members(reg, "OIC")) == 57
    assert len(_members(reg, "SADC")) == 16
    assert "SYC" not in _members(reg, "SADC", "2006-01-01")
    assert len(_members(reg, "IGAD")) == 8
    assert len(_members(reg, "SICA")) == 8
    assert {"NIC", "VEN"}.isdisjoint(_members(reg, "OAS")) and len(_members(reg, "OAS")) == 33


def test_dates_before_a_recorded_history_are_refused(reg: Registry) -> None:
    with pytest.raises(UnknownOrganisationError, match="only recorded from 2025-10-31"):
        reg.members("OIC", as_of=date(2000, 1, 1))


def test_dates_after_the_list_get_the_latest_list(reg: Registry) -> None:
    assert _members(reg, "EU", "2030-01-01") == _members(reg, "EU")


def test_country_organisations(reg: Registry) -> None:
    assert set(reg.by_iso3("NGA").organisations) == {"AU", "ECOWAS", "OIC"}
    assert "ECOWAS" in reg.organisations_of("MLI", as_of=date(2020, 1, 1))
    assert "ECOWAS" not in reg.organisations_of("MLI")


def test_unknown_organisation(reg: Registry) -> None:
    with pytest.raises(UnknownOrganisationError, match="Known organisations: ASEAN, AU"):
        reg.members("NATO")


def test_neighbours_are_symmetric_and_known(reg: Registry) -> None:
    assert reg.neighbours("CIV") == ["BFA", "GHA", "GIN", "LBR", "MLI"]
    sudan = {"SSD", "TCD", "CAF", "EGY", "ERI", "ETH", "LBY"}  # codespell:ignore
    assert set(reg.neighbours("SDN")) == sudan
    assert "DJI" in reg.neighbours("SOM")  # through Somaliland, part of Somalia  # codespell:ignore
    assert reg.neighbours("SGP") == [] and reg.neighbours("GBR") == ["IRL"]
    for country in reg.all():
        for other in reg.neighbours(country.iso3):
            assert other in reg, f"{country.iso3} borders unknown {other}"
            assert country.iso3 in reg.neighbours(other), f"{country.iso3}-{other} not symmetric"


def test_malformed_data_rows_name_file_line_and_field() -> None:
    text = "# comment\nname,iso3,from,to,source\nChad,TCD,,,x\nBroken,TCD\n"
    with pytest.raises(RegistryDataError, match=r"names.csv, line 4: expected 5 fields"):
        list(read_data_rows("names.csv", text))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not a list", "must hold a list"),
        ([{"code": "X", "name": "X", "as_of": "2025-01-01"}], "'source' is required"),
        ([{"code": "X", "name": "X", "source": "s", "as_of": "2025-01-01",
           "members": [["QQQ", "2000"]]}], "'QQQ' is not a registry key"),
        ([{"code": "X", "name": "X", "source": "s", "as_of": "2025-01-01",
           "members": [["TCD", "2000-13-40"]]}], "is not a date"),
        ([{"code": "X", "name": "X", "source": "s", "as_of": "2025-01-01",
           "members": [["TCD", 2010, 2000]]}], "leaves"),
    ],
)  # fmt: skip
def test_malformed_organisations_are_rejected(data: object, message: str) -> None:
    with pytest.raises(RegistryDataError, match=message):
        parse_organisations(data, {"TCD"})
