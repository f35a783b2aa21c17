"""The life of an alert: open, escalate, de-escalate, close; months without data never close."""

from __future__ import annotations

from datetime import date

import pytest

from atrocity_watch.monitor import (
    InvalidParameterError,
    SignalPoint,
    Threshold,
    add_months,
    raised_in,
    walk,
)

START = date(2020, 1, 1)
RULE = Threshold(min_score=2, escalate_score=3, min_value=2, quiet_months=2)


def series(scores: list[float | None], values: list[float] | None = None) -> list[SignalPoint]:
    """None in ``scores`` is a month without data."""
    values = values or [10.0] * len(scores)
    return [
        SignalPoint(
            month=add_months(START, i),
            covered=score is not None,
            value=None if score is None else values[i],
            baseline=1.0,
            score=score,
        )
        for i, score in enumerate(scores)
    ]


def kinds(points: list[SignalPoint], rule: Threshold = RULE) -> list[list[tuple[str, int]]]:
    return [
        [(c.kind, (c.month.year - 2020) * 12 + c.month.month - 1) for c in e.changes]
        for e in walk(points, rule, monitor="sexual_violence", source="acled_events", iso3="SDN")
    ]


def test_opens_escalates_deescalates_and_closes() -> None:
    got = kinds(series([0, 2.5, 3.5, 2.2, 0.5, 0.4, 0.1]))
    assert got == [[("opened", 1), ("escalated", 2), ("de-escalated", 3), ("closed", 5)]]


def test_no_data_months_never_count_as_quiet() -> None:
    points = series([2.5, None, None, 0.5, None, 0.2, 0.1])
    [episode] = walk(points, RULE, monitor="sexual_violence", source="acled_events", iso3="SDN")
    assert [(c.kind, c.month) for c in episode.changes] == [
        ("opened", START),
        ("closed", add_months(START, 5)),  # the 2nd *covered* quiet month
    ]
    assert episode.status_in(add_months(START, 1)) == "no_data"
    assert episode.status_in(add_months(START, 3)) == "ongoing"
    assert episode.status_in(add_months(START, 6)) is None


def test_alert_stays_open_while_data_stops() -> None:
    [episode] = walk(
        series([2.5, None, None]),
        RULE,
        monitor="sexual_violence",
        source="acled_events",
        iso3="SDN",
    )
    assert episode.is_open
    assert episode.last_data == START
    [alert] = raised_in([episode], add_months(START, 2))
    assert alert.status == "no_data" and alert.value is None and alert.level == "warning"


def test_a_breach_resets_the_quiet_count() -> None:
    assert kinds(series([2.5, 0, 2.1, 0, 0])) == [[("opened", 0), ("closed", 4)]]


def test_tiny_values_never_alert() -> None:
    assert kinds(series([5, 5, 5], values=[1, 1, 1])) == []


def test_two_episodes() -> None:
    assert kinds(series([2.5, 0, 0, 0, 3.1])) == [
        [("opened", 0), ("closed", 2)],
        [("opened", 4)],
    ]


def test_raised_in_reports_each_months_state() -> None:
    episodes = walk(
        series([0, 3.2, 2.4, 0, 0]),
        RULE,
        monitor="sexual_violence",
        source="acled_events",
        iso3="SDN",
    )
    assert raised_in(episodes, START) == []
    [opened] = raised_in(episodes, add_months(START, 1))
    assert (opened.status, opened.level, opened.score) == ("opened", "critical", 3.2)
    assert opened.indicators == ("7.9", "10.5", "11.1")
    [lower] = raised_in(episodes, add_months(START, 2))
    assert (lower.status, lower.level) == ("de-escalated", "warning")
    [ongoing] = raised_in(episodes, add_months(START, 3))
    assert (ongoing.status, ongoing.level) == ("ongoing", "warning")
    [closed] = raised_in(episodes, add_months(START, 4))
    assert (closed.status, closed.level) == ("closed", None)
    assert opened.key == "sexual_violence/acled_events/SDN/2020-02"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_score": 0}, "'min_score' threshold must be a number in (0, 10]"),
        ({"min_score": 3, "escalate_score": 2}, "'escalate_score' threshold must be at least"),
        ({"min_value": -1}, "'min_value' threshold must be 0 or more"),
        ({"quiet_months": 0}, "'quiet_months' threshold must be a whole number of months"),
    ],
)
def test_thresholds_validate(kwargs: dict[str, float], message: str) -> None:
    import re

    with pytest.raises(InvalidParameterError, match=re.escape(message)):
        Threshold(**kwargs)  # type: ignore[arg-type]
