"""Reproduce EWP's published forecast from its own data, and say how close it comes.

EWP publishes, for each edition, the risk for every country (``ewp_published_forecasts``) and,
for the 2024 and 2025 editions, the coefficients of its model. :func:`reproduce` refits EWP's
model on the edition's data exactly as EWP's script does (training rows up to base year - 2,
R's folds) and compares: rank correlation, overlap of the top-30 lists, largest difference in
risk, and the coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import pearsonr, spearmanr

from atrocity_watch.forecast._backtest import fit_and_forecast, rank_descending
from atrocity_watch.forecast._data import ModellingData
from atrocity_watch.forecast._errors import ForecastDataError
from atrocity_watch.forecast._models import ElasticNetLogit
from atrocity_watch.forecast._partition import Partition
from atrocity_watch.forecast._predictors import EWP_PREDICTOR_NAMES

PUBLISHED_SOURCE = "ewp_published_forecasts"
PUBLISHED_TABLE = "src_ewp_published_forecasts"


@dataclass(frozen=True)
class Reproduction:
    """How our refit of EWP's model compares with EWP's published forecast."""

    base_year: int
    edition: str
    training_rows: int
    training_onsets: int
    lambda_min: float
    lambda_index: int
    path_length: int
    countries: int
    spearman: float
    pearson: float
    top30_overlap: int
    top10_overlap: int
    max_abs_difference: float
    mean_abs_difference: float
    coefficient_max_abs_difference: float | None
    coefficient_zero_pattern_agreement: int | None
    comparison: pd.DataFrame = field(repr=False)
    coefficients: pd.DataFrame | None = field(repr=False, default=None)

    def as_json(self) -> dict[str, Any]:
        """Summary figures, plus the top 30 side by side."""
        top = self.comparison.sort_values("rank_ewp").head(30)
        return {
            "base_year": self.base_year,
            "edition": self.edition,
            "training_rows": self.training_rows,
            "training_onsets": self.training_onsets,
            "lambda_min": self.lambda_min,
            "lambda_index": self.lambda_index,
            "path_length": self.path_length,
            "countries": self.countries,
            "spearman": round(self.spearman, 6),
            "pearson": round(self.pearson, 6),
            "top30_overlap": self.top30_overlap,
            "top10_overlap": self.top10_overlap,
            "max_abs_difference": round(self.max_abs_difference, 6),
            "mean_abs_difference": round(self.mean_abs_difference, 7),
            "coefficient_max_abs_difference": self.coefficient_max_abs_difference,
            "coefficient_zero_pattern_agreement": self.coefficient_zero_pattern_agreement,
            "top30": [
                {
                    "iso3": str(iso3),
                    "country": str(country),
                    "ours": round(float(ours), 5),
                    "ewp": float(ewp),
                    "rank_ours": int(rank_ours),
                    "rank_ewp": int(rank_ewp),
                }
                for iso3, country, ours, ewp, rank_ours, rank_ewp in zip(
                    top["iso3"],
                    top["country"],
                    top["ours"],
                    top["ewp"],
                    top["rank_ours"],
                    top["rank_ewp"],
                    strict=True,
                )
            ],
        }


def read_published(path: Path | str | None = None, warehouse: Any = None) -> pd.DataFrame:
    """EWP's published lists (the long ``ewp_published_forecasts`` table): file or warehouse."""
    if path is not None:
        from atrocity_watch.sources import SourceError, read_file

        try:
            return read_file(Path(path), source=PUBLISHED_SOURCE).table.to_pandas()
        except SourceError as exc:
            raise ForecastDataError(str(exc)) from None
    if warehouse is None or not warehouse.has_table(PUBLISHED_TABLE):
        raise ForecastDataError(
            "EWP's published forecasts are not in the warehouse: import "
            "ewp_published_forecasts_long.csv (atrocity-watch data import) or pass --published."
        )
    return warehouse.read_table(PUBLISHED_TABLE).to_pandas()


