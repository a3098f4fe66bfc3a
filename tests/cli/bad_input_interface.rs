//! Issue 17 items 4 to 6, end to end: the tool works from any folder with the model and speaker
//! table built into it, long texts are read, and every command shares one interface (`-o`,
//! `--threads`, `-q`, `--format json`, negative numbers as values, completions, plurals).
//! `tests/BAD_INPUT.md` lists each case.

use std::path::{Path, PathBuf};

use crate::workdir::{repo, Workdir};

fn seed_labels() -> String {
    repo().join("labels/statements.csv").display().to_string()
}

fn articles() -> String {
    repo().join("labels/articles").display().to_string()
}

#[test]
fn from_a_folder_without_models_the_built_in_model_and_speakers_are_used_issue_17() {
    let wd = Workdir::new();
    let run = wd.run(&["report", &articles()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("using the built-in model"), "{}", run.stderr);
    assert!(
        run.stderr.contains("using the built-in speaker table"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("Francois Hollande"), "{}", run.stdout);
    // extract resolves speakers through the built-in table instead of silently running without.
    let run = wd.run(&["extract", &articles()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(",Francois Hollande,"), "{}", run.stdout);
    // -q: nothing but the results.
    let run = wd.run(&["classify", "-q", "Assad must go"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn the_model_comes_from_the_flag_then_the_environment_then_the_folder_issue_17() {
    let wd = Workdir::new();
    let trained = wd.train_seed_model("mine.model");
    let env_run = |args: &[&str], env: &str| {
        let output = assert_cmd::Command::cargo_bin("stance")
            .unwrap()
            .current_dir(wd.path())
            .env("STANCE_MODEL", env)
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = env_run(&["classify", "x"], trained.to_str().unwrap());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("mine.model (from STANCE_MODEL)"), "{stderr}");
    let (code, stderr) = env_run(&["classify", "--model", "mine.model", "x"], "/no/such.model");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("using model mine.model (--model)"), "{stderr}");
    let (code, stderr) = env_run(&["classify", "x"], "/no/such.model");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("STANCE_MODEL=/no/such.model names a file that cannot be read"),
        "{stderr}"
    );
    std::fs::create_dir(wd.join("models")).unwrap();
    std::fs::copy(&trained, wd.join("models/stance.model")).unwrap();
    let run = wd.run(&["classify", "x"]);
    assert!(
        run.stderr
            .contains("using model models/stance.model (found in the current folder)"),
        "{}",
        run.stderr
    );
}

/// The installed binary, built once per test run with `cargo install --path` into a temporary
/// root. It builds in the tests' own target folder with the dev profile (`--debug`), so it reuses
/// what `cargo test` just compiled instead of building every dependency again.
fn install() -> PathBuf {
    static INSTALLED: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, binary) = INSTALLED.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let target =
            std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo().join("target"), PathBuf::from);
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["install", "--quiet", "--offline", "--locked", "--debug", "--path"])
            .arg(repo())
            .arg("--root")
            .arg(root.path())
            .arg("--target-dir")
            .arg(&target)
            .status()
            .unwrap();
        assert!(status.success(), "cargo install --path . failed");
        let binary = root.path().join("bin/stance");
        (root, binary)
    });
    binary.clone()
}

#[test]
fn the_installed_binary_reports_from_a_temporary_folder_issue_17() {
    let binary = install();
    let folder = tempfile::tempdir().unwrap();
    let news = folder.path().join("news");
    std::fs::create_dir(&news).unwrap();
    for entry in std::fs::read_dir(repo().join("labels/articles")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), news.join(entry.file_name())).unwrap();
    }
    let output = std::process::Command::new(&binary)
        .current_dir(folder.path())
        .env_remove("STANCE_MODEL")
        .env_remove("STANCE_SPEAKERS")
        .env("NO_COLOR", "1")
        .args(["report", "news"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("using the built-in model"), "{stderr}");
    assert!(
        stdout.contains("Vladimir Putin") && stdout.contains("Francois Hollande"),
        "{stdout}"
    );
    assert!(!Path::new(&folder.path().join("models")).exists());
}

