"""The monitor registry: what each monitor watches, in which source fields, for which indicators.

One declaration per monitor feeds the signal computation, ``atrocity-watch monitor list``,
``docs/monitoring.md`` (a test checks the page lists them all) and the web pages. Framework
references are checked against :func:`atrocity_watch.framework.get_framework` when the module is
imported; risk factor 14, whose indicator list the Framework data file leaves incomplete, is
referenced as the risk factor itself ("14").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from atrocity_watch.monitor._errors import InvalidParameterError, UnknownMonitorError

EVENT_SOURCES: tuple[str, ...] = ("ucdp_ged", "acled_events")
Measure = Literal["deaths", "events", "areas", "novelty", "neighbour_deaths"]
Support = Literal["full", "partial", "none"]
_MEASURES = ("deaths", "events", "areas", "novelty", "neighbour_deaths")


@dataclass(frozen=True)
class Threshold:
    """When a monitor's signal raises, escalates and closes an alert.

    ``min_score`` and ``escalate_score`` are on the score scale, −log10 of the probability of a
    value at least this high given the country's own baseline (2 = 1 in 100, 3 = 1 in 1,000).
    ``min_value`` keeps tiny counts from alerting however unusual they are; an alert closes after
    ``quiet_months`` covered months in a row below ``min_score`` (months without data never
    count as quiet). ``subnational`` also raises alerts for first-level subdivisions.
    """

    min_score: float = 2.0
    escalate_score: float = 3.0
    min_value: float = 1.0
    quiet_months: int = 3
    subnational: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.min_score <= 10:
            raise InvalidParameterError(
                f"The 'min_score' threshold must be a number in (0, 10]. Got {self.min_score} "
                "instead."
            )
        if not self.min_score <= self.escalate_score <= 10:
            raise InvalidParameterError(
                "The 'escalate_score' threshold must be at least 'min_score' "
                f"({self.min_score}) and at most 10. Got {self.escalate_score} instead."
            )
        if self.min_value < 0:
            raise InvalidParameterError(
                f"The 'min_value' threshold must be 0 or more. Got {self.min_value} instead."
            )
        if not isinstance(self.quiet_months, int) or not 1 <= self.quiet_months <= 36:
            raise InvalidParameterError(
                "The 'quiet_months' threshold must be a whole number of months from 1 to 36. "
                f"Got {self.quiet_months!r} instead."
            )


@dataclass(frozen=True)
class SourceSupport:
    """How one monitor reads one event source, or why it cannot."""

    source: str
    support: Support
    fields: tuple[str, ...]
    rule: str

    def __post_init__(self) -> None:
        if self.source not in EVENT_SOURCES:
            raise InvalidParameterError(
                f"monitors read {', '.join(EVENT_SOURCES)}; {self.source!r} is not one of them"
            )
        if self.support not in ("full", "partial", "none"):
            raise InvalidParameterError(f"support must be full, partial or none: {self.support}")
        if self.support != "none" and not self.fields:
            raise InvalidParameterError(f"{self.source}: name the source fields the monitor uses")
        if not self.rule.strip():
            raise InvalidParameterError(f"{self.source}: say how the value is computed, or why not")

    @property
    def supported(self) -> bool:
        """False when the source does not code what the monitor watches."""
        return self.support != "none"

    @property
    def label(self) -> str:
        """Support in words for tables and pages."""
        return {
            "full": "supported",
            "partial": "partly supported",
            "none": "not supported by this source",
        }[self.support]


@dataclass(frozen=True)
class Monitor:
    """One thing the system watches month by month."""

    name: str
    title: str
    description: str
    unit: str
    measure: Measure
    flag: str  # the column of the normalised event table that selects this monitor's events
    indicators: tuple[str, ...]
    sources: tuple[SourceSupport, ...]
    threshold: Threshold = field(default_factory=Threshold)
    subnational: bool = True  # signals per first-level subdivision as well as per country

    def __post_init__(self) -> None:
        if not self.name.replace("_", "").isalnum() or not self.name.islower():
            raise InvalidParameterError(f"monitor name {self.name!r} must be lower_snake_case")
        if self.measure not in _MEASURES:
            raise InvalidParameterError(
                f"the measure of {self.name!r} must be one of {', '.join(_MEASURES)}. "
                f"Got {self.measure!r} instead."
            )
        if not self.indicators:
            raise InvalidParameterError(f"monitor {self.name!r} must name Framework indicators")
        if tuple(s.source for s in self.sources) != EVENT_SOURCES:
            raise InvalidParameterError(
                f"monitor {self.name!r} must say, in order, how it reads each of "
                f"{', '.join(EVENT_SOURCES)} (or why it cannot)"
            )
        for text in (self.title, self.description, self.unit):
            if not text.strip():
                raise InvalidParameterError(
                    f"monitor {self.name!r} needs a title, description, unit"
                )

    def support(self, source: str) -> SourceSupport:
        """How this monitor reads ``source``."""
        for entry in self.sources:
            if entry.source == source:
                return entry
        raise InvalidParameterError(
            f"monitors read {', '.join(EVENT_SOURCES)}; {source!r} is not one of them"
        )

    def supports(self, source: str) -> bool:
        """True when ``source`` codes what this monitor watches (fully or in part)."""
        return source in EVENT_SOURCES and self.support(source).supported

    def as_dict(self) -> dict[str, object]:
        """Plain-data form for JSON output and the web pages."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "unit": self.unit,
            "measure": self.measure,
            "subnational": self.subnational,
            "indicators": list(self.indicators),
            "threshold": {
                "min_score": self.threshold.min_score,
                "escalate_score": self.threshold.escalate_score,
                "min_value": self.threshold.min_value,
                "quiet_months": self.threshold.quiet_months,
            },
            "sources": [
                {
                    "source": s.source,
                    "support": s.support,
                    "label": s.label,
                    "fields": list(s.fields),
                    "rule": s.rule,
                }
                for s in self.sources
            ],
        }


