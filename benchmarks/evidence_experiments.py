"""Choosing the evidence suggester by cross-validation on the training passages, with a log.

Every configuration tried is scored by cross-validation on the ``train`` passages of the
labelled set (5 folds stratified by main risk factor, 3 repeats; ``atrocity_watch.evidence.
_evaluate.cross_validated_parts``) and appended as one row to ``docs/evidence-experiments.md``,
so the number of tries behind the chosen default is visible. The held-out (``test``) passages
are never read here. Run:

    .venv/bin/python benchmarks/evidence_experiments.py run --fit '{"C": 0.3}' \\
        --weights 0:0,0.25:0,1:0 --note "why this was tried"   [--dry-run]

``--fit`` holds the parameters of ``EmbeddingClassifier`` that need refitting (``C``,
``unknown_weight``, ``top_n``, ``example_top_n``); ``--weights`` lists blends to score from the
same fitted parts, each ``zero_shot_weight:example_weight[:tfidf_weight]`` (the learned part gets
the rest; ``1:0`` is zero-shot alone, ``0:1`` the examples alone, ``0:0:1`` TF-IDF alone).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

LOG = Path(__file__).resolve().parents[1] / "docs" / "evidence-experiments.md"
LANGUAGES = ("en", "fr", "es", "ru", "ar")


def _weights(text: str) -> list[tuple[float, float, float]]:
    out = []
    for item in text.split(","):
        values = [float(v) for v in item.split(":")]
        while len(values) < 3:
            values.append(0.0)
        if len(values) > 3 or min(values) < 0 or sum(values) > 1.0 + 1e-9:
            raise SystemExit(f"--weights: {item!r} must be shares from 0 to 1 adding up to <= 1")
        out.append((values[0], values[1], values[2]))
    return out


def _next_number() -> int:
    rows = [line for line in LOG.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    numbers = [int(r.split("|")[1]) for r in rows if r.split("|")[1].strip().isdigit()]
    return max(numbers, default=0) + 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="score configurations by CV and log them")
    run.add_argument("--fit", default="{}", help="EmbeddingClassifier parameters, as JSON")
    run.add_argument("--weights", default="0.25:0", help="blends zs:ex[:tfidf], comma-separated")
    run.add_argument("--model", default="use")
    run.add_argument("--note", default="")
    run.add_argument("--dry-run", action="store_true", help="print, do not append to the log")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    os.environ["ATROCITY_WATCH_HOME"] = tempfile.mkdtemp(prefix="aw-exp-")
    import numpy as np

    from atrocity_watch.evidence._classify import blend
    from atrocity_watch.evidence._evaluate import (
        cross_validated_parts,
        mean_scores,
        score_rankings,
    )
    from atrocity_watch.evidence._labelled import load_labelled_set

    fit = json.loads(args.fit)
    passages = [p for p in load_labelled_set() if p.split == "train"]  # never the held-out part
    start = time.perf_counter()
    repeats = cross_validated_parts(passages, model=args.model, params=fit)
    seconds = time.perf_counter() - start
    lines = []
    number = _next_number() if LOG.exists() else 1
    for zs, ex, tf in _weights(args.weights):
        per_repeat, ranks = [], []
        for parts in repeats:
            # The learned part gives up the TF-IDF share: weights zs + ex + tf + learned = 1.
            scores = blend(parts, zs, ex) + tf * (parts["tfidf"] - parts["learned"])
            per_repeat.append(score_rankings("cv", passages, scores))
            order = np.argsort(-scores, axis=1, kind="stable") + 1
            ranks.append(
                np.mean(
                    [
                        1.0 / (1 + min(list(order[i]).index(g) for g in p.gold))
                        for i, p in enumerate(passages)
                    ]
                )
            )
        rows = {r.language: r for r in mean_scores(per_repeat)}
        config = {"model": args.model, **fit, "zero_shot_weight": zs, "example_weight": ex}
        if tf:
            config["tfidf_weight"] = tf
        everyone = rows["all"]
        per_language = " | ".join(f"{rows[lang].top3:.3f}" for lang in LANGUAGES)
        line = (
            f"| {number} | {date.today()} | `{json.dumps(config)}` | {everyone.top1:.3f} | "
            f"**{everyone.top3:.3f}** | {float(np.mean(ranks)):.3f} | {everyone.macro_f1:.3f} | "
            f"{per_language} | {seconds:.0f} | {args.note} |"
        )
        lines.append(line)
        number += 1
        print(line)
    if not args.dry_run:
        with LOG.open("a", encoding="utf-8") as log:
            log.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
