"""Zero-shot scores: how close a passage is to what the Framework says each risk factor looks like.

Each risk factor and indicator is described by "prototypes": the Framework's own labels and
descriptions (``framework.yaml``) and this project's example sentences in five languages
(``data/prototypes.yaml``). A passage's score for a risk factor is the mean of its two highest
cosine similarities with that risk factor's prototypes; taking the best two rather than the best
one keeps risk factors with many indicators (7 has 14) from winning by number alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import yaml

from atrocity_watch.evidence._embed import Embedder, Matrix
from atrocity_watch.evidence._errors import ModelError
from atrocity_watch.evidence._labelled import RISK_FACTORS

TOP_N = 2


@dataclass(frozen=True)
class Prototype:
    """One sentence that describes a risk factor, or one of its indicators."""

    risk_factor: int
    indicator: str | None
    text: str


@cache
def prototype_bank() -> tuple[Prototype, ...]:
    """Every prototype: Framework labels and descriptions, then the packaged example sentences."""
    from atrocity_watch.framework import get_framework

    framework = get_framework()
    found: list[Prototype] = []
    for rf in framework:
        found.append(Prototype(rf.number, None, f"{rf.name}. {rf.description}"))
        for ind in rf.indicators:
            found.append(Prototype(rf.number, ind.number, ind.label))
            found.append(Prototype(rf.number, ind.number, ind.description))
    raw = yaml.safe_load(
        resources.files("atrocity_watch.evidence")
        .joinpath("data/prototypes.yaml")
        .read_text(encoding="utf-8")
    )
    for number, sentences in (raw.get("risk_factors") or {}).items():
        framework.risk_factor(int(number))
        found.extend(Prototype(int(number), None, str(s)) for s in sentences)
    for number, sentences in (raw.get("indicators") or {}).items():
        indicator = framework.indicator(str(number))
        found.extend(Prototype(indicator.risk_factor, indicator.number, str(s)) for s in sentences)
    return tuple(found)


def writing_system(text: str) -> str:
    """ "cyrillic", "arabic" or "other", from the letters of ``text`` (cheap: no model)."""
    cyrillic = arabic = other = 0
    for char in text:
        code = ord(char)
        if 0x0400 <= code <= 0x04FF:
            cyrillic += 1
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
            arabic += 1
        elif char.isalpha():
            other += 1
    best = max(cyrillic, arabic, other)
    if best == 0 or best == other:
        return "other"
    return "cyrillic" if best == cyrillic else "arabic"


class ZeroShotScorer:
    """Risk-factor and indicator similarities of passages to the prototypes.

    With ``centre=True`` every vector first loses the mean prototype vector of its writing
    system (Latin and others, Cyrillic, Arabic) and is normalised again, so that a Russian
    passage is not closer to Russian prototypes merely for being Russian.
    """

    def __init__(self, embedder: Embedder, centre: bool = False) -> None:
        self.embedder = embedder
        bank = prototype_bank()
        self.prototypes = bank
        self.centre = centre
        vectors = embedder.encode([p.text for p in bank])
        self._means: dict[str, npt.NDArray[np.float32]] = {}
        if centre:
            systems = np.array([writing_system(p.text) for p in bank])
            for system in sorted(set(systems)):
                self._means[system] = vectors[systems == system].mean(axis=0)
            vectors = self._centred(vectors, list(systems))
        self._vectors = vectors
        self._rf = np.array([p.risk_factor for p in bank])
        self._indicators = sorted(
            {p.indicator for p in bank if p.indicator is not None},
            key=lambda n: tuple(int(x) for x in n.split(".")),
        )
        self._ind_index = {n: i for i, n in enumerate(self._indicators)}
        self._ind = np.array(
            [-1 if p.indicator is None else self._ind_index[p.indicator] for p in bank]
        )
        if not len(self._vectors):
            raise ModelError("No prototypes to compare passages with.")
        self._last: tuple[tuple[str, ...], tuple[Matrix, Matrix, Matrix]] | None = None

    @property
    def indicators(self) -> list[str]:
        """Indicator numbers, in the column order of :meth:`indicator_scores`."""
        return list(self._indicators)

    def _centred(self, vectors: Matrix, systems: Sequence[str]) -> Matrix:
        fallback = self._means.get("other", np.zeros(vectors.shape[1], dtype=np.float32))
        means = np.array([self._means.get(s, fallback) for s in systems], dtype=np.float32)
        shifted = vectors - means.reshape(len(systems), -1)
        norms = np.linalg.norm(shifted, axis=1, keepdims=True)
        return np.asarray(shifted / np.maximum(norms, 1e-6), dtype=np.float32)

    def similarities(
        self, vectors: Matrix, texts: Sequence[str] | None = None
    ) -> npt.NDArray[np.float32]:
        """Cosine similarity of each passage (row) with each prototype (column)."""
        if self.centre:
            if texts is None:
                raise ModelError("A centred scorer needs the texts to know their writing system.")
            vectors = self._centred(vectors, [writing_system(t) for t in texts])
        return np.asarray(vectors @ self._vectors.T, dtype=np.float32)

    def risk_factor_scores(
        self, similarities: npt.NDArray[np.float32], top_n: int = TOP_N
    ) -> Matrix:
        """(n, 14) scores: mean of the best ``top_n`` similarities per risk factor."""
        if top_n < 1:
            raise ModelError(f"top_n must be at least 1. Got {top_n} instead.")
        out = np.zeros((similarities.shape[0], len(RISK_FACTORS)), dtype=np.float32)
        for column, rf in enumerate(RISK_FACTORS):
            block = similarities[:, self._rf == rf]
            top = min(top_n, block.shape[1])
            out[:, column] = np.sort(block, axis=1)[:, -top:].mean(axis=1)
        return out

    def indicator_scores(self, similarities: npt.NDArray[np.float32]) -> Matrix:
        """(n, indicators) scores: the best similarity with each indicator's prototypes."""
        out = np.full((similarities.shape[0], len(self._indicators)), -1.0, dtype=np.float32)
        for column in range(len(self._indicators)):
            out[:, column] = similarities[:, self._ind == column].max(axis=1)
        return out

    def best_indicator(self, indicator_scores: Matrix, row: int, risk_factor: int) -> str | None:
        """The indicator of ``risk_factor`` closest to passage ``row`` (None if it has none)."""
        best, best_score = None, -2.0
        for number, column in self._ind_index.items():
            if (
                int(number.split(".")[0]) == risk_factor
                and indicator_scores[row, column] > best_score
            ):
                best, best_score = number, float(indicator_scores[row, column])
        return best

    def score_texts(
        self, texts: Sequence[str], top_n: int = TOP_N
    ) -> tuple[Matrix, Matrix, Matrix]:
        """Embeddings, risk-factor scores and indicator scores of ``texts``.

        The last batch's embeddings and similarities are remembered: ranking and then naming
        indicators for the same batch embeds it once, whatever ``top_n`` each step uses.
        """
        key = tuple(texts)
        if self._last is not None and self._last[0] == key:
            vectors, similarities, indicators = self._last[1]
        else:
            vectors = self.embedder.encode(texts)
            similarities = self.similarities(vectors, texts)
            indicators = self.indicator_scores(similarities)
            self._last = (key, (vectors, similarities, indicators))
        return vectors, self.risk_factor_scores(similarities, top_n), indicators
