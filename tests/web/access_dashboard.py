"""Access rules of the dashboard's pages and API endpoints (map, watchlist, country pages).

The dashboard's part of the sample world is a warehouse with synthetic forecasts and panels
(``dashboard_sample.py``), so that allowed personas see pages and endpoints with data — the
forecast endpoints answer 404 without forecasts, which would not tell access from absence.
"""

from __future__ import annotations

import os

from dashboard_sample import shared_home
from web_matrix import Rule, World

from atrocity_watch.web.dashboard.reads import clear_cache


def extend_world(world: World) -> None:
    # The conftest's monkeypatch of ATROCITY_WATCH_HOME restores the variable after each test.
    os.environ["ATROCITY_WATCH_HOME"] = str(shared_home())
    clear_cache()


def _both(**options: object) -> list[Rule]:
    extra = options.pop("kwargs", {})
    return [
        Rule("view", country="africa", kwargs={"iso3": "SDN", **extra}, **options),  # type: ignore[arg-type]
        Rule("view", country="asia", kwargs={"iso3": "MMR", **extra}, **options),  # type: ignore[arg-type]
    ]


ACCESS = {
    "dashboard:map": [Rule("view"), Rule("view", path="/map/?show=vdem_physical_integrity")],
    "dashboard:watchlist": Rule("view"),
    "dashboard:watchlist_csv": Rule("export"),
    "dashboard:country": _both(),
    "api:list_forecasts": Rule("view"),
    "api:get_forecast": _both(),
    "api:forecast_history": _both(),
    "api:list_features": Rule("view"),
    "api:feature_values": _both(kwargs={"feature": "one_sided_deaths"}),
}
