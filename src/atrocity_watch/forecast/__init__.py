"""Statistical risk assessment: the probability that a new mass killing begins in each country.

Reproduces the Early Warning Project's elastic-net model, backtests it on EWP's protocol, adds
event-based features and other models, and explains every forecast by Framework risk factor.

>>> from atrocity_watch.forecast import load_modelling_data, reproduce, read_published
>>> data = load_modelling_data("prepared2024predictors-2025-09-03.csv")        # doctest: +SKIP
>>> reproduce(data, read_published("ewp_published_forecasts_long.csv")).spearman  # doctest: +SKIP
0.999996
"""

from atrocity_watch.forecast._backtest import BacktestRun, fit_and_forecast, run_backtest
from atrocity_watch.forecast._calibration import recalibrate_backtest
from atrocity_watch.forecast._data import (
    ModellingData,
    load_modelling_data,
    load_modelling_data_from_warehouse,
    onset_rows,
)
from atrocity_watch.forecast._enet import ElasticNetCVFit, fit_elastic_net, fit_elastic_net_cv
from atrocity_watch.forecast._errors import (
    ForecastDataError,
    ForecastError,
    InvalidParameterError,
    LeakageError,
    NotFittedError,
    UnknownMetricError,
    UnknownModelError,
)
from atrocity_watch.forecast._evaluation import (
    HELD_OUT_YEARS,
    POOLED_YEARS,
    REPORTED_METRICS,
    SELECTION_YEARS,
    Evaluation,
    EvaluationFrames,
    MetricValue,
    evaluate,
    frames_from_ewp_foos,
    frames_from_forecasts,
    read_ewp_foos,
)
from atrocity_watch.forecast._events import (
    EVENT_FEATURES,
    FEATURE_SETS,
    build_event_features,
    with_event_features,
)
from atrocity_watch.forecast._explain import (
    by_risk_factor,
    explain,
    explain_written,
    main_changes,
)
from atrocity_watch.forecast._features import all_features, feature_info
from atrocity_watch.forecast._metrics import METRICS, Metric, get_metric
from atrocity_watch.forecast._models import BoostedTrees, ElasticNetLogit, LogOddsEnsemble
from atrocity_watch.forecast._partition import (
    ForecastOrigin,
    Partition,
    TrainWindow,
    backtest_partitions,
)
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES, EWP_PREDICTORS, Predictor
from atrocity_watch.forecast._registry import HEADLINE_MODEL, MODELS, ModelSpec, get_model
from atrocity_watch.forecast._reproduce import (
    Reproduction,
    read_coefficients,
    read_published,
    reproduce,
)
from atrocity_watch.forecast._rfolds import EWP_SEED, RRandom, r_fold_ids
from atrocity_watch.forecast._run import (
    ForecastResult,
    load_data_for,
    make_forecast,
    run_forecast,
    write_forecast,
)

__all__ = [
    "EVENT_FEATURES",
    "EWP_PREDICTORS",
    "EWP_PREDICTOR_NAMES",
    "EWP_SEED",
    "FEATURE_SETS",
    "HEADLINE_MODEL",
    "HELD_OUT_YEARS",
    "METRICS",
    "MODELS",
    "POOLED_YEARS",
    "REPORTED_METRICS",
    "SELECTION_YEARS",
    "BacktestRun",
    "BoostedTrees",
    "ElasticNetCVFit",
    "ElasticNetLogit",
    "Evaluation",
    "EvaluationFrames",
    "ForecastDataError",
    "ForecastError",
    "ForecastOrigin",
    "ForecastResult",
    "InvalidParameterError",
    "LeakageError",
    "LogOddsEnsemble",
    "Metric",
    "MetricValue",
    "ModelSpec",
    "ModellingData",
    "NotFittedError",
    "Partition",
    "Predictor",
    "RRandom",
    "Reproduction",
    "TrainWindow",
    "UnknownMetricError",
    "UnknownModelError",
    "all_features",
    "backtest_partitions",
    "build_event_features",
    "by_risk_factor",
    "evaluate",
    "explain",
    "explain_written",
    "feature_info",
    "fit_and_forecast",
    "fit_elastic_net",
    "fit_elastic_net_cv",
    "frames_from_ewp_foos",
    "frames_from_forecasts",
    "get_metric",
    "get_model",
    "load_data_for",
    "load_modelling_data",
    "load_modelling_data_from_warehouse",
    "main_changes",
    "make_forecast",
    "onset_rows",
    "r_fold_ids",
    "read_coefficients",
    "read_ewp_foos",
    "read_published",
    "recalibrate_backtest",
    "reproduce",
    "run_backtest",
    "run_forecast",
    "with_event_features",
    "write_forecast",
]
