"""The hook through which the alerts app shows active alerts on the dashboard's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from atrocity_watch.web.dashboard.alerts_hook import (
    NOT_MONITORED,
    ActiveAlert,
    AlertStatus,
    active_alerts,
)


def test_without_a_provider_the_pages_say_there_is_no_monitoring_yet() -> None:
    status = AlertStatus(monitored=False, message=NOT_MONITORED)
    html = render_to_string(
        "dashboard/_alerts.html", {"alert_status": status, "alert_list": status.of("SDN")}
    )
    assert "No alert monitoring data yet." in html and 'data-alerts="not-monitored"' in html


@override_settings(DASHBOARD_ALERTS_PROVIDER="sample_alerts.active_alerts")
def test_provider_answers_only_for_the_countries_asked() -> None:
    status = active_alerts(frozenset({"MMR"}))
    assert status.monitored
    assert set(status.by_country) == {"MMR"}
    assert status.count("SDN") == 0
    everything = active_alerts(None)
    assert [a.severity for a in everything.of("SDN")] == ["high", ""]  # most severe first


@override_settings(DASHBOARD_ALERTS_PROVIDER="sample_alerts.active_alerts")
def test_country_page_lists_the_alerts(client_for: Any) -> None:
    html = client_for("victor").get("/countries/SDN/").content.decode()
    assert 'href="/alerts/1/"' in html and "Civilians killed by government forces" in html
    assert "(November 2024)" in html and "indicators 7.1, 11.1" in html
    scoped = client_for("vera").get("/countries/MMR/").content.decode()
    assert "Abductions rising" in scoped and "/alerts/1/" not in scoped


def test_an_alert_must_name_a_country_by_iso3() -> None:
    with pytest.raises(ValueError, match="upper-case ISO3"):
        ActiveAlert(country="Sudan", title="x", url="/", month=dt.date(2024, 1, 1))
