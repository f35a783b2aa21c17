"""The monitor registry: valid declarations, Framework references, and the guide lists them."""

from __future__ import annotations

from pathlib import Path

import pytest

from atrocity_watch.framework import get_framework
from atrocity_watch.monitor import (
    EVENT_SOURCES,
    MONITORS,
    InvalidParameterError,
    Monitor,
    SourceSupport,
)
from atrocity_watch.monitor._events import FLAGS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "monitoring.md"


def test_every_monitor_is_tagged_to_real_framework_references() -> None:
    framework = get_framework()
    for monitor in MONITORS.values():
        for reference in monitor.indicators:
            framework.resolve(reference)  # raises for a reference the Framework lacks
        assert monitor.flag in FLAGS


def test_every_monitor_says_how_each_source_supports_it() -> None:
    for monitor in MONITORS.values():
        assert tuple(s.source for s in monitor.sources) == EVENT_SOURCES
        assert any(s.supported for s in monitor.sources), f"{monitor.name} runs on no source"


def test_the_guide_lists_every_monitor_and_what_ucdp_cannot_do() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for monitor in MONITORS.values():
        assert f"`{monitor.name}`" in text, f"docs/monitoring.md does not describe {monitor.name}"
        for reference in monitor.indicators:
            assert reference in text
    unsupported = [m.name for m in MONITORS.values() if not m.supports("ucdp_ged")]
    assert unsupported == [
        "sexual_violence",
        "abductions_and_disappearances",
        "attacks_on_aid_workers_and_peacekeepers",
    ]
    assert text.count("**not supported by this source**") == len(unsupported)


def test_a_monitor_must_cover_both_sources_in_order() -> None:
    with pytest.raises(InvalidParameterError, match="must say, in order, how it reads each of"):
        Monitor(
            name="x",
            title="X",
            description="x",
            unit="events",
            measure="events",
            flag="abduction",
            indicators=("7.8",),
            sources=(SourceSupport("acled_events", "full", ("a",), "rule"),),
        )


def test_a_supported_source_must_name_its_fields() -> None:
    with pytest.raises(InvalidParameterError, match="name the source fields"):
        SourceSupport("ucdp_ged", "full", (), "rule")
