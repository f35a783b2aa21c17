"""Onset models with scikit-learn's estimator contract and exact explanations.

Every model here: ``__init__`` only stores keyword parameters; ``fit(X, y)`` returns ``self``;
what it learns ends in ``_``; ``predict_proba`` gives the two columns scikit-learn expects; and
``contributions(X)`` splits each row's log-odds exactly into a baseline plus one term per
feature, so explanations always add up to the forecast.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin

from atrocity_watch.forecast._enet import ElasticNetCVFit, fit_elastic_net, fit_elastic_net_cv
from atrocity_watch.forecast._errors import (
    ForecastDataError,
    InvalidParameterError,
    NotFittedError,
)
from atrocity_watch.forecast._rfolds import EWP_SEED, r_fold_ids

FloatArray = NDArray[np.float64]


def _matrix(x: Any) -> FloatArray:
    values = x.to_numpy(dtype=np.float64) if isinstance(x, pd.DataFrame) else np.asarray(x, float)
    if values.ndim != 2:
        raise ForecastDataError(f"Predictors must be a table (2-D); got {values.ndim} dimensions.")
    return np.ascontiguousarray(values)


def _target(y: Any, n_rows: int) -> FloatArray:
    values = np.asarray(y, dtype=np.float64).ravel()
    if values.shape[0] != n_rows:
        raise ForecastDataError(f"{n_rows} rows of predictors but {values.shape[0]} outcomes.")
    if not np.all((values == 0) | (values == 1)):
        raise ForecastDataError("The outcome must be 0 or 1 on every training row.")
    return values


def _sigmoid(eta: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * eta)))


class _OnsetModel(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """What every onset model offers beyond scikit-learn's contract."""

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call fit(X, y) first."
            )

    def _check_columns(self, x: Any) -> FloatArray:
        self._check_fitted()
        matrix = _matrix(x)
        if matrix.shape[1] != self.n_features_in_:
            raise ForecastDataError(
                f"{type(self).__name__} was fitted on {self.n_features_in_} features; "
                f"got {matrix.shape[1]}."
            )
        if isinstance(x, pd.DataFrame) and hasattr(self, "feature_names_in_"):
            names = [str(c) for c in x.columns]
            if names != list(self.feature_names_in_):
                raise ForecastDataError(
                    f"{type(self).__name__} expects the features {list(self.feature_names_in_)} "
                    "in that order."
                )
        return matrix

    def _remember_features(self, x: Any, matrix: FloatArray) -> None:
        self.n_features_in_ = matrix.shape[1]
        if isinstance(x, pd.DataFrame):
            self.feature_names_in_ = np.array([str(c) for c in x.columns], dtype=object)
        self.classes_ = np.array([0, 1])

    def decision_function(self, x: Any) -> FloatArray:
        """Log-odds of an onset for each row."""
        baseline, terms = self.contributions(x)
        return baseline + terms.sum(axis=1)

    def predict_proba(self, x: Any) -> FloatArray:
        """Probabilities of no onset (column 0) and of an onset (column 1)."""
        p = _sigmoid(self.decision_function(x))
        return np.column_stack([1.0 - p, p])

    def predict(self, x: Any) -> NDArray[np.int64]:
        """1 where the onset probability is at least one half (rarely useful: rank instead)."""
        return (self.predict_proba(x)[:, 1] >= 0.5).astype(np.int64)

    def contributions(self, x: Any) -> tuple[FloatArray, FloatArray]:
        """Baseline log-odds per row, and each feature's exact additive term (rows x features)."""
        raise NotImplementedError

    def refit_template(self) -> _OnsetModel:
        """An unfitted model that refits this one's choices on a resample (for intervals).

        Tuning done inside ``fit`` (a cross-validated penalty) is frozen at the value chosen
        here, so the interval reflects uncertainty in the estimates, not a re-run of the tuning.
        """
        from sklearn.base import clone

        self._check_fitted()
        return cast(_OnsetModel, clone(self))


