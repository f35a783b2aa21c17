"""A stand-in for the alerts app's dashboard hook, for the dashboard's tests.

It implements the documented hook (``active_alerts(countries)``) with fixed alerts, as the real
alerts app will; tests select it with ``DASHBOARD_ALERTS_PROVIDER``.
"""

from __future__ import annotations

import datetime as dt

from atrocity_watch.web.dashboard.alerts_hook import ActiveAlert

ALERTS = [
    ActiveAlert(
        country="SDN",
        title="Civilians killed by government forces far above the usual level",
        url="/alerts/1/",
        severity="high",
        monitor="state_violence_against_civilians",
        month=dt.date(2024, 11, 1),
        indicators=("7.1", "11.1"),
    ),
    # A title a spreadsheet would run as a formula: the CSV export must neutralise it.
    ActiveAlert(country="SDN", title='=HYPERLINK("http://example.org","x")', url="/alerts/2/"),
    ActiveAlert(country="MMR", title="Abductions rising", url="/alerts/3/", severity="moderate"),
]


def active_alerts(countries: frozenset[str] | None) -> dict[str, list[ActiveAlert]]:
    found: dict[str, list[ActiveAlert]] = {}
    for alert in ALERTS:
        if countries is None or alert.country in countries:
            found.setdefault(alert.country, []).append(alert)
    return found
