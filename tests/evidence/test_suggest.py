"""Suggestions: zero-shot, learned and TF-IDF, the classifier contract and persistence.

The embedding model is loaded, and the prototypes embedded, once per session.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from atrocity_watch.evidence import EvidenceLibrary, ModelError, Suggestion
from atrocity_watch.evidence._classify import EmbeddingClassifier, TfidfClassifier
from atrocity_watch.evidence._embed import get_embedder
from atrocity_watch.evidence._evaluate import score_rankings
from atrocity_watch.evidence._labelled import load_labelled_set
from atrocity_watch.evidence._suggest import (
    classifier_path,
    get_suggester,
    training_data,
)
from atrocity_watch.framework import get_framework

pytestmark = pytest.mark.usefixtures("model_ready")

CLEAR = [
    ("UN peacekeepers were killed when armed men attacked the mission's base.", 14),
    ("Des Casques bleus ont été tués lors d'une attaque contre leur camp.", 14),
    (
        "Las autoridades bloquearon los convoyes humanitarios y la población sitiada pasa hambre.",
        13,
    ),
    ("Власти заблокировали доставку гуманитарной помощи в осажденный город.", 13),
    ("انتشر خطاب الكراهية ضد الأقلية على وسائل التواصل الاجتماعي.", 7),
]


@pytest.mark.parametrize("method", ["zero-shot", "learned", "tfidf"])
def test_suggestions_are_well_formed_and_sorted(method: str) -> None:
    suggester = get_suggester(method)
    found = suggester.suggest([text for text, _ in CLEAR], top_k=4)
    framework = get_framework()
    assert len(found) == len(CLEAR)
    for suggestions in found:
        assert len(suggestions) == 4
        assert [s.score for s in suggestions] == sorted(
            (s.score for s in suggestions), reverse=True
        )
        assert len({s.risk_factor for s in suggestions}) == 4
        for s in suggestions:
            assert isinstance(s, Suggestion) and 0.0 <= s.score <= 1.0
            if s.indicator is not None:
                assert framework.indicator(s.indicator).risk_factor == s.risk_factor
            else:
                assert framework.risk_factor(s.risk_factor).indicators == ()


@pytest.mark.parametrize("method", ["zero-shot", "learned"])
def test_clear_passages_in_five_languages_get_their_risk_factor(method: str) -> None:
    found = get_suggester(method).suggest([text for text, _ in CLEAR], top_k=3)
    for (text, expected), suggestions in zip(CLEAR, found, strict=True):
        assert expected in [s.risk_factor for s in suggestions], text


def test_zero_shot_scores_sum_to_one() -> None:
    scores = get_suggester("zero-shot").scores(["Government forces shelled the town."])
    assert scores.shape == (1, 14) and np.isclose(scores.sum(), 1.0)


def test_zero_shot_beats_tfidf_on_the_training_passages() -> None:
    # A floor that catches a broken embedding or prototype file, not a benchmark figure.
    passages = [p for p in load_labelled_set() if p.split == "train"]
    scores = get_suggester("zero-shot").scores([p.text for p in passages])
    overall = score_rankings("zero-shot", passages, scores)[0]
    assert overall.language == "all" and overall.top3 >= 0.75


def test_bad_top_k_and_method_are_refused() -> None:
    with pytest.raises(ModelError, match=r"from 1 to 14\. Got 0"):
        get_suggester("zero-shot").suggest(["text"], top_k=0)
    with pytest.raises(ModelError, match="no suggestion method 'magic'"):
        get_suggester("magic")
    with pytest.raises(ModelError, match="no embedding model 'bert'"):
        get_embedder("bert")


def test_classifier_follows_the_estimator_contract() -> None:
    texts, labels = training_data()
    clf = EmbeddingClassifier(C=0.5)
    assert clf.get_params()["C"] == 0.5
    assert not hasattr(clf, "coef_")
    fitted = clf.fit(texts, labels)
    assert fitted is clf and clf.coef_.shape[0] == 14
    copy = clone(clf)
    assert copy.get_params() == clf.get_params() and not hasattr(copy, "coef_")
    probabilities = clf.predict_proba(texts[:5])
    assert probabilities.shape == (5, 14)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert set(clf.predict(texts[:5])) <= set(range(1, 15))


def test_classifier_parameters_and_labels_are_checked() -> None:
    texts, labels = training_data()
    with pytest.raises(ModelError, match=r"The 'C' parameter must be a number in \[1e-06"):
        EmbeddingClassifier(C=-1).fit(texts, labels)
    with pytest.raises(ModelError, match=r"The 'unknown_weight' parameter .* Got 2"):
        TfidfClassifier(unknown_weight=2).fit(texts, labels)
    with pytest.raises(ModelError, match=r"\(n_passages, 14\) matrix. Got shape \(3, 2\)"):
        TfidfClassifier().fit(texts[:3], np.zeros((3, 2)))
    with pytest.raises(ModelError, match=r"only be 1 .* 0 .* or -1"):
        TfidfClassifier().fit(texts[:2], np.full((2, 14), 5))
    with pytest.raises(ModelError, match="must be fitted"):
        EmbeddingClassifier().predict_proba(["text"])


def test_saved_classifier_predicts_the_same_and_holds_no_pickle(tmp_path: Path) -> None:
    texts, labels = training_data()
    clf = EmbeddingClassifier().fit(texts, labels)
    path = tmp_path / "model.npz"
    clf.save(path, {"note": "test"})
    with np.load(path, allow_pickle=False) as data:  # loads without pickle
        assert "coef" in data.files
    loaded = EmbeddingClassifier.load(path)
    assert loaded.meta_["note"] == "test"
    assert np.allclose(loaded.predict_proba(texts[:4]), clf.predict_proba(texts[:4]))
    (tmp_path / "junk.npz").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"junk\.npz: not a classifier"):
        EmbeddingClassifier.load(tmp_path / "junk.npz")


def test_training_data_takes_judgements_and_never_the_held_out_part() -> None:
    passages = load_labelled_set()
    held_out = {p.text for p in passages if p.split == "test"}
    texts, _ = training_data()
    assert not held_out & set(texts)
    assert len(texts) == sum(p.split == "train" for p in passages)

    class J:
        def __init__(self, rf: int, accepted: bool) -> None:
            self.risk_factor, self.accepted = rf, accepted

    new = "A new passage judged by an analyst."
    texts2, labels2 = training_data([(J(7, True), new), (J(3, False), new), (J(3, True), new)])
    row = labels2[texts2.index(new)]
    assert row[6] == 1 and row[2] == 1 and (row == -1).sum() == 12  # the later judgement wins


def test_learning_from_judgements_changes_suggestions(learned_ready: None) -> None:
    # A passage about something the Framework data words differently: analysts teach it.
    library = EvidenceLibrary()
    text = (
        "Survivors described how the unit's commanders rewarded soldiers for every house they "
        "burned in the villages of the valley."
    )
    ranked = [s.risk_factor for s in get_suggester("learned").suggest([text], top_k=14)[0]]
    target = 10 if ranked[0] != 10 else 7
    judgements = []
    for i in range(8):
        variant = f"{text} Report {i}."

        class J:
            risk_factor, accepted = target, True

        judgements.append((J(), variant))
    from atrocity_watch.evidence._suggest import train_classifier

    clf = train_classifier(judgements)
    clf.save(classifier_path())
    after = [s.risk_factor for s in get_suggester("learned").suggest([text], top_k=14)[0]]
    # Eight judgements against some 300 packaged training passages (and a half share for the
    # zero-shot part) move a risk factor up the list without always putting it in the first three.
    assert after.index(target) < 5 and after.index(target) <= ranked.index(target) - 3
    assert library.documents() == []
