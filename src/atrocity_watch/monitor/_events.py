"""One table of events from whichever event sources are loaded (UCDP GED, ACLED).

Each source's rows are read into the same columns, so every monitor is one filter and one
measure over this table (see :mod:`atrocity_watch.monitor._registry` for what each monitor
reads and why). A flag a source cannot fill is NULL for that source's rows, never false: the
monitor then says "not supported by this source".

Columns: ``source, event_id, iso3, adm1, event_date, month, place, cell, perpetrator,
perpetrator_key, perpetrator_kind, target_groups, category, deaths, civilian_deaths,
against_civilians, government_killing, non_state_killing, sexual_violence, abduction,
aid_or_peacekeepers, siege_or_blockade, organised_violence, reported_by``.
"""

# ruff: noqa: S608  (the SQL below is built from constants, never from user input)

from __future__ import annotations

import duckdb

from atrocity_watch.monitor._registry import EVENT_SOURCES

VIEW = "monitor_events"

FLAGS = (
    "against_civilians",
    "government_killing",
    "non_state_killing",
    "sexual_violence",
    "abduction",
    "aid_or_peacekeepers",
    "siege_or_blockade",
    "organised_violence",
)

# Words that mark a siege or blocked access in a headline or an event description.
SIEGE_PATTERN = (
    r"\bsiege|besieg|blockad|encircl|under blockade|cut off (?:food|aid|supplies|access)"
    r"|block(?:ed|ing|s)? (?:the )?(?:aid|humanitarian|food|relief|convoy)"
    r"|humanitarian access|starvation"
)

# Targets that make an event an attack on aid workers, health workers, UN staff or peacekeepers
# (ACLED actor names, e.g. "Aid Workers (Sudan)", "UN: United Nations", "UNAMID: …").
AID_PATTERN = (
    r"aid workers|health workers|humanitarian|united nations|^un:|; un:|red cross|red crescent"
    r"|icrc|msf|medecins|doctors without borders|world food|wfp|unicef|unhcr|ocha|iom:"
    r"|peacekeep|unamid|unmiss|unisfa|minusma|minusca|monusco|unifil|undof|unficyp|minurso"
    r"|unmik|amisom|atmis|unsom|unitams|ecomog|misca|afisma"
)
PEACEKEEPING_PATTERN = (
    r"peacekeep|unamid|unmiss|unisfa|minusma|minusca|monusco|unifil|undof|unficyp|minurso"
    r"|unmik|amisom|atmis|misca|afisma"
)

# ACLED names groups as "Fur Ethnic Group (Sudan)", "Ngok Clan Group (Sudan)", "Muslim Group …".
IDENTITY_GROUP_PATTERN = (
    r"(?i)(ethnic|clan|tribal|religious) group|^(muslim|christian|catholic|protestant|hindu"
    r"|buddhist|jewish|sikh|ahmadi|shia|sunni|yazidi|alawite|druze|animist)[a-z -]* group"
)

_COLUMNS = (
    "source, event_id, iso3, adm1, event_date, month, place, cell, perpetrator, "
    "perpetrator_key, perpetrator_kind, target_groups, category, deaths, civilian_deaths, "
    + ", ".join(FLAGS)
    + ", reported_by"
)

_GED = f"""
SELECT
    'ucdp_ged' AS source,
    CAST(id AS VARCHAR) AS event_id,
    iso3,
    CASE WHEN coalesce(where_prec, 7) <= 4 THEN NULLIF(trim(adm_1), '') END AS adm1,
    CAST(date_start AS DATE) AS event_date,
    CAST(date_trunc('month', date_start) AS DATE) AS month,
    coalesce(NULLIF(trim(where_coordinates), ''), NULLIF(trim(adm_2), ''),
             NULLIF(trim(adm_1), ''), country) AS place,
    CASE WHEN coalesce(where_prec, 7) <= 3 THEN CAST(priogrid_gid AS BIGINT) END AS cell,
    side_a AS perpetrator,
    'ucdp:' || coalesce(CAST(side_a_new_id AS VARCHAR), side_a) AS perpetrator_key,
    CASE WHEN type_of_violence = 3 THEN
        CASE WHEN side_a LIKE 'Government of %' THEN 'government' ELSE 'non_state' END
    END AS perpetrator_kind,
    CAST(NULL AS VARCHAR[]) AS target_groups,
    CASE type_of_violence WHEN 1 THEN 'state-based armed conflict'
         WHEN 2 THEN 'non-state conflict' ELSE 'one-sided violence' END AS category,
    CAST(coalesce(best, 0) AS BIGINT) AS deaths,
    CAST(CASE WHEN type_of_violence = 3 THEN coalesce(best, 0) ELSE 0 END AS BIGINT)
        AS civilian_deaths,
    type_of_violence = 3 AS against_civilians,
    type_of_violence = 3 AND side_a LIKE 'Government of %' AS government_killing,
    type_of_violence = 3 AND side_a NOT LIKE 'Government of %' AS non_state_killing,
    CAST(NULL AS BOOLEAN) AS sexual_violence,
    CAST(NULL AS BOOLEAN) AS abduction,
    CAST(NULL AS BOOLEAN) AS aid_or_peacekeepers,
    regexp_matches(lower(coalesce(source_headline, '') || ' ' || coalesce(where_description, '')),
                   '{SIEGE_PATTERN}') AS siege_or_blockade,
    TRUE AS organised_violence,
    NULLIF(trim(source_office), '') AS reported_by
FROM src_ucdp_ged
WHERE iso3 IS NOT NULL
"""

