//! The bad-input suite, table-driven: every command against the inputs scrapers and people really
//! produce. Each case runs the real binary and checks the exit code, that the one-line message names
//! the file (and line, column or byte offset where there is one) and says what was expected, that
//! nothing panicked, and that no output file was left behind. `tests/BAD_INPUT.md` lists every case
//! of this file and of `bad_input.rs`, `report.rs`, `extract.rs` and `eval_cv.rs`.

use crate::workdir::{repo, Workdir};

const HEADER: &str = "id,source,date,speaker,kind,text,assad,military_action,sentiment,note\n";
const ROW: &str = "s1,a.txt,2015-11-26,Vladimir Putin,direct,We are ready,none,none,positive,\n";

/// One case: files to create, the command, the expected exit code and message parts.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, FileBody)],
    args: &'static [&'static str],
    code: i32,
    expect: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum FileBody {
    Text(&'static str),
    Bytes(&'static [u8]),
    /// A label file: header, one good row, then this line.
    LabelsWith(&'static str),
    Dir,
}

fn cases() -> Vec<Case> {
    use FileBody::*;
    vec![
        Case { name: "train: a UTF-8 BOM before the header is ignored, a bad label after it still names line 3", files: &[("l.csv", Text("\u{feff}id,source,date,speaker,kind,text,assad,military_action,sentiment,note\ns1,a,2015-11-26,X,direct,We are ready,none,none,positive,\ns2,b,2015-11-26,Y,direct,go,favour,none,positive,\n"))], args: &["train", "l.csv", "--out", "m.model"], code: 1, expect: &["l.csv: line 3, column `assad`: unknown label \"favour\""] },
        Case { name: "train: CRLF line endings keep line numbers right", files: &[("l.csv", Text("id,source,date,speaker,kind,text,assad,military_action,sentiment,note\r\ns1,a,2015-11-26,X,direct,ok,none,none,positive,\r\ns2,b,2015-11-26,Y,direct,go,maybe,none,positive,\r\n"))], args: &["train", "l.csv", "--out", "m.model"], code: 1, expect: &["l.csv: line 3, column `assad`"] },
        Case { name: "eval: a label file with a BOM and CRLF line endings reads as any other", files: &[("l.csv", Text("\u{feff}text,assad\r\nAssad must go,against\r\nWe are ready,none\r\n"))], args: &["eval", "l.csv"], code: 0, expect: &[] },
        Case { name: "train: invalid UTF-8 in a field", files: &[("l.csv", Bytes(b"text,assad\nfine,favor\nbad \xff\xfe,against\n"))], args: &["train", "l.csv", "--out", "m.model"], code: 1, expect: &["l.csv: line 3: invalid UTF-8 in field 1 (expected UTF-8 text)"] },
        Case { name: "train: NUL bytes in a text field are kept as text, a NUL label is refused", files: &[("l.csv", Bytes(b"text,assad\nfine,favor\nalso fine,\x00against\n"))], args: &["train", "l.csv", "--out", "m.model"], code: 1, expect: &["l.csv: line 3, column `assad`: unknown label"] },
        Case { name: "train: a duplicated column", files: &[("l.csv", Text("text,assad,assad\nx,favor,favor\n"))], args: &["train", "l.csv", "--out", "m.model"], code: 1, expect: &["l.csv: line 1: column `assad` appears twice"] },
        Case { name: "train: a directory given as --out", files: &[("l.csv", LabelsWith("s2,b,2015-11-26,Y,direct,go,against,none,neutral,")), ("out", Dir)], args: &["train", "l.csv", "--out", "out", "--task", "assad"], code: 1, expect: &["cannot write out: it is a directory"] },
        Case { name: "train: a label file given as a directory with a .csv name", files: &[("l.csv", Dir)], args: &["train", "--labels", "l.csv/", "--out", "m.model"], code: 1, expect: &["holds no .csv label file"] },
        Case { name: "classify: header-only CSV input", files: &[("in.csv", Text("id,text\n"))], args: &["classify", "--input", "in.csv"], code: 1, expect: &["no statements to classify"] },
        Case { name: "classify: input CSV without the text column", files: &[("in.csv", Text("id,statement\n1,x\n"))], args: &["classify", "--input", "in.csv"], code: 1, expect: &["in.csv: line 1: missing column `text` (found: id, statement; choose one with --text-col)"] },
        Case { name: "classify: an unclosed quote swallows the rest and is reported with its line", files: &[("in.csv", Text("id,text\n1,\"open\n2,next\n"))], args: &["classify", "--input", "in.csv"], code: 1, expect: &["in.csv: the quotation mark opened on line 2 is never closed"] },
        Case { name: "classify: a JSONL line that is not an object", files: &[("in.jsonl", Text("{\"text\": \"fine\"}\n[1, 2]\n"))], args: &["classify", "--input", "in.jsonl"], code: 1, expect: &["in.jsonl: line 2: expected a JSON object"] },
        Case { name: "classify: a JSONL line that is not JSON names its line and column", files: &[("in.jsonl", Text("{\"text\": \"fine\"}\n{\"text\": oops}\n"))], args: &["classify", "--input", "in.jsonl"], code: 1, expect: &["in.jsonl: line 2: column 10: expected value"] },
        Case { name: "classify: a JSONL file without any object", files: &[("in.jsonl", Text("\n\n"))], args: &["classify", "--input", "in.jsonl"], code: 1, expect: &["in.jsonl: no JSON object (expected one object per line with a `text` field)"] },
        Case { name: "report: a statement JSONL without speakers is named and skipped", files: &[("s.jsonl", Text("{\"text\": \"Assad must go\"}\n"))], args: &["report", "s.jsonl"], code: 1, expect: &["s.jsonl: line 1: missing column `speaker` (found: text; a statement file needs fields `speaker` and `text`) (skipped)"] },
        Case { name: "classify: a directory as --input", files: &[("d", Dir)], args: &["classify", "--input", "d"], code: 1, expect: &["d is a directory (expected a file)"] },
        Case { name: "classify: a directory as --model", files: &[("d", Dir)], args: &["classify", "--model", "d", "x"], code: 1, expect: &["d is a directory (expected a file)"] },
        Case { name: "classify: an empty model file", files: &[("e.model", Text(""))], args: &["classify", "--model", "e.model", "x"], code: 1, expect: &["cannot load model e.model", "not a stance model file"] },
        Case { name: "eval: labels with no task the model knows", files: &[("l.csv", Text("text,label\nx,pos\ny,neg\n"))], args: &["eval", "l.csv"], code: 1, expect: &["no task in common between the model (assad, military_action, sentiment) and the label files (label)"] },
        Case { name: "eval: an unknown label value", files: &[("l.csv", Text("text,assad\nx,favour\n"))], args: &["eval", "l.csv"], code: 1, expect: &["l.csv: line 2, column `assad`: unknown label \"favour\" (allowed: favor, against, none)"] },
        Case { name: "eval: a missing label file", files: &[], args: &["eval", "nope.csv"], code: 1, expect: &["cannot open nope.csv"] },
        Case { name: "cv: a header-only label file", files: &[("l.csv", Text(HEADER))], args: &["cv", "l.csv"], code: 1, expect: &["l.csv: no labelled rows"] },
        Case { name: "cv: a single source cannot be grouped into folds", files: &[("l.csv", Text("source,text,assad\na,x,favor\na,y,against\n"))], args: &["cv", "l.csv", "--min-df", "1"], code: 1, expect: &["needs statements from at least 2 sources, found 1"] },
        Case { name: "labels check: errors in every row are all listed, exit 1", files: &[("l.csv", Text("id,source,date,speaker,kind,text,assad,military_action,sentiment,note\ns1,a.txt,2015-13-01,Vladimir Putin,said,,favour,none,positive,\n"))], args: &["labels", "check", "l.csv", "--speakers", "SPEAKERS"], code: 1, expect: &["`date` \"2015-13-01\" is not a date", "`kind` \"said\"", "empty `text`", "`assad` \"favour\""] },
        Case { name: "labels check: a ragged row and a missing column", files: &[("a.csv", Text("id,source,date,speaker,kind,text,assad,military_action,sentiment,note\ns1,a.txt\n")), ("b.csv", Text("id,text\n1,x\n"))], args: &["labels", "check", "a.csv", "b.csv", "--speakers", "SPEAKERS"], code: 1, expect: &["a.csv: line 2: expected 10 fields", "b.csv: line 1: missing column(s)"] },
        Case { name: "labels check: an empty file", files: &[("e.csv", Text(""))], args: &["labels", "check", "e.csv", "--speakers", "SPEAKERS"], code: 1, expect: &["e.csv: empty file"] },
        Case { name: "labels check: a missing speaker table", files: &[("l.csv", Text(HEADER))], args: &["labels", "check", "l.csv", "--speakers", "none.csv"], code: 1, expect: &["cannot open none.csv"] },
        Case { name: "report: an unbalanced quotation mark in an article", files: &[("a.txt", Text("Putin said \"we are ready to act.\n\n\"Assad must go,\" Hollande said.\n"))], args: &["report", "a.txt", "--speakers", "SPEAKERS"], code: 0, expect: &[] },
        Case { name: "report: non-UTF-8 bytes in an article are reported with the file", files: &[("a.txt", Bytes(b"\"We are ready,\" Putin said. \xff\xfe\n"))], args: &["report", "a.txt", "--speakers", "SPEAKERS"], code: 0, expect: &["a.txt: 2 bytes could not be decoded as UTF-8"] },
        Case { name: "report: an output path in a missing folder leaves nothing", files: &[("a.txt", Text("\"We are ready,\" Putin said.\n"))], args: &["report", "a.txt", "--speakers", "SPEAKERS", "-o", "no/dir/r.html"], code: 1, expect: &["cannot write no/dir/r.html: folder no/dir does not exist"] },
        Case { name: "report: an output in a read-only folder (/sys is read-only even for root)", files: &[("a.txt", Text("\"We are ready,\" Putin said.\n"))], args: &["report", "a.txt", "--speakers", "SPEAKERS", "-o", "/sys/stance-report.html"], code: 1, expect: &["cannot write /sys/stance-report.html: cannot create a file in /sys"] },
        Case { name: "train: a model output in a read-only folder", files: &[("l.csv", LabelsWith("s2,b,2015-11-26,Y,direct,go,against,none,neutral,"))], args: &["train", "l.csv", "--out", "/sys/stance.model", "--task", "assad", "--folds", "2", "--alpha", "1", "--min-df", "1"], code: 1, expect: &["model not saved to /sys/stance.model", "cannot create a file in /sys"] },
        Case { name: "report: a malformed speaker table names its line", files: &[("a.txt", Text("x")), ("s.csv", Text("speaker,gender,aliases\nX,q,\n"))], args: &["report", "a.txt", "--speakers", "s.csv"], code: 1, expect: &["s.csv: line 2"] },
        Case { name: "extract: NUL bytes in an article", files: &[("a.txt", Bytes(b"\"We are\x00 ready,\" Putin said.\n"))], args: &["extract", "a.txt", "--speakers", "SPEAKERS"], code: 0, expect: &["a.txt: 1 bytes could not be decoded"] },
        Case { name: "extract: a directory with no articles", files: &[("d", Dir)], args: &["extract", "d", "--speakers", "SPEAKERS"], code: 0, expect: &[] },
        Case { name: "extract: a gold file without its columns", files: &[("a.txt", Text("x")), ("g.csv", Text("id,text\n1,x\n"))], args: &["extract", "a.txt", "--speakers", "SPEAKERS", "--gold", "g.csv"], code: 1, expect: &["g.csv"] },
    ]
}

#[test]
fn every_case_fails_cleanly_with_a_clear_message() {
    let speakers = repo().join("labels/speakers.csv").display().to_string();
    let model = repo().join("models/stance.model").display().to_string();
    let mut failures = Vec::new();
    let all = cases();
    for case in &all {
        let wd = Workdir::new();
        for (name, body) in case.files {
            match body {
                FileBody::Text(t) => {
                    wd.write(name, t);
                }
                FileBody::Bytes(b) => {
                    wd.write(name, b);
                }
                FileBody::LabelsWith(line) => {
                    wd.write(name, format!("{HEADER}{ROW}{line}\n"));
                }
                FileBody::Dir => std::fs::create_dir_all(wd.join(name)).unwrap(),
            }
        }
        let mut args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                if *a == "SPEAKERS" {
                    speakers.clone()
                } else {
                    a.to_string()
                }
            })
            .collect();
        if matches!(args[0].as_str(), "classify" | "eval" | "report") && !args.iter().any(|a| a == "--model")
        {
            args.extend(["--model".to_string(), model.clone()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let before: Vec<_> = std::fs::read_dir(wd.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let run = wd.run(&refs);
        let after: Vec<_> = std::fs::read_dir(wd.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut problems = Vec::new();
        if run.code != case.code {
            problems.push(format!("exit {} (expected {})", run.code, case.code));
        }
        if run.stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        // `labels check` prints its findings as its report, on standard output.
        let message = format!(
            "{}{}",
            run.stderr,
            if args[0] == "labels" {
                run.stdout.as_str()
            } else {
                ""
            }
        );
        for part in case.expect {
            if !message.contains(part) {
                problems.push(format!("no {part:?} in the message"));
            }
        }
        if case.code != 0 && after.len() > before.len() {
            problems.push(format!("left files behind: {after:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    message: {}",
                case.name,
                problems.join("; "),
                message.trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
