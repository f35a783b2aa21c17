"""`atrocity-watch countries ...` as a focal point and a script see it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from atrocity_watch.cli import app

runner = CliRunner()

LOOKUP_KEYS = {"iso3", "name", "iso_numeric", "gw", "cow", "regions", "organisations"}


def _json(args: list[str]) -> object:
    result = runner.invoke(app, ["countries", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_lookup_json_schema() -> None:
    data = _json(["lookup", "Côte d'Ivoire", "--json"])
    assert isinstance(data, dict)
    assert set(data) >= LOOKUP_KEYS
    expected = {"iso3": "CIV", "name": "Côte d'Ivoire", "iso_numeric": 384, "gw": 437, "cow": 437}
    assert {k: data[k] for k in expected} == expected
    assert data["regions"] == ["Africa", "Sub-Saharan Africa", "Western Africa"]
    assert {"AU", "ECOWAS"} <= set(data["organisations"])
    assert isinstance(data["iso_numeric"], int) and isinstance(data["gw"], int)


@pytest.mark.parametrize(
    ("args", "iso3"),
    [
        (["--gw", "437"], "CIV"),
        (["--cow", "437"], "CIV"),
        (["--iso-numeric", "384"], "CIV"),
        (["--vdem", "64"], "CIV"),
        (["--ucdp", "437"], "CIV"),
        (["--gw", "345", "--year", "1995"], "YUG"),
        (["--gw", "340", "--year", "2010"], "SRB"),
        (["Serbia (Yugoslavia)", "--year", "2004"], "SCG"),
        (["CIV"], "CIV"),
        (["Ivory Coast"], "CIV"),
    ],
)
def test_lookup_by_code(args: list[str], iso3: str) -> None:
    data = _json(["lookup", *args, "--json"])
    assert isinstance(data, dict) and data["iso3"] == iso3


def test_lookup_table_for_people() -> None:
    result = runner.invoke(app, ["countries", "lookup", "--gw", "345", "--year", "1995"])
    assert result.exit_code == 0
    assert "Yugoslavia (YUG)" in result.stdout and "1918-2002" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lookup", "Nigera"], "Closest matches: Nigeria (NGA), Niger (NER)"),
        (["lookup", "--gw", "999"], "Unknown Gleditsch-Ward number 999"),
        (["lookup", "--gw", "345"], "Ambiguous Gleditsch-Ward number 345"),
        (["lookup", "Korea"], "Ambiguous country name 'Korea'"),
        (["lookup"], "give exactly one of"),
        (["lookup", "Chad", "--gw", "483"], "give exactly one of"),
        (["list", "--org", "NATO"], "Unknown organisation 'NATO'. Known organisations: ASEAN, AU,"),
        (["list", "--region", "Atlantis"], "Unknown M49 region 'Atlantis'"),
        (["list", "--org", "AU", "--as-of", "31/01/2024"], "--as-of must be a date"),
        (["list", "--org", "EAC", "--as-of", "1990-01-01"], "only recorded from 2000-07-07"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["countries", *args])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_list_org_json() -> None:
    data = _json(["list", "--org", "ECOWAS", "--json"])
    assert isinstance(data, list)
    assert [row["iso3"] for row in data if row["iso3"] in {"MLI", "NER", "BFA"}] == []
    assert len(data) == 12
    assert all(set(row) >= LOOKUP_KEYS for row in data)


def test_list_org_as_of_before_withdrawal() -> None:
    data = _json(["list", "--org", "ECOWAS", "--as-of", "2024-06-01", "--json"])
    assert isinstance(data, list)
    assert {"MLI", "NER", "BFA"} <= {row["iso3"] for row in data}


def test_list_region_table() -> None:
    result = runner.invoke(app, ["countries", "list", "--region", "Western Africa"])
    assert result.exit_code == 0
    assert "Côte d'Ivoire" in result.stdout and "Kenya" not in result.stdout


def test_organisations_json() -> None:
    data = _json(["organisations", "--json"])
    assert isinstance(data, list)
    codes = {row["code"] for row in data}
    assert codes == {"AU", "ECOWAS", "EU", "ASEAN", "OAS", "LAS", "OIC", "SADC", "IGAD", "EAC",
                     "SICA"}  # fmt: skip