_GED_NO_TARGET = (
    "UCDP GED codes the victims of one-sided violence only as 'Civilians': it has no field for "
    "the kind of victim, so this cannot be told from UCDP data"
)

MONITORS: dict[str, Monitor] = {
    m.name: m
    for m in (
        Monitor(
            name="civilians_killed_by_government",
            title="Civilians killed by government forces",
            description=(
                "Civilians deliberately killed by State forces (the country's own or foreign "
                "ones), month by month, against the country's own recent past."
            ),
            unit="civilians killed",
            measure="deaths",
            flag="government_killing",
            indicators=("2.1", "7.8", "10.2", "11.1"),
            threshold=Threshold(min_value=5),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "full",
                    ("type_of_violence", "side_a", "best", "date_start", "adm_1"),
                    "One-sided violence (type_of_violence 3) whose side A is a government "
                    "('Government of …'); value = sum of UCDP's best estimate of deaths.",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "sub_event_type", "inter1", "inter2", "actor1", "fatalities"),
                    "Violence against civilians (and civilian-targeting explosions) by State "
                    "forces, or foreign 'Military/Police Forces of …'; plus 'Excessive force "
                    "against protesters', where State forces are actor 2; value = fatalities.",
                ),
            ),
        ),
        Monitor(
            name="civilians_killed_by_non_state",
            title="Civilians killed by non-State armed groups",
            description=(
                "Civilians deliberately killed by rebel groups, militias and other organised "
                "non-State actors."
            ),
            unit="civilians killed",
            measure="deaths",
            flag="non_state_killing",
            indicators=("5.5", "7.8", "11.1"),
            threshold=Threshold(min_value=5),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "full",
                    ("type_of_violence", "side_a", "best", "date_start", "adm_1"),
                    "One-sided violence (type 3) whose side A is not a government; value = "
                    "sum of UCDP's best estimate.",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "inter1", "actor1", "fatalities"),
                    "Violence against civilians by rebel groups, political or identity "
                    "militias and non-State external actors; value = fatalities.",
                ),
            ),
        ),
        Monitor(
            name="new_perpetrator_or_target",
            title="A new perpetrator or a new target group",
            description=(
                "Armed actors killing or attacking civilians that had not done so in the country "
                "in the previous three years, and identity groups newly targeted."
            ),
            unit="new actors or groups",
            measure="novelty",
            flag="against_civilians",
            indicators=("5.5", "7.5", "7.8", "13.1"),
            subnational=False,
            # A single newcomer in a country where none usually appear scores about 1.4; the
            # backtest's selection period chose 1.3 (at 2 the monitor never fired there).
            threshold=Threshold(min_score=1.3, min_value=1),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "partial",
                    ("type_of_violence", "side_a_new_id", "side_a", "date_start"),
                    "New perpetrators only: side A of one-sided violence not seen as a "
                    "perpetrator in the country in the previous 36 months. " + _GED_NO_TARGET + ".",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "actor1", "actor2", "assoc_actor_2", "event_date"),
                    "Perpetrators (actor 1 of violence against civilians; actor 2 of excessive "
                    "force against protesters) and identity groups targeted (ethnic, clan, "
                    "tribal and religious groups named in assoc_actor_2) not seen in the "
                    "previous 36 months.",
                ),
            ),
        ),
        Monitor(
            name="spread_of_violence_against_civilians",
            title="Geographic spread of violence against civilians",
            description=(
                "How many first-level subdivisions (states, provinces, regions) saw violence "
                "against civilians this month, against how many usually do; the number of "
                "0.5° grid cells is given alongside."
            ),
            unit="subdivisions affected",
            measure="areas",
            flag="against_civilians",
            indicators=("7.8", "10.3", "11.1"),
            subnational=False,
            threshold=Threshold(min_value=2),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "full",
                    ("type_of_violence", "adm_1", "where_prec", "priogrid_gid"),
                    "Distinct adm_1 of one-sided violence events located to a subdivision or "
                    "better (where_prec 1–4); cells from priogrid_gid (where_prec 1–3).",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "sub_event_type", "admin1", "latitude", "longitude"),
                    "Distinct admin1 of violence against civilians; cells computed from the "
                    "coordinates of events located to a place or nearby (geo_precision 1–2).",
                ),
            ),
        ),
        Monitor(
            name="sexual_violence",
            title="Sexual violence",
            description="Reported events of sexual violence.",
            unit="events",
            measure="events",
            flag="sexual_violence",
            indicators=("7.9", "10.5", "11.1"),
            threshold=Threshold(min_value=2),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "none",
                    (),
                    "UCDP GED records lethal violence only and does not code sexual violence.",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("sub_event_type",),
                    "Events of sub-event type 'Sexual violence'; value = number of events.",
                ),
            ),
        ),
        Monitor(
            name="abductions_and_disappearances",
            title="Abductions and forced disappearances",
            description="Reported abductions, kidnappings and enforced disappearances.",
            unit="events",
            measure="events",
            flag="abduction",
            indicators=("7.8", "11.1", "13.6"),
            threshold=Threshold(min_value=2),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "none",
                    (),
                    "UCDP GED records deaths only; abductions are not coded.",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("sub_event_type",),
                    "Events of sub-event type 'Abduction/forced disappearance'.",
                ),
            ),
        ),
        Monitor(
            name="attacks_on_aid_workers_and_peacekeepers",
            title="Attacks on aid workers and peacekeepers",
            description=(
                "Violence against humanitarian, health and UN personnel and against "
                "peacekeeping missions."
            ),
            unit="events",
            measure="events",
            flag="aid_or_peacekeepers",
            indicators=("13.8", "14", "6.4"),
            threshold=Threshold(min_value=1),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "none",
                    (),
                    _GED_NO_TARGET + "; peacekeepers are not a side in GED's dyads. (A search "
                    "of source headlines was tried and rejected: it mostly finds reports about "
                    "the humanitarian situation, not attacks.)",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "actor1", "actor2", "assoc_actor_2"),
                    "Political violence whose target (actor 2 or its associates) is aid, health "
                    "or UN personnel, the Red Cross/Red Crescent, or a peacekeeping mission "
                    "(UNAMID, UNMISS, MINUSCA, MINUSMA, MONUSCO, AMISOM/ATMIS …); battles with "
                    "a peacekeeping mission on either side.",
                ),
            ),
        ),
        Monitor(
            name="sieges_and_blocked_access",
            title="Signs of sieges and blocked humanitarian access",
            description=(
                "Events whose description mentions a siege, encirclement, blockade or "
                "obstructed humanitarian access."
            ),
            unit="events",
            measure="events",
            flag="siege_or_blockade",
            indicators=("13.8", "7.10", "14"),
            threshold=Threshold(min_value=2),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "partial",
                    ("source_headline", "where_description"),
                    "Neither source codes sieges. UCDP: events whose source headline or place "
                    "description mentions a siege, blockade or encirclement (text search; the "
                    "headline is empty for some events, so counts are a lower bound).",
                ),
                SourceSupport(
                    "acled_events",
                    "partial",
                    ("notes", "event_type"),
                    "Neither source codes sieges. ACLED: political violence and strategic "
                    "developments whose notes mention a siege, blockade, encirclement or "
                    "blocked aid (text search; protests and riots excluded). Notes are read to "
                    "count, never shown.",
                ),
            ),
        ),
        Monitor(
            name="neighbour_spillover",
            title="Conflict in neighbouring countries",
            description=(
                "Deaths in organised violence in the countries sharing a land border, which can "
                "spill over (refugees, armed groups, weapons crossing)."
            ),
            unit="deaths in neighbouring countries",
            measure="neighbour_deaths",
            flag="organised_violence",
            indicators=("8.2", "1.2"),
            subnational=False,
            threshold=Threshold(min_value=25),
            sources=(
                SourceSupport(
                    "ucdp_ged",
                    "full",
                    ("best", "date_start", "country_id"),
                    "Sum of UCDP's best estimate of deaths (all three types of violence) in the "
                    "land neighbours (country registry) that GED covers that month.",
                ),
                SourceSupport(
                    "acled_events",
                    "full",
                    ("event_type", "fatalities", "iso"),
                    "Fatalities of battles, explosions/remote violence and violence against "
                    "civilians in the land neighbours that the ACLED exports cover.",
                ),
            ),
        ),
    )
}


def get_monitor(name: str) -> Monitor:
    """The monitor called ``name``, or :class:`UnknownMonitorError` listing them."""
    try:
        return MONITORS[name]
    except KeyError:
        raise UnknownMonitorError(name, MONITORS) from None


@cache
def check_registry() -> None:
    """Check every monitor's Framework references (run once, at import)."""
    from atrocity_watch.framework import FrameworkError, get_framework

    framework = get_framework()
    for monitor in MONITORS.values():
        for reference in monitor.indicators:
            try:
                framework.resolve(reference)
            except FrameworkError as exc:
                raise InvalidParameterError(
                    f"monitor {monitor.name!r} names {reference!r}: {exc}"
                ) from None


check_registry()