# ACLED: the perpetrator of "excessive force against protesters" is actor 2 (the protesters
# are actor 1); everywhere else actor 1 acts.
_ACLED = f"""
WITH e AS (
    SELECT *,
        event_type = 'Violence against civilians'
            OR (coalesce(civilian_targeting, '') = 'Civilian targeting'
                AND event_type IN ('Explosions/Remote violence', 'Battles')) AS vac,
        coalesce(sub_event_type, '') = 'Excessive force against protesters' AS excessive_force,
        event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')
            AS political_violence
    FROM src_acled_events
    WHERE iso3 IS NOT NULL
), p AS (
    SELECT *,
        CASE WHEN excessive_force THEN actor2 ELSE actor1 END AS perp,
        CASE WHEN excessive_force THEN actor2_type ELSE actor1_type END AS perp_type
    FROM e
), k AS (
    SELECT *,
        CASE WHEN vac OR excessive_force THEN
            CASE WHEN perp_type = 'State forces'
                      OR (perp_type = 'External/Other forces'
                          AND regexp_matches(coalesce(perp, ''), '^(Military|Police) Forces of'))
                     THEN 'government'
                 WHEN perp_type IN ('Rebel group', 'Political militia', 'Identity militia',
                                    'External/Other forces') THEN 'non_state'
                 ELSE 'unknown' END
        END AS kind,
        lower(coalesce(actor2, '') || '; ' || coalesce(assoc_actor_2, '')) AS targets
    FROM p
)
SELECT
    'acled_events' AS source,
    event_id_cnty AS event_id,
    iso3,
    NULLIF(trim(admin1), '') AS adm1,
    CAST(event_date AS DATE) AS event_date,
    CAST(date_trunc('month', event_date) AS DATE) AS month,
    coalesce(NULLIF(trim(admin2), ''), NULLIF(trim(admin1), ''), country) AS place,
    CASE WHEN coalesce(geo_precision, 3) <= 2 THEN
        CAST(floor((latitude + 90) / 0.5) * 720 + floor((longitude + 180) / 0.5) + 1 AS BIGINT)
    END AS cell,
    perp AS perpetrator,
    'acled:' || coalesce(perp, '') AS perpetrator_key,
    kind AS perpetrator_kind,
    CASE WHEN vac OR excessive_force THEN
        list_filter(string_split(coalesce(assoc_actor_2, ''), '; '),
                    lambda x: regexp_matches(x, '{IDENTITY_GROUP_PATTERN}')
                              AND NOT starts_with(lower(x), 'unidentified'))
    END AS target_groups,
    sub_event_type AS category,
    CAST(CASE WHEN political_violence OR excessive_force THEN fatalities ELSE 0 END AS BIGINT)
        AS deaths,
    CAST(CASE WHEN vac OR excessive_force THEN fatalities ELSE 0 END AS BIGINT)
        AS civilian_deaths,
    (vac OR excessive_force) AND kind <> 'unknown' AS against_civilians,
    (vac OR excessive_force) AND kind = 'government' AS government_killing,
    (vac OR excessive_force) AND kind = 'non_state' AS non_state_killing,
    coalesce(sub_event_type, '') = 'Sexual violence' AS sexual_violence,
    coalesce(sub_event_type, '') = 'Abduction/forced disappearance' AS abduction,
    (political_violence AND regexp_matches(targets, '{AID_PATTERN}'))
        OR (event_type = 'Battles'
            AND regexp_matches(lower(coalesce(actor1, '')), '{PEACEKEEPING_PATTERN}'))
        AS aid_or_peacekeepers,
    event_type NOT IN ('Protests', 'Riots')
        AND regexp_matches(lower(coalesce(notes, '')), '{SIEGE_PATTERN}') AS siege_or_blockade,
    political_violence AS organised_violence,
    CAST(NULL AS VARCHAR) AS reported_by
FROM k
"""

SOURCE_SQL: dict[str, str] = {"ucdp_ged": _GED, "acled_events": _ACLED}


def source_table(source: str) -> str:
    """The warehouse table an event source is stored in."""
    return f"src_{source}"


def loaded_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The event sources whose tables exist in the warehouse connection."""
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    present = {str(r[0]) for r in rows}
    return [s for s in EVENT_SOURCES if source_table(s) in present]


def create_events_view(con: duckdb.DuckDBPyConnection, sources: list[str]) -> str:
    """Create (or replace) the temporary view of every loaded source's events; its name."""
    if not sources:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {VIEW} AS SELECT * FROM ({_empty()}) WHERE FALSE")
        return VIEW
    parts = [f"SELECT {_COLUMNS} FROM ({SOURCE_SQL[s]})" for s in sources]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {VIEW} AS " + " UNION ALL ".join(parts))
    return VIEW


def _empty() -> str:
    flags = ", ".join(f"CAST(NULL AS BOOLEAN) AS {f}" for f in FLAGS)
    return (
        "SELECT CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS event_id, "
        "CAST(NULL AS VARCHAR) AS iso3, CAST(NULL AS VARCHAR) AS adm1, "
        "CAST(NULL AS DATE) AS event_date, CAST(NULL AS DATE) AS month, "
        "CAST(NULL AS VARCHAR) AS place, CAST(NULL AS BIGINT) AS cell, "
        "CAST(NULL AS VARCHAR) AS perpetrator, CAST(NULL AS VARCHAR) AS perpetrator_key, "
        "CAST(NULL AS VARCHAR) AS perpetrator_kind, CAST(NULL AS VARCHAR[]) AS target_groups, "
        "CAST(NULL AS VARCHAR) AS category, CAST(NULL AS BIGINT) AS deaths, "
        f"CAST(NULL AS BIGINT) AS civilian_deaths, {flags}, "
        "CAST(NULL AS VARCHAR) AS reported_by"
    )
