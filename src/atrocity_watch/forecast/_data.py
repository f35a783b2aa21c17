"""The modelling data: EWP's prepared country-year table, read from a file or the warehouse.

Rows keep EWP's order (country code, then year). The order matters: R's ``cv.glmnet`` assigns
folds by row position, so reproducing EWP's lambda choice needs EWP's row order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from atrocity_watch.forecast._errors import ForecastDataError
from atrocity_watch.forecast._partition import OUTCOME_COLUMNS
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES, ONSET, TARGET

SOURCE_NAME = "ewp_prepared"
SOURCE_TABLE = "src_ewp_prepared"
KEY_COLUMNS: tuple[str, ...] = ("iso3", "country", "ccode", "year")


@dataclass(frozen=True)
class ModellingData:
    """Country-years with EWP's outcomes and predictors (and any extra features joined later).

    ``frame`` is sorted by (ccode, year) and must be treated as read-only.
    """

    frame: pd.DataFrame
    version: str
    extra_features: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        missing = [
            c
            for c in (*KEY_COLUMNS, *OUTCOME_COLUMNS, *EWP_PREDICTOR_NAMES, *self.extra_features)
            if c not in self.frame.columns
        ]
        if missing:
            raise ForecastDataError(
                f"The modelling data ({self.version}) lacks the columns {', '.join(missing)}; "
                "import EWP's prepared dataset (prepared<year>predictors-<date>.csv) again."
            )

    @property
    def first_year(self) -> int:
        """The first data year in the table."""
        return int(self.frame["year"].min())

    @property
    def last_year(self) -> int:
        """The last data year in the table (the latest possible base year)."""
        return int(self.frame["year"].max())

    def with_features(self, features: pd.DataFrame, names: tuple[str, ...]) -> ModellingData:
        """A copy with extra feature columns joined on (iso3, year); absent rows stay missing."""
        clash = [n for n in names if n in self.frame.columns]
        if clash:
            raise ForecastDataError(f"Feature names already in the EWP data: {', '.join(clash)}.")
        joined = self.frame.merge(
            features[["iso3", "year", *names]], on=["iso3", "year"], how="left", validate="1:1"
        )
        return ModellingData(joined, self.version, (*self.extra_features, *names))


def _frame_from_table(table: Any, origin: str) -> pd.DataFrame:
    frame = table.to_pandas() if hasattr(table, "to_pandas") else pd.DataFrame(table)
    if "iso3" not in frame.columns:
        raise ForecastDataError(
            f"{origin} has no iso3 column: read it through atrocity_watch.sources so countries "
            "are resolved."
        )
    if "country" not in frame.columns:
        frame["country"] = frame["ewp_name"] if "ewp_name" in frame.columns else frame["iso3"]
    wanted = dict.fromkeys((*KEY_COLUMNS, *OUTCOME_COLUMNS, *EWP_PREDICTOR_NAMES))
    columns = [c for c in wanted if c in frame.columns]
    extra = [c for c in frame.columns if c not in columns and not c.startswith("_")]
    frame = frame[columns + [c for c in extra if c not in ("ewp_name",)]]
    for name in (*OUTCOME_COLUMNS, *EWP_PREDICTOR_NAMES):
        if name in frame.columns and name != "year":
            frame[name] = pd.to_numeric(frame[name], errors="raise").astype(np.float64)
    frame["year"] = frame["year"].astype(np.int64)
    duplicated = frame.duplicated(["iso3", "year"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise ForecastDataError(
            f"{origin} has {int(duplicated.sum())} duplicate country-years, e.g. "
            f"{first['iso3']} {first['year']}; one row per country and year is required."
        )
    return frame.sort_values(["ccode", "year"], kind="stable").reset_index(drop=True)


def load_modelling_data(path: Path | str) -> ModellingData:
    """Read EWP's prepared dataset from a file, validated by the sources layer.

    >>> data = load_modelling_data("prepared2024predictors-2025-09-03.csv")  # doctest: +SKIP
    >>> data.last_year                                                       # doctest: +SKIP
    2024
    """
    from atrocity_watch.sources import SourceError, read_file

    path = Path(path)
    if not path.is_file():
        raise ForecastDataError(f"{path}: no such file.")
    try:
        result = read_file(path, source=SOURCE_NAME)
    except SourceError as exc:
        raise ForecastDataError(str(exc)) from None
    version = f"{path.name} (ewp_prepared {result.version}, sha256 {result.sha256[:12]})"
    return ModellingData(_frame_from_table(result.table, path.name), version)


def load_modelling_data_from_warehouse(warehouse: Any) -> ModellingData:
    """Read EWP's prepared dataset from the warehouse (``atrocity-watch data import``)."""
    if not warehouse.has_table(SOURCE_TABLE):
        raise ForecastDataError(
            "The warehouse holds no EWP modelling data. Import EWP's prepared dataset first: "
            "atrocity-watch data import prepared2024predictors-2025-09-03.csv (or pass --data)."
        )
    table = warehouse.read_table(SOURCE_TABLE)
    editions = warehouse.status(SOURCE_NAME)
    if not editions:
        return ModellingData(_frame_from_table(table, SOURCE_TABLE), SOURCE_TABLE)
    # The warehouse keeps every imported edition side by side (one per data vintage); a model is
    # fitted on one vintage only, the latest (versions sort in release order).
    latest = max(editions, key=lambda p: (p.version or "", p.imported_at))
    if "_source_file" in table.column_names and len(editions) > 1:
        import pyarrow.compute as pc

        table = table.filter(pc.equal(table.column("_source_file"), latest.file_name))
    version = f"{latest.file_name} (ewp_prepared {latest.version}, sha256 {latest.sha256[:12]})"
    return ModellingData(_frame_from_table(table, SOURCE_TABLE), version)


def onset_rows(data: ModellingData) -> pd.DataFrame:
    """Country-years with their onset indicator: what outcome years are scored on."""
    frame = data.frame[["iso3", "country", "ccode", "year", ONSET, TARGET]]
    return frame.dropna(subset=[ONSET])
