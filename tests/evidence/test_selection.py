"""How the default suggester is chosen: the blend of parts, cross-validation, persistence.

The embedding model is loaded, and the prototypes embedded, once per session.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from atrocity_watch.evidence import ModelError
from atrocity_watch.evidence._classify import EmbeddingClassifier, blend
from atrocity_watch.evidence._evaluate import (
    cross_validated_parts,
    evaluate,
    mean_scores,
    score_rankings,
)
from atrocity_watch.evidence._labelled import label_matrix, load_labelled_set
from atrocity_watch.evidence._suggest import training_data, zero_shot_scorer
from atrocity_watch.evidence._zeroshot import writing_system

pytestmark = pytest.mark.usefixtures("model_ready")


@pytest.fixture(scope="module")
def fitted() -> EmbeddingClassifier:
    texts, labels = training_data()
    return EmbeddingClassifier(example_weight=0.2).fit(texts, labels)


def test_parts_each_sum_to_one_and_blend_as_weighted() -> None:
    texts, labels = training_data()
    clf = EmbeddingClassifier(zero_shot_weight=0.3, example_weight=0.2).fit(texts, labels)
    parts = clf.score_parts(texts[:6])
    assert set(parts) == {"learned", "zero-shot", "examples"}
    for scores in parts.values():
        assert scores.shape == (6, 14) and np.allclose(scores.sum(axis=1), 1.0)
    expected = 0.5 * parts["learned"] + 0.3 * parts["zero-shot"] + 0.2 * parts["examples"]
    assert np.allclose(clf.predict_proba(texts[:6]), expected)
    assert np.allclose(blend(parts, 1.0, 0.0), parts["zero-shot"])


def test_examples_part_finds_an_accepted_passage_itself(fitted: EmbeddingClassifier) -> None:
    # A passage that was accepted is its own nearest example: its risk factor comes first.
    passages = [p for p in load_labelled_set() if p.split == "train"][:20]
    examples = fitted.score_parts([p.text for p in passages])["examples"]
    first = np.argmax(examples, axis=1) + 1
    assert all(int(f) in p.gold for f, p in zip(first, passages, strict=True))


def test_blend_parameters_are_checked() -> None:
    texts, labels = training_data()
    with pytest.raises(ModelError, match=r"add up to at most 1\. Got 0\.8 \+ 0\.5"):
        EmbeddingClassifier(zero_shot_weight=0.8, example_weight=0.5).fit(texts, labels)
    with pytest.raises(ModelError, match=r"'top_n' parameter must be a whole number .* Got 0"):
        EmbeddingClassifier(top_n=0).fit(texts, labels)
    with pytest.raises(ModelError, match=r"'example_weight' parameter .* Got -0\.1"):
        EmbeddingClassifier(example_weight=-0.1).fit(texts, labels)


def test_saved_blend_keeps_its_examples_and_settings(
    fitted: EmbeddingClassifier, tmp_path: Path
) -> None:
    texts, _ = training_data()
    path = tmp_path / "model.npz"
    fitted.save(path)
    loaded = EmbeddingClassifier.load(path)
    assert loaded.get_params() == fitted.get_params()
    assert loaded.examples_.shape == fitted.examples_.shape
    assert np.allclose(loaded.predict_proba(texts[:5]), fitted.predict_proba(texts[:5]))


def test_a_model_saved_before_the_examples_part_still_loads(
    fitted: EmbeddingClassifier, tmp_path: Path
) -> None:
    # The earlier format: no examples arrays, four parameters in the metadata.
    path = tmp_path / "old.npz"
    info = {"model": "use", "C": 0.3, "unknown_weight": 0.3, "zero_shot_weight": 0.25}
    np.savez(
        path,
        coef=fitted.coef_,
        intercept=fitted.intercept_,
        fitted=fitted.fitted_,
        fallback=np.array([fitted.fallback_coef_, fitted.fallback_intercept_]),
        meta=np.array(json.dumps({**info, "n_judged": 3})),
    )
    loaded = EmbeddingClassifier.load(path)
    assert loaded.example_weight == 0.0 and loaded.top_n == 2 and loaded.examples_.shape[0] == 0
    probabilities = loaded.predict_proba(["Government forces shelled the besieged town."])
    assert probabilities.shape == (1, 14) and np.isclose(probabilities.sum(), 1.0)


def test_cross_validation_scores_each_passage_without_it() -> None:
    passages = [p for p in load_labelled_set() if p.split == "train"][:60]
    repeats = cross_validated_parts(passages, folds=3, repeats=1, params={"example_top_n": 1})
    assert len(repeats) == 1
    parts = repeats[0]
    assert set(parts) == {"learned", "zero-shot", "examples", "tfidf"}
    for scores in parts.values():
        assert scores.shape == (60, 14) and np.allclose(scores.sum(axis=1), 1.0)
    # Had a passage been among its own examples, the nearest example would always be right
    # (the test above); out of fold it is not.
    rows = score_rankings("examples", passages, parts["examples"])
    assert rows[0].top1 < 0.9
    averaged = mean_scores([rows, rows])
    assert averaged[0].top3 == rows[0].top3


def test_cross_validation_and_splits_are_checked() -> None:
    passages = load_labelled_set()[:3]
    with pytest.raises(ModelError, match="needs at least 5 passages; got 3"):
        cross_validated_parts(passages)
    with pytest.raises(ModelError, match=r"test, train or train-cv\. Got 'dev'"):
        evaluate(split="dev")


def test_labels_of_held_out_passages_never_reach_cross_validation() -> None:
    passages = load_labelled_set()
    train = [p for p in passages if p.split == "train"]
    assert len(train) == len(passages) - 65 and label_matrix(train).shape == (len(train), 14)
    assert not {p.id for p in train} & {p.id for p in passages if p.split == "test"}


def test_writing_system_and_centred_scores() -> None:
    assert writing_system("Власти заблокировали доставку помощи.") == "cyrillic"
    assert writing_system("تستمر الانتهاكات الجسيمة") == "arabic"
    assert writing_system("Les autorités ont coupé Internet.") == "other"
    assert writing_system("2024 — 12") == "other"
    scorer = zero_shot_scorer("use", True)
    text = "Власти заблокировали доставку гуманитарной помощи в осажденный город."
    _, rf_scores, _ = scorer.score_texts([text])
    assert rf_scores.shape == (1, 14) and np.all(np.abs(rf_scores) <= 1.0 + 1e-5)
    vectors = scorer.embedder.encode([text])
    with pytest.raises(ModelError, match="needs the texts"):
        scorer.similarities(vectors)
