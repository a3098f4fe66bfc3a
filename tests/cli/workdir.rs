//! A temporary working folder per test, with the repository's files at hand and the binary ready
//! to run in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary folder the binary runs in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Workdir {
    /// A fresh empty folder.
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file inside the folder.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Runs `stance ARGS…` in the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    /// Runs `stance ARGS…` in the folder with `stdin` as standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let output = Command::cargo_bin("stance")
            .unwrap()
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `stance train --labels <the seed-article labels> ARGS…` in the folder.
    pub fn train_on_seed_labels(&self, args: &[&str]) -> Run {
        let labels = repo().join("labels/statements.csv");
        let mut full = vec!["train", "--labels", labels.to_str().unwrap()];
        full.extend_from_slice(args);
        self.run(&full)
    }

    /// Trains a small model on the seed-article labels into `name`, quickly (3 folds, one alpha).
    pub fn train_seed_model(&self, name: &str) -> PathBuf {
        let run = self.train_on_seed_labels(&[
            "--out", name, "--folds", "3", "--alpha", "1", "--min-df", "1", "-q",
        ]);
        assert_eq!(run.code, 0, "training failed: {}", run.stderr);
        self.join(name)
    }
}

impl Run {
    /// Asserts the run failed with `code` and a one-line message containing every part of `parts`,
    /// and never panicked.
    pub fn assert_error(&self, code: i32, parts: &[&str]) {
        assert_eq!(
            self.code, code,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        for part in parts {
            assert!(
                self.stderr.contains(part),
                "expected {part:?} in stderr: {}",
                self.stderr
            );
        }
    }
}
