//! `stance labels suggest` through the binary: from a folder of articles and from extract output,
//! the same list for a seed, never a labelled statement, a suggestion file that becomes labels,
//! and bad input.

use std::collections::BTreeMap;

use crate::workdir::{repo, Run, Workdir};

fn articles() -> String {
    repo().join("labels/articles").display().to_string()
}

fn repo_path(path: &str) -> String {
    repo().join(path).display().to_string()
}

/// The columns of the label files, which a suggestion file starts with.
const LABEL_COLUMNS: &str = "id,source,date,speaker,kind,text,assad,military_action,sentiment,note";

/// A suggestion file's rows, each as column → value.
fn rows(csv_text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Runs `stance labels suggest ARGS…` (with the built-in model and speaker table, and no label
/// folder, unless ARGS say otherwise) and checks it succeeded.
fn suggest(wd: &Workdir, args: &[&str]) -> Run {
    let mut full = vec!["labels", "suggest"];
    full.extend_from_slice(args);
    let run = wd.run(&full);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn suggestions_from_articles_are_a_label_file_and_the_same_for_a_seed() {
    let wd = Workdir::new();
    let args = [
        articles(),
        "--seed".into(),
        "7".into(),
        "--limit".into(),
        "12".into(),
        "--max-per-source".into(),
        "2".into(),
        "--max-per-speaker".into(),
        "3".into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let first = suggest(&wd, &args);
    let second = suggest(&wd, &args);
    assert_eq!(first.stdout, second.stdout, "the same seed gives the same bytes");
    assert!(first.stdout.starts_with(&format!("{LABEL_COLUMNS},model_assad,")));
    assert!(first.stderr.contains("no labels folder here"), "{}", first.stderr);
    let rows = rows(&first.stdout);
    assert!(!rows.is_empty() && rows.len() <= 12, "{} rows", rows.len());
    let mut per_source: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_speaker: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut previous_score = f64::INFINITY;
    for (i, row) in rows.iter().enumerate() {
        assert!(
            row["id"].starts_with("sg-") && ids.insert(row["id"].clone()),
            "{row:?}"
        );
        for label in ["assad", "military_action", "sentiment", "note"] {
            assert_eq!(row[label], "", "label columns are left to fill: {row:?}");
        }
        assert!(!row["speaker"].is_empty() && !row["text"].is_empty());
        assert_eq!(row["model_rank"], (i + 1).to_string());
        assert_eq!(row["model_ranked_by"], "mean");
        let score: f64 = row["model_score"].parse().unwrap();
        assert!(score <= previous_score, "ranked by score: {row:?}");
        previous_score = score;
        let probabilities: f64 = ["against", "favor", "none"]
            .iter()
            .map(|c| row[&format!("model_assad_{c}")].parse::<f64>().unwrap())
            .sum();
        assert!((probabilities - 1.0).abs() < 1e-3, "{row:?}");
        *per_source.entry(row["source"].as_str()).or_default() += 1;
        *per_speaker.entry(row["speaker"].as_str()).or_default() += 1;
    }
    assert!(per_source.values().all(|&n| n <= 2), "{per_source:?}");
    assert!(per_speaker.values().all(|&n| n <= 3), "{per_speaker:?}");
    // Written to a file, the same bytes.
    suggest(&wd, &[args.as_slice(), &["-o", "next.csv"]].concat());
    assert_eq!(
        std::fs::read_to_string(wd.join("next.csv")).unwrap(),
        first.stdout
    );
}

#[test]
fn extract_output_as_csv_or_jsonl_gives_the_list_its_articles_give() {
    let wd = Workdir::new();
    let from_articles = suggest(&wd, &[&articles(), "-n", "8"]);
    let extracted = wd.run(&["extract", &articles(), "-o", "statements.csv"]);
    assert_eq!(extracted.code, 0, "{}", extracted.stderr);
    let from_csv = suggest(&wd, &["statements.csv", "-n", "8"]);
    assert_eq!(from_csv.stdout, from_articles.stdout);
    let jsonl = wd.run(&["extract", &articles(), "--format", "jsonl"]);
    let mut full = vec!["labels", "suggest", "-", "-n", "8"];
    let from_stdin = wd.run_with_stdin(&full, &jsonl.stdout);
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    assert_eq!(from_stdin.stdout, from_articles.stdout);
    // Per task, the tasks take turns.
    full.push("--per-task");
    let per_task = wd.run_with_stdin(&full, &jsonl.stdout);
    let ranked_by: Vec<String> = rows(&per_task.stdout)
        .into_iter()
        .map(|r| r["model_ranked_by"].clone())
        .take(3)
        .collect();
    assert_eq!(ranked_by, ["assad", "military_action", "sentiment"]);
}

#[test]
fn labelled_statements_are_never_suggested_even_cut_differently() {
    let wd = Workdir::new();
    // The sample articles' statements are all in labels/: nothing is left to suggest.
    let all_labelled = suggest(&wd, &[&articles(), "--labels", &repo_path("labels")]);
    assert_eq!(rows(&all_labelled.stdout).len(), 0);
    assert!(
        all_labelled.stderr.contains("suggested 0 of "),
        "{}",
        all_labelled.stderr
    );
    assert!(all_labelled.stderr.contains("nothing to suggest"));

    // Label three of the suggested statements: one word for word (other case and punctuation),
    // one nearly (its last word dropped), one narrower (its first six words).
    let before = rows(
        &suggest(
            &wd,
            &[&articles(), "--max-per-source", "0", "--max-per-speaker", "0"],
        )
        .stdout,
    );
    let words = |row: &BTreeMap<String, String>| row["text"].split_whitespace().count();
    let long: Vec<&BTreeMap<String, String>> = before.iter().filter(|r| words(r) >= 12).collect();
    assert!(long.len() >= 3, "the sample articles have long statements");
    let (same, near, cut) = (long[0], long[1], long[2]);
    let text = |row: &BTreeMap<String, String>| row["text"].clone();
    let mut near_words: Vec<&str> = near["text"].split_whitespace().collect();
    near_words.pop();
    let labels = format!(
        "{LABEL_COLUMNS}\n\
         x1,a.txt,2015-11-24,Someone,direct,\"{}!\",none,none,neutral,\n\
         x2,a.txt,2015-11-24,Someone,direct,\"{}\",none,none,neutral,\n\
         x3,a.txt,2015-11-24,Someone,direct,\"{}\",none,none,neutral,\n",
        text(same).to_uppercase().replace('"', "\"\""),
        near_words.join(" ").replace('"', "\"\""),
        cut["text"]
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ")
            .replace('"', "\"\""),
    );
    wd.write("mine.csv", labels);
    let after = suggest(
        &wd,
        &[
            &articles(),
            "--labels",
            "mine.csv",
            "--max-per-source",
            "0",
            "--max-per-speaker",
            "0",
        ],
    );
    let texts: Vec<String> = rows(&after.stdout).iter().map(text).collect();
    for row in [same, near, cut] {
        assert!(
            !texts.contains(&text(row)),
            "suggested although labelled: {}",
            text(row)
        );
    }
    assert_eq!(texts.len(), before.len() - 3);
    // (A copy of one of them elsewhere in the articles counts as labelled too.)
    for why in ["already labelled", "nearly the same as a labelled one"] {
        assert!(after.stderr.contains(why), "{why}: {}", after.stderr);
    }
}

#[test]
fn a_filled_in_suggestion_file_passes_labels_check_and_trains() {
    let wd = Workdir::new();
    suggest(&wd, &[&articles(), "-n", "10", "-o", "next.csv"]);
    // A person fills the label columns and the date (here: with the model's guesses).
    let mut reader = csv::Reader::from_path(wd.join("next.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut writer = csv::Writer::from_path(wd.join("filled.csv")).unwrap();
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let mut row: Vec<String> = record.iter().map(String::from).collect();
        row[at("date")] = "2015-11-26".into();
        for task in ["assad", "military_action", "sentiment"] {
            row[at(task)] = record[at(&format!("model_{task}"))].to_string();
        }
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
    let check = wd.run(&["labels", "check", "filled.csv"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("10 rows in 1 file"), "{}", check.stdout);
    assert!(check.stdout.contains("0 errors"), "{}", check.stdout);
    // With the seed labels, it trains; the model's tasks are the label columns, not model_….
    let train = wd.train_on_seed_labels(&[
        "filled.csv",
        "-o",
        "m.model",
        "--folds",
        "3",
        "--alpha",
        "1",
        "-q",
    ]);
    assert_eq!(train.code, 0, "{}", train.stderr);
    let classify = wd.run(&[
        "classify",
        "--model",
        "m.model",
        "--format",
        "csv",
        "Assad must go",
    ]);
    assert_eq!(classify.code, 0, "{}", classify.stderr);
    let columns = classify.stdout.lines().next().unwrap();
    assert!(
        columns.contains(",assad,") && !columns.contains("model_"),
        "{columns}"
    );
    // A second round skips what the first labelled.
    let next = suggest(&wd, &[&articles(), "--labels", "filled.csv", "-n", "10"]);
    let first_ids: Vec<String> = rows(&std::fs::read_to_string(wd.join("next.csv")).unwrap())
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert!(rows(&next.stdout).iter().all(|r| !first_ids.contains(&r["id"])));
}

#[test]
fn bad_input_gets_a_clear_error() {
    let wd = Workdir::new();
    wd.write("keep.csv", "old contents");
    let run = wd.run(&[
        "labels",
        "suggest",
        &articles(),
        "--model",
        "missing.model",
        "-o",
        "keep.csv",
    ]);
    run.assert_error(1, &["missing.model"]);
    assert_eq!(
        std::fs::read_to_string(wd.join("keep.csv")).unwrap(),
        "old contents"
    );

    wd.write("empty.csv", "");
    let run = wd.run(&["labels", "suggest", "empty.csv"]);
    run.assert_error(1, &["no statement to suggest in empty.csv"]);

    wd.write("nobody.csv", "speaker,text\n,Someone said something\n");
    let run = wd.run(&["labels", "suggest", "nobody.csv"]);
    run.assert_error(
        1,
        &["no statement to suggest in nobody.csv: only 1 statement without a speaker"],
    );

    let run = wd.run(&["labels", "suggest", &articles(), "--strategy", "random"]);
    run.assert_error(2, &["invalid value 'random'", "margin", "entropy"]);

    let run = wd.run(&["labels", "suggest", &articles(), "--limit", "0"]);
    run.assert_error(2, &["--limit"]);

    let run = wd.run(&["labels", "suggest", &articles(), "--task", "syria"]);
    run.assert_error(
        1,
        &["task `syria` is not in the model (its tasks: assad, military_action, sentiment)"],
    );

    let run = wd.run(&["labels", "suggest", &articles(), "--labels", "nowhere"]);
    run.assert_error(1, &["nowhere"]);

    let run = wd.run(&["labels", "suggest"]);
    run.assert_error(2, &["<INPUT>"]);
}
