"""The packaged labelled set is large enough, multilingual, well-formed, and its split fixed."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from atrocity_watch.evidence import LabelledSetError
from atrocity_watch.evidence._labelled import (
    RISK_FACTORS,
    label_matrix,
    load_labelled_set,
)


def test_size_languages_and_split() -> None:
    passages = load_labelled_set()
    assert len(passages) >= 150
    languages = Counter(p.language for p in passages)
    assert all(languages[code] >= 30 for code in ("en", "fr", "es", "ru", "ar"))
    held_out = [p for p in passages if p.split == "test"]
    # The held-out part stays the 65 passages of the first version (below) while training
    # passages are added, so its share falls as the set grows.
    assert 0.15 <= len(held_out) / len(passages) <= 0.4
    assert all(Counter(p.language for p in held_out)[code] >= 10 for code in languages)


#: Checksum of the 65 held-out passages (id, language, text, labels) as first fixed: results on
#: them stay comparable only while not one of them changes.
HELD_OUT_SHA256 = "38f65c9ecb8267f0b7140df418dfbbfc6d49893b5d7dc9532081a3516e075515"


def test_held_out_passages_are_unchanged() -> None:
    held_out = sorted((p for p in load_labelled_set() if p.split == "test"), key=lambda p: p.id)
    digest = hashlib.sha256()
    for p in held_out:
        fields = [p.id, p.language, p.text, p.risk_factor, p.indicator, list(p.also)]
        digest.update(json.dumps(fields, ensure_ascii=False).encode())
    assert len(held_out) == 65
    assert digest.hexdigest() == HELD_OUT_SHA256


def test_passages_written_by_the_project_are_for_training_and_say_so() -> None:
    written = [p for p in load_labelled_set() if "-w" in p.id]
    assert len(written) >= 120
    for p in written:
        assert p.split == "train", p.id
        assert p.document.startswith("Written by the project after "), p.id
        assert p.id.startswith(f"{p.language}-w"), p.id


def test_every_risk_factor_is_in_both_parts() -> None:
    passages = load_labelled_set()
    for split in ("train", "test"):
        assert {p.risk_factor for p in passages if p.split == split} == set(RISK_FACTORS)


def test_every_passage_is_cited_and_short() -> None:
    for p in load_labelled_set():
        assert p.url.startswith(("http://", "https://")), p.id
        assert p.document.strip(), p.id
        assert 40 <= len(p.text) <= 600, p.id  # short excerpts, never whole pages


def test_label_matrix_marks_main_and_other_risk_factors() -> None:
    passages = load_labelled_set()[:3]
    matrix = label_matrix(passages)
    for row, passage in zip(matrix, passages, strict=True):
        assert {i + 1 for i, v in enumerate(row) if v == 1} == passage.gold
        assert set(row.tolist()) <= {1, -1}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


GOOD = {
    "id": "x-1",
    "language": "en",
    "text": "Peacekeepers were attacked.",
    "risk_factor": 14,
    "indicator": None,
    "also": [],
    "document": "d",
    "url": "https://example.org",
    "split": "train",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"risk_factor": 15}, r"line 2, field 'risk_factor': must be a number from 1 to 14"),
        ({"indicator": "7.14"}, r"line 2, field 'indicator': 7.14 is not an indicator of risk"),
        ({"indicator": "7.99"}, r"line 2, field 'indicator': There is no indicator 7.99"),
        ({"split": "dev"}, r"line 2, field 'split': must be 'train' or 'test'"),
        ({"url": ""}, r"line 2, field 'url': missing or empty"),
        ({"id": "x-1"}, r"line 2, field 'id': x-1 appears twice"),
    ],
)
def test_malformed_set_names_line_and_field(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = _write(tmp_path, [json.dumps(GOOD), json.dumps({**GOOD, "id": "x-2", **change})])
    with pytest.raises(LabelledSetError, match=message):
        load_labelled_set(path)


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, [json.dumps(GOOD), "{not json"])
    with pytest.raises(LabelledSetError, match=r"set\.jsonl, line 2: not valid JSON"):
        load_labelled_set(path)
