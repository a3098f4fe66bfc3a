//! Bad input through the binary: one clear message naming the file, line and what was expected;
//! exit code 1 (2 for usage errors); never a panic; never a half-written model.

use crate::workdir::Workdir;

const HEADER: &str = "id,source,speaker,kind,text,assad,military_action,sentiment,note\n";

fn train(wd: &Workdir, labels: &str) -> crate::workdir::Run {
    wd.run(&[
        "train", "--labels", labels, "--out", "m.model", "--folds", "2", "--alpha", "1", "--min-df", "1",
    ])
}

#[test]
fn malformed_csv_names_file_and_line() {
    let wd = Workdir::new();
    wd.write(
        "bad.csv",
        format!(
            "{HEADER}s1,a,X,direct,\"unclosed,favor,none,neutral,\ns2,b,Y,direct,ok,favor,none,neutral,\n"
        ),
    );
    train(&wd, "bad.csv").assert_error(1, &["bad.csv", "line"]);
    assert!(!wd.join("m.model").exists());
}

#[test]
fn ragged_row_names_its_line() {
    let wd = Workdir::new();
    wd.write(
        "bad.csv",
        format!("{HEADER}s1,a,X,direct,text,favor,none,neutral,\ns2,b,Y,direct,text,favor\n"),
    );
    train(&wd, "bad.csv").assert_error(1, &["bad.csv: line 3: expected 9 fields"]);
}

#[test]
fn missing_text_column_lists_what_was_found() {
    let wd = Workdir::new();
    wd.write("bad.csv", "id,statement,assad\n1,x,favor\n");
    train(&wd, "bad.csv").assert_error(
        1,
        &["bad.csv: line 1: missing column `text` (found: id, statement, assad)"],
    );
}

#[test]
fn unknown_label_value_names_the_allowed_ones() {
    let wd = Workdir::new();
    wd.write(
        "bad.csv",
        format!("{HEADER}s1,a,X,direct,text one,favour,none,neutral,\n"),
    );
    train(&wd, "bad.csv").assert_error(
        1,
        &["bad.csv: line 2, column `assad`: unknown label \"favour\" (allowed: favor, against, none)"],
    );
}

#[test]
fn empty_label_file() {
    let wd = Workdir::new();
    wd.write("empty.csv", "");
    train(&wd, "empty.csv").assert_error(1, &["empty.csv: no labelled rows"]);
    wd.write("header.csv", HEADER);
    train(&wd, "header.csv").assert_error(1, &["header.csv: no labelled rows"]);
}

#[test]
fn a_task_with_a_single_class() {
    let wd = Workdir::new();
    wd.write(
        "one.csv",
        "source,text,assad\na,Assad must go,against\nb,He must leave,against\nc,No future for him,against\n",
    );
    train(&wd, "one.csv").assert_error(1, &["task `assad` has a single class (\"against\", 3 rows)"]);
}

#[test]
fn an_empty_statement_to_classify() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.run(&["classify", "--model", "m.model", "fine", "  "])
        .assert_error(1, &["statement 2: empty statement"]);
    wd.write("in.csv", "text\nfine\n\"\"\n");
    wd.run(&["classify", "--model", "m.model", "--input", "in.csv"])
        .assert_error(1, &["in.csv: line 3, column `text`: empty statement"]);
}

#[test]
fn an_empty_statement_in_labels_names_its_line() {
    let wd = Workdir::new();
    wd.write(
        "bad.csv",
        format!("{HEADER}s1,a,X,direct,  ,favor,none,neutral,\n"),
    );
    train(&wd, "bad.csv").assert_error(1, &["bad.csv: line 2, column `text`: empty statement text"]);
}

#[test]
fn a_missing_model_file() {
    let wd = Workdir::new();
    wd.run(&["classify", "--model", "nope.model", "x"])
        .assert_error(1, &["cannot open nope.model"]);
}

