"""Country-year and country-month panels, every column tagged to the Framework of Analysis.

>>> from atrocity_watch.panels import FEATURES, build_panels
>>> [f.name for f in FEATURES if f.frequency == "year"][:2]
['state_based_deaths', 'non_state_deaths']

The panels are Ibis expressions over the warehouse's source tables
(:func:`country_year_panel`, :func:`country_month_panel`), so the same code runs on DuckDB or
on another Ibis backend; :func:`build_panels` computes both on the warehouse and writes
``panel_country_year`` and ``panel_country_month`` in one transaction. A period a source does
not cover is missing (NULL), never 0. See ``docs/panels.md``.
"""

from atrocity_watch.panels._build import (
    PanelBuild,
    build_panels,
    country_month_panel,
    country_year_panel,
)
from atrocity_watch.panels._errors import FeatureRegistryError, PanelError, UnknownFeatureError
from atrocity_watch.panels._inputs import PanelInputs
from atrocity_watch.panels._registry import (
    FEATURES,
    KEY_COLUMNS,
    PANEL_TABLES,
    Feature,
    features,
    get_feature,
)

__all__ = [
    "FEATURES",
    "KEY_COLUMNS",
    "PANEL_TABLES",
    "Feature",
    "FeatureRegistryError",
    "PanelBuild",
    "PanelError",
    "PanelInputs",
    "UnknownFeatureError",
    "build_panels",
    "country_month_panel",
    "country_year_panel",
    "features",
    "get_feature",
]
