"""Classifiers that learn from analysts' judgements, with the scikit-learn estimator contract.

Both take texts as ``X`` and an (n, 14) label matrix as ``y``: 1 where an analyst accepted the
passage as evidence for that risk factor, 0 where an analyst rejected that suggestion, -1 where
nobody judged it. A passage accepted for one risk factor is only weak evidence against the
others, so "not judged" cells count as negatives with a smaller weight (``unknown_weight``);
explicit rejections count in full.

- :class:`EmbeddingClassifier` ("learned"): one logistic regression per risk factor on the
  sentence embedding and the 14 zero-shot scores. Risk factors with too few accepted examples
  fall back to the zero-shot score, calibrated on all the judgements.
- :class:`TfidfClassifier` ("tfidf"): the baseline, one logistic regression per risk factor on
  character n-gram TF-IDF, which needs no embedding model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from atrocity_watch.evidence._errors import ModelError
from atrocity_watch.evidence._labelled import ACCEPTED, REJECTED, RISK_FACTORS, UNKNOWN

FloatMatrix = npt.NDArray[np.float64]
#: A risk factor needs this many accepted passages to get its own model.
MIN_POSITIVES = 3


def _check_labels(y: Any, n: int) -> npt.NDArray[np.int8]:
    labels = np.asarray(y)
    if labels.shape != (n, len(RISK_FACTORS)):
        raise ModelError(
            f"The labels must be an (n_passages, 14) matrix. Got shape {labels.shape} for {n} "
            "passages instead."
        )
    if not np.isin(labels, (ACCEPTED, REJECTED, UNKNOWN)).all():
        raise ModelError("The labels may only be 1 (accepted), 0 (rejected) or -1 (not judged).")
    return labels.astype(np.int8)


def _check_param(name: str, value: float, low: float, high: float) -> None:
    if not isinstance(value, int | float) or not low <= value <= high:
        raise ModelError(
            f"The '{name}' parameter must be a number in [{low}, {high}]. Got {value!r} instead."
        )


def _targets(labels: npt.NDArray[np.int8], column: int, unknown_weight: float) -> tuple[Any, Any]:
    cells = labels[:, column]
    target = (cells == ACCEPTED).astype(int)
    weight = np.where(cells == UNKNOWN, unknown_weight, 1.0)
    return target, weight


class _PerRiskFactor(BaseEstimator, ClassifierMixin):  # type: ignore[misc]
    """Shared fitting logic: one weighted logistic regression per risk factor."""

    C: float
    unknown_weight: float
    #: liblinear's dual form is much faster on sparse TF-IDF with far more n-grams than passages
    #: (0.2 s against 3.7 s here); lbfgs suits dense embeddings.
    _solver = "lbfgs"

    def _features(self, X: Sequence[str], fitting: bool) -> FloatMatrix:  # pragma: no cover
        raise NotImplementedError

    def _fallback(self, features: FloatMatrix) -> FloatMatrix:
        return np.full((features.shape[0], len(RISK_FACTORS)), 1.0 / len(RISK_FACTORS))

    def _fit_fallback(self, features: FloatMatrix, labels: npt.NDArray[np.int8]) -> None:
        """Fit what is used for risk factors without enough examples (nothing by default)."""

    def fit(self, X: Sequence[str], y: Any) -> _PerRiskFactor:
        """Learn from texts ``X`` and the (n, 14) judgement matrix ``y``; returns self."""
        _check_param("C", self.C, 1e-6, 1e6)
        _check_param("unknown_weight", self.unknown_weight, 0.0, 1.0)
        texts = list(X)
        labels = _check_labels(y, len(texts))
        if not texts:
            raise ModelError("There are no judged passages to learn from.")
        features = self._features(texts, fitting=True)
        self.coef_ = np.zeros((len(RISK_FACTORS), features.shape[1]))
        self.intercept_ = np.zeros(len(RISK_FACTORS))
        self.fitted_ = np.zeros(len(RISK_FACTORS), dtype=bool)
        for column in range(len(RISK_FACTORS)):
            target, weight = _targets(labels, column, self.unknown_weight)
            if target.sum() < MIN_POSITIVES or target.sum() == len(target):
                continue
            model = LogisticRegression(
                C=self.C, max_iter=2000, solver=self._solver, dual=self._solver == "liblinear"
            )
            model.fit(features, target, sample_weight=weight)
            self.coef_[column] = model.coef_[0]
            self.intercept_[column] = model.intercept_[0]
            self.fitted_[column] = True
        self._fit_fallback(features, labels)
        self.classes_ = np.array(RISK_FACTORS)
        self.n_judged_ = int((labels != UNKNOWN).any(axis=1).sum())
        return self

    def predict_proba(self, X: Sequence[str]) -> FloatMatrix:
        """(n, 14) probability that each passage is evidence for each risk factor."""
        if not hasattr(self, "coef_"):
            raise ModelError("The classifier must be fitted (or loaded) before it can predict.")
        features = self._features(list(X), fitting=False)
        logits = np.asarray(features @ self.coef_.T) + self.intercept_
        learned = 1.0 / (1.0 + np.exp(-logits))
        fallback = self._fallback(features)
        return np.where(self.fitted_[None, :], learned, fallback)

    def predict(self, X: Sequence[str]) -> npt.NDArray[np.int64]:
        """The most likely risk factor of each passage."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])


