"""EWP's 39 predictors, each tagged to the Framework of Analysis risk factors it informs.

One declaration feeds the model (column order), the explanations (contributions grouped by risk
factor), the model card's predictor table and the tests (every tag must exist in the Framework).
A predictor has one *primary* risk factor, under which its contribution is counted in
``forecast_drivers``; ``indicators`` lists every indicator it bears on. Risk factor 0 means "not
a Framework risk factor": region, time trend, a change in how the outcome was coded.
"""

from __future__ import annotations

from dataclasses import dataclass

from atrocity_watch.forecast._errors import ForecastError


@dataclass(frozen=True)
class Predictor:
    """One model input and the Framework risk factor its contribution is reported under."""

    name: str
    title: str
    risk_factor: int
    indicators: tuple[str, ...]
    why: str
    source: str = "ewp"

    def __post_init__(self) -> None:
        if not 0 <= self.risk_factor <= 14:
            raise ForecastError(
                f"Predictor {self.name!r}: risk factor must be 0..14, got {self.risk_factor}."
            )
        if self.risk_factor and not self.indicators:
            raise ForecastError(f"Predictor {self.name!r} names a risk factor but no indicator.")
        if not self.why:
            raise ForecastError(f"Predictor {self.name!r} needs a one-line justification.")


def _p(name: str, title: str, rf: int, indicators: str, why: str) -> Predictor:
    return Predictor(name, title, rf, tuple(i for i in indicators.split() if i), why)


