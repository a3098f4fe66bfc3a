//! The README's figures are what the commands print: every fenced block the README introduces with
//! `<!-- output of: stance ARGS -->` is compared with the standard output of `stance ARGS` run in
//! the repository (issue 17: the README's kappa figures disagreed with `labels agreement`).

use crate::workdir::repo;

/// Every (command line, quoted output) pair of the README.
fn quoted_outputs(readme: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(command) = line
            .trim()
            .strip_prefix("<!-- output of: stance ")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "a fenced block must follow `{line}`");
        let mut block = String::new();
        for body in lines.by_ref() {
            if body.starts_with("```") {
                break;
            }
            block.push_str(body);
            block.push('\n');
        }
        found.push((command.trim().to_string(), block));
    }
    found
}

#[test]
fn the_readme_quotes_what_the_commands_print_issue_17() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let quoted = quoted_outputs(&readme);
    assert!(quoted.len() >= 2, "the README quotes no command output");
    for (command, expected) in quoted {
        let args: Vec<&str> = command.split_whitespace().collect();
        let output = assert_cmd::Command::cargo_bin("stance")
            .unwrap()
            .current_dir(repo())
            .env("NO_COLOR", "1")
            .env_remove("STANCE_MODEL")
            .env_remove("STANCE_SPEAKERS")
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            stdout, expected,
            "README.md quotes other output than `stance {command}` prints: update the README"
        );
    }
}
