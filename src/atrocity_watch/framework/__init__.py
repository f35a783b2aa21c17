"""The UN Framework of Analysis for Atrocity Crimes (2014) as typed data.

Everything else in the system (panel columns, forecast drivers, monitors, evidence passages and
assessments) is tagged to the risk factors and indicators defined here.
"""

from atrocity_watch.framework._load import EXPECTED_SCOPES, get_framework, load_framework
from atrocity_watch.framework._model import (
    Framework,
    FrameworkError,
    Indicator,
    RiskFactor,
    Scope,
    Source,
)

__all__ = [
    "EXPECTED_SCOPES",
    "Framework",
    "FrameworkError",
    "Indicator",
    "RiskFactor",
    "Scope",
    "Source",
    "get_framework",
    "load_framework",
]