class EmbeddingClassifier(_PerRiskFactor):
    """Risk-factor scores that blend what analysts taught with what the Framework says.

    Three parts, each a set of (n, 14) scores that sum to one per passage, blended with weights
    chosen by cross-validation on the training passages (``docs/evidence-experiments.md``):

    - *learned*: one logistic regression per risk factor on the sentence embedding and the 14
      standardised zero-shot scores (risk factors with too few accepted passages use the
      zero-shot score, calibrated);
    - *zero-shot*: similarity to the Framework's descriptions and the prototype sentences
      (mean of the ``top_n`` best prototypes of each risk factor, softmax);
    - *examples*: similarity to the passages analysts accepted for each risk factor (mean of the
      ``example_top_n`` closest, softmax), so a passage worded like an accepted one counts even
      when the regression has too few examples to learn the pattern.

    ``zero_shot_weight`` and ``example_weight`` are the shares of the last two; the learned part
    gets the rest. The defaults (three quarters learned with ``C=1.0``, a quarter zero-shot from
    the best three prototypes, no examples part) were chosen by cross-validation on the training
    passages only; every configuration tried is in ``docs/evidence-experiments.md``.

    >>> clf = EmbeddingClassifier(model="use")            # doctest: +SKIP
    >>> clf.fit(texts, labels).predict_proba(["..."])     # doctest: +SKIP
    """

    def __init__(
        self,
        model: str = "use",
        C: float = 1.0,
        unknown_weight: float = 0.3,
        zero_shot_weight: float = 0.25,
        example_weight: float = 0.0,
        example_top_n: int = 1,
        top_n: int = 3,
        centre: bool = False,
    ) -> None:
        self.model = model
        self.C = C
        self.unknown_weight = unknown_weight
        self.zero_shot_weight = zero_shot_weight
        self.example_weight = example_weight
        self.example_top_n = example_top_n
        self.top_n = top_n
        self.centre = centre

    def _scorer(self) -> Any:
        from atrocity_watch.evidence._suggest import zero_shot_scorer

        return zero_shot_scorer(self.model, self.centre)

    def _check_blend(self) -> None:
        _check_param("zero_shot_weight", self.zero_shot_weight, 0.0, 1.0)
        _check_param("example_weight", self.example_weight, 0.0, 1.0)
        if self.zero_shot_weight + self.example_weight > 1.0 + 1e-9:
            raise ModelError(
                "zero_shot_weight and example_weight must add up to at most 1. Got "
                f"{self.zero_shot_weight} + {self.example_weight} instead."
            )
        for name in ("example_top_n", "top_n"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 10:
                raise ModelError(
                    f"The '{name}' parameter must be a whole number from 1 to 10. "
                    f"Got {value!r} instead."
                )

    def _features(self, X: Sequence[str], fitting: bool) -> FloatMatrix:
        vectors, rf_scores, _ = self._scorer().score_texts(X, self.top_n)
        if fitting:
            self._fit_vectors = np.asarray(vectors, dtype=np.float32)
        return self._combine(vectors, rf_scores)

    @staticmethod
    def _combine(vectors: Any, rf_scores: Any) -> FloatMatrix:
        # Zero-shot similarities differ by hundredths; centring and scaling each passage's scores
        # lets the regression weigh them against the embedding dimensions.
        centred = rf_scores - rf_scores.mean(axis=1, keepdims=True)
        scale = centred.std(axis=1, keepdims=True) + 1e-6
        return np.hstack([vectors, centred / scale]).astype(np.float64)

    def _fit_fallback(self, features: FloatMatrix, labels: npt.NDArray[np.int8]) -> None:
        # One calibration for all risk factors: probability from the standardised zero-shot score.
        zero_shot = features[:, -len(RISK_FACTORS) :]
        x, target, weight = [], [], []
        for column in range(len(RISK_FACTORS)):
            t, w = _targets(labels, column, self.unknown_weight)
            x.append(zero_shot[:, column])
            target.append(t)
            weight.append(w)
        stacked = np.concatenate(x).reshape(-1, 1)
        model = LogisticRegression(C=1.0, max_iter=1000)
        model.fit(stacked, np.concatenate(target), sample_weight=np.concatenate(weight))
        self.fallback_coef_ = float(model.coef_[0, 0])
        self.fallback_intercept_ = float(model.intercept_[0])
        # The accepted passages, kept for the examples part (vectors only, never the texts).
        accepted = (labels == ACCEPTED).any(axis=1)
        self.examples_ = self._fit_vectors[accepted]
        self.example_labels_ = labels[accepted] == ACCEPTED
        del self._fit_vectors

    def fit(self, X: Sequence[str], y: Any) -> EmbeddingClassifier:
        """Learn from texts ``X`` and the (n, 14) judgement matrix ``y``; returns self."""
        self._check_blend()
        super().fit(X, y)
        return self

    def _fallback(self, features: FloatMatrix) -> FloatMatrix:
        zero_shot = features[:, -len(RISK_FACTORS) :]
        return 1.0 / (1.0 + np.exp(-(zero_shot * self.fallback_coef_ + self.fallback_intercept_)))

    def example_scores(self, vectors: Any) -> FloatMatrix:
        """(n, 14) mean similarity to the ``example_top_n`` closest accepted passages of each RF.

        A risk factor nobody has accepted a passage for gets -1 (the lowest cosine similarity).
        """
        similarities = np.asarray(vectors, dtype=np.float32) @ self.examples_.T
        out = np.full((similarities.shape[0], len(RISK_FACTORS)), -1.0)
        for column in range(len(RISK_FACTORS)):
            block = similarities[:, self.example_labels_[:, column]]
            if block.shape[1]:
                top = min(self.example_top_n, block.shape[1])
                out[:, column] = np.sort(block, axis=1)[:, -top:].mean(axis=1)
        return out

    def score_parts(self, X: Sequence[str]) -> dict[str, FloatMatrix]:
        """The three parts (learned, zero-shot, examples) before blending, each summing to one."""
        if not hasattr(self, "coef_"):
            raise ModelError("The classifier must be fitted (or loaded) before it can predict.")
        from atrocity_watch.evidence._suggest import zero_shot_probabilities

        vectors, rf_scores, _ = self._scorer().score_texts(list(X), self.top_n)
        features = self._combine(vectors, rf_scores)
        logits = features @ self.coef_.T + self.intercept_
        learned = np.where(
            self.fitted_[None, :], 1.0 / (1.0 + np.exp(-logits)), self._fallback(features)
        )
        return {
            "learned": learned / learned.sum(axis=1, keepdims=True),
            "zero-shot": np.asarray(zero_shot_probabilities(rf_scores), dtype=np.float64),
            "examples": np.asarray(
                zero_shot_probabilities(self.example_scores(vectors)), dtype=np.float64
            ),
        }

    def predict_proba(self, X: Sequence[str]) -> FloatMatrix:
        """(n, 14) scores that sum to one per passage: the weighted blend of the three parts."""
        self._check_blend()
        parts = self.score_parts(X)
        return blend(parts, self.zero_shot_weight, self.example_weight)

    def save(self, path: Path, meta: dict[str, Any] | None = None) -> None:
        """Write the fitted model as plain arrays (no pickle: nothing executable is stored)."""
        if not hasattr(self, "coef_"):
            raise ModelError("Only a fitted classifier can be saved.")
        path.parent.mkdir(parents=True, exist_ok=True)
        info = {**self.get_params(), "n_judged": self.n_judged_, **(meta or {})}
        temporary = path.with_suffix(".incoming.npz")
        np.savez(
            temporary,
            coef=self.coef_,
            intercept=self.intercept_,
            fitted=self.fitted_,
            fallback=np.array([self.fallback_coef_, self.fallback_intercept_]),
            examples=self.examples_,
            example_labels=self.example_labels_,
            meta=np.array(json.dumps(info)),
        )
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> EmbeddingClassifier:
        """Read a model written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as data:
                info = json.loads(str(data["meta"]))
                # Models saved before the examples part existed keep their own blend.
                params = {k: info[k] for k in cls().get_params() if k in info}
                params.setdefault("example_weight", 0.0)
                params.setdefault("example_top_n", 1)
                params.setdefault("top_n", 2)
                params.setdefault("zero_shot_weight", 0.25)
                clf = cls(**params)
                clf.coef_ = data["coef"]
                clf.intercept_ = data["intercept"]
                clf.fitted_ = data["fitted"].astype(bool)
                clf.fallback_coef_, clf.fallback_intercept_ = (float(v) for v in data["fallback"])
                if "examples" in data.files:
                    clf.examples_ = data["examples"].astype(np.float32)
                    clf.example_labels_ = data["example_labels"].astype(bool)
                else:
                    clf.examples_ = np.zeros(
                        (0, clf.coef_.shape[1] - len(RISK_FACTORS)), np.float32
                    )
                    clf.example_labels_ = np.zeros((0, len(RISK_FACTORS)), dtype=bool)
                clf._check_blend()
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"{path}: not a classifier this version can read ({exc}).") from None
        clf.classes_ = np.array(RISK_FACTORS)
        clf.n_judged_ = int(info.get("n_judged", 0))
        clf.meta_ = info
        return clf


def blend(
    parts: dict[str, FloatMatrix], zero_shot_weight: float, example_weight: float
) -> FloatMatrix:
    """Weighted mean of the learned, zero-shot and examples parts (weights add up to one)."""
    learned_weight = 1.0 - zero_shot_weight - example_weight
    return np.asarray(
        learned_weight * parts["learned"]
        + zero_shot_weight * parts["zero-shot"]
        + example_weight * parts["examples"],
        dtype=np.float64,
    )


class TfidfClassifier(_PerRiskFactor):
    """The baseline: logistic regression on character 2-4-gram TF-IDF (any language, no model)."""

    _solver = "liblinear"

    def __init__(self, C: float = 10.0, unknown_weight: float = 0.3) -> None:
        self.C = C
        self.unknown_weight = unknown_weight

    def _features(self, X: Sequence[str], fitting: bool) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if fitting:
            self.vectorizer_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1
            )
            return self.vectorizer_.fit_transform(X)  # sparse: thousands of n-grams
        return self.vectorizer_.transform(X)
