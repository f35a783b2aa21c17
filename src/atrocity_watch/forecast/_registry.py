"""The declared forecast models: one name, one recipe, one set of features each.

The registry is the only way models are chosen (CLI ``--model``, ``forecast_meta``, the
experiment log), so every configuration that is reported can be rebuilt from its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from atrocity_watch.forecast._errors import UnknownModelError
from atrocity_watch.forecast._events import FEATURE_SETS
from atrocity_watch.forecast._models import (
    BoostedTrees,
    ElasticNetLogit,
    LogOddsEnsemble,
    _OnsetModel,
)
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES


@dataclass(frozen=True)
class ModelSpec:
    """A named model: how to build it, which features it reads, whether it is recalibrated."""

    name: str
    title: str
    description: str
    features: tuple[str, ...]
    build: Callable[[], _OnsetModel]
    recalibrate: bool = False
    required: tuple[str, ...] | None = None
    """Features a row must have to be used; the others may be missing (None: all of them)."""

    @property
    def required_features(self) -> tuple[str, ...]:
        """The features without which a country-year is neither trained on nor forecast."""
        return self.features if self.required is None else self.required

    @property
    def sources(self) -> tuple[str, ...]:
        """The warehouse sources the features are computed from (their licences apply)."""
        from atrocity_watch.forecast._events import ALL_EVENT_FEATURES
        from atrocity_watch.panels import get_feature

        names: dict[str, None] = {"ewp_prepared": None}
        by_name = {f.name: f for f in ALL_EVENT_FEATURES}
        for feature in self.features:
            if feature in by_name:
                for column in by_name[feature].columns:
                    if column in EWP_PREDICTOR_NAMES:
                        continue
                    for source in get_feature(column).sources:
                        names[source] = None
        return tuple(names)

    @property
    def uses_panels(self) -> bool:
        """True when some feature comes from the panels (so the panels must be built)."""
        return any(f not in EWP_PREDICTOR_NAMES for f in self.features)


def _elastic_net() -> _OnsetModel:
    return ElasticNetLogit()


def _boosted() -> _OnsetModel:
    return BoostedTrees()


def _ensemble() -> _OnsetModel:
    return LogOddsEnsemble(members=(ElasticNetLogit(), BoostedTrees()))


def _elastic_net_events() -> _OnsetModel:
    return ElasticNetLogit(fill_missing=0.0)


def _ensemble_events() -> _OnsetModel:
    return LogOddsEnsemble(members=(ElasticNetLogit(fill_missing=0.0), BoostedTrees()))


EVENTS = FEATURE_SETS["ewp+events"]


_SPECS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "ewp-elasticnet",
        "EWP's elastic-net logit (reproduction)",
        "Logistic regression with an elastic-net penalty (alpha 0.5), lambda at the minimum "
        "10-fold cross-validated deviance with R's folds, on EWP's 39 predictors: EWP's model.",
        EWP_PREDICTOR_NAMES,
        _elastic_net,
    ),
    ModelSpec(
        "lightgbm-ewp",
        "Boosted trees on EWP's predictors",
        "LightGBM, shallow regularised trees, on EWP's 39 predictors.",
        EWP_PREDICTOR_NAMES,
        _boosted,
    ),
    ModelSpec(
        "ensemble-ewp",
        "Elastic net + boosted trees on EWP's predictors",
        "Equal-weight average on the log-odds scale of ewp-elasticnet and lightgbm-ewp.",
        EWP_PREDICTOR_NAMES,
        _ensemble,
    ),
    ModelSpec(
        "elasticnet-events",
        "Elastic net on EWP's predictors and event features",
        "EWP's model with the panels' event features added (violence against civilians by "
        "government and by non-State groups, non-State fighting, spillover, EPR, PTS).",
        EVENTS,
        _elastic_net_events,
        required=EWP_PREDICTOR_NAMES,
    ),
    ModelSpec(
        "lightgbm-events",
        "Boosted trees on EWP's predictors and event features",
        "LightGBM on EWP's predictors and the event features; missing event values (before "
        "1989, or where a source stops) are handled by the trees.",
        EVENTS,
        _boosted,
        required=EWP_PREDICTOR_NAMES,
    ),
    ModelSpec(
        "lightgbm-spillover",
        "Boosted trees with event and spillover features",
        "LightGBM on EWP's predictors, the event features and two spillover features "
        "(land neighbours with an ongoing mass killing; civilians killed in neighbours). "
        "Chosen on the 1994-2013 backtest (docs/forecast-experiments.md, row 6).",
        FEATURE_SETS["ewp+events+neighbours"],
        _boosted,
        required=EWP_PREDICTOR_NAMES,
    ),
    ModelSpec(
        "ensemble-events",
        "Elastic net + boosted trees with event features",
        "Equal-weight log-odds average of elasticnet-events and lightgbm-events.",
        EVENTS,
        _ensemble_events,
        required=EWP_PREDICTOR_NAMES,
    ),
)

MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in _SPECS}
"""Every registered model by name."""

EWP_MODEL = "ewp-elasticnet"
"""EWP's model, reproduced: needs nothing but EWP's dataset."""

HEADLINE_MODEL = "ewp-elasticnet"
"""The model whose forecasts pages show unless another is chosen."""


def get_model(name: str) -> ModelSpec:
    """The registered model called ``name``; unknown names list the known ones."""
    try:
        return MODELS[name]
    except KeyError:
        raise UnknownModelError(name, sorted(MODELS)) from None
