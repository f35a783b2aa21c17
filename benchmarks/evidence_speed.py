"""Throughput of evidence suggestions, in passages per second, on this machine.

Embeds and ranks the 199 passages of the labelled set (repeated to ``--passages``) with each
method, from a cold embedding cache (every passage is embedded), best of ``--repeat`` runs,
model loading excluded. Also times language detection. Each figure is given twice: passages per
second of wall-clock time, and per second of this process's CPU time; on a machine shared with
other work (see the load average printed) the second is what one free core would do. Run:

    .venv/bin/python benchmarks/evidence_speed.py [--model use|e5] [--passages 600] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import warnings
from datetime import date


def _report(what: str, count: int, start: float, cpu: float) -> None:
    wall = time.perf_counter() - start
    used = time.process_time() - cpu
    print(
        f"{what}: {count / wall:.0f} passages/s wall, {count / used:.0f} per CPU second "
        f"(load {os.getloadavg()[0]:.1f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="use")
    parser.add_argument("--passages", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--methods", default="zero-shot,learned,tfidf")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    os.environ["ATROCITY_WATCH_HOME"] = tempfile.mkdtemp(prefix="aw-speed-")
    from atrocity_watch.evidence import detect_language
    from atrocity_watch.evidence._embed import get_embedder
    from atrocity_watch.evidence._labelled import load_labelled_set
    from atrocity_watch.evidence._suggest import get_suggester

    base = [p.text for p in load_labelled_set()]
    texts = (base * (args.passages // len(base) + 1))[: args.passages]
    # Make every copy distinct so that no embedding comes from the cache.
    texts = [f"{t} ({i})" for i, t in enumerate(texts)]
    mean_chars = sum(len(t) for t in texts) / len(texts)
    print(
        f"# evidence_speed {date.today()} model={args.model} passages={len(texts)} "
        f"mean_chars={mean_chars:.0f} python={platform.python_version()} "
        f"cores={os.cpu_count()} load={os.getloadavg()[0]:.2f}"
    )
    detect_language(texts[0])  # load the detector
    start, cpu = time.perf_counter(), time.process_time()
    for t in texts:
        detect_language(t)
    _report("language detection (one at a time)", len(texts), start, cpu)
    embedder = get_embedder(args.model, cache_embeddings=False)
    embedder.encode(texts[:8])
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        embedder.encode(texts)
        _report(f"embedding only ({args.model})", len(texts), start, cpu)
    for method in args.methods.split(","):
        suggester = get_suggester(method, args.model)
        suggester.scorer.embedder.enabled = False  # cold: no cache lookups or writes
        suggester.suggest(texts[:8])
        for run in range(args.repeat):
            batch = [f"{t} [{run}]" for t in texts]
            start, cpu = time.perf_counter(), time.process_time()
            for offset in range(0, len(batch), 64):
                suggester.suggest(batch[offset : offset + 64], 5)
            _report(f"suggest ({method})", len(texts), start, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
