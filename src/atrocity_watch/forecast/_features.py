"""Which Framework risk factor each model feature informs, for grouping explanations.

EWP's predictors are declared in :mod:`._predictors`; event features built by this package from
the panels are declared in :mod:`._events` and carry the tags of the panel columns they come
from (``atrocity_watch.panels.FEATURES``). Anything else is an error: a feature the system
cannot place in the Framework is not shown to users.
"""

from __future__ import annotations

from functools import cache

from atrocity_watch.forecast._errors import ForecastError
from atrocity_watch.forecast._predictors import EWP_PREDICTORS, Predictor


@cache
def _known() -> dict[str, Predictor]:
    from atrocity_watch.forecast._events import ALL_EVENT_FEATURES

    known = {p.name: p for p in EWP_PREDICTORS}
    for feature in ALL_EVENT_FEATURES:
        known[feature.name] = feature.as_predictor()
    return known


def feature_info(name: str) -> Predictor:
    """The declaration (title, primary risk factor, indicators) of a model feature."""
    try:
        return _known()[name]
    except KeyError:
        raise ForecastError(
            f"Feature {name!r} is not declared with Framework tags; declare it in "
            "forecast/_predictors.py or forecast/_events.py."
        ) from None


def all_features() -> tuple[Predictor, ...]:
    """Every declared feature, EWP's first."""
    return tuple(_known().values())
