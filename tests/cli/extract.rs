//! `stance extract` through the binary: offsets that slice the article, the quality targets on the
//! sample articles, and bad input (empty, binary, non-UTF-8, very long lines, no statements).

use crate::workdir::{repo, Workdir};

fn speakers() -> String {
    repo().join("labels/speakers.csv").display().to_string()
}

#[test]
fn rows_carry_offsets_that_slice_the_article() {
    let wd = Workdir::new();
    let articles = repo().join("labels/articles");
    let run = wd.run(&["extract", articles.to_str().unwrap(), "--speakers", &speakers()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "source",
            "start",
            "end",
            "speaker",
            "speaker_mention",
            "kind",
            "text",
            "cue"
        ]
    );
    let mut rows = 0;
    for record in reader.records() {
        let r = record.unwrap();
        let article = std::fs::read_to_string(articles.join(&r[0])).unwrap();
        let (start, end): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert_eq!(&article[start..end], &r[6], "offsets of {:?}", &r[6]);
        assert!(matches!(&r[5], "direct" | "reported"));
        rows += 1;
    }
    assert!(rows >= 47, "only {rows} statements");
}

#[test]
fn sample_articles_meet_the_precision_and_recall_targets() {
    let wd = Workdir::new();
    let articles = repo().join("labels/articles");
    let gold = repo().join("labels/statements.csv");
    let run = wd.run(&[
        "extract",
        articles.to_str().unwrap(),
        "--speakers",
        &speakers(),
        "--gold",
        gold.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let figure = |line: &str, label: &str| -> f64 {
        let at = line.find(label).unwrap() + label.len();
        line[at..].split_whitespace().next().unwrap().parse().unwrap()
    };
    for (kind, precision, recall) in [
        ("overall", 0.90, 0.85),
        ("direct", 0.0, 0.0),
        ("reported", 0.0, 0.0),
    ] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(kind))
            .unwrap_or_else(|| panic!("no {kind} line: {}", run.stdout));
        assert!(
            figure(line, "P ") >= precision && figure(line, "R ") >= recall,
            "{line}"
        );
    }
}

#[test]
fn jsonl_output_and_stdin() {
    let wd = Workdir::new();
    let run = wd.run_with_stdin(
        &["extract", "-", "--format", "jsonl", "--speakers", &speakers()],
        "\"We are ready for this cooperation,\" Putin said. \"We will act.\"\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    for row in &rows {
        assert_eq!(row["speaker"], "Vladimir Putin");
        assert_eq!(row["kind"], "direct");
    }
}

