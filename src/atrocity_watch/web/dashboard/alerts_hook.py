"""Where active alerts appear on the watchlist and country pages: the hook for the alerts app.

The dashboard does not know how alerts are computed or stored. It asks one function:

    # atrocity_watch/web/alerts/dashboard.py  (provided by the alerts app)
    from atrocity_watch.web.dashboard.alerts_hook import ActiveAlert

    def active_alerts(countries: frozenset[str] | None) -> dict[str, list[ActiveAlert]]:
        '''Open alerts by ISO3 code; ``countries`` None means every country.'''

The caller has already restricted ``countries`` to the user's scope; the provider must return
nothing outside it. The module is found by convention — ``<alerts app>.dashboard`` of an
installed app labelled ``alerts`` — so neither app imports the other's internals; the Django
setting ``DASHBOARD_ALERTS_PROVIDER`` (a dotted path to such a function) overrides the
convention. Until a provider exists the pages say "No alert monitoring data yet".
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

NOT_MONITORED = "No alert monitoring data yet."

SEVERITY_ORDER = {"critical": 0, "high": 1, "elevated": 2, "moderate": 2, "low": 3}


@dataclass(frozen=True)
class ActiveAlert:
    """One open alert, as the watchlist and country pages show it."""

    country: str  # ISO3
    title: str  # e.g. "Civilians killed by government forces well above the usual level"
    url: str  # the alert's page
    severity: str = ""  # free text from the alerts app; "critical"/"high" sort first
    monitor: str = ""
    month: dt.date | None = None  # the month the signal concerns
    indicators: tuple[str, ...] = ()  # Framework indicators the alert informs

    def __post_init__(self) -> None:
        # Frozen and hashable all the way down: pages keep rendered rows keyed by their alerts.
        object.__setattr__(self, "indicators", tuple(self.indicators))
        if len(self.country) != 3 or not self.country.isupper():
            raise ValueError(
                f"The 'country' of an ActiveAlert must be an upper-case ISO3 code. "
                f"Got {self.country!r} instead."
            )


@dataclass(frozen=True)
class AlertStatus:
    """Alerts by country, or why there are none to show."""

    monitored: bool
    by_country: Mapping[str, Sequence[ActiveAlert]] = field(default_factory=dict)
    message: str = ""

    def of(self, iso3: str) -> Sequence[ActiveAlert]:
        """The country's open alerts, most severe first."""
        found = self.by_country.get(iso3, ())
        return sorted(found, key=lambda a: (SEVERITY_ORDER.get(a.severity.lower(), 9), a.title))

    def count(self, iso3: str) -> int:
        """How many alerts are open for the country."""
        return len(self.by_country.get(iso3, ()))


def _provider() -> object | None:
    configured = getattr(settings, "DASHBOARD_ALERTS_PROVIDER", "")
    if configured:
        provider: object = import_string(configured)
        return provider
    try:
        config = apps.get_app_config("alerts")
    except LookupError:
        return None
    try:
        module = importlib.import_module(f"{config.name}.dashboard")
    except ModuleNotFoundError as exc:
        if exc.name == f"{config.name}.dashboard":
            return None
        raise
    return getattr(module, "active_alerts", None)


def active_alerts(countries: frozenset[str] | None) -> AlertStatus:
    """Open alerts for ``countries`` (None: all) from the alerts app, if it is installed."""
    provider = _provider()
    if provider is None or not callable(provider):
        return AlertStatus(monitored=False, message=NOT_MONITORED)
    found = provider(countries)
    by_country: dict[str, list[ActiveAlert]] = {}
    for iso3, alerts in dict(found).items():
        if countries is not None and iso3 not in countries:
            continue  # the provider must not, but a page never shows out-of-scope alerts
        by_country[iso3] = list(alerts)
    return AlertStatus(monitored=True, by_country=by_country)
