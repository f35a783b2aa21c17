"""ACLED event exports: political violence, demonstrations and strategic developments.

Two layouts are read into the same columns: the older export tool's (with ``data_id``,
``event_id_no_cnty`` and ``iso3``, numeric actor-type codes, dates like ``10 February 2023``,
no ``disorder_type``, ``civilian_targeting`` or ``tags``) and the current one (actor types as
text, ISO dates). ACLED's licence allows aggregates, not raw rows, to be shown to other users:
``raw_rows_shareable`` is False so the web layer shows aggregates only.
"""

from __future__ import annotations

from atrocity_watch.sources._spec import (
    THIS_YEAR,
    Column,
    CountryRule,
    Derived,
    Layout,
    SourceSpec,
)

# ACLED's numeric actor-type codes (acled_interaction_codes.csv, ACLED codebook).
_ACTOR_TYPES = {
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}


def _actor_type(column: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in _ACTOR_TYPES.items())
    return f"CASE trim({column}) {cases} WHEN '0' THEN NULL ELSE nullif(trim({column}), '') END"


def _text(name: str, description: str, **kw: object) -> Column:
    return Column(name, "text", description, **kw)  # type: ignore[arg-type]


KOSOVO_RULE = (
    "iso is ACLED's ISO 3166 numeric country code, looked up in the registry; ACLED writes 0 "
    "for Kosovo, which has no ISO code, and that row is keyed XKX."
)
LICENCE_RULE = (
    "ACLED's terms forbid giving raw rows to other users: raw_rows_shareable is False, so "
    "multi-user pages show aggregates only and credit ACLED."
)

