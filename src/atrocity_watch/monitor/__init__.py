"""Monitoring: month-by-month signals from event data, alert rules, and their backtest.

>>> from atrocity_watch.monitor import MONITORS, compute_signals, run_month
>>> sorted(MONITORS)[:2]
['abductions_and_disappearances', 'attacks_on_aid_workers_and_peacekeepers']
>>> report = run_month(month=date(2017, 8, 1))              # doctest: +SKIP

Monitors (:data:`MONITORS`) read UCDP GED and ACLED events from the warehouse, whichever are
loaded; :func:`compute_signals` writes ``monitor_signals``; :func:`alert_episodes` walks the
rules over the signals (open, escalate, de-escalate, close); :func:`explain` says what changed,
against what, with which events (ACLED in aggregate only); :func:`run_backtest` scores the
monitors on EWP and UCDP onsets. See ``docs/monitoring.md``.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from atrocity_watch.monitor._errors import (
    InvalidMonthError,
    InvalidParameterError,
    MissingInputError,
    MonitorError,
    NoEventDataError,
    UnknownMonitorError,
)
from atrocity_watch.monitor._months import add_months, month_label, parse_month
from atrocity_watch.monitor._registry import (
    EVENT_SOURCES,
    MONITORS,
    Monitor,
    SourceSupport,
    Threshold,
    get_monitor,
)

# The declarations above are light; the rest needs pandas and scipy (seconds to import, and
# ~100 MB per process). The web workers read only the declarations, so the rest is imported on
# first use (PEP 562), with the same names for type checkers.
_LAZY = {
    "atrocity_watch.monitor._alerts": (
        "CHANGE_KINDS",
        "LEVELS",
        "AlertChange",
        "AlertEpisode",
        "RaisedAlert",
        "SignalPoint",
        "ThresholdLookup",
        "alert_episodes",
        "default_thresholds",
        "episode_level",
        "points_of",
        "raised_in",
        "walk",
    ),
    "atrocity_watch.monitor._backtest": (
        "LEAD_WINDOW",
        "ONSET_KINDS",
        "ONSET_MONTHS",
        "BacktestReport",
        "MonitorScore",
        "Onset",
        "OnsetResult",
        "run_backtest",
    ),
    "atrocity_watch.monitor._compute": (
        "DEFAULT_METHOD",
        "SIGNALS_TABLE",
        "EventStore",
        "SignalSet",
        "compute_signals",
        "open_events",
        "read_signals",
        "signals_from_store",
    ),
    "atrocity_watch.monitor._explain": ("Explanation", "explain", "summary_text"),
    "atrocity_watch.monitor._run": ("MonthReport", "run_month"),
    "atrocity_watch.monitor._signal": (
        "METHODS",
        "SignalMethod",
        "Signals",
        "alert_value",
        "score_grid",
    ),
}
_LAZY_HOME = {name: module for module, names in _LAZY.items() for name in names}

if TYPE_CHECKING:
    from atrocity_watch.monitor._alerts import (
        CHANGE_KINDS,
        LEVELS,
        AlertChange,
        AlertEpisode,
        RaisedAlert,
        SignalPoint,
        ThresholdLookup,
        alert_episodes,
        default_thresholds,
        episode_level,
        points_of,
        raised_in,
        walk,
    )
    from atrocity_watch.monitor._backtest import (
        LEAD_WINDOW,
        ONSET_KINDS,
        ONSET_MONTHS,
        BacktestReport,
        MonitorScore,
        Onset,
        OnsetResult,
        run_backtest,
    )
    from atrocity_watch.monitor._compute import (
        DEFAULT_METHOD,
        SIGNALS_TABLE,
        EventStore,
        SignalSet,
        compute_signals,
        open_events,
        read_signals,
        signals_from_store,
    )
    from atrocity_watch.monitor._explain import Explanation, explain, summary_text
    from atrocity_watch.monitor._run import MonthReport, run_month
    from atrocity_watch.monitor._signal import (
        METHODS,
        SignalMethod,
        Signals,
        alert_value,
        score_grid,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY_HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


__all__ = [
    "CHANGE_KINDS",
    "DEFAULT_METHOD",
    "EVENT_SOURCES",
    "LEAD_WINDOW",
    "LEVELS",
    "METHODS",
    "MONITORS",
    "ONSET_KINDS",
    "ONSET_MONTHS",
    "SIGNALS_TABLE",
    "AlertChange",
    "AlertEpisode",
    "BacktestReport",
    "EventStore",
    "Explanation",
    "InvalidMonthError",
    "InvalidParameterError",
    "MissingInputError",
    "Monitor",
    "MonitorError",
    "MonitorScore",
    "MonthReport",
    "NoEventDataError",
    "Onset",
    "OnsetResult",
    "RaisedAlert",
    "SignalMethod",
    "SignalPoint",
    "SignalSet",
    "Signals",
    "SourceSupport",
    "Threshold",
    "ThresholdLookup",
    "UnknownMonitorError",
    "add_months",
    "alert_episodes",
    "alert_value",
    "compute_signals",
    "date",
    "default_thresholds",
    "episode_level",
    "explain",
    "get_monitor",
    "month_label",
    "open_events",
    "parse_month",
    "points_of",
    "raised_in",
    "read_signals",
    "run_backtest",
    "run_month",
    "score_grid",
    "signals_from_store",
    "summary_text",
    "walk",
]
