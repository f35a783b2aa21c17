"""Statistical risk assessment: the probability that a new mass killing begins in each country.

Reproduces the Early Warning Project's elastic-net model, backtests it on EWP's protocol, adds
event-based features and other models, and explains every forecast by Framework risk factor.
"""

from atrocity_watch.forecast._enet import ElasticNetCVFit, fit_elastic_net_cv
from atrocity_watch.forecast._errors import (
    ForecastDataError,
    ForecastError,
    InvalidParameterError,
    LeakageError,
    NotFittedError,
    UnknownMetricError,
    UnknownModelError,
)
from atrocity_watch.forecast._rfolds import EWP_SEED, RRandom, r_fold_ids

__all__ = [
    "EWP_SEED",
    "ElasticNetCVFit",
    "ForecastDataError",
    "ForecastError",
    "InvalidParameterError",
    "LeakageError",
    "NotFittedError",
    "RRandom",
    "UnknownMetricError",
    "UnknownModelError",
    "fit_elastic_net_cv",
    "r_fold_ids",
]