def read_coefficients(path: Path | str) -> pd.DataFrame:
    """EWP's coefficient file (``coefficients_<date>.csv``: variable, coef.full)."""
    path = Path(path)
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise ForecastDataError(f"{path.name}: cannot be read as CSV ({exc}).") from None
    for column in ("variable", "coef.full"):
        if column not in frame.columns:
            raise ForecastDataError(
                f"{path.name}, line 1: no column {column!r}; expected EWP's coefficients file "
                "with columns variable and coef.full."
            )
    values = pd.to_numeric(frame["coef.full"], errors="coerce")
    bad = values.isna()
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ForecastDataError(
            f"{path.name}, line {line}, column 'coef.full': "
            f"{frame['coef.full'].iloc[line - 2]!r} is not a number."
        )
    return pd.DataFrame({"variable": frame["variable"].astype(str), "ewp": values})


def reproduce(
    data: ModellingData,
    published: pd.DataFrame,
    coefficients: pd.DataFrame | None = None,
    base_year: int | None = None,
) -> Reproduction:
    """Refit EWP's model for ``base_year`` (default: the data's last year) and compare."""
    base_year = data.last_year if base_year is None else base_year
    edition_rows = published[published["base_year"] == base_year]
    edition_rows = edition_rows.dropna(subset=["headline_risk"])
    if edition_rows.empty:
        editions = sorted(set(published["base_year"].astype(int)))
        raise ForecastDataError(
            f"EWP published no forecast from base year {base_year}; base years published: "
            f"{', '.join(map(str, editions))}."
        )
    model, result = fit_and_forecast(
        ElasticNetLogit, data.frame, EWP_PREDICTOR_NAMES, Partition.for_base_year(base_year)
    )
    ours = result.forecasts
    merged = ours.merge(
        edition_rows[["ccode", "headline_risk", "edition"]], on="ccode", how="inner"
    ).rename(columns={"risk": "ours", "headline_risk": "ewp"})
    if len(merged) < 10:
        raise ForecastDataError(
            f"Only {len(merged)} countries are in both our forecast and EWP's; is the data the "
            f"same edition as the published list (base year {base_year})?"
        )
    merged["rank_ours"] = rank_descending(merged["ours"])
    merged["rank_ewp"] = rank_descending(merged["ewp"])
    difference = (merged["ours"] - merged["ewp"]).abs()
    top30_ours = set(merged.nsmallest(30, "rank_ours")["ccode"])
    top30_ewp = set(merged.nsmallest(30, "rank_ewp")["ccode"])
    top10_ours = set(merged.nsmallest(10, "rank_ours")["ccode"])
    top10_ewp = set(merged.nsmallest(10, "rank_ewp")["ccode"])

    coefficient_table = None
    coefficient_gap = None
    zero_agreement = None
    if coefficients is not None:
        ours_coef = pd.DataFrame(
            {"variable": ["(Intercept)", *EWP_PREDICTOR_NAMES],
             "ours": [model.intercept_, *model.coef_]}
        )  # fmt: skip
        coefficient_table = ours_coef.merge(coefficients, on="variable", how="outer")
        slopes = coefficient_table[coefficient_table["variable"] != "(Intercept)"].dropna()
        # EWP rounds to 4 decimals; compare like with like.
        coefficient_gap = float((slopes["ours"].round(4) - slopes["ewp"]).abs().max())
        zero_agreement = int(((slopes["ours"].round(4) == 0) == (slopes["ewp"] == 0)).sum())

    fit = model.cv_fit_
    return Reproduction(
        base_year=base_year,
        edition=str(merged["edition"].iloc[0]),
        training_rows=model.n_train_,
        training_onsets=model.n_onsets_,
        lambda_min=fit.lambda_min,
        lambda_index=fit.lambda_index,
        path_length=len(fit.lambdas),
        countries=len(merged),
        spearman=float(spearmanr(merged["ours"], merged["ewp"]).statistic),
        pearson=float(pearsonr(merged["ours"], merged["ewp"]).statistic),
        top30_overlap=len(top30_ours & top30_ewp),
        top10_overlap=len(top10_ours & top10_ewp),
        max_abs_difference=float(difference.max()),
        mean_abs_difference=float(difference.mean()),
        coefficient_max_abs_difference=coefficient_gap,
        coefficient_zero_pattern_agreement=zero_agreement,
        comparison=merged[["iso3", "country", "ours", "ewp", "rank_ours", "rank_ewp"]],
        coefficients=coefficient_table,
    )
