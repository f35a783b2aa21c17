"""Open alerts for the watchlist and the country pages (the dashboard's ``alerts_hook``)."""

from __future__ import annotations

from django.urls import reverse

from atrocity_watch.web.alerts.models import Alert, Status
from atrocity_watch.web.dashboard.alerts_hook import ActiveAlert


def active_alerts(countries: frozenset[str] | None) -> dict[str, list[ActiveAlert]]:
    """Open alerts by ISO3 code; ``countries`` None means every country."""
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
    return found
