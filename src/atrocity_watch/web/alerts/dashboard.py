"""Open alerts for the watchlist and the country pages (the dashboard's ``alerts_hook``)."""

from __future__ import annotations

from django.urls import reverse

from atrocity_watch.web.alerts.models import Alert, Status
from atrocity_watch.web.core.table_versions import TableCache
from atrocity_watch.web.dashboard.alerts_hook import ActiveAlert

# Each worker keeps these until the alert table is written (core.table_versions): the watchlist
# and every country page ask on every request, and alerts change when the monitor runs.
_open: TableCache[frozenset[str] | None, dict[str, tuple[ActiveAlert, ...]]] = TableCache(
    "alerts_alert"
)


def active_alerts(countries: frozenset[str] | None) -> dict[str, list[ActiveAlert]]:
    """Open alerts by ISO3 code; ``countries`` None means every country."""
    wanted = None if countries is None else frozenset(countries)
    found = _open.get(wanted, lambda: _read_open_alerts(wanted))
    return {iso3: list(alerts) for iso3, alerts in found.items()}


def _read_open_alerts(countries: frozenset[str] | None) -> dict[str, tuple[ActiveAlert, ...]]:
    alerts = Alert.objects.filter(status=Status.OPEN)
    if countries is not None:
        alerts = alerts.filter(country__in=sorted(countries))
    found: dict[str, list[ActiveAlert]] = {}
    for alert in alerts.order_by("country", "-score"):
        place = f" in {alert.adm1}" if alert.adm1 else ""
        nodata = f"; no data since {alert.last_data_month:%Y-%m}" if alert.no_data_since else ""
        found.setdefault(alert.country, []).append(
            ActiveAlert(
                country=alert.country,
                title=f"{alert.title}{place}: {alert.get_level_display().lower()} since "
                f"{alert.opened_month:%Y-%m}{nodata}",
                url=reverse("alerts:detail", kwargs={"pk": alert.pk}),
                severity=alert.level,
                monitor=alert.monitor,
                month=alert.last_month,
                indicators=alert.indicators,
            )
        )
    return {iso3: tuple(items) for iso3, items in found.items()}
