#!/usr/bin/env python3
"""The scikit-learn side of bench/run: the same two jobs as `stance train` and `stance classify`,
done the usual scikit-learn way, so `/usr/bin/time` can time and measure each as a whole command.

  sklearn_side.py train LABELS.csv TASK MODEL.pkl --ngrams 1-2 --max-features 20000 --alpha 1
      CountVectorizer (raw counts, lower case, words of one or more letters or digits, the given
      n-gram range and vocabulary size) + LogisticRegression (lbfgs, C = 1/alpha, no class
      weights, max_iter 100, tol 1e-4), fitted on every row: no cross-validation.

  sklearn_side.py train-union LABELS.csv TASK[,TASK...] MODEL.pkl --alpha 1
      The shipped featurizer's counterpart: a FeatureUnion of word 1-2-grams (TfidfVectorizer,
      min_df 2, sublinear tf, 6,500 features) and character 2-5-grams within words (char_wb,
      min_df 2, sublinear tf, 13,500 features) -- 20,000 in all, split as stance's vocabulary
      splits on the labelled corpus -- then one LogisticRegression per task (lbfgs, C = 1/alpha,
      class_weight balanced, max_iter 100, tol 1e-4), fitted on every row.

  sklearn_side.py classify MODEL.pkl STATEMENTS.csv > predictions.csv
      Streams the CSV in chunks of 4,096 rows (as stance does), writes each row's columns plus
      the predicted label and one probability per class with four decimals.
"""
import argparse
import csv
import pickle
import sys

from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

CHUNK = 4096


def train(args):
    low, high = (int(x) for x in args.ngrams.split("-"))
    with open(args.labels, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [(r["text"], r[args.task]) for r in reader if r[args.task]]
    texts = [t for t, _ in rows]
    labels = [y for _, y in rows]
    vectorizer = CountVectorizer(
        ngram_range=(low, high),
        max_features=args.max_features,
        token_pattern=r"(?u)\b\w+\b",
        min_df=args.min_df,
    )
    features = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=1.0 / args.alpha, max_iter=100, tol=1e-4)
    model.fit(features, labels)
    with open(args.model, "wb") as f:
        pickle.dump((args.task, vectorizer, model), f)
    print(f"trained on {features.shape[0]} statements x {features.shape[1]} features", file=sys.stderr)


def train_union(args):
    tasks = args.task.split(",")
    with open(args.labels, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["text"]]
    texts = [r["text"] for r in rows]
    union = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b", max_features=args.word_features)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True,
                                  max_features=args.char_features)),
    ])
    features = union.fit_transform(texts)
    models = {}
    for task in tasks:
        labelled = [i for i, r in enumerate(rows) if r[task]]
        model = LogisticRegression(C=1.0 / args.alpha, class_weight="balanced", max_iter=100, tol=1e-4)
        model.fit(features[labelled], [rows[i][task] for i in labelled])
        models[task] = model
    with open(args.model, "wb") as f:
        pickle.dump((tasks, union, models), f)
    print(f"trained {len(tasks)} tasks on {features.shape[0]} statements x {features.shape[1]} features",
          file=sys.stderr)


def classify(args):
    with open(args.model, "rb") as f:
        task, vectorizer, model = pickle.load(f)
    out = csv.writer(sys.stdout, lineterminator="\n")
    with open(args.statements, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        text_at = header.index("text")
        out.writerow(header + [f"{task}_predicted"] + [f"{task}_{c}" for c in model.classes_])
        while True:
            chunk = [row for _, row in zip(range(CHUNK), reader)]
            if not chunk:
                break
            probabilities = model.predict_proba(vectorizer.transform([r[text_at] for r in chunk]))
            best = probabilities.argmax(axis=1)
            for row, p, b in zip(chunk, probabilities, best):
                out.writerow(row + [model.classes_[b]] + [f"{x:.4f}" for x in p])


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("labels")
    t.add_argument("task")
    t.add_argument("model")
    t.add_argument("--ngrams", default="1-2")
    t.add_argument("--max-features", type=int, default=20000)
    t.add_argument("--min-df", type=int, default=1)
    t.add_argument("--alpha", type=float, default=1.0)
    u = sub.add_parser("train-union")
    u.add_argument("labels")
    u.add_argument("task")
    u.add_argument("model")
    u.add_argument("--alpha", type=float, default=1.0)
    u.add_argument("--word-features", type=int, default=6500)
    u.add_argument("--char-features", type=int, default=13500)
    c = sub.add_parser("classify")
    c.add_argument("model")
    c.add_argument("statements")
    args = parser.parse_args()
    {"train": train, "train-union": train_union, "classify": classify}[args.command](args)


if __name__ == "__main__":
    main()