EWP_PREDICTORS: tuple[Predictor, ...] = (
    _p(
        "widetargeting",
        "Ongoing mass killing against a wide group",
        2,
        "2.1 10.2",
        "An ongoing episode aimed at a broad group is a current grave violation against a group.",
    ),
    _p(
        "narrowtargeting",
        "Ongoing mass killing against a narrow group",
        2,
        "2.1",
        "An ongoing episode aimed at a narrow group is a current, patterned grave violation.",
    ),
    _p(
        "v2csgender_binary",
        "Women prevented from taking part in civil society (V-Dem)",
        6,
        "6.2",
        "Where women cannot take part in civil society, a mitigating civil society is weaker.",
    ),
    _p(
        "v2mecenefm_binary",
        "Government censors the media (V-Dem)",
        6,
        "6.2 7.6",
        "Censorship removes free, independent media and restricts communication channels.",
    ),
    _p(
        "partyban.new.0",
        "All opposition parties banned, or no parties (V-Dem)",
        1,
        "1.6",
        "A one-party or non-partisan State is autocratic rule.",
    ),
    _p(
        "partyban.new.1",
        "Many or a few parties banned (V-Dem)",
        1,
        "1.6",
        "Banning parties is political repression that raises political tension.",
    ),
    _p(
        "partyban.new.2",
        "No party banned (V-Dem)",
        1,
        "1.6",
        "Party bans measure autocratic rule; this is the level without them.",
    ),
    _p(
        "minorityrule",
        "Rule by an ethnic minority",
        9,
        "9.4 1.11",
        "A ruling minority and excluded majority is tension over participation along group lines.",
    ),
    _p(
        "judicialreform",
        "Judicial powers changed this year (V-Dem, 0 cut to 2 enhanced)",
        3,
        "3.3",
        "Changes to the courts' powers bear on judicial independence.",
    ),
    _p(
        "religiousfreedom",
        "Freedom of religion (V-Dem, 0 none to 4 full)",
        9,
        "9.1 8.6",
        "Restrictions on religion are discriminatory practices against religious groups.",
    ),
    _p(
        "pol_killing_approved",
        "Political killings practised or approved (V-Dem)",
        2,
        "2.1 2.3",
        "State-approved political killing is a grave violation tolerated with impunity.",
    ),
    _p(
        "freediscussion",
        "Freedom of discussion (V-Dem index, 0 to 1)",
        6,
        "6.2",
        "Free discussion is the civil-society space that mitigates atrocity risk.",
    ),
    _p(
        "social_inequality",
        "Civil liberties unequal across social classes (V-Dem)",
        1,
        "1.9",
        "Unequal liberties by class are deep group inequalities.",
    ),
    _p(
        "even_civilrights",
        "Civil liberties equal across regions (V-Dem)",
        9,
        "9.1",
        "Liberties withheld in some regions are discriminatory practice against their people.",
    ),
    _p(
        "repress_civilsoc",
        "Civil society severely repressed (V-Dem)",
        7,
        "7.7 6.2",
        "Repressing civil society restricts observers and removes a mitigating actor.",
    ),
    _p(
        "social_power_dist",
        "Political power held by some social groups (V-Dem)",
        9,
        "9.4 1.11",
        "Power monopolised by social groups is tension over participation along identity lines.",
    ),
    _p(
        "ses_power_dist",
        "Power spread across wealth levels (V-Dem; higher is more equal)",
        1,
        "1.9",
        "Power concentrated by wealth reflects deep inequalities between groups.",
    ),
    _p(
        "popsize.log2",
        "Population (log2)",
        0,
        "",
        "Country size: more people, more potential for a 1,000-death episode; no risk factor.",
    ),
    _p(
        "gdppcgrowth",
        "GDP per capita growth (%)",
        1,
        "1.8 8.9",
        "Economic contraction is economic instability and can trigger violence.",
    ),
    _p(
        "un_imr_sqrt",
        "Infant mortality (square root, UN)",
        3,
        "3.10 1.9",
        "High infant mortality measures a State without resources to protect its population.",
    ),
    _p(
        "efindex",
        "Ethnic fractionalisation (HIEF)",
        9,
        "9.5",
        "Many ethnic groups give tensions more lines along which to become identity conflicts.",
    ),
    _p(
        "discrimpop",
        "Share of population in discriminated groups (EPR)",
        9,
        "9.1",
        "EPR codes groups facing State discrimination: exclusionary practices against groups.",
    ),
    _p("reg.na", "Region: North America", 0, "", "Regional baseline (Africa is the reference)."),
    _p("reg.eap", "Region: East Asia and Pacific", 0, "", "Regional baseline."),
    _p("reg.sca", "Region: South and Central Asia", 0, "", "Regional baseline."),
    _p("reg.mna", "Region: Middle East and North Africa", 0, "", "Regional baseline."),
    _p("reg.eur", "Region: Europe", 0, "", "Regional baseline."),
    _p(
        "ios.iccpr1",
        "Party to the ICCPR first optional protocol",
        3,
        "3.1 6.7",
        "Accepting individual complaints under the ICCPR is legal protection and cooperation "
        "with human rights mechanisms.",
    ),
    _p(
        "battledeaths.log2",
        "Battle deaths (log2, UCDP)",
        1,
        "1.1",
        "Battle deaths measure ongoing armed conflict.",
    ),
    _p(
        "coup.try.5yr",
        "Coup attempt in the last five years",
        1,
        "1.4 8.4",
        "Coups are sudden, irregular changes of government.",
    ),
    _p(
        "mk_ongoing_count_log2",
        "Number of ongoing mass killings (log2)",
        2,
        "2.1",
        "Ongoing episodes are current grave violations.",
    ),
    _p(
        "mean_mk_onset_interaction",
        "Past onsets in the country (EWP's cumulative term)",
        2,
        "2.2",
        "The country's onset rate to date times its years in the data: earlier atrocity crimes.",
    ),
    _p(
        "mk_onset_prev_year",
        "Mass killing began last year",
        2,
        "2.1",
        "A new episode last year is a recent grave violation.",
    ),
    _p(
        "newcountry",
        "Newly independent country",
        3,
        "3.2 1.4",
        "A new State has young, untested institutions.",
    ),
    _p(
        "mk_ever",
        "Any mass killing in the country's past",
        2,
        "2.2 9.3",
        "Earlier atrocity crimes are the Framework's record of violations.",
    ),
    _p("year_sq", "Year squared (time trend)", 0, "", "Time trend of onset rates."),
    _p("year", "Year (time trend)", 0, "", "Time trend of onset rates."),
    _p(
        "countryage.new.log2",
        "Age of the country (log2)",
        3,
        "3.2",
        "Older States have longer-established institutions.",
    ),
    _p(
        "includesnonstate",
        "Non-State-led episodes coded (from 1989)",
        0,
        "",
        "A change in how the outcome was coded, not a property of the country.",
    ),
)
"""The predictors in the order of ``predictornames.fullest`` in EWP's ``model_3Sep2025.R``."""

EWP_PREDICTOR_NAMES: tuple[str, ...] = tuple(p.name for p in EWP_PREDICTORS)

TARGET = "mk_onset_1or2"
"""EWP's target: a new mass killing begins in year t+1 or t+2 (predictors measured in t)."""

ONSET = "mk_onset"
"""A new mass killing begins in year t (what an outcome year is scored on)."""

HORIZON = 2
"""Years in a forecast window: a forecast from data year t covers t+1 and t+2."""