#[test]
fn an_article_without_statements_gives_no_rows_and_exit_0() {
    let wd = Workdir::new();
    wd.write(
        "quiet.txt",
        "The weather in Paris was mild on Tuesday. Markets were calm.\n",
    );
    wd.write("empty.txt", "");
    let run = wd.run(&["extract", "quiet.txt", "empty.txt", "--speakers", &speakers()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "header only: {}", run.stdout);
}

#[test]
fn binary_and_non_utf8_input_is_decoded_where_possible_and_reported() {
    let wd = Workdir::new();
    let mut bytes = b"Putin said \"we are ready\" \xff\xfe\x00 to act.".to_vec();
    bytes.extend((0u8..=255).collect::<Vec<u8>>());
    wd.write("odd.txt", &bytes);
    let run = wd.run(&["extract", "odd.txt", "--speakers", &speakers()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert!(
        run.stderr.contains("odd.txt:") && run.stderr.contains("bytes could not be decoded"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_very_long_line_and_unbalanced_quotes_do_not_break_extraction() {
    let wd = Workdir::new();
    let mut text = String::from("Hollande said \"we will strike.");
    text.push_str(&" word".repeat(400_000));
    text.push_str("\n\n\"Assad must go,\" Obama said.\n");
    wd.write("long.txt", &text);
    let run = wd.run(&["extract", "long.txt", "--speakers", &speakers()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Assad must go"),
        "the unclosed quote swallowed the rest: {}",
        &run.stdout[..run.stdout.len().min(500)]
    );
}

#[test]
fn missing_files_are_named_and_the_rest_extracted() {
    let wd = Workdir::new();
    wd.write("ok.txt", "\"We are ready,\" Putin said.\n");
    let run = wd.run(&["extract", "ok.txt", "missing.txt", "--speakers", &speakers()]);
    run.assert_error(1, &["cannot open missing.txt", "1 article could not be read"]);
    assert!(run.stdout.contains("We are ready"));
}

#[test]
fn gold_for_other_articles_warns_and_exits_1() {
    // Issue 17: a gold file about other articles used to print P 0.000 with exit 0 and no word.
    let wd = Workdir::new();
    wd.write("ours.txt", "\"We are ready,\" Putin said.\n");
    wd.write(
        "gold.csv",
        "source,speaker,kind,text\ntheirs.txt,Vladimir Putin,direct,\"We are ready,\"\n",
    );
    let run = wd.run(&[
        "extract",
        "ours.txt",
        "--speakers",
        &speakers(),
        "--gold",
        "gold.csv",
    ]);
    run.assert_error(
        1,
        &[
            "no gold statement of gold.csv is about any of the 1 input article",
            "theirs.txt",
        ],
    );
}

#[test]
fn brat_gold_scores_statements_and_speakers_by_kind() {
    // A PolNeAR-style article: the annotation carries an annotator suffix, offsets count
    // characters (the curly marks are one each), one attribution is a belief (not scored).
    let wd = Workdir::new();
    let article = "“We will win,” Anna Berger said. Tom Weber believes taxes are low. \
                   Olga Petrova said the plan would fail.\n";
    wd.write("text/story.txt", article);
    let at = |s: &str| article[..article.find(s).unwrap()].chars().count();
    let span = |s: &str| format!("{} {}", at(s), at(s) + s.chars().count());
    let ann = [
        format!("T1\tContent {}\t“We will win,”", span("“We will win,”")),
        format!("T2\tSource {}\tAnna Berger", span("Anna Berger")),
        format!("T3\tCue {} {}\tsaid", at("said. Tom"), at("said. Tom") + 4),
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2".to_string(),
        format!("T4\tSource {}\tTom Weber", span("Tom Weber")),
        format!("T5\tCue {}\tbelieves", span("believes")),
        format!("T6\tContent {}\ttaxes are low", span("taxes are low")),
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4".to_string(),
        format!("T7\tSource {}\tOlga Petrova", span("Olga Petrova")),
        format!(
            "T8\tCue {} {}\tsaid",
            at("said the plan"),
            at("said the plan") + 4
        ),
        format!("T9\tContent {}\tthe plan would fail", span("the plan would fail")),
        "E3\tAttribution:T8 Content:T9 Cue:T8 Source:T7".to_string(),
    ]
    .join("\n");
    wd.write("attributions/story_ab12.ann", &ann);
    let run = wd.run(&[
        "extract",
        "text",
        "--speakers",
        &speakers(),
        "--gold",
        "attributions",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("3 attributions, 2 of them speech"),
        "{}",
        run.stderr
    );
    for line in [
        "overall   P 1.000  R 1.000  F1 1.000  (matched 2, predicted 2, gold 2)",
        "direct    P 1.000  R 1.000  F1 1.000  (matched 1, predicted 1, gold 1)",
        "reported  P 1.000  R 1.000  F1 1.000  (matched 1, predicted 1, gold 1)",
        "speakers overall   P 1.000  R 1.000  F1 1.000  (matched 2, predicted 2, gold 2)",
    ] {
        assert!(run.stdout.contains(line), "no `{line}` in:\n{}", run.stdout);
    }
    // An annotation of another text is an error that names the file and line.
    wd.write("attributions/story_ab12.ann", "T1\tContent 5 9000\tx\n");
    let run = wd.run(&[
        "extract",
        "text",
        "--speakers",
        &speakers(),
        "--gold",
        "attributions",
    ]);
    run.assert_error(1, &["story_ab12.ann: line 1:", "ends past the article"]);
}
