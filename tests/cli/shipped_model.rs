//! The model shipped in `models/stance.model`: up to date with `labels/`, and right on the
//! statements the issue names.

use sha2::{Digest, Sha256};

use crate::workdir::{repo, Workdir};

const RETRAIN: &str = "cargo run --release -- train";

fn shipped_model_json() -> serde_json::Value {
    let text =
        std::fs::read_to_string(repo().join("models/stance.model")).expect("models/stance.model is shipped");
    let body = text.lines().nth(1).expect("model body");
    serde_json::from_str(body).expect("model JSON")
}

/// Fails when a label file changed, appeared or disappeared since the shipped model was trained,
/// or when the model was trained with other than the default flags.
#[test]
fn shipped_model_is_up_to_date_with_the_labels() {
    let model = shipped_model_json();
    let recorded: Vec<(String, String)> = model["metadata"]["label_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let current = stance::io::label_files(&[repo().join("labels")]).unwrap();
    let current: Vec<(String, String)> = current
        .iter()
        .map(|path| {
            let name = path.strip_prefix(repo()).unwrap().display().to_string();
            let digest: String = Sha256::digest(std::fs::read(path).unwrap())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (name, digest)
        })
        .collect();
    assert_eq!(
        recorded, current,
        "models/stance.model is stale with respect to labels/: retrain it with `{RETRAIN}` and commit the model"
    );
    let params: stance::model::TrainParams =
        serde_json::from_value(model["metadata"]["params"].clone()).unwrap();
    assert_eq!(
        params,
        stance::model::TrainParams::default(),
        "the shipped model was trained with non-default flags: retrain it with `{RETRAIN}`"
    );
}

#[test]
fn shipped_model_says_assad_has_no_place_is_against() {
    let wd = Workdir::new();
    let model = repo().join("models/stance.model");
    let run = wd.run(&[
        "classify",
        "--model",
        model.to_str().unwrap(),
        "--format",
        "json",
        "Assad has no place in the future of Syria",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value[0]["predictions"]["assad"]["label"], "against");
    let run = wd.run(&[
        "classify",
        "--model",
        model.to_str().unwrap(),
        "--explain",
        "Assad has no place in the future of Syria",
    ]);
    assert!(run.stdout.contains("assad = against"), "{}", run.stdout);
    assert!(run.stdout.contains("assad"), "{}", run.stdout);
}

#[test]
fn shipped_model_cv_beats_the_majority_baseline_on_every_task() {
    let model = shipped_model_json();
    for task in model["tasks"].as_array().unwrap() {
        let cv = &task["training"]["cv"];
        let (f1, baseline) = (
            cv["macro_f1"].as_f64().unwrap(),
            cv["baseline_macro_f1"].as_f64().unwrap(),
        );
        assert!(
            f1 > baseline + 0.15,
            "{}: CV macro-F1 {f1} vs baseline {baseline}",
            task["name"]
        );
    }
}
