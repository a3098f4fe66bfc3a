//! Training, saving, loading and classifying, through the binary.

use crate::workdir::{repo, Workdir};

#[test]
fn train_then_classify_round_trip() {
    let wd = Workdir::new();
    let run = wd.train_on_seed_labels(&["--out", "m.model", "--folds", "3", "--alpha", "0.3,1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("3-fold cross-validation grouped by source"),
        "{}",
        run.stdout
    );
    for task in ["assad", "military_action", "sentiment"] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(task)),
            "no CV line for {task}: {}",
            run.stdout
        );
    }
    let run = wd.run(&[
        "classify",
        "--model",
        "m.model",
        "--format",
        "json",
        "We are ready for this cooperation.",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let predictions = &value[0]["predictions"];
    for task in ["assad", "military_action", "sentiment"] {
        let probabilities = predictions[task]["probabilities"].as_object().unwrap();
        let total: f64 = probabilities.values().map(|p| p.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{task} probabilities sum to {total}");
    }
}

#[test]
fn the_model_stores_cv_scores_and_retraining_is_byte_identical() {
    let wd = Workdir::new();
    let first = std::fs::read(wd.train_seed_model("a.model")).unwrap();
    let second = std::fs::read(wd.train_seed_model("b.model")).unwrap();
    assert!(
        first == second,
        "two trainings on the same labels and flags differ"
    );
    let text = String::from_utf8(first).unwrap();
    assert!(text.starts_with("stance-model format 2 hash none sha256 "));
    let body: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    let task = &body["tasks"][0];
    assert!(task["training"]["cv"]["macro_f1"].as_f64().is_some());
    assert_eq!(body["metadata"]["label_files"][0]["rows"], 47);
    assert_eq!(
        body["metadata"]["label_files"][0]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
}

#[test]
fn csv_input_passes_other_columns_through_and_keeps_row_order() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.write("in.csv", "id,speaker,text\n7,Putin,\"We are ready for this cooperation.\"\n8,Hollande,\"terrorism can strike anywhere\"\n");
    let run = wd.run(&[
        "classify", "--model", "m.model", "--input", "in.csv", "--format", "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["id", "speaker", "text"]);
    assert!(header.contains(&"assad_favor".to_string()));
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids, ["7", "8"]);
}

#[test]
fn stdin_input_and_jsonl_output() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let run = wd.run_with_stdin(
        &[
            "classify", "--model", "m.model", "--input", "-", "--format", "jsonl",
        ],
        "text\nfirst statement\nsecond statement\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["predictions"]["assad"]["label"].is_string());
    }
}

#[test]
fn every_output_format_matches_its_golden_file() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let statements = [
        "Assad does not have his place in Syria's future",
        "We have to strike against terrorism",
    ];
    for format in ["table", "csv", "json", "jsonl"] {
        let mut args = vec!["classify", "--model", "m.model", "--format", format];
        args.extend(statements);
        let run = wd.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("classify_{format}"), run.stdout);
    }
    let run = wd.run(&[
        "classify",
        "--model",
        "m.model",
        "--explain",
        "--top",
        "3",
        statements[0],
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("classify_explain", run.stdout);
}

#[test]
fn long_format_stance_data_trains_one_task_per_target() {
    let wd = Workdir::new();
    let mut csv = String::from("Target,Tweet,Stance\n");
    let rows = [
        ("Atheism", "God is great and merciful", "AGAINST"),
        ("Atheism", "religion is a fairy tale", "FAVOR"),
        ("Atheism", "pray every day to god", "AGAINST"),
        ("Atheism", "no god no master and fairy tale", "FAVOR"),
        ("Climate", "act now on climate change", "FAVOR"),
        ("Climate", "climate change is a hoax", "AGAINST"),
        ("Climate", "we must act on climate", "FAVOR"),
        ("Climate", "the hoax of climate alarm", "AGAINST"),
    ];
    for (target, text, stance) in rows {
        csv.push_str(&format!("{target},{text},{stance}\n"));
    }
    wd.write("semeval.csv", csv);
    let run = wd.run(&[
        "train",
        "--labels",
        "semeval.csv",
        "--out",
        "s.model",
        "--min-df",
        "1",
        "--folds",
        "2",
        "--group-by",
        "none",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Atheism") && run.stdout.contains("Climate"),
        "{}",
        run.stdout
    );
    let run = wd.run(&[
        "classify",
        "--model",
        "s.model",
        "--format",
        "csv",
        "climate change is a hoax",
    ]);
    assert!(
        run.stdout.lines().next().unwrap().contains("Atheism_against"),
        "{}",
        run.stdout
    );
}

/// 10,000 rows (more than two chunks of 4,096) from the labelled corpus, numbered.
fn many_statements() -> String {
    let corpus = std::fs::read_to_string(repo().join("labels/corpus/2013.csv")).unwrap();
    let texts: Vec<String> = csv::Reader::from_reader(corpus.as_bytes())
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    let mut out = String::from("id,text\n");
    for i in 0..10_000 {
        let text = &texts[i % texts.len()];
        out.push_str(&format!("{i},\"{}\"\n", text.replace('"', "\"\"")));
    }
    out
}

#[test]
fn output_is_the_same_in_input_order_on_one_or_two_threads() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.write("many.csv", many_statements());
    let run = |threads: &str| {
        let run = wd.run(&[
            "classify",
            "--model",
            "m.model",
            "--input",
            "many.csv",
            "--format",
            "csv",
            "--threads",
            threads,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let ids: Vec<usize> = csv::Reader::from_reader(one.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(ids, (0..10_000).collect::<Vec<_>>());
}

#[test]
fn jsonl_input_from_a_file_or_stdin_keeps_every_field() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let jsonl = "{\"speaker\": \"Putin\", \"text\": \"We are ready for this cooperation.\", \"n\": 1}\n{\"speaker\": \"Hollande\", \"text\": \"Assad has no place in the future of Syria\", \"n\": 2}\n";
    wd.write("in.jsonl", jsonl);
    let from_file = wd.run(&[
        "classify", "--model", "m.model", "--input", "in.jsonl", "--format", "csv",
    ]);
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    let from_stdin = wd.run_with_stdin(
        &[
            "classify", "--model", "m.model", "--input", "-", "--format", "csv",
        ],
        jsonl,
    );
    assert_eq!(from_stdin.stdout, from_file.stdout);
    let mut reader = csv::Reader::from_reader(from_file.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["n", "speaker", "text"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((&rows[1][0], &rows[1][1]), ("2", "Hollande"));
    assert_eq!(
        &rows[1][header.iter().position(|h| h == "assad").unwrap()],
        "against"
    );
}

#[test]
fn a_jsonl_line_with_an_unknown_field_is_an_error_not_lost_data() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.write("in.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\", \"extra\": 1}\n");
    let run = wd.run(&["classify", "--model", "m.model", "--input", "in.jsonl"]);
    run.assert_error(
        1,
        &["in.jsonl: line 2: field `extra` is not among the first line's fields"],
    );
}

#[test]
fn predictions_beside_gold_labels_get_their_own_column_names() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.write("gold.csv", "text,assad\nAssad must go,against\n");
    let run = wd.run(&[
        "classify", "--model", "m.model", "--input", "gold.csv", "--format", "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("text,assad,assad_predicted,assad_against"),
        "{header}"
    );
}

#[test]
fn train_without_cross_validation_fits_once_and_says_so() {
    let wd = Workdir::new();
    let run = wd.train_on_seed_labels(&["--alpha", "1", "--no-cv", "--out", "q.model"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("no cross-validation (--no-cv)"),
        "{}",
        run.stdout
    );
    let classified = wd.run(&["classify", "--model", "q.model", "Assad must go"]);
    assert_eq!(classified.code, 0, "{}", classified.stderr);
    let model = std::fs::read_to_string(wd.join("q.model")).unwrap();
    assert!(model.contains("\"cv\":null"), "no CV figures are stored");
    let refused = wd.train_on_seed_labels(&["--no-cv", "--out", "r.model"]);
    refused.assert_error(
        1,
        &["without cross-validation one L2 strength is needed (give a single --alpha), found 4"],
    );
}