#[test]
fn every_file_written_is_dash_o_and_train_keeps_out_issue_17() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let run = wd.train_on_seed_labels(&["-o", "a.model", "--no-cv", "--alpha", "1", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = wd.train_on_seed_labels(&["--out", "b.model", "--no-cv", "--alpha", "1", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(wd.join("a.model")).unwrap(),
        std::fs::read(wd.join("b.model")).unwrap()
    );
    let labels = seed_labels();
    for (args, file) in [
        (
            vec![
                "classify",
                "-q",
                "--model",
                "m.model",
                "Assad must go",
                "-o",
                "c.txt",
            ],
            "c.txt",
        ),
        (
            vec!["eval", "-q", "--model", "m.model", &labels, "-o", "e.txt"],
            "e.txt",
        ),
        (vec!["labels", "check", "-q", &labels, "-o", "l.txt"], "l.txt"),
        (
            vec!["report", "-q", "--model", "m.model", &articles(), "-o", "r.txt"],
            "r.txt",
        ),
        (vec!["extract", "-q", &articles(), "-o", "x.csv"], "x.csv"),
    ] {
        let run = wd.run(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} wrote to stdout: {}", run.stdout);
        assert!(std::fs::metadata(wd.join(file)).unwrap().len() > 0, "{args:?}");
    }
}

#[test]
fn every_command_that_prints_figures_prints_json_issue_17() {
    let wd = Workdir::new();
    wd.train_seed_model("m.model");
    let labels = seed_labels();
    let articles = articles();
    let agreement_first = repo().join("labels").display().to_string();
    let agreement_second = repo().join("labels/agreement").display().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "train", &labels, "-o", "j.model", "--folds", "3", "--alpha", "1", "--format", "json",
            ],
            "tasks",
        ),
        (
            vec!["eval", "--model", "m.model", &labels, "--format", "json"],
            "tasks",
        ),
        (
            vec![
                "cv",
                &labels,
                "--group-by",
                "source",
                "--folds",
                "3",
                "--alpha",
                "1",
                "--format",
                "json",
            ],
            "tasks",
        ),
        (vec!["labels", "check", &labels, "--format", "json"], "classes"),
        (
            vec![
                "labels",
                "agreement",
                "--first",
                &agreement_first,
                "--second",
                &agreement_second,
                "--format",
                "json",
            ],
            "tasks",
        ),
        (
            vec!["extract", &articles, "--gold", &labels, "--format", "json"],
            "statements",
        ),
    ];
    for (args, key) in cases {
        let run = wd.run(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let value: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", run.stdout));
        assert!(value.get(key).is_some(), "{args:?}: no `{key}` in {}", run.stdout);
    }
    // Formats are a closed list that --help shows.
    let help = wd.run(&["eval", "--help"]).stdout;
    assert!(help.contains("table") && help.contains("json"), "{help}");
    wd.run(&["eval", "--format", "xml"])
        .assert_error(2, &["xml", "table", "json"]);
}

#[test]
fn negative_numbers_are_values_with_a_range_error_issue_17() {
    let wd = Workdir::new();
    wd.run(&["report", &articles(), "--threshold", "-0.1"])
        .assert_error(2, &["--threshold", "between 0 and 1, found -0.1"]);
    wd.run(&["report", &articles(), "--mixed-share", "-1"])
        .assert_error(2, &["--mixed-share", "between 0 and 1, found -1"]);
    wd.run(&["classify", "--top", "-3", "x"])
        .assert_error(2, &["--top", "-3"]);
    let run = wd.run(&["train", &seed_labels(), "--folds", "-2"]);
    run.assert_error(2, &["--folds", "-2"]);
    assert!(!run.stderr.contains("unexpected argument"), "{}", run.stderr);
}

#[test]
fn threads_beyond_the_cores_are_capped_with_a_note_issue_17() {
    let wd = Workdir::new();
    let run = wd.run(&["classify", "--threads", "10000", "Assad must go"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cores = std::thread::available_parallelism().unwrap().get();
    assert!(
        run.stderr.contains("--threads 10000 is more than the")
            && run.stderr.contains(&format!("using {cores}")),
        "{}",
        run.stderr
    );
    for command in ["train", "cv", "classify", "report", "extract", "eval"] {
        let help = wd.run(&[command, "--help"]).stdout;
        assert!(
            help.contains("--threads") && help.contains("--quiet"),
            "{command}: {help}"
        );
    }
}

#[test]
fn shell_completions_are_generated_issue_17() {
    let wd = Workdir::new();
    for (shell, marker) in [
        ("bash", "_stance()"),
        ("zsh", "#compdef stance"),
        ("fish", "complete -c stance"),
    ] {
        let run = wd.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("max-statement-bytes"), "{shell}");
    }
    wd.run(&["completions", "tcsh"]).assert_error(2, &["tcsh"]);
}

#[test]
fn counts_of_one_are_singular_issue_17() {
    let wd = Workdir::new();
    wd.write(
        "one.csv",
        "id,source,date,speaker,kind,text,assad,military_action,sentiment,note\n\
         s1,a.txt,2015-11-26,Vladimir Putin,direct,We are ready,none,none,positive,\n",
    );
    let run = wd.run(&["labels", "check", "-q", "one.csv"]);
    assert!(
        run.stdout
            .contains("1 row in 1 file from 1 source, 1 speaker: 0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    wd.write(
        "two.csv",
        "text,assad\nAssad must go,against\nAssad must stay,favor\n",
    );
    let run = wd.run(&[
        "train", "two.csv", "--no-cv", "--alpha", "1", "--min-df", "1", "-o", "m.model",
    ]);
    assert!(
        run.stdout.contains("trained 1 task on 2 statements from 1 file"),
        "{}",
        run.stdout
    );
    let run = wd.run(&["extract", "missing.txt", &articles()]);
    assert!(
        run.stderr.contains("1 article could not be read"),
        "{}",
        run.stderr
    );
}
