"""Does `stance labels suggest` pick better rows to label than chance? A pool-based simulation on
the labelled corpus, scored leave-one-year-out.

Usage: python3 dev/suggest_simulation.py target/release/stance . 2011,2012,...,2019 300 200 3

For each held-out year: the pool is every other year's rows; a random seed set of SEED rows is
labelled; each strategy picks ADD more rows from the rest of the pool (suggest with the seed as
--labels, or at random); the gold labels of those rows are added, a model is trained
(--no-cv --alpha 1) and evaluated (macro-F1 per task) on the held-out year. Repeated over REPEATS
random seed sets. Prints mean macro-F1 per strategy and task."""
import csv, glob, json, os, random, subprocess, sys, statistics, collections

BIN = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(sys.argv[2])
YEARS = sys.argv[3].split(",")
SEED, ADD, REPEATS = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
WORK = os.path.join(os.environ.get("TMPDIR", "/tmp"), "stance-suggest-simulation")
os.makedirs(WORK, exist_ok=True)
FIELDS = ["id", "source", "date", "speaker", "kind", "text", "assad", "military_action", "sentiment", "note"]
TASKS = ["assad", "military_action", "sentiment"]

rows = []
for f in sorted(glob.glob(f"{REPO}/labels/corpus/*.csv")) + [f"{REPO}/labels/statements.csv"]:
    rows += list(csv.DictReader(open(f, encoding="utf-8")))

def write(path, rs):
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.DictWriter(out, FIELDS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rs)

def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=WORK)
    if p.returncode != 0:
        raise SystemExit(f"{args}: {p.stderr}")
    return p.stdout

def evaluate(train_rows, test_path):
    write(f"{WORK}/train.csv", train_rows)
    run("train", "train.csv", "--no-cv", "--alpha", "1", "-o", "m.model", "-q")
    out = json.loads(run("eval", "--model", "m.model", test_path, "--format", "json", "-q"))
    return out

STRATEGIES = {
    "random": None,
    "mean-margin": ["--strategy", "margin"],
    "per-task-margin": ["--strategy", "margin", "--per-task"],
    "mean-entropy": ["--strategy", "entropy"],
    "mean-margin-caps": ["--strategy", "margin", "CAPS"],
}
scores = collections.defaultdict(list)
# (year, repeat) -> strategy -> mean macro-F1 over tasks, for paired differences against random.
paired = collections.defaultdict(dict)
for year in YEARS:
    test = [r for r in rows if r["date"].startswith(year)]
    pool = [r for r in rows if not r["date"].startswith(year)]
    test_path = f"{WORK}/test-{year}.csv"
    write(test_path, test)
    for rep in range(REPEATS):
        rng = random.Random(f"{year}-{rep}")
        seed = rng.sample(pool, SEED)
        seed_ids = {r["id"] for r in seed}
        rest = [r for r in pool if r["id"] not in seed_ids]
        write(f"{WORK}/seed.csv", seed)
        write(f"{WORK}/rest.csv", rest)
        by_text = {}
        for r in rest:
            by_text.setdefault((r["source"], r["text"].strip()), r)
        # The model a labeller would have after the seed set.
        write(f"{WORK}/train.csv", seed)
        run("train", "train.csv", "--no-cv", "--alpha", "1", "-o", "seed.model", "-q")
        for name, flags in STRATEGIES.items():
            if flags is None:
                added = rng.sample(rest, ADD)
            else:
                caps = "CAPS" in flags
                flags = [f for f in flags if f != "CAPS"]
                if not caps:
                    flags += ["--max-per-source", "0", "--max-per-speaker", "0"]
                out = run("labels", "suggest", "rest.csv", "--model", "seed.model", "--labels", "seed.csv",
                          "-n", str(ADD), "-q", *flags)
                picked = list(csv.DictReader(out.splitlines()))
                added = [by_text[(p["source"], p["text"])] for p in picked if (p["source"], p["text"]) in by_text]
            result = evaluate(seed + added, test_path)
            f1 = {t["task"]: t["metrics"]["macro_f1"] for t in result["tasks"]}
            scores[name].append((len(added), f1))
            paired[(year, rep)][name] = statistics.mean(f1.values())
            print(year, rep, name, len(added), {k: round(v, 3) for k, v in f1.items()}, flush=True)

print()
print(f"held-out years {YEARS}, seed {SEED} random rows, +{ADD} rows, {REPEATS} repeats")
for name, runs in scores.items():
    means = {t: statistics.mean(f[t] for _, f in runs) for t in TASKS}
    print(f"{name:18} added {statistics.mean(n for n, _ in runs):6.1f}  " +
          "  ".join(f"{t} {means[t]:.3f}" for t in TASKS) + f"  mean {statistics.mean(means.values()):.3f}")
print()
print("paired difference from random in mean macro-F1 (same year and seed set):")
for name in STRATEGIES:
    if name == "random":
        continue
    diffs = [p[name] - p["random"] for p in paired.values()]
    se = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else float("nan")
    print(f"{name:18} {statistics.mean(diffs):+.4f} (standard error {se:.4f}), better in "
          f"{sum(d > 0 for d in diffs)} of {len(diffs)}")
