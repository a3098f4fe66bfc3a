#!/usr/bin/env python3
"""Turn the ConVote corpus (Thomas, Pang & Lee 2006, convote_v1.1) into label CSVs for stance.

ConVote holds US House floor-debate speech segments, one file per segment, named
DEBATE_SPEAKER_PAGEPOS_PMV.txt: DEBATE the debate (one bill), SPEAKER the representative, PAGEPOS
the page and position, P the party (D, R, I, X), M whether the bill is mentioned, V the vote (Y or
N). Each split folder (training_set, development_set, test_set) becomes one CSV with the columns

    id,debate,speaker,text,vote

where vote is `yes` or `no`, so that

    stance train convote_train.csv --task vote --group-by debate -o convote.model
    stance eval  --model convote.model convote_test.csv --task vote --group-by debate

train a vote classifier with cross-validation grouped by debate (a debate's speeches never sit on
both sides of a split) and score it on the test split. The corpus itself is not part of this
repository: download convote_v1.1.tar.gz from its Cornell distribution page and unpack it.

Usage: bench/convote.py CONVOTE_DIR OUT_DIR [--stage one|two|three]
"""

import argparse
import csv
import pathlib
import re
import sys

SPLITS = {"training_set": "train", "development_set": "dev", "test_set": "test"}
NAME = re.compile(r"^(\d+)_(\d+)_(\d+)_([A-Z])([A-Z])([YN])\.txt$")


def convert(split_dir: pathlib.Path, out: pathlib.Path) -> int:
    """Writes one split's CSV; returns the number of speech segments written."""
    rows = []
    for path in sorted(split_dir.glob("*.txt")):
        match = NAME.match(path.name)
        if not match:
            sys.exit(f"{path}: not a ConVote segment name (DEBATE_SPEAKER_PAGEPOS_PMV.txt)")
        debate, speaker, _, _, _, vote = match.groups()
        # Segments are tokenized text, one sentence or paragraph per line: joined with spaces, so
        # a CSV row holds one speech segment on one line.
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        if text:
            rows.append((path.stem, debate, speaker, text, "yes" if vote == "Y" else "no"))
    if not rows:
        sys.exit(f"{split_dir}: no speech segment (*.txt)")
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "debate", "speaker", "text", "vote"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("convote_dir", type=pathlib.Path, help="the unpacked convote_v1.1 folder")
    parser.add_argument("out_dir", type=pathlib.Path, help="where convote_{train,dev,test}.csv go")
    parser.add_argument("--stage", choices=["one", "two", "three"], default="one",
                        help="which tokenization stage of the corpus (default: one)")
    args = parser.parse_args()
    stage = args.convote_dir / f"data_stage_{args.stage}"
    if not stage.is_dir():
        sys.exit(f"{stage}: no such folder (expected the unpacked convote_v1.1 folder)")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for folder, name in SPLITS.items():
        split_dir = stage / folder
        if split_dir.is_dir():
            out = args.out_dir / f"convote_{name}.csv"
            print(f"{out}: {convert(split_dir, out)} speech segments", file=sys.stderr)


if __name__ == "__main__":
    main()
