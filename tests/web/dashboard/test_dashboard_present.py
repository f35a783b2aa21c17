"""How numbers read on the dashboard."""

from __future__ import annotations

import pytest

from atrocity_watch.web.dashboard.present import number, percent, points


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0412, "4.1%"), (0.3, "30.0%"), (0.0002, "<0.1%"), (0.0, "0.0%"), (None, "")],
)
def test_percent_never_rounds_a_risk_down_to_nothing(value: float | None, text: str) -> None:
    assert percent(value) == text


@pytest.mark.parametrize(
    ("change", "text"), [(0.012, "+1.2 pts"), (-0.02, "-2.0 pts"), (0.0001, "±0.0 pts")]
)
def test_points(change: float, text: str) -> None:
    assert points(change) == text


def test_number() -> None:
    assert (number(1234567.0), number(0.4321), number(12.345), number(None)) == (
        "1,234,567",
        "0.432",
        "12.3",
        "",
    )