SPEC = SourceSpec(
    name="acled_events",
    title="ACLED events (Armed Conflict Location & Event Data)",
    publisher="Armed Conflict Location & Event Data (ACLED)",
    licence=(
        "ACLED Terms of Use and End User Licence Agreement: registration required, attribution "
        "mandatory, raw event data may not be redistributed or shown to other users, "
        "commercial use needs a licence (acleddata.com/terms-of-use)"
    ),
    citation=(
        "Raleigh, Clionadh, Andrew Linke, "  # codespell:ignore
        "Håvard Hegre & Joakim Karlsen (2010), 'Introducing "
        "ACLED: An Armed Conflict Location and Event Dataset', Journal of Peace Research "
        "47(5): 651–660; data from acleddata.com"
    ),
    url="https://acleddata.com/",
    description=(
        "Reported political violence, demonstrations and strategic developments, with actors, "
        "place and fatalities; export of the user's own ACLED account."
    ),
    unit="event",
    columns=(
        _text(
            "event_id_cnty",
            "ACLED's event id (country letters + number).",
            required=True,
            nullable=False,
        ),
        Column(
            "event_date",
            "date",
            "Date of the event.",
            required=True,
            nullable=False,
            date_formats=("%Y-%m-%d", "%d %B %Y"),
        ),
        Column(
            "year",
            "integer",
            "Year of the event.",
            required=True,
            nullable=False,
            minimum=1997,
            maximum=THIS_YEAR,
        ),
        Column(
            "time_precision", "integer", "1 exact day .. 3 month or longer.", minimum=1, maximum=3
        ),
        _text(
            "disorder_type",
            "Political violence, Demonstrations (spelled 'Demostrations' in some exports, kept "
            "as shipped), Strategic developments; absent from the older export.",
        ),
        Column(
            "event_type",
            "text",
            "Battles, Explosions/Remote violence, Violence against civilians, Protests, Riots, "
            "Strategic developments.",
            required=True,
            nullable=False,
            allowed=(
                "Battles",
                "Explosions/Remote violence",
                "Violence against civilians",
                "Protests",
                "Riots",
                "Strategic developments",
            ),
        ),
        _text(
            "sub_event_type",
            "Sub-event type (e.g. Attack, Abduction/forced disappearance, Sexual violence).",
            required=True,
        ),
        _text("actor1", "First actor.", required=True),
        _text("assoc_actor_1", "Actors associated with the first actor."),
        _text("inter1", "Type of the first actor: a code 1–8 (older exports) or its name."),
        _text("actor2", "Second actor."),
        _text("assoc_actor_2", "Actors associated with the second actor."),
        _text("inter2", "Type of the second actor (code or name)."),
        _text(
            "interaction",
            "Combination of the two actor types (e.g. 17, or 'State forces-Civilians').",
        ),
        _text(
            "civilian_targeting",
            "'Civilian targeting' when civilians were the main target; empty otherwise and in "
            "older exports.",
        ),
        Column(
            "iso",
            "integer",
            "ISO 3166 numeric country code (0 for Kosovo).",
            required=True,
            nullable=False,
        ),
        _text("region", "ACLED region."),
        _text("country", "Country.", required=True),
        _text("admin1", "First-order administrative unit."),
        _text("admin2", "Second-order administrative unit."),
        _text("admin3", "Third-order administrative unit."),
        _text("location", "Place name."),
        Column(
            "latitude",
            "number",
            "Latitude.",
            required=True,
            nullable=False,
            minimum=-90,
            maximum=90,
        ),
        Column(
            "longitude",
            "number",
            "Longitude.",
            required=True,
            nullable=False,
            minimum=-180,
            maximum=180,
        ),
        Column("geo_precision", "integer", "1 exact place .. 3 region.", minimum=1, maximum=3),
        _text("source", "Sources of the report."),
        _text("source_scale", "Scale of the sources (Local, National, ...)."),
        _text("notes", "Description of the event."),
        Column(
            "fatalities",
            "integer",
            "Reported fatalities.",
            required=True,
            nullable=False,
            minimum=0,
        ),
        _text("tags", "Extra tags, e.g. 'crowd size=no report'."),
        Column("timestamp", "integer", "Unix time of the row's last change.", minimum=0),
    ),
    key=("event_id_cnty",),
    countries=(
        CountryRule(
            column="iso",
            scheme="iso_numeric",
            year_column="year",
            overrides={"0": "iso3:XKX"},
            rule=KOSOVO_RULE,
        ),
    ),
    layouts=(
        Layout(
            "acled_export_2023",
            "Older export tool (data_id, event_id_no_cnty, iso3; no disorder_type, "
            "civilian_targeting or tags; dates like '10 February 2023').",
            ("data_id", "event_id_no_cnty"),
        ),
        Layout("acled_current", "Current export layout (also the acledR package samples)."),
    ),
    derived=(
        Derived(
            "actor1_type",
            "text",
            _actor_type("inter1"),
            "Type of the first actor, as a name in both layouts.",
        ),
        Derived(
            "actor2_type",
            "text",
            _actor_type("inter2"),
            "Type of the second actor, as a name in both layouts.",
        ),
    ),
    raw_rows_shareable=False,
    # ACLED has no release numbers: the date of the newest change in the export (its
    # `timestamp`) tells exports apart, and a later export sorts after an earlier one.
    version_sql="strftime(max(to_timestamp(\"timestamp\")), '%Y-%m-%d')",
    mirror_patterns=(
        "acled/acledR_sample_*.csv",
        "acled/acled_*_export*.csv",
        "acled/acled_*_newformat.csv",
        "acled/events/*.csv",
    ),
    rules=(
        KOSOVO_RULE,
        LICENCE_RULE,
        "The older export's data_id, event_id_no_cnty and iso3 columns are ignored (iso3 is "
        "recomputed from iso by the registry).",
        "The version is the date of the newest change in the export (the largest "
        "`timestamp`), e.g. 2022-07-12.",
        "ACLED has no anonymous download: export the events with your own account and import "
        "the file, or put exports in the mirror's acled/events/ folder.",
    ),
)
