"""UCDP Georeferenced Event Dataset (GED): one row per event of organised violence.

Three layouts are read into the same 49 columns: GED Global as UCDP ships it (49 columns), the
same without ``geom_wkt`` (48 columns, as the CAR extract in the test data), and UCDP's special
Syria release 652.1601.1911 (41 columns: no ``relid``, ``code_status``, ``*_dset_id``,
``where_description`` or ``gwnoa``; those are empty in the validated table).
"""

from __future__ import annotations

import re

from atrocity_watch.sources._spec import (
    THIS_YEAR,
    Column,
    CountryRule,
    Download,
    Layout,
    SourceSpec,
)
from atrocity_watch.sources.datasets._ucdp import (
    UCDP_ANNUAL_ARTICLE,
    UCDP_DOWNLOADS,
    UCDP_FIRST_YEAR,
    UCDP_LICENCE,
    UCDP_PUBLISHER,
    deaths,
)


def _int(name: str, description: str, **kw: object) -> Column:
    return Column(name, "integer", description, **kw)  # type: ignore[arg-type]


def _text(name: str, description: str, **kw: object) -> Column:
    return Column(name, "text", description, **kw)  # type: ignore[arg-type]


COLUMNS = (
    _int("id", "UCDP's unique event id.", required=True, nullable=False, minimum=0),
    _text("relid", "Readable event id (country-year-type-dyad-number)."),
    _int(
        "year",
        "Year of the event.",
        required=True,
        nullable=False,
        minimum=UCDP_FIRST_YEAR,
        maximum=THIS_YEAR,
    ),
    Column(
        "active_year",
        "boolean",
        "True when the event belongs to a conflict, dyad or actor active (25+ deaths) that year.",
    ),
    _text("code_status", "Coding status (Clear, Check type of violence, ...)."),
    _int(
        "type_of_violence",
        "1 state-based conflict, 2 non-state conflict, 3 one-sided violence against civilians.",
        required=True,
        nullable=False,
        allowed=(1, 2, 3),
    ),
    _int("conflict_dset_id", "Conflict id in the yearly UCDP datasets (ACD, Non-state, OSV)."),
    _int("conflict_new_id", "Conflict id in GED.", required=True),
    _text("conflict_name", "Name of the conflict."),
    _int("dyad_dset_id", "Dyad id in the yearly UCDP datasets."),
    _int("dyad_new_id", "Dyad id in GED.", required=True),
    _text("dyad_name", "Name of the dyad (side A - side B)."),
    _int("side_a_dset_id", "Side A actor id in the yearly UCDP datasets."),
    _int("side_a_new_id", "Side A actor id."),
    _text("side_a", "Side A: a government or an organised armed group.", required=True),
    _int("side_b_dset_id", "Side B actor id in the yearly UCDP datasets."),
    _int("side_b_new_id", "Side B actor id (1 = Civilians in one-sided violence)."),
    _text("side_b", "Side B: a government, a group, or 'Civilians'.", required=True),
    _int("number_of_sources", "Number of sources (-1 where not recorded).", minimum=-1),
    _text("source_article", "Source articles used for the event."),
    _text("source_office", "Publisher of the sources."),
    _text("source_date", "Publication dates of the sources."),
    _text("source_headline", "Headlines of the sources."),
    _text("source_original", "Original primary source (e.g. army statement)."),
    _int("where_prec", "Precision of the location, 1 exact .. 7 country.", minimum=1, maximum=7),
    _text("where_coordinates", "Name of the place the coordinates refer to."),
    _text("where_description", "Description of the place from the sources."),
    _text("adm_1", "First-order administrative unit."),
    _text("adm_2", "Second-order administrative unit."),
    Column(
        "latitude",
        "number",
        "Latitude (WGS 84).",
        required=True,
        nullable=False,
        minimum=-90,
        maximum=90,
    ),
    Column(
        "longitude",
        "number",
        "Longitude (WGS 84).",
        required=True,
        nullable=False,
        minimum=-180,
        maximum=180,
    ),
    _text("geom_wkt", "The point as well-known text."),
    _int("priogrid_gid", "PRIO-GRID cell id.", minimum=1),
    _text("country", "Country where the event took place (UCDP's name).", required=True),
    _int(
        "country_id",
        "Gleditsch-Ward code of the country where the event took place.",
        required=True,
        nullable=False,
    ),
    _text("region", "UCDP region (Africa, Americas, Asia, Europe, Middle East)."),
    _int("event_clarity", "1 clear event, 2 aggregate of several events.", minimum=1, maximum=2),
    _int("date_prec", "Precision of the date, 1 exact day .. 5 year.", minimum=1, maximum=5),
    Column("date_start", "date", "Earliest date of the event.", required=True, nullable=False),
    Column("date_end", "date", "Latest date of the event.", required=True, nullable=False),
    deaths("deaths_a", "Deaths on side A."),
    deaths("deaths_b", "Deaths on side B."),
    deaths("deaths_civilians", "Civilian deaths."),
    deaths("deaths_unknown", "Deaths of unknown status."),
    deaths("best", "Best estimate of all deaths (sum of the four death columns).", required=True),
    deaths("high", "High estimate of deaths."),
    deaths("low", "Low estimate of deaths."),
    _text("gwnoa", "Gleditsch-Ward code(s) of side A's government."),
    _text("gwnob", "Gleditsch-Ward code(s) of side B's government."),
)


