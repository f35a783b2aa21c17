"""Quality of evidence suggestions on the held-out passages of the labelled set.

Prints, for each method (zero-shot, learned, TF-IDF) and each language, the top-1 and top-3
risk-factor accuracy and the macro-F1 on the ``test`` split of
``src/atrocity_watch/evidence/data/labelled_passages.jsonl``. Trained methods are fitted on the
``train`` split only. ``--split train-cv`` cross-validates every method on the training
passages instead (5 folds stratified by risk factor, 3 repeats): the figures used to choose
methods and settings without looking at the held-out part (``docs/evidence-experiments.md``).
Run:

    .venv/bin/python benchmarks/evidence_eval.py [--model use|e5] [--split test|train|train-cv]

The embedding cache goes to a temporary home folder so results never depend on earlier runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import warnings
from datetime import date


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="use", help="embedding model: use (default) or e5")
    parser.add_argument("--split", default="test", choices=("test", "train", "train-cv"))
    parser.add_argument("--methods", default="zero-shot,learned,tfidf")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args()
    os.environ["ATROCITY_WATCH_HOME"] = tempfile.mkdtemp(prefix="aw-eval-")
    warnings.filterwarnings("ignore")
    from atrocity_watch.evidence._evaluate import evaluate

    rows = evaluate(args.methods.split(","), split=args.split, model=args.model)
    if args.json:
        for row in rows:
            print(json.dumps({**row.to_json(), "model": args.model, "split": args.split}))
        return 0
    print(
        f"# evidence_eval {date.today()} model={args.model} split={args.split} "
        f"python={platform.python_version()} cores={os.cpu_count()}"
    )
    print("| method | language | passages | top-1 | top-3 | macro-F1 |")
    print("|---|---|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row.method} | {row.language} | {row.passages} | {row.top1:.3f} | "
            f"{row.top3:.3f} | {row.macro_f1:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
