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


def evaluate(
    methods: Sequence[str] = ("zero-shot", "learned", "tfidf"),
    *,
    split: str = "test",
    model: str | None = None,
) -> list[MethodScores]:
    """Evaluate each method on the ``split`` passages of the packaged labelled set.

    Trained methods are fitted on the ``train`` split only, so ``split="test"`` is a held-out
    evaluation.
    """
    passages = [p for p in load_labelled_set() if p.split == split]
    if not passages:
        raise ModelError(f"The labelled set has no passages in the split {split!r}.")
    rows: list[MethodScores] = []
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


__all__ = ["RISK_FACTORS", "MethodScores", "evaluate", "score_rankings", "throughput"]