def _syria_release(file_name: str) -> str | None:
    """UCDP's Syria release 652.1601.1911 follows GED Global 19.1 (its codebook and variables).

    Its version sorts after 19.1 and before 20.1, so that a later GED Global release (which
    shares some events with it) takes precedence.
    """
    match = re.search(r"GEDSyria_(\d+(?:\.\d+)+)", file_name)
    return f"19.1-syria-{match.group(1)}" if match else None


SPEC = SourceSpec(
    name="ucdp_ged",
    title="UCDP Georeferenced Event Dataset (GED)",
    publisher=UCDP_PUBLISHER,
    licence=UCDP_LICENCE,
    citation=(
        "Sundberg, Ralph & Erik Melander (2013), 'Introducing the UCDP Georeferenced Event "
        "Dataset', Journal of Peace Research 50(4): 523–532; " + UCDP_ANNUAL_ARTICLE
    ),
    url="https://ucdp.uu.se/downloads/index.html#ged_global",
    description=(
        "Events of lethal organised violence (state-based, non-state, one-sided) with date, "
        "place and deaths, 1989 onwards."
    ),
    unit="event",
    columns=COLUMNS,
    key=("id",),
    countries=(
        CountryRule(
            column="country_id",
            scheme="ucdp",
            year_column="year",
            rule=(
                "country_id is UCDP's country id (Gleditsch-Ward numbers, but 345 stays Serbia "
                "after 2006), looked up in the registry for the event's year."
            ),
        ),
    ),
    layouts=(
        Layout("ged_global", "GED Global as UCDP ships it (49 columns).", ("relid", "geom_wkt")),
        Layout(
            "ged_global_without_geometry",
            "GED Global without geom_wkt (48 columns, e.g. converted from GeoJSON).",
            ("relid",),
        ),
        Layout(
            "ged_syria_special_release",
            "UCDP's Syria release 652.1601.1911 (41 columns; no relid, code_status, *_dset_id, "
            "where_description, gwnoa — left empty).",
        ),
    ),
    version_from_name=_syria_release,
    version_pattern=r"GEDEvent_v(\d+)_(\d+)(?:_(\d+))?|ged(\d\d)(\d)-csv",
    downloads=(
        Download(
            UCDP_DOWNLOADS + "ged/ged251-csv.zip",
            "ged251-csv.zip",
            "GED Global 25.1, all events 1989–2024 (zip of one CSV).",
        ),
    ),
    mirror_patterns=(
        "ucdp/GEDEvent_*.csv",
        "ucdp/ged*-csv.zip",
        "ucdp/ged_subset/GEDEvent_*.csv",
        "ucdp/ged_subset/GEDSyria_*.csv",
    ),
    rules=(
        "Columns a layout lacks are kept empty (NULL), so every GED file gives the same table.",
        "Events are never dropped; an event whose country_id the registry does not know for "
        "its year is an error.",
    ),
)
