"""Suggesting risk factors and indicators for passages: zero-shot, learned, and TF-IDF.

``get_suggester()`` returns what the CLI and the web app use. Three methods exist so they can be
compared on the same held-out passages (``benchmarks/evidence_eval.py``):

- ``zero-shot``: similarity to the Framework's descriptions and the packaged prototype sentences;
- ``learned`` (the default): :class:`EmbeddingClassifier`, trained on the packaged training
  passages plus every judgement analysts have recorded, once ``atrocity-watch evidence train``
  has been run (until then, on the packaged training passages alone);
- ``tfidf``: the :class:`TfidfClassifier` baseline.

Every method ranks risk factors; the indicator shown for a risk factor is its indicator closest to
the passage (zero-shot), or none for a risk factor whose indicators are not in the data (14).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from atrocity_watch import config
from atrocity_watch.evidence._classify import EmbeddingClassifier, TfidfClassifier
from atrocity_watch.evidence._embed import get_embedder
from atrocity_watch.evidence._errors import ModelError
from atrocity_watch.evidence._labelled import (
    ACCEPTED,
    REJECTED,
    RISK_FACTORS,
    UNKNOWN,
    label_matrix,
    load_labelled_set,
)
from atrocity_watch.evidence._model import Suggestion
from atrocity_watch.evidence._zeroshot import ZeroShotScorer

METHODS = ("learned", "zero-shot", "tfidf")
#: Softmax temperature that turns zero-shot similarities into scores summing to one.
ZERO_SHOT_TEMPERATURE = 0.04


def zero_shot_scorer(model: str, centre: bool = False) -> ZeroShotScorer:
    """The zero-shot scorer for an embedding model, built once per process.

    One scorer per (model, centre) however it is called, so that the classifier and the
    suggester share one and a batch is embedded once (its last batch is remembered).
    """
    return _zero_shot_scorer(model, bool(centre))


@cache
def _zero_shot_scorer(model: str, centre: bool) -> ZeroShotScorer:
    return ZeroShotScorer(get_embedder(model), centre=centre)


def _model_name(model: str | None) -> str:
    return (model or config.env_str("ATROCITY_WATCH_EVIDENCE_MODEL") or "use").strip().lower()


def _suggestions(
    scores: Any, indicator_scores: Any, scorer: ZeroShotScorer, top_k: int
) -> list[list[Suggestion]]:
    if not 1 <= top_k <= len(RISK_FACTORS):
        raise ModelError(f"The number of suggestions must be from 1 to 14. Got {top_k} instead.")
    out: list[list[Suggestion]] = []
    for row in range(scores.shape[0]):
        order = np.argsort(-scores[row], kind="stable")[:top_k]
        out.append(
            [
                Suggestion(
                    RISK_FACTORS[column],
                    scorer.best_indicator(indicator_scores, row, RISK_FACTORS[column]),
                    float(min(1.0, max(0.0, scores[row, column]))),
                )
                for column in order
            ]
        )
    return out


class ZeroShotSuggester:
    """Suggestions from similarity to the Framework's descriptions; needs no training."""

    def __init__(self, model: str | None = None) -> None:
        self.model = _model_name(model)
        self.name = f"zero-shot/{self.model}"
        self.scorer = zero_shot_scorer(self.model)

    def scores(self, texts: Sequence[str]) -> Any:
        """(n, 14) scores in [0, 1] that sum to one per passage."""
        _, rf_scores, _ = self.scorer.score_texts(texts)
        return zero_shot_probabilities(rf_scores)

    def suggest(self, texts: Sequence[str], top_k: int = 3) -> list[list[Suggestion]]:
        """The ``top_k`` risk factors for each text, best first."""
        if not texts:
            return []
        _, rf_scores, ind_scores = self.scorer.score_texts(texts)
        return _suggestions(zero_shot_probabilities(rf_scores), ind_scores, self.scorer, top_k)