#[test]
fn a_truncated_model_file() {
    let wd = Workdir::new();
    let model = std::fs::read(wd.train_seed_model("m.model")).unwrap();
    wd.write("cut.model", &model[..model.len() / 2]);
    wd.run(&["classify", "--model", "cut.model", "x"]).assert_error(
        1,
        &[
            "cannot load model cut.model",
            "the model file is damaged",
            "cut short",
            "retrain",
        ],
    );
    // A format-1 model has no checksum: the JSON parser finds the cut.
    let format_1 = std::fs::read(crate::workdir::repo().join("tests/fixtures/model-format-1.model")).unwrap();
    wd.write("cut-1.model", &format_1[..format_1.len() / 2]);
    wd.run(&["classify", "--model", "cut-1.model", "x"]).assert_error(
        1,
        &[
            "cannot load model cut-1.model",
            "corrupt or truncated model",
            "stance train",
        ],
    );
}

/// A model body edited by hand, behind a header whose checksum is recomputed: what a file that
/// passed the integrity check but holds bad values looks like.
fn with_fresh_checksum(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let body = format!("{body}\n");
    let sum: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("stance-model format 2 hash none sha256 {sum}\n{body}")
}

#[test]
fn issue_17_a_model_with_one_changed_digit_is_reported_damaged() {
    let wd = Workdir::new();
    let text = std::fs::read_to_string(wd.train_seed_model("m.model")).unwrap();
    let at = text.find("\"intercepts\":[").unwrap() + "\"intercepts\":[".len();
    let digit = at + text[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let mut bytes = text.into_bytes();
    bytes[digit] = if bytes[digit] == b'9' {
        b'8'
    } else {
        bytes[digit] + 1
    };
    wd.write("flipped.model", &bytes);
    for command in [
        &["classify", "--model", "flipped.model", "x"][..],
        &["eval", "--model", "flipped.model", "l.csv"],
    ] {
        wd.write("l.csv", "text,assad\nAssad must go,against\n");
        wd.run(command).assert_error(
            1,
            &[
                "cannot load model flipped.model",
                "the model file is damaged",
                "checksum",
                "retrain",
            ],
        );
    }
}

#[test]
fn issue_17_a_featurizer_with_word_ngrams_3_1_is_an_error_not_a_panic() {
    let wd = Workdir::new();
    let text = std::fs::read_to_string(wd.train_seed_model("m.model")).unwrap();
    let mut body: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    body["featurizer"]["config"]["word_ngrams"] = serde_json::json!({"min": 3, "max": 1});
    wd.write("bad.model", with_fresh_checksum(&body.to_string()));
    wd.run(&["classify", "--model", "bad.model", "x"]).assert_error(
        1,
        &[
            "cannot load model bad.model",
            "inconsistent model",
            "word n-gram lengths 3-1 are out of bounds",
        ],
    );
    let config = serde_json::json!({
        "featurizer": body["featurizer"]["config"],
        "mean_macro_f1": 0.5,
        "tasks": [],
    });
    wd.write("bad.json", config.to_string());
    let labels = crate::workdir::repo().join("labels/statements.csv");
    let labels = labels.to_str().unwrap();
    for args in [
        &["train", labels, "--config", "bad.json", "--out", "m2.model"][..],
        &["cv", labels, "--config", "bad.json"],
    ] {
        wd.run(args).assert_error(
            1,
            &["bad.json: word n-gram lengths 3-1 are out of bounds (expected MIN-MAX with 1 <= MIN <= MAX <= 8)"],
        );
    }
    assert!(!wd.join("m2.model").exists());
}

#[test]
fn issue_18_ngram_lengths_have_an_upper_bound() {
    let wd = Workdir::new();
    wd.run(&["train", "--ngrams", "1-100000"])
        .assert_error(2, &["invalid value '1-100000' for '--ngrams <MIN-MAX>'", "<= 8"]);
    wd.run(&["cv", "--char-ngrams", "2-11"]).assert_error(
        2,
        &["invalid value '2-11' for '--char-ngrams <MIN-MAX>'", "<= 10"],
    );
}

#[test]
fn a_model_of_a_newer_format_or_of_another_program() {
    let wd = Workdir::new();
    wd.write("new.model", "stance-model format 99 hash none\n{}\n");
    wd.run(&["classify", "--model", "new.model", "x"])
        .assert_error(1, &["model format 99 is newer", "upgrade stance"]);
    wd.write("other.model", "\u{89}PNG\r\n");
    wd.run(&["classify", "--model", "other.model", "x"])
        .assert_error(1, &["not a stance model file"]);
}

#[test]
fn a_model_whose_dimensions_disagree_is_refused_not_a_panic() {
    let wd = Workdir::new();
    let text = std::fs::read_to_string(wd.train_seed_model("m.model")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut body: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    body["tasks"][0]["weights"][0].as_array_mut().unwrap().pop();
    assert!(header.starts_with("stance-model format 2 "));
    wd.write("bad.model", with_fresh_checksum(&body.to_string()));
    wd.run(&["classify", "--model", "bad.model", "x"])
        .assert_error(1, &["inconsistent model", "expected"]);
}

#[test]
fn an_unwritable_output_path_leaves_nothing_behind() {
    let wd = Workdir::new();
    let run = wd.train_on_seed_labels(&["--out", "missing/dir/m.model", "--folds", "2", "--alpha", "1"]);
    run.assert_error(
        1,
        &["cannot write missing/dir/m.model: folder missing/dir does not exist"],
    );
    let run = wd.train_on_seed_labels(&["--out", ".", "--folds", "2", "--alpha", "1"]);
    run.assert_error(1, &["is a directory"]);
}

#[test]
fn a_directory_or_missing_file_as_labels() {
    let wd = Workdir::new();
    wd.write("d/notes.txt", "x");
    train(&wd, "d").assert_error(1, &["d holds no .csv label file"]);
    train(&wd, "nope.csv").assert_error(1, &["cannot open nope.csv"]);
}

#[test]
fn usage_errors_exit_2() {
    let wd = Workdir::new();
    wd.run(&["classify"]).assert_error(2, &["STATEMENT"]);
    wd.run(&["train", "--folds", "x"]).assert_error(2, &["--folds"]);
    wd.run(&["frobnicate"]).assert_error(2, &["frobnicate"]);
}

#[test]
fn invalid_training_settings_are_errors_not_panics() {
    let wd = Workdir::new();
    wd.write("l.csv", format!("{HEADER}s1,a,X,direct,Assad must go,against,none,neutral,\ns2,b,Y,direct,Assad stays,favor,none,neutral,\n"));
    wd.run(&["train", "--labels", "l.csv", "--alpha", "-1"])
        .assert_error(1, &["alpha", "positive finite"]);
    wd.run(&["train", "--labels", "l.csv", "--folds", "1"])
        .assert_error(1, &["at least 2 folds"]);
    wd.run(&[
        "train", "--labels", "l.csv", "--task", "assad", "--min-df", "50", "--out", "m.model",
    ])
    .assert_error(1, &["lower --min-df"]);
}

#[test]
fn keep_going_writes_every_row_with_its_error() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    wd.write(
        "in.csv",
        "id,text\n1,Assad must go\n2,\n3,a,ragged\n4,We will strike\n",
    );
    let run = wd.run(&["classify", "--model", "m.model", "--input", "in.csv"]);
    run.assert_error(1, &["in.csv: line 3, column `text`: empty statement"]);
    let run = wd.run(&[
        "classify",
        "--model",
        "m.model",
        "--input",
        "in.csv",
        "--format",
        "csv",
        "--keep-going",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("2 of 4 rows could not be classified"),
        "{}",
        run.stderr
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["id", "text", "error"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4, "every input row comes out");
    assert_eq!(&rows[0][2], "");
    assert!(rows[1][2].contains("empty statement"));
    assert!(rows[2][2].contains("expected 2 fields"), "{:?}", &rows[2]);
    assert_eq!(&rows[3][0], "4");
    assert!(!rows[3][3].is_empty(), "row 4 is classified");
}

#[test]
fn a_closed_pipe_on_stdout_is_a_quiet_success() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let mut csv = String::from("text\n");
    for i in 0..20_000 {
        csv.push_str(&format!("statement number {i} about strikes\n"));
    }
    wd.write("many.csv", csv);
    let binary = assert_cmd::cargo::cargo_bin("stance");
    let output = std::process::Command::new("sh")
        .current_dir(wd.path())
        .arg("-c")
        .arg(format!(
            "'{}' classify -q --model m.model --input many.csv --format csv | head -1; exit ${{PIPESTATUS:-0}}",
            binary.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stderr.is_empty(), "a broken pipe must be quiet: {stderr}");
}

#[test]
fn the_broken_pipe_exit_code_is_zero() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let mut csv = String::from("text\n");
    for i in 0..20_000 {
        csv.push_str(&format!("statement number {i}\n"));
    }
    wd.write("many.csv", csv);
    let binary = assert_cmd::cargo::cargo_bin("stance");
    let mut child = std::process::Command::new(binary)
        .current_dir(wd.path())
        .args([
            "classify", "-q", "--model", "m.model", "--input", "many.csv", "--format", "jsonl",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    use std::io::Read;
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_50_mb_single_line_is_refused_with_its_line_not_swallowed() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let huge = "x".repeat(50 << 20);
    wd.write("labels.csv", format!("text,assad\n\"{huge}\",favor\n"));
    wd.run(&["train", "labels.csv", "--out", "big.model"])
        .assert_error(
            1,
            &[
                "labels.csv: line 2, column `text`: statement of 52428800 bytes (expected at most 1048576",
                "--max-statement-bytes",
            ],
        );
    assert!(!wd.join("big.model").exists());
    wd.write("in.csv", format!("text\nfine\n{huge}\n"));
    wd.run(&["classify", "--model", "m.model", "--input", "in.csv"])
        .assert_error(
            1,
            &[
                "in.csv: line 3, column `text`: statement of 52428800 bytes (expected at most 1048576",
                "--max-statement-bytes",
            ],
        );
}

/// Words of a House speech, repeated to `bytes` bytes: ConVote's speech segments run to 12 kB and
/// more, which the old 10,000-byte cap refused as "is a quote unclosed?".
fn speech(bytes: usize, stance_words: &str) -> String {
    let words = "mr speaker i rise today to speak on this bill which the committee reported ";
    let mut text = String::new();
    while text.len() < bytes {
        text.push_str(words);
        text.push_str(stance_words);
        text.push(' ');
    }
    text
}

#[test]
fn convote_sized_speeches_train_and_classify_issue_17() {
    let wd = Workdir::new();
    let mut csv = String::from("text,vote,debate\n");
    for i in 0..24 {
        let (vote, words) = if i % 2 == 0 {
            ("yes", "i urge support")
        } else {
            ("no", "i oppose it")
        };
        let bytes = [12_000, 30_000, 60_000][i % 3];
        csv.push_str(&format!("\"{}\",{vote},d{}\n", speech(bytes, words), i % 6));
    }
    wd.write("speeches.csv", &csv);
    let run = wd.run(&[
        "train",
        "speeches.csv",
        "--task",
        "vote",
        "--group-by",
        "debate",
        "--folds",
        "3",
        "--alpha",
        "1",
        "-o",
        "speeches.model",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("unclosed"), "{}", run.stderr);
    wd.write(
        "one.csv",
        format!("text\n\"{}\"\n", speech(60_000, "i urge support")),
    );
    let run = wd.run(&[
        "classify",
        "-q",
        "--model",
        "speeches.model",
        "--input",
        "one.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.lines().nth(1).is_some_and(|row| row.contains(",yes,")),
        "{}",
        run.stdout
    );
}

#[test]
fn the_statement_cap_is_a_flag_and_names_it_issue_17() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let long = speech(2_000_000, "strikes");
    wd.write("in.csv", format!("text\n\"{long}\"\n"));
    wd.run(&["classify", "--model", "m.model", "--input", "in.csv"])
        .assert_error(
            1,
            &[
                "in.csv: line 2",
                "expected at most 1048576",
                "--max-statement-bytes",
            ],
        );
    let run = wd.run(&[
        "classify",
        "-q",
        "--model",
        "m.model",
        "--input",
        "in.csv",
        "--max-statement-bytes",
        "3000000",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    wd.run(&[
        "classify",
        "--model",
        "m.model",
        "--input",
        "in.csv",
        "--max-statement-bytes",
        "-1",
    ])
    .assert_error(2, &["--max-statement-bytes", "-1"]);
}

#[test]
fn a_text_that_swallowed_rows_is_a_warning_not_an_error_issue_17() {
    let wd = Workdir::new();
    let mut csv = String::from("text,vote,debate\n");
    csv.push_str(&format!(
        "\"{}\nnext speech,yes,d2\",yes,d1\n",
        speech(11_000, "i urge support")
    ));
    for i in 0..12 {
        let (vote, words) = if i % 2 == 0 {
            ("yes", "i urge support")
        } else {
            ("no", "i oppose it")
        };
        csv.push_str(&format!("\"{}\",{vote},d{}\n", speech(200, words), i % 4));
    }
    wd.write("labels.csv", &csv);
    let run = wd.run(&[
        "train",
        "labels.csv",
        "--task",
        "vote",
        "--no-cv",
        "--alpha",
        "1",
        "-o",
        "m.model",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: labels.csv: line 2, column `text`")
            && run.stderr.contains("is a quote unclosed?"),
        "{}",
        run.stderr
    );
    assert!(wd.join("m.model").exists());
}

/// Runs this test binary's browser test alone with no browser on the `PATH` and `CI` as given.
fn browser_test_without_chromium(ci: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "report::html_report_works_in_a_headless_browser"])
        .env("PATH", "/nonexistent")
        .env_remove("CI");
    if let Some(value) = ci {
        command.env("CI", value);
    }
    command.output().unwrap()
}

#[test]
fn the_browser_test_fails_in_ci_without_chromium_and_shows_its_skip_elsewhere_issue_17() {
    let in_ci = browser_test_without_chromium(Some("true"));
    assert!(
        !in_ci.status.success(),
        "{}",
        String::from_utf8_lossy(&in_ci.stdout)
    );
    assert!(String::from_utf8_lossy(&in_ci.stdout).contains("CI must install chromium"));
    let outside = browser_test_without_chromium(None);
    let stdout = String::from_utf8_lossy(&outside.stdout);
    assert!(outside.status.success(), "{stdout}");
    // Printed even though cargo test captures the output of passing tests.
    assert!(
        stdout.contains("SKIPPED html_report_works_in_a_headless_browser: no chromium"),
        "{stdout}"
    );
}

#[test]
fn issue_17_duplicate_ids_with_conflicting_labels_are_an_error_in_train_cv_and_eval() {
    let wd = Workdir::new();
    let header = "id,source,date,speaker,kind,text,assad,military_action,sentiment,note\n";
    wd.write(
        "a.csv",
        format!("{header}a1,x.txt,2015-11-26,X,direct,Assad must go,against,none,negative,\na2,y.txt,2015-11-26,Y,direct,We are ready,none,favor,positive,\n"),
    );
    wd.write(
        "b.csv",
        format!("{header}b1,z.txt,2015-11-26,Z,direct,Strikes now,none,favor,neutral,\na1,w.txt,2015-11-26,X,direct,Assad must go,favor,none,negative,\n"),
    );
    let expected = [
        "b.csv: line 3: id \"a1\" already used at a.csv: line 2, with another `assad` label (favor here, against there)",
    ];
    wd.run(&["train", "a.csv", "b.csv", "--out", "m.model", "--min-df", "1"])
        .assert_error(1, &expected);
    assert!(!wd.join("m.model").exists());
    wd.run(&["cv", "a.csv", "b.csv", "--min-df", "1"])
        .assert_error(1, &expected);
    wd.run(&["eval", "a.csv", "b.csv"]).assert_error(1, &expected);
    wd.write("s.csv", "speaker,gender,aliases\nX,m,\nY,f,\nZ,m,\n");
    let check = wd.run(&["labels", "check", "a.csv", "b.csv", "--speakers", "s.csv"]);
    assert!(
        check
            .stdout
            .contains("error: b.csv: line 3: id \"a1\" already used at a.csv: line 2"),
        "{}{}",
        check.stdout,
        check.stderr
    );
    // The same labels twice: kept, with a warning that the row counts twice.
    wd.write(
        "b.csv",
        format!("{header}b1,z.txt,2015-11-26,Z,direct,Strikes now,none,favor,neutral,\na1,w.txt,2015-11-26,X,direct,Assad must go,against,none,negative,\n"),
    );
    let run = wd.run(&["eval", "a.csv", "b.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("b.csv: line 3: id \"a1\" already used at a.csv: line 2, with the same `assad` label: the statement counts twice"),
        "{}",
        run.stderr
    );
}
