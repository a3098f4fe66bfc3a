#!/usr/bin/env python3
"""Score `stance` on the out-of-corpus development set (dev/README.md says what it is).

    dev/score.py [ARTICLES_DIR] [--model FILE] [--stance BIN] [--json] [-- REPORT_FLAGS...]

Three measures, each on data the model never saw:
  1. `stance eval` on the gold statements: per-task macro-F1 (extraction plays no part);
  2. `stance report` cells from the gold statements fed straight to it (the verdict rule alone);
  3. `stance report` cells from the article texts in ARTICLES_DIR (extraction + classifier + rule),
     only when the folder is given and holds every article named in dev/articles.csv; the texts are
     copies of news pages and stay out of the repository.
Cells are compared with dev/gold_cells.csv, the leaders' positions over the whole set:
  right          the report's verdict equals the gold verdict
  wrong definite favor where gold is against, or the reverse: the error a journalist must not see
  uncertain      the report says `uncertain` (too little evidence) - honest, not right
  other wrong    anything else (a side where gold is none or mixed, none where gold takes a side)
A gold speaker absent from the report counts as verdict `none` (for the articles: extraction missed
every statement of theirs). Flags after `--` go to `stance report` (e.g. -- --threshold 0.6).
Only the Python standard library is used.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TARGETS = ("assad", "military_action")
DEFINITE = ("favor", "against")


def fold(name):
    """Case- and accent-insensitive form of a speaker name."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run_stance(stance, args):
    done = subprocess.run([stance, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"score.py: `stance {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def merged_speakers(path):
    """labels/speakers.csv with the development set's speakers added (their aliases merged into an
    existing row of the same name), so extraction can name the set's leaders as a user who lists
    them would. Written to `path`; its columns are those of labels/speakers.csv."""
    base = read_csv(os.path.join(REPO, "labels", "speakers.csv"))
    header = list(base[0].keys()) if base else ["speaker", "gender", "aliases"]
    by_name = {fold(row["speaker"]): row for row in base}
    for row in read_csv(os.path.join(HERE, "speakers.csv")):
        existing = by_name.get(fold(row["speaker"]))
        if existing is None:
            new = {column: row.get(column, "") for column in header}
            base.append(new)
            by_name[fold(row["speaker"])] = new
        else:
            aliases = [a for a in existing.get("aliases", "").split(";") if a]
            aliases += [a for a in row.get("aliases", "").split(";") if a and a not in aliases]
            existing["aliases"] = ";".join(aliases)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(base)


def score_cells(report, gold_cells):
    """Per target and overall: counts of right / wrong definite / uncertain / other wrong cells,
    and the confusion of (gold, predicted) verdicts."""
    predicted = {}
    for speaker in report.get("speakers", []):
        for cell in speaker["cells"]:
            predicted[(fold(speaker["speaker"]), cell["target"])] = cell["verdict"]
    scores = {}
    for target in TARGETS + ("all",):
        scores[target] = {"cells": 0, "right": 0, "wrong_definite": 0, "uncertain": 0,
                          "other_wrong": 0, "confusion": {}}
    for row in gold_cells:
        target = row["target"]
        if target not in TARGETS:
            continue
        gold = row["verdict"]
        verdict = predicted.get((fold(row["speaker"]), target), "none")
        for key in (target, "all"):
            s = scores[key]
            s["cells"] += 1
            if verdict == gold:
                s["right"] += 1
            elif verdict in DEFINITE and gold in DEFINITE:
                s["wrong_definite"] += 1
            elif verdict == "uncertain":
                s["uncertain"] += 1
            else:
                s["other_wrong"] += 1
            pair = f"{gold}->{verdict}"
            s["confusion"][pair] = s["confusion"].get(pair, 0) + 1
    return scores


def print_cells(title, scores):
    print(f"\n{title}")
    print(f"  {'target':<16} {'cells':>5} {'right':>12} {'wrong def.':>12} {'uncertain':>12} {'other wrong':>12}")
    for target, s in scores.items():
        n = max(s["cells"], 1)
        share = lambda k: f"{s[k]:>3} {s[k] / n:>6.1%}"
        print(f"  {target:<16} {s['cells']:>5} {share('right'):>12} {share('wrong_definite'):>12} "
              f"{share('uncertain'):>12} {share('other_wrong'):>12}")
    errors = {k: v for k, v in sorted(scores["all"]["confusion"].items()) if k.split("->")[0] != k.split("->")[1]}
    print("  errors (gold->report): " + (", ".join(f"{k} {v}" for k, v in errors.items()) or "none"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", help="folder holding the article texts named in dev/articles.csv")
    parser.add_argument("--model", default=os.path.join(REPO, "models", "stance.model"))
    parser.add_argument("--stance", default=os.path.join(REPO, "target", "release", "stance"),
                        help="the stance binary (default: target/release/stance; build it with cargo build --release)")
    parser.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    argv = sys.argv[1:]
    report_flags = []
    if "--" in argv:
        at = argv.index("--")
        argv, report_flags = argv[:at], argv[at + 1:]
    args = parser.parse_args(argv)
    if not os.path.exists(args.stance):
        sys.exit(f"score.py: no stance binary at {args.stance}: run `cargo build --release` or give --stance")
    gold_statements = os.path.join(HERE, "gold_statements.csv")
    gold_cells = read_csv(os.path.join(HERE, "gold_cells.csv"))
    results = {"model": args.model, "report_flags": report_flags}

    evaluated = run_stance(args.stance, ["eval", "--model", args.model, gold_statements, "--format", "json"])
    results["eval"] = {t["task"]: t["metrics"] for t in evaluated["tasks"]}

    with tempfile.TemporaryDirectory() as tmp:
        speakers = os.path.join(tmp, "speakers.csv")
        merged_speakers(speakers)
        common = ["--model", args.model, "--format", "json", "--speakers", speakers, *report_flags]
        report = run_stance(args.stance, ["report", gold_statements, *common])
        results["cells_from_gold_statements"] = score_cells(report, gold_cells)
        missing = None
        if args.articles:
            names = [row["file"] for row in read_csv(os.path.join(HERE, "articles.csv"))]
            missing = [n for n in names if not os.path.isfile(os.path.join(args.articles, n))]
            if not missing:
                files = [os.path.join(args.articles, n) for n in names]
                report = run_stance(args.stance, ["report", *files, *common])
                results["cells_from_articles"] = score_cells(report, gold_cells)

    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
    else:
        print(f"development set: {len(gold_cells)} gold cells; model {args.model}")
        print("\nstance eval on the gold statements (macro-F1; extraction plays no part)")
        for task, m in results["eval"].items():
            per_class = ", ".join(f"{c['class']} {c['f1']:.2f}" for c in m["per_class"])
            print(f"  {task:<16} macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}  ({per_class})")
        print_cells("report cells from the gold statements (verdict rule only)", results["cells_from_gold_statements"])
        if "cells_from_articles" in results:
            print_cells("report cells from the articles (extraction + classifier + rule)", results["cells_from_articles"])
    if not args.articles:
        print("score.py: no articles folder given: cells through extraction not scored "
              "(give the folder holding the texts named in dev/articles.csv)", file=sys.stderr)
    elif missing:
        print(f"score.py: {len(missing)} of the articles named in dev/articles.csv are missing from "
              f"{args.articles} (first: {missing[0]}): cells through extraction not scored", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
