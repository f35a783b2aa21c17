"""ACLED events by country and month: civilians targeted, sexual violence, abductions, attacks
on aid workers and peacekeepers — what UCDP does not code.

ACLED's licence forbids showing its raw rows to other users; the panels hold only monthly
counts per country, which the web app may show. The patterns below read ACLED's own event
taxonomy and actor names; both older exports (numeric actor codes, no civilian-targeting flag)
and current ones (text actor types, the flag) are handled through the loader's normalised
``actor1_type``/``actor2_type`` columns.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from atrocity_watch.panels._violence import declared_coverage, left_join

POLITICAL_VIOLENCE_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
POLITICAL_VIOLENCE_SUB_TYPES = ("Mob violence", "Excessive force against protesters")

#: Target-side actor names that mean aid workers or a humanitarian agency (case-insensitive).
AID_WORKERS = (
    r"(?i)(aid workers?|humanitarian|\bWFP\b|World Food Programme|\bUNHCR\b|\bUNICEF\b|"
    r"\bOCHA\b|\bIOM\b|\bICRC\b|Red Cross|Red Crescent|\bMSF\b|Doctors Without Borders|"
    r"\bUN: United Nations)"
)
#: Actor names of UN and regional peace operations, as ACLED writes them.
PEACEKEEPERS = (
    r"(?i)(United Nations[^;]*(Mission|Force|Operation)|African Union Mission|"
    r"\b(MINUSMA|MINUSCA|MONUSCO|MONUC|UNMISS|UNISFA|UNAMID|UNIFIL|UNDOF|UNFICYP|MINURSO|"
    r"UNMIL|UNOCI|AMISOM|ATMIS|AMIS|ECOMOG|MISCA|AFISMA)\b|peacekeep)"
)

ACLED_FEATURES = (
    "acled_political_violence_events",
    "acled_fatalities",
    "acled_events_targeting_civilians",
    "acled_civilian_fatalities",
    "acled_state_violence_against_civilians",
    "acled_sexual_violence_events",
    "acled_abduction_events",
    "acled_attacks_on_aid_workers",
    "acled_attacks_on_peacekeepers",
    "acled_excessive_force_against_protesters",
)


def _text(column: ir.StringValue) -> ir.StringValue:
    return column.coalesce("")


def acled_by_month(acled: ir.Table) -> ir.Table:
    """ACLED event counts and fatalities by country and month of ``event_date``.

    Keyed by ``(iso3, _t)``, the panels' month index (``year * 12 + month - 1``).
    """
    e = acled.filter(acled.iso3.notnull())
    political = e.event_type.isin(POLITICAL_VIOLENCE_TYPES) | e.sub_event_type.isin(
        POLITICAL_VIOLENCE_SUB_TYPES
    )
    targeting = (
        (e.event_type == "Violence against civilians")
        | (_text(e.civilian_targeting) == "Civilian targeting")
        | ((e.event_type == "Explosions/Remote violence") & (_text(e.actor2_type) == "Civilians"))
    )
    target_side = _text(e.actor2) + ";" + _text(e.assoc_actor_2)
    both_sides = _text(e.actor1) + ";" + _text(e.assoc_actor_1) + ";" + target_side
    day = e.event_date.cast("date")
    flagged = e.mutate(
        _t=day.year().cast("int64") * 12 + day.month().cast("int64") - 1,
        political=political,
        targeting=targeting,
        state_targeting=targeting & (_text(e.actor1_type) == "State forces"),
        aid=political & target_side.re_search(AID_WORKERS),
        peacekeepers=political & both_sides.re_search(PEACEKEEPERS),
        fatalities_known=e.fatalities.coalesce(0),
    )
    f = flagged
    return f.group_by(["iso3", "_t"]).aggregate(
        acled_political_violence_events=f.count(where=f.political),
        acled_fatalities=f.fatalities_known.sum(where=f.political),
        acled_events_targeting_civilians=f.count(where=f.targeting),
        acled_civilian_fatalities=f.fatalities_known.sum(where=f.targeting),
        acled_state_violence_against_civilians=f.count(where=f.state_targeting),
        acled_sexual_violence_events=f.count(where=f.sub_event_type == "Sexual violence"),
        acled_abduction_events=f.count(where=f.sub_event_type == "Abduction/forced disappearance"),
        acled_attacks_on_aid_workers=f.count(where=f.aid),
        acled_attacks_on_peacekeepers=f.count(where=f.peacekeepers),
        acled_excessive_force_against_protesters=f.count(
            where=f.sub_event_type == "Excessive force against protesters"
        ),
    )


def acled_month_features(units: ir.Table, coverage: ir.Table, acled: ir.Table | None) -> ir.Table:
    """``(iso3, month, <ACLED features>)``: numbers in covered months, NULL elsewhere."""
    if acled is None:
        return units.select("iso3", "month", **{n: ibis.null("int64") for n in ACLED_FEATURES})
    flags = left_join(units, declared_coverage(units, coverage, "acled_events"), ["iso3", "month"])
    joined = left_join(flags, acled_by_month(acled), ["iso3", "_t"])
    covered = joined.declared.coalesce(False)
    return joined.select(
        "iso3",
        "month",
        **{
            name: ibis.ifelse(covered, joined[name].coalesce(0), ibis.null("int64")).cast("int64")
            for name in ACLED_FEATURES
        },
    )
