"""Measuring suggestions against the labelled set: top-1, top-3 and macro-F1 by language.

A suggestion is right at top-k when any of the first k risk factors is among the passage's gold
risk factors (its main one and the others it also informs). Macro-F1 compares the first
suggestion with the main risk factor, except that a first suggestion among the other gold risk
factors counts as right; it is the unweighted mean of the per-risk-factor F1 over the risk
factors present in the passages evaluated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from atrocity_watch.evidence._errors import ModelError
from atrocity_watch.evidence._labelled import RISK_FACTORS, LabelledPassage, load_labelled_set


@dataclass(frozen=True)
class MethodScores:
    """How one method did on one group of passages (``language`` "all" for every language)."""

    method: str
    language: str
    passages: int
    top1: float
    top3: float
    macro_f1: float

    def to_json(self) -> dict[str, Any]:
        """The figures as the benchmark prints them."""
        return {
            "method": self.method,
            "language": self.language,
            "passages": self.passages,
            "top1": round(self.top1, 3),
            "top3": round(self.top3, 3),
            "macro_f1": round(self.macro_f1, 3),
        }


def _scores_for(method: str, passages: Sequence[LabelledPassage], model: str | None) -> Any:
    from atrocity_watch.evidence._classify import EmbeddingClassifier, TfidfClassifier
    from atrocity_watch.evidence._suggest import ZeroShotSuggester, _model_name, training_data

    texts = [p.text for p in passages]
    if method == "zero-shot":
        return ZeroShotSuggester(model).scores(texts)
    train_texts, train_labels = training_data()  # the packaged training split only
    if method == "learned":
        return (
            EmbeddingClassifier(model=_model_name(model))
            .fit(train_texts, train_labels)
            .predict_proba(texts)
        )
    if method == "tfidf":
        return TfidfClassifier().fit(train_texts, train_labels).predict_proba(texts)
    raise ModelError(f"There is no method {method!r} to evaluate.")


def score_rankings(
    method: str, passages: Sequence[LabelledPassage], scores: Any
) -> list[MethodScores]:
    """Top-1, top-3 and macro-F1 of ``scores`` (n, 14), overall and per language."""
    order = np.argsort(-np.asarray(scores), axis=1, kind="stable") + 1
    rows = []
    groups: dict[str, list[int]] = {"all": list(range(len(passages)))}
    for i, passage in enumerate(passages):
        groups.setdefault(passage.language, []).append(i)
    for language, members in groups.items():
        top1 = [int(order[i, 0]) in passages[i].gold for i in members]
        top3 = [bool(set(order[i, :3].tolist()) & passages[i].gold) for i in members]
        predicted = [int(order[i, 0]) for i in members]
        truth = [
            predicted[j] if predicted[j] in passages[i].gold else passages[i].risk_factor
            for j, i in enumerate(members)
        ]
        labels = sorted(set(truth))
        macro = f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)
        rows.append(
            MethodScores(
                method,
                language,
                len(members),
                float(np.mean(top1)),
                float(np.mean(top3)),
                float(macro),
            )
        )
    return rows


#: Cross-validation on the training passages: folds and repeats (each repeat reshuffles).
CV_FOLDS = 5
CV_REPEATS = 3


def cross_validated_parts(
    passages: Sequence[LabelledPassage],
    *,
    model: str | None = None,
    params: dict[str, Any] | None = None,
    folds: int = CV_FOLDS,
    repeats: int = CV_REPEATS,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Out-of-fold scores of every part of the learned method, and of TF-IDF, per repeat.

    Each repeat splits ``passages`` into ``folds`` folds stratified by main risk factor; every
    passage is scored by models fitted on the other folds only. Returns, per repeat, a dict of
    (n, 14) matrices: ``learned``, ``zero-shot`` and ``examples`` (the parts of
    :class:`EmbeddingClassifier`, before blending) and ``tfidf``. Blend them with
    :func:`atrocity_watch.evidence._classify.blend` to score any weights without refitting;
    every part's rows sum to one (TF-IDF's are normalised here, which keeps its ranking).
    """
    import warnings

    from sklearn.model_selection import StratifiedKFold

    from atrocity_watch.evidence._classify import EmbeddingClassifier, TfidfClassifier
    from atrocity_watch.evidence._labelled import label_matrix
    from atrocity_watch.evidence._suggest import _model_name

    if len(passages) < folds:
        raise ModelError(f"Cross-validation needs at least {folds} passages; got {len(passages)}.")
    texts = [p.text for p in passages]
    labels = label_matrix(passages)
    main = [p.risk_factor for p in passages]
    settings = {
        k: v for k, v in (params or {}).items() if k not in ("zero_shot_weight", "example_weight")
    }
    out: list[dict[str, Any]] = []
    for repeat in range(repeats):
        parts = {
            name: np.zeros((len(texts), len(RISK_FACTORS)))
            for name in ("learned", "zero-shot", "examples", "tfidf")
        }
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + repeat)
        with warnings.catch_warnings():
            # Risk factors with fewer training passages than folds: sklearn warns, and the
            # stratification is as even as it can be.
            warnings.simplefilter("ignore", UserWarning)
            splits = list(splitter.split(texts, main))
        for fit_rows, score_rows in splits:
            fit_texts = [texts[i] for i in fit_rows]
            score_texts = [texts[i] for i in score_rows]
            clf = EmbeddingClassifier(model=_model_name(model), **settings)
            clf.fit(fit_texts, labels[fit_rows])
            for name, scores in clf.score_parts(score_texts).items():
                parts[name][score_rows] = scores
            tfidf = TfidfClassifier().fit(fit_texts, labels[fit_rows])
            # Per-risk-factor probabilities, normalised like the other parts so they can blend
            # (the ranking is unchanged).
            probabilities = tfidf.predict_proba(score_texts)
            parts["tfidf"][score_rows] = probabilities / probabilities.sum(axis=1, keepdims=True)
        out.append(parts)
    return out


