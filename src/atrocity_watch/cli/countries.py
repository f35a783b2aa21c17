"""`atrocity-watch countries ...`: look up countries, their codes, regions and organisations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from atrocity_watch.cli._common import JSON_OPTION_HELP, command_errors, fail, print_json

if TYPE_CHECKING:
    from atrocity_watch.countries import Country, Registry

app = typer.Typer(
    help="Look up countries as any dataset names them (UCDP, ACLED, V-Dem, EPR, PTS, World Bank, "
    "Early Warning Project) and list them by region or organisation. Every country is keyed by "
    "its three-letter ISO code; former States such as Yugoslavia or the USSR have their own.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help=JSON_OPTION_HELP)]


def country_json(country: Country, registry: Registry) -> dict[str, Any]:
    """The JSON object of one country (keys documented in docs/countries.md)."""
    regions = registry.region_of(country.iso3)
    return {
        "iso3": country.iso3,
        "name": country.name,
        "iso_numeric": country.iso_numeric,
        "gw": country.gw,
        "cow": country.cow,
        "regions": [region.name for region in regions],
        "organisations": list(country.organisations),
        "official_name": country.official_name,
        "iso2": country.iso2,
        "gw_letters": country.gw_letters,
        "ucdp_id": country.ucdp_id,
        "vdem_id": country.vdem_id,
        "status": country.status,
        "historical": country.historical,
        "valid_from": country.valid_from,
        "valid_to": country.valid_to,
        "part_of": country.part_of,
        "m49_codes": [region.code for region in regions],
        "neighbours": registry.neighbours(country.iso3),
        "note": country.note,
    }


def _years(country: Country) -> str:
    if country.valid_from is None and country.valid_to is None:
        return ""
    if country.valid_to is None:
        return f"since {country.valid_from}"
    return f"{country.valid_from or '?'}-{country.valid_to}"


def _show(country: Country, registry: Registry) -> None:
    from rich.console import Console
    from rich.table import Table

    data = country_json(country, registry)
    table = Table(title=f"{country.name} ({country.iso3})", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    rows = [
        ("Official name", country.official_name),
        ("Status", country.status + (f", part of {country.part_of}" if country.part_of else "")),
        ("Years", _years(country)),
        ("ISO codes", f"{country.iso3} / {country.iso2 or '-'} / {country.iso_numeric or '-'}"),
        ("Gleditsch-Ward", f"{country.gw or '-'} {country.gw_letters or ''}".strip()),
        ("Correlates of War", str(country.cow or "-")),
        ("UCDP country id", str(country.ucdp_id or "-")),
        ("V-Dem country_id", str(country.vdem_id or "-")),
        ("UN M49 region", " > ".join(data["regions"]) or "-"),
        ("Organisations", ", ".join(data["organisations"]) or "-"),
        ("Land neighbours", ", ".join(data["neighbours"]) or "-"),
        ("Note", country.note),
    ]
    for field, value in rows:
        if value:
            table.add_row(field, value)
    Console().print(table)


@app.command("lookup")
@command_errors
def lookup(
    name: Annotated[
        str | None,
        typer.Argument(help='A country name as any source writes it, e.g. "Côte d\'Ivoire".'),
    ] = None,
    gw: Annotated[int | None, typer.Option("--gw", help="A Gleditsch-Ward number.")] = None,
    cow: Annotated[int | None, typer.Option("--cow", help="A Correlates of War number.")] = None,
    iso_numeric: Annotated[
        int | None, typer.Option("--iso-numeric", help="An ISO 3166 numeric code.")
    ] = None,
    ucdp: Annotated[int | None, typer.Option("--ucdp", help="A UCDP country id.")] = None,
    vdem: Annotated[int | None, typer.Option("--vdem", help="A V-Dem country_id.")] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="The year the name or code is from. Some codes changed meaning: GW 345 is "
            "Yugoslavia in 1995 and Serbia and Montenegro in 2004.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Find one country by name or by a dataset's code, and show all its codes.

    Examples: countries lookup "Ivory Coast"; countries lookup --gw 345 --year 1995.
    """
    from atrocity_watch.countries import get_registry

    given = {
        "name": name,
        "gw": gw,
        "cow": cow,
        "iso_numeric": iso_numeric,
        "ucdp": ucdp,
        "vdem": vdem,
    }
    chosen = {scheme: value for scheme, value in given.items() if value is not None}
    if len(chosen) != 1:
        fail("give exactly one of: a name, --gw, --cow, --iso-numeric, --ucdp or --vdem.")
    scheme, value = chosen.popitem()
    registry = get_registry()
    if scheme == "name" and isinstance(value, str) and len(value.strip()) == 3 and value.isupper():
        # An upper-case three-letter argument is tried as an ISO3 key first ("CIV").
        found = registry.try_resolve(value, "iso3", year)
        country = found or registry.resolve(value, "name", year)
    else:
        country = registry.resolve(value, scheme, year)
    if as_json:
        print_json(country_json(country, registry))
    else:
        _show(country, registry)


