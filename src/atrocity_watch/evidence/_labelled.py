"""The labelled evaluation set: passages from public documents, each with its Framework labels.

``data/labelled_passages.jsonl`` holds one passage per line with its language, the risk factor
(and, where one fits, the indicator) it is evidence for, other risk factors it also informs, the
document, address and date it was taken from, and its fixed split: ``train`` passages may be
used to fit and tune models, ``test`` passages only to report results. ``data/LABELLED_SET.md``
says how the set was built and labelled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from atrocity_watch.evidence._errors import LabelledSetError

#: The Framework's 14 risk factors, in the column order of label matrices.
RISK_FACTORS: tuple[int, ...] = tuple(range(1, 15))
SPLITS = ("train", "test")

#: Values of a label matrix: accepted, rejected, and not judged.
ACCEPTED, REJECTED, UNKNOWN = 1, 0, -1


@dataclass(frozen=True)
class LabelledPassage:
    """One labelled passage of the evaluation set."""

    id: str
    language: str
    text: str
    risk_factor: int
    indicator: str | None
    also: tuple[int, ...]
    country: str | None
    document: str
    url: str
    published: str | None
    split: str

    @property
    def gold(self) -> frozenset[int]:
        """Every risk factor the passage is evidence for (the main one and the others)."""
        return frozenset((self.risk_factor, *self.also))


_REQUIRED = ("id", "language", "text", "risk_factor", "document", "url", "split")


def _parse(entry: Any, where: str) -> LabelledPassage:
    from atrocity_watch.framework import FrameworkError, get_framework

    if not isinstance(entry, dict):
        raise LabelledSetError(f"{where}: each line must be a JSON object.")
    for key in _REQUIRED:
        if entry.get(key) in (None, ""):
            raise LabelledSetError(f"{where}, field '{key}': missing or empty.")
    risk_factor = entry["risk_factor"]
    if not isinstance(risk_factor, int) or risk_factor not in RISK_FACTORS:
        raise LabelledSetError(
            f"{where}, field 'risk_factor': must be a number from 1 to 14. Got {risk_factor!r}."
        )
    indicator = entry.get("indicator")
    if indicator is not None:
        try:
            found = get_framework().indicator(str(indicator))
        except FrameworkError as exc:
            raise LabelledSetError(f"{where}, field 'indicator': {exc}") from None
        if found.risk_factor != risk_factor:
            raise LabelledSetError(
                f"{where}, field 'indicator': {indicator} is not an indicator of risk factor "
                f"{risk_factor}."
            )
    also = entry.get("also") or []
    if not isinstance(also, list) or any(a not in RISK_FACTORS for a in also):
        raise LabelledSetError(f"{where}, field 'also': must be a list of risk factors 1-14.")
    if entry["split"] not in SPLITS:
        raise LabelledSetError(
            f"{where}, field 'split': must be 'train' or 'test'. Got {entry['split']!r}."
        )
    return LabelledPassage(
        id=str(entry["id"]),
        language=str(entry["language"]),
        text=str(entry["text"]),
        risk_factor=risk_factor,
        indicator=None if indicator is None else str(indicator),
        also=tuple(int(a) for a in also if a != risk_factor),
        country=entry.get("country"),
        document=str(entry["document"]),
        url=str(entry["url"]),
        published=entry.get("published"),
        split=str(entry["split"]),
    )


def load_labelled_set(path: Path | None = None) -> list[LabelledPassage]:
    """Read and check the labelled set (the packaged one unless ``path`` is given).

    Raises :class:`LabelledSetError` naming the file, line and field of the first problem.
    """
    if path is None:
        text = (
            resources.files("atrocity_watch.evidence")
            .joinpath("data/labelled_passages.jsonl")
            .read_text(encoding="utf-8")
        )
        name = "labelled_passages.jsonl"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LabelledSetError(f"{path}: cannot be read ({exc}).") from None
        name = Path(path).name
    passages: list[LabelledPassage] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelledSetError(f"{where}: not valid JSON ({exc.msg}).") from None
        passage = _parse(entry, where)
        if passage.id in seen:
            raise LabelledSetError(f"{where}, field 'id': {passage.id} appears twice.")
        seen.add(passage.id)
        passages.append(passage)
    if not passages:
        raise LabelledSetError(f"{name}: holds no passages.")
    return passages


def label_matrix(passages: Sequence[LabelledPassage]) -> npt.NDArray[np.int8]:
    """Labels as an (n, 14) matrix: 1 where the passage is evidence, -1 (not judged) elsewhere."""
    matrix = np.full((len(passages), len(RISK_FACTORS)), UNKNOWN, dtype=np.int8)
    for row, passage in enumerate(passages):
        for rf in passage.gold:
            matrix[row, rf - 1] = ACCEPTED
    return matrix
