#!/usr/bin/env python3
"""Deterministic benchmark texts built from the labelled corpus.

Each synthetic statement is a run of consecutive words from one real labelled statement (continued
into another when it runs out), about 115 bytes long, and carries the label of the statement it
started in (for every task asked for), so a classifier trained on them has something real to learn. The same seed and size
always give the same file, byte for byte (Python's `random.Random` is stable across versions for
`random()` and `randrange()`).

usage: generate.py LABELS_DIR SIZE OUT.csv [--task military_action[,assad,...]] [--seed 2015]
                   [--distinct] [--label-file]

--label-file writes every column of a label file (id, source, date, speaker, kind, text, the three
tasks, note), speaker, date and kind taken from the statement a text starts in, 40 rows per source:
a large label file for timing `stance labels check`.
"""
import argparse
import csv
import glob
import os
import random
import sys


LABEL_COLUMNS = ["id", "source", "date", "speaker", "kind", "text", "assad", "military_action", "sentiment", "note"]


def labelled_statements(labels_dir, tasks):
    rows = []
    for path in sorted(glob.glob(os.path.join(labels_dir, "**", "*.csv"), recursive=True)):
        if "agreement" in path.split(os.sep) or os.path.basename(path) == "speakers.csv":
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if all(row.get(task) for task in tasks) and row.get("text"):
                    rows.append((row["text"].split(), [row[task] for task in tasks], row))
    if not rows:
        sys.exit(f"generate.py: no statement labelled for {tasks!r} under {labels_dir}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels_dir")
    parser.add_argument("size", type=int)
    parser.add_argument("out")
    parser.add_argument("--task", default="military_action", help="a task, or several comma-separated")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--distinct", action="store_true", help="draw again when a text was already written")
    parser.add_argument("--label-file", action="store_true", help="write every column of a label file")
    args = parser.parse_args()

    tasks = ["assad", "military_action", "sentiment"] if args.label_file else args.task.split(",")
    statements = labelled_statements(args.labels_dir, tasks)
    rng = random.Random(args.seed)
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(LABEL_COLUMNS if args.label_file else ["id", "source", "text"] + tasks)
        seen = set()
        i = 0
        while i < args.size:
            words, labels, origin = statements[rng.randrange(len(statements))]
            position = rng.randrange(len(words))
            target = 90 + rng.randrange(51)  # 90..140 bytes, mean 115
            out, length = [], 0
            while length < target:
                if position >= len(words):
                    words = statements[rng.randrange(len(statements))][0]
                    position = 0
                out.append(words[position])
                length += len(words[position]) + 1
                position += 1
            text = " ".join(out)
            if args.distinct:
                if text in seen:
                    continue
                seen.add(text)
            # 50 pseudo-sources, so grouped cross-validation has groups to split by.
            if args.label_file:
                writer.writerow([f"g{i + 1}", f"https://example.org/bench/{i % 1250}", origin["date"],
                                 origin["speaker"], origin["kind"], text] + labels + [""])
            else:
                writer.writerow([i + 1, f"bench-{i % 50}", text] + labels)
            i += 1
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