@app.command("list")
@command_errors
def list_countries(
    org: Annotated[
        str | None,
        typer.Option("--org", help="Only members of this organisation (AU, ECOWAS, EU, ...)."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Only this UN M49 region, by name or code (Africa, 011)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Membership on this date (YYYY-MM-DD) instead of today's."),
    ] = None,
    historical: Annotated[
        bool, typer.Option("--historical", help="Include former States such as the USSR.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List countries, optionally only the members of an organisation or a UN region."""
    from atrocity_watch.countries import get_registry

    registry = get_registry()
    when: date | None = None
    if as_of is not None:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of must be a date like 2024-01-31. Got {as_of!r} instead.")
        if org is None:
            fail("--as-of needs --org: membership is the only thing that changes by date here.")
    countries = registry.all(include_historical=historical)
    title = "Countries"
    if org is not None:
        organisation = registry.organisation(org)
        members = {c.iso3 for c in registry.members(organisation.code, when)}
        countries = [c for c in countries if c.iso3 in members]
        on = when if when is not None and when <= organisation.as_of else organisation.as_of
        title = f"Members of {organisation.name} ({organisation.code}) on {on.isoformat()}"
    if region is not None:
        m49 = registry.region(region)
        inside = {c.iso3 for c in registry.in_region(m49.code, include_historical=True)}
        countries = [c for c in countries if c.iso3 in inside]
        title += f" in {m49.name} (M49 {m49.code})"
    if as_json:
        print_json([country_json(c, registry) for c in countries])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{title}: {len(countries)}")
    for column in ("ISO3", "Name", "GW", "COW", "UN region", "Status"):
        table.add_column(column)
    for c in countries:
        chain = registry.region_of(c.iso3)
        table.add_row(
            c.iso3,
            c.name,
            str(c.gw or ""),
            str(c.cow or ""),
            chain[-1].name if chain else "",
            c.status + (f" ({_years(c)})" if c.historical else ""),
        )
    console = Console()
    console.print(table)
    if org is not None:
        organisation = registry.organisation(org)
        console.print(f"Source: {organisation.source} Checked up to {organisation.as_of}.")
        if organisation.note:
            console.print(f"Note: {organisation.note}")


@app.command("organisations")
@command_errors
def organisations(as_json: JsonFlag = False) -> None:
    """List the organisations whose membership is known, with the date each list was checked."""
    from atrocity_watch.countries import get_registry

    registry = get_registry()
    rows: list[dict[str, Any]] = [
        {
            "code": o.code,
            "name": o.name,
            "members": len(o.members()),
            "as_of": o.as_of.isoformat(),
            "history_from": o.history_from.isoformat() if o.history_from else None,
            "source": o.source,
            "note": o.note,
        }
        for o in registry.organisations()
    ]
    if as_json:
        print_json(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Organisations")
    for column in ("Code", "Name", "Members", "Checked up to", "History from"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["code"],
            row["name"],
            str(row["members"]),
            row["as_of"],
            row["history_from"] or "",
        )
    Console().print(table)