class ElasticNetLogit(_OnsetModel):
    """EWP's model: logistic regression with an elastic-net penalty, lambda by 10-fold CV.

    Defaults reproduce ``set.seed(90035); cv.glmnet(x, y, family = "binomial", alpha = 0.5)``
    and prediction at ``lambda.min``. ``contributions`` are ``coef_j * (x_j - reference_j)``
    with the training means as the reference, so the baseline is the log-odds of an average
    country-year of the training data.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(500, 2)); y = (rng.random(500) < 1 / (1 + np.exp(2.5 - x[:, 0])))
    >>> model = ElasticNetLogit().fit(x, y)
    >>> bool(model.coef_[0] > 0.5), model.predict_proba(x[:1]).shape
    (True, (1, 2))
    """

    def __init__(
        self,
        *,
        alpha: float = 0.5,
        n_folds: int = 10,
        seed: int = EWP_SEED,
        n_lambda: int = 100,
        tolerance: float = 1e-8,
        fixed_lambda: float | None = None,
        fill_missing: float | None = None,
    ) -> None:
        self.alpha = alpha
        self.n_folds = n_folds
        self.seed = seed
        self.n_lambda = n_lambda
        self.tolerance = tolerance
        self.fixed_lambda = fixed_lambda
        self.fill_missing = fill_missing

    def _filled(self, matrix: FloatArray) -> FloatArray:
        # Event counts before UCDP's coverage (1989) are missing; with fill_missing=0 they
        # count as no events, and EWP's includesnonstate term (1 from 1989) absorbs the shift.
        if self.fill_missing is None:
            return matrix
        return np.where(np.isnan(matrix), self.fill_missing, matrix)

    def fit(self, x: Any, y: Any) -> ElasticNetLogit:
        """Fit the lambda path, choose lambda.min by cross-validation, keep that fit.

        With ``fixed_lambda`` set, fit at that penalty only (no cross-validation).
        """
        matrix = self._filled(_matrix(x))
        target = _target(y, matrix.shape[0])
        if self.fixed_lambda is not None:
            intercept, coef = fit_elastic_net(
                matrix, target, self.fixed_lambda, alpha=self.alpha, tolerance=self.tolerance
            )
            self._remember_features(x, matrix)
            self.lambda_ = self.fixed_lambda
            self.coef_ = coef
            self.intercept_ = intercept
            self.reference_ = matrix.mean(axis=0)
            self.n_train_ = matrix.shape[0]
            self.n_onsets_ = int(target.sum())
            return self
        folds = r_fold_ids(matrix.shape[0], self.n_folds, self.seed)
        fit: ElasticNetCVFit = fit_elastic_net_cv(
            matrix,
            target,
            folds,
            alpha=self.alpha,
            n_lambda=self.n_lambda,
            tolerance=self.tolerance,
        )
        self._remember_features(x, matrix)
        self.cv_fit_ = fit
        self.lambda_ = fit.lambda_min
        self.coef_ = fit.coef.copy()
        self.intercept_ = fit.intercept
        self.reference_ = matrix.mean(axis=0)
        self.n_train_ = matrix.shape[0]
        self.n_onsets_ = int(target.sum())
        return self

    def contributions(self, x: Any) -> tuple[FloatArray, FloatArray]:
        """``coef_j * (x_j - mean_j)`` per feature; baseline = log-odds at the training means."""
        matrix = self._filled(self._check_columns(x))
        terms = (matrix - self.reference_) * self.coef_
        baseline = self.intercept_ + float(self.reference_ @ self.coef_)
        return np.full(matrix.shape[0], baseline), terms

    def refit_template(self) -> ElasticNetLogit:
        """The same model at the penalty chosen here, without cross-validation."""
        self._check_fitted()
        return ElasticNetLogit(
            alpha=self.alpha,
            tolerance=self.tolerance,
            fixed_lambda=float(self.lambda_),
            fill_missing=self.fill_missing,
        )


