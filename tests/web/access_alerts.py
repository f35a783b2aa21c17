"""Access rules of the alert pages and endpoints.

The sample world holds one alert in Sudan (Africa, AU) and one in Myanmar (Asia), and a
subscription owned by ana; subscription pages answer 404 to everyone but their owner.
"""

from __future__ import annotations

import datetime as dt

from web_matrix import Rule, World

from atrocity_watch.web.alerts.models import Alert, Subscription


def _alert(country: str) -> Alert:
    month = dt.date(2022, 6, 1)
    return Alert.objects.create(
        key=f"civilians_killed_by_government/ucdp_ged/{country}/2022-06",
        monitor="civilians_killed_by_government",
        source="ucdp_ged",
        country=country,
        level="critical",
        opened_month=month,
        last_month=month,
        last_data_month=month,
        value=120.0,
        baseline=4.0,
        score=6.0,
        peak_month=month,
        peak_value=120.0,
        peak_score=6.0,
    )


def extend_world(world: World) -> None:
    world.objects["alert_sdn"] = _alert("SDN")
    world.objects["alert_mmr"] = _alert("MMR")
    world.objects["subscription"] = Subscription.objects.create(
        user=world.users["ana"], name="Sudan", countries=["SDN"], email=True
    )


def _both(access: str, name: str | None = None, **options: object) -> list[Rule]:
    """One rule for the Sudan alert and one for the Myanmar alert."""
    key = name or "pk"
    return [
        Rule(access, country="africa", kwargs=lambda w: {key: w["alert_sdn"].pk}, **options),  # type: ignore[arg-type]
        Rule(access, country="asia", kwargs=lambda w: {key: w["alert_mmr"].pk}, **options),  # type: ignore[arg-type]
    ]


_SUBSCRIPTION = {"kwargs": lambda w: {"pk": w["subscription"].pk}}
_NEW_SUBSCRIPTION = {
    "name": "Sudan",
    "countries": ["SDN"],
    "min_level": "warning",
    "email": "on",
    "active": "on",
}

ACCESS = {
    "alerts:feed": [
        Rule("view"),
        Rule("view", path="/alerts/?status=all&country=SDN&month=2022-06"),
    ],
    "alerts:detail": _both("view"),
    "alerts:acknowledge": _both("handle_alerts", method="POST", ok=(302,)),
    "alerts:assign": _both("handle_alerts", method="POST", data={"assignee": "ana"}, ok=(302,)),
    "alerts:comment": _both("handle_alerts", method="POST", data={"text": "Seen."}, ok=(302,)),
    "alerts:subscriptions": [
        Rule("view"),
        Rule("view", method="POST", data=_NEW_SUBSCRIPTION),
    ],
    # only the owner (ana) gets the page; other members get 404, as for any unknown number
    "alerts:subscription": Rule("view", ok=(200, 404), **_SUBSCRIPTION),  # type: ignore[arg-type]
    "alerts:subscription_delete": Rule(
        "view",
        method="POST",
        ok=(302, 404),
        **_SUBSCRIPTION,  # type: ignore[arg-type]
    ),
    "alerts:subscription_secret": Rule(
        "view",
        method="POST",
        ok=(200, 404),
        **_SUBSCRIPTION,  # type: ignore[arg-type]
    ),
    "api:list_alerts": Rule("view"),
    "api:get_alert": _both("view", name="alert_id"),
    "api:acknowledge": _both("handle_alerts", name="alert_id", method="POST", json=True),
    "api:assign": _both(
        "handle_alerts", name="alert_id", method="POST", json=True, data={"assignee": "ana"}
    ),
    "api:comment": _both(
        "handle_alerts",
        name="alert_id",
        method="POST",
        json=True,
        data={"text": "Seen."},
        ok=(201,),
    ),
    "api:list_monitors": Rule("view"),
}