def mean_scores(rows_per_repeat: Sequence[Sequence[MethodScores]]) -> list[MethodScores]:
    """The mean of the same rows (method, language) over cross-validation repeats."""
    first = rows_per_repeat[0]
    return [
        MethodScores(
            row.method,
            row.language,
            row.passages,
            float(np.mean([rows[i].top1 for rows in rows_per_repeat])),
            float(np.mean([rows[i].top3 for rows in rows_per_repeat])),
            float(np.mean([rows[i].macro_f1 for rows in rows_per_repeat])),
        )
        for i, row in enumerate(first)
    ]


def evaluate(
    methods: Sequence[str] = ("zero-shot", "learned", "tfidf"),
    *,
    split: str = "test",
    model: str | None = None,
) -> list[MethodScores]:
    """Evaluate each method on the packaged labelled set.

    ``split="test"``: on the held-out passages, trained methods fitted on the ``train`` split
    only. ``split="train"``: on the training passages themselves (only meaningful for
    zero-shot). ``split="train-cv"``: cross-validated on the training passages
    (:data:`CV_FOLDS` folds, :data:`CV_REPEATS` repeats, means), the figures used to choose
    methods and settings without looking at the held-out part.
    """
    if split not in ("test", "train", "train-cv"):
        raise ModelError(f"The split must be test, train or train-cv. Got {split!r} instead.")
    passages = [p for p in load_labelled_set() if p.split == split.removesuffix("-cv")]
    if not passages:
        raise ModelError(f"The labelled set has no passages in the split {split!r}.")
    rows: list[MethodScores] = []
    if split == "train-cv":
        from atrocity_watch.evidence._classify import EmbeddingClassifier, blend

        default = EmbeddingClassifier()
        repeats = cross_validated_parts(passages, model=model)
        for method in methods:
            per_repeat = []
            for parts in repeats:
                if method == "zero-shot":
                    # The method itself (needs no fitting), not the classifier's zero-shot part,
                    # which may use another number of prototypes.
                    scores = _scores_for("zero-shot", passages, model)
                elif method == "learned":
                    scores = blend(parts, default.zero_shot_weight, default.example_weight)
                elif method in parts:
                    scores = parts[method]
                else:
                    raise ModelError(f"There is no method {method!r} to evaluate.")
                per_repeat.append(score_rankings(method, passages, scores))
            rows.extend(mean_scores(per_repeat))
        return rows
    for method in methods:
        rows.extend(score_rankings(method, passages, _scores_for(method, passages, model)))
    return rows


def throughput(texts: Sequence[str], suggester: Any, repeat: int = 1) -> float:
    """Passages per second of ``suggester.suggest`` on ``texts`` (wall clock, best of repeats)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        suggester.suggest(list(texts))
        best = min(best, time.perf_counter() - start)
    return len(texts) / best if best > 0 else float("inf")


__all__ = [
    "RISK_FACTORS",
    "MethodScores",
    "cross_validated_parts",
    "evaluate",
    "mean_scores",
    "score_rankings",
    "throughput",
]