class BoostedTrees(_OnsetModel):
    """Gradient-boosted trees (LightGBM) for onsets; explanations are exact tree SHAP values.

    Small, shallow, strongly regularised trees with a fixed seed and one thread, so fits are
    deterministic. ``contributions`` are LightGBM's ``pred_contrib`` values: per-feature terms
    and a bias that sum exactly to the raw log-odds score.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 300,
        learning_rate: float = 0.02,
        num_leaves: int = 7,
        max_depth: int = 3,
        min_child_samples: int = 40,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        reg_lambda: float = 5.0,
        seed: int = 20251,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.max_depth = max_depth
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.seed = seed

    def fit(self, x: Any, y: Any) -> BoostedTrees:
        """Fit the boosted trees."""
        import lightgbm

        if self.n_estimators < 1 or self.learning_rate <= 0:
            raise InvalidParameterError(
                "The 'n_estimators' of BoostedTrees must be >= 1 and 'learning_rate' > 0. "
                f"Got {self.n_estimators} and {self.learning_rate} instead."
            )
        matrix = _matrix(x)
        target = _target(y, matrix.shape[0])
        booster = lightgbm.LGBMClassifier(
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            max_depth=self.max_depth,
            min_child_samples=self.min_child_samples,
            subsample=self.subsample,
            subsample_freq=1 if self.subsample < 1 else 0,
            colsample_bytree=self.colsample_bytree,
            reg_lambda=self.reg_lambda,
            random_state=self.seed,
            deterministic=True,
            force_col_wise=True,
            n_jobs=1,
            verbose=-1,
        )
        booster.fit(matrix, target)
        self._remember_features(x, matrix)
        self.booster_ = booster.booster_
        return self

    def contributions(self, x: Any) -> tuple[FloatArray, FloatArray]:
        """Tree SHAP terms per feature and the bias (expected raw score)."""
        matrix = self._check_columns(x)
        values = np.asarray(self.booster_.predict(matrix, pred_contrib=True), dtype=np.float64)
        return values[:, -1].copy(), values[:, :-1].copy()


class LogOddsEnsemble(_OnsetModel):
    """A weighted average of member models on the log-odds scale.

    Averaging log-odds (not probabilities) keeps explanations exact: the ensemble's term for a
    feature is the weighted average of the members' terms, and its baseline the weighted
    average of their baselines. Members see the same feature columns.
    """

    def __init__(
        self, *, members: tuple[_OnsetModel, ...] = (), weights: tuple[float, ...] = ()
    ) -> None:
        self.members = members
        self.weights = weights

    def _normalised_weights(self) -> FloatArray:
        if not self.members:
            raise InvalidParameterError("An ensemble needs at least one member model.")
        weights = np.asarray(self.weights or [1.0] * len(self.members), dtype=np.float64)
        if weights.shape[0] != len(self.members) or np.any(weights < 0) or weights.sum() <= 0:
            raise InvalidParameterError(
                "The ensemble's 'weights' must be one non-negative number per member, not all "
                f"zero. Got {list(self.weights)} for {len(self.members)} members."
            )
        return np.asarray(weights / weights.sum())

    def fit(self, x: Any, y: Any) -> LogOddsEnsemble:
        """Fit every member on the same rows."""
        from sklearn.base import clone

        weights = self._normalised_weights()
        matrix = _matrix(x)
        self.members_ = tuple(clone(m).fit(x, y) for m in self.members)
        self.weights_ = weights
        self._remember_features(x, matrix)
        return self

    def contributions(self, x: Any) -> tuple[FloatArray, FloatArray]:
        """Weighted average of the members' baselines and terms."""
        self._check_columns(x)
        baseline: FloatArray = np.zeros(_matrix(x).shape[0])
        terms: FloatArray | None = None
        for weight, member in zip(self.weights_, self.members_, strict=True):
            member_baseline, member_terms = member.contributions(x)
            baseline = baseline + weight * member_baseline
            terms = weight * member_terms if terms is None else terms + weight * member_terms
        assert terms is not None
        return baseline, terms

    def refit_template(self) -> LogOddsEnsemble:
        """Each member's own refit template, with the same weights."""
        self._check_fitted()
        return LogOddsEnsemble(
            members=tuple(m.refit_template() for m in self.members_),
            weights=tuple(float(w) for w in self.weights_),
        )
