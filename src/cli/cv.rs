//! `stance cv`: cross-validated quality of a featurizer and training configuration, without
//! writing a model.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget};
use serde_json::json;

use super::shared::{write_metrics, FeaturizerArgs, LabelInput, TrainingArgs};
use crate::model::cv::{assign_folds, cross_validate_folds, folds_from_values};

const AFTER_HELP: &str = "\
Folds are grouped by --group-by (default: the source article, so one article's statements never
sit on both sides of a split), or taken from a column with --fold-col. Folds run in parallel.
For every task and every --alpha: the mean and spread (standard deviation) of the per-fold
macro-F1; for the best alpha, the pooled held-out accuracy, macro-F1, F_avg, per-class metrics and
confusion matrix, next to the majority-class baseline.

Examples:
  stance cv
  stance cv labels --folds 10 --ngrams 1-3 --char-ngrams 2-5 --alpha 0.3,1,3
  stance cv semeval.csv --text-col tweet --fold-col split --format json";

/// Cross-validate a configuration on labelled data without writing a model.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    input: LabelInput,

    /// Take folds from this column's values instead of grouping by --group-by.
    #[arg(long, value_name = "COLUMN")]
    fold_col: Option<String>,

    #[command(flatten)]
    featurizer: FeaturizerArgs,

    #[command(flatten)]
    training: TrainingArgs,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    format: String,

    /// Also write every held-out prediction of the best alpha (file, line, id, task, gold,
    /// predicted, one probability per class) to this CSV, e.g. to choose a report threshold.
    #[arg(long, value_name = "FILE")]
    predictions: Option<std::path::PathBuf>,
}

/// Runs `stance cv`.
pub fn run(args: Args) -> Result<u8> {
    let params = args.training.params().validate()?;
    let data = args.input.load()?.data;
    let (fold_of, folds) = match &args.fold_col {
        Some(column) => {
            let column = column.to_lowercase();
            let mut values = Vec::new();
            for e in &data.examples {
                match e.fields.get(&column) {
                    Some(v) => values.push(v.trim().to_string()),
                    None => anyhow::bail!("{}: line 1: missing fold column `{column}`", e.origin.file),
                }
            }
            folds_from_values(&values)
        }
        None => {
            let groups: Vec<String> = data.examples.iter().map(|e| e.group.clone()).collect();
            assign_folds(&groups, params.get().folds)
        }
    };
    let total = data.tasks.len() * folds * params.get().alphas.len();
    let progress = ProgressBar::new(total as u64);
    if !std::io::stderr().is_terminal() {
        progress.set_draw_target(ProgressDrawTarget::hidden());
    }
    let tick = || progress.inc(1);
    let outcome = cross_validate_folds(&data, &args.featurizer.config(), &params, &fold_of, folds, &tick)?;
    progress.finish_and_clear();
    if let Some(path) = &args.predictions {
        crate::io::write_atomic(path, |out| {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["file", "line", "id", "task", "gold", "predicted", "probabilities"])?;
            for t in &outcome.tasks {
                for h in &t.best().held_out {
                    let e = &data.examples[h.example];
                    let probabilities: Vec<String> = t
                        .classes
                        .iter()
                        .zip(&h.probabilities)
                        .map(|(c, p)| format!("{c}:{p:.4}"))
                        .collect();
                    w.write_record([
                        e.origin.file.clone(),
                        e.origin.line.to_string(),
                        e.id.clone().unwrap_or_default(),
                        t.task.clone(),
                        t.classes[h.gold].clone(),
                        t.classes[crate::model::argmax(&h.probabilities)].clone(),
                        probabilities.join(";"),
                    ])?;
                }
            }
            w.flush()?;
            Ok(())
        })?;
    }
    let mut out = std::io::stdout().lock();
    if args.format == "json" {
        let tasks: Vec<_> = outcome
            .tasks
            .iter()
            .map(|t| {
                let best = t.best();
                json!({
                    "task": t.task,
                    "alphas": t.per_alpha.iter().map(|a| {
                        let (mean, spread) = a.macro_f1();
                        json!({"alpha": a.alpha, "macro_f1": mean, "macro_f1_spread": spread, "fold_macro_f1": a.fold_macro_f1})
                    }).collect::<Vec<_>>(),
                    "best_alpha": best.alpha,
                    "best": best.pooled,
                    "baseline": t.baseline,
                })
            })
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &json!({"folds": outcome.folds, "statements": data.examples.len(), "tasks": tasks}),
        )?;
        writeln!(out)?;
        return Ok(super::EXIT_OK);
    }
    writeln!(
        out,
        "{}-fold cross-validation on {} statements",
        outcome.folds,
        data.examples.len()
    )?;
    for t in &outcome.tasks {
        writeln!(out)?;
        writeln!(out, "{}: macro-F1 per alpha (mean ± spread over folds)", t.task)?;
        for a in &t.per_alpha {
            let (mean, spread) = a.macro_f1();
            let mark = if a.alpha == t.best().alpha {
                "  ← best"
            } else {
                ""
            };
            writeln!(out, "  alpha {:<8} {mean:.3} ± {spread:.3}{mark}", a.alpha)?;
        }
        writeln!(
            out,
            "  majority-class baseline macro-F1 {:.3}",
            t.baseline.macro_f1
        )?;
        write_metrics(
            &mut out,
            &format!("{} (pooled held-out, best alpha)", t.task),
            &t.best().pooled,
        )?;
    }
    Ok(super::EXIT_OK)
}
