//! Model compatibility: the first released model format, kept as a fixture, must load and classify
//! forever — or fail with the documented upgrade message if format 1 is ever retired.

use crate::workdir::{repo, Workdir};

#[test]
fn format_1_model_fixture_still_loads_and_classifies_the_same() {
    let fixture = repo().join("tests/fixtures/model-format-1.model");
    let text = std::fs::read_to_string(&fixture).unwrap();
    assert!(text.starts_with("stance-model format 1 hash none\n"));
    let model = stance::model::file::read_model(text.as_bytes()).expect("format 1 must stay readable");
    let names: Vec<&str> = model.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["assad", "military_action", "sentiment"]);
    let wd = Workdir::new();
    let run = wd.run(&[
        "classify",
        "--model",
        fixture.to_str().unwrap(),
        "--format",
        "csv",
        "Assad does not have his place in Syria's future",
        "We are ready for this cooperation.",
        "We have to form this large coalition together to strike against terrorism.",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("format_1_fixture_predictions", run.stdout);
}
