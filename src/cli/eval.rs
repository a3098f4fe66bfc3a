//! `stance eval`: measure a trained model on labelled data it was not trained on.

use anyhow::{bail, Result};
use serde_json::json;

use super::shared::{write_metrics, FiguresOutput, LabelInput, ModelInput, RunArgs};
use crate::metrics::Metrics;

const AFTER_HELP: &str = "\
Per task of the model found in the label files: accuracy, macro-F1, per-class precision, recall,
F1 and support, the confusion matrix, and for stance tasks (classes favor and against) the stance
score F_avg = (F1(favor) + F1(against)) / 2. Wide and long formats are read as by `stance train`;
label spellings are matched in any case (FAVOR = favor). A gold label the model does not know counts
as a class it never predicts.

Examples:
  stance eval --model models/stance.model heldout.csv
  stance eval --model semeval.model semeval_test.csv --text-col tweet --format json";

/// Measure a model on labelled data: accuracy, macro-F1, per-class P/R/F1, confusion, F_avg.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    input: LabelInput,

    #[command(flatten)]
    model: ModelInput,

    #[command(flatten)]
    output: FiguresOutput,

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance eval`.
pub fn run(args: Args) -> Result<u8> {
    args.output.check()?;
    let model = args.model.load(&args.run)?;
    let data = args.input.load()?.data;
    let mut results = Vec::new();
    for task in &data.tasks {
        let Some(task_model) = model.task(&task.name) else {
            continue;
        };
        let mut classes: Vec<String> = task_model.classes.clone();
        for class in task.classes() {
            if !classes.contains(&class) {
                classes.push(class);
            }
        }
        classes.sort();
        let index = |label: &str| classes.iter().position(|c| c == label).unwrap_or(0);
        let mut gold = Vec::new();
        let mut predicted = Vec::new();
        for (example, label) in &task.rows {
            let x = model.featurizer.transform(&data.examples[*example].text);
            gold.push(index(label));
            predicted.push(index(&task_model.predict_vector(&x).label));
        }
        results.push((task.name.clone(), Metrics::compute(&classes, &gold, &predicted)));
    }
    if results.is_empty() {
        let model_tasks: Vec<&str> = model.tasks.iter().map(|t| t.name.as_str()).collect();
        let label_tasks: Vec<&str> = data.tasks.iter().map(|t| t.name.as_str()).collect();
        bail!(
            "no task in common between the model ({}) and the label files ({})",
            model_tasks.join(", "),
            label_tasks.join(", ")
        );
    }
    let tasks: Vec<_> = results
        .iter()
        .map(|(t, m)| json!({"task": t, "metrics": m}))
        .collect();
    let json = json!({"statements": data.examples.len(), "tasks": tasks});
    args.output.write(&json, |out| {
        for (i, (task, metrics)) in results.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_metrics(out, task, metrics)?;
        }
        Ok(())
    })?;
    Ok(super::EXIT_OK)
}