class ClassifierSuggester:
    """Suggestions ranked by a fitted classifier (learned or TF-IDF)."""

    def __init__(self, classifier: Any, name: str, model: str | None = None) -> None:
        self.classifier = classifier
        self.name = name
        self.scorer = zero_shot_scorer(_model_name(model))

    def scores(self, texts: Sequence[str]) -> Any:
        """(n, 14) probabilities that each passage is evidence for each risk factor."""
        return self.classifier.predict_proba(list(texts))

    def suggest(self, texts: Sequence[str], top_k: int = 3) -> list[list[Suggestion]]:
        """The ``top_k`` risk factors for each text, best first."""
        if not texts:
            return []
        probabilities = self.classifier.predict_proba(list(texts))
        _, _, ind_scores = self.scorer.score_texts(texts)
        return _suggestions(probabilities, ind_scores, self.scorer, top_k)


def zero_shot_probabilities(rf_scores: Any) -> Any:
    """Zero-shot similarities turned into scores in [0, 1] that sum to one per passage.

    The temperature was chosen by likelihood on the training split (0.04 of 0.01-0.05).
    """
    return _softmax(rf_scores / ZERO_SHOT_TEMPERATURE)


def _softmax(values: Any) -> Any:
    shifted = values - values.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def training_data(
    judgements: Sequence[tuple[Any, str]] = (), *, include_labelled: bool = True
) -> tuple[list[str], Any]:
    """Texts and (n, 14) labels from the packaged training passages and analysts' judgements.

    Held-out (``test``) passages are never included. A later judgement on the same passage and
    risk factor overrides an earlier one.
    """
    rows: dict[str, Any] = {}
    order: list[str] = []
    if include_labelled:
        train = [p for p in load_labelled_set() if p.split == "train"]
        for passage, labels in zip(train, label_matrix(train), strict=True):
            rows[passage.text] = labels.copy()
            order.append(passage.text)
    for judgement, text in judgements:
        if text not in rows:
            rows[text] = np.full(len(RISK_FACTORS), UNKNOWN, dtype=np.int8)
            order.append(text)
        rows[text][judgement.risk_factor - 1] = ACCEPTED if judgement.accepted else REJECTED
    return order, np.array([rows[t] for t in order], dtype=np.int8).reshape(-1, len(RISK_FACTORS))


def classifier_path(model: str | None = None) -> Path:
    """Where ``atrocity-watch evidence train`` keeps the learned classifier."""
    return config.home() / "models" / f"evidence-classifier-{_model_name(model)}.npz"


def train_classifier(
    judgements: Sequence[tuple[Any, str]] = (),
    *,
    model: str | None = None,
    include_labelled: bool = True,
) -> EmbeddingClassifier:
    """Fit the learned classifier on the packaged training passages and ``judgements``."""
    texts, labels = training_data(judgements, include_labelled=include_labelled)
    return EmbeddingClassifier(model=_model_name(model)).fit(texts, labels)


@cache
def _default_classifier(model: str) -> EmbeddingClassifier:
    return train_classifier(model=model)


def get_suggester(method: str = "learned", model: str | None = None) -> Any:
    """The suggester the CLI and web app use (``learned`` unless asked otherwise).

    ``learned`` loads the classifier saved by ``atrocity-watch evidence train`` when there is one,
    and otherwise fits one on the packaged training passages (a few seconds, once per process).
    """
    name = _model_name(model)
    if method == "zero-shot":
        return ZeroShotSuggester(name)
    if method == "tfidf":
        texts, labels = training_data()
        return ClassifierSuggester(TfidfClassifier().fit(texts, labels), "tfidf", name)
    if method == "learned":
        path = classifier_path(name)
        if path.is_file():
            return ClassifierSuggester(EmbeddingClassifier.load(path), f"learned/{name}", name)
        return ClassifierSuggester(_default_classifier(name), f"learned/{name}", name)
    raise ModelError(f"There is no suggestion method {method!r}; use one of {', '.join(METHODS)}.")
