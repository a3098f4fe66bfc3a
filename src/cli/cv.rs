//! `stance cv`: cross-validated quality of a featurizer and training configuration, without
//! writing a model.

use anyhow::Result;
use serde_json::json;

use super::shared::{
    write_metrics, FeaturizerArgs, FiguresOutput, LabelInput, RunArgs, SavedConfig, TrainingArgs,
};
use crate::features::{FeaturizerConfig, DEFAULT_CHAR_NGRAMS};
use crate::labels::LabelledData;
use crate::model::cv::{assign_folds, cross_validate_folds, folds_from_values};
use crate::model::ValidTrainParams;

const AFTER_HELP: &str = "\
Folds follow --group-by: by default leave-one-year-out (each year of the `date` column held out
in turn: the measure closest to news of a period nobody labelled) when every row has a date, else
grouped by source article (one article's statements never sit on both sides of a split); or they
are taken from a column with --fold-col. Folds run in parallel.
For every task and every --alpha: the mean and spread (standard deviation) of the per-fold
macro-F1; for the best alpha, the pooled held-out accuracy, macro-F1, F_avg, per-class metrics and
confusion matrix, next to the majority-class baseline.

Examples:
  stance cv
  stance cv --group-by source             # 5 folds, one article's statements in one fold
  stance cv --group-by month
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

    #[command(flatten)]
    output: FiguresOutput,

    /// Try a grid of featurizer settings (character n-grams on/off × min-df 1, 2 × stop words ×
    /// negation marking), each with every --alpha, and rank them by mean macro-F1 over the tasks.
    #[arg(long)]
    grid: bool,

    /// With --grid: write the best settings to this JSON file, for `stance train --config FILE`.
    #[arg(long, value_name = "FILE", requires = "grid")]
    save_config: Option<std::path::PathBuf>,

    /// Also write every held-out prediction of the best alpha (file, line, id, task, gold,
    /// predicted, one probability per class) to this CSV, e.g. to choose a report threshold.
    #[arg(long, value_name = "FILE")]
    predictions: Option<std::path::PathBuf>,

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance cv`.
pub fn run(args: Args) -> Result<u8> {
    let params = args.training.params().validate()?;
    args.output.check()?;
    if let Some(path) = &args.predictions {
        crate::io::check_writable(path)?;
    }
    let pool = args.run.pool()?;
    let data = args.input.load()?.data;
    let grouping = args.input.grouping(&data);
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
            let groups = grouping.groups(&data)?;
            match grouping.is_period() {
                true => folds_from_values(&groups),
                false => assign_folds(&groups, params.get().folds),
            }
        }
    };
    let scheme = match &args.fold_col {
        Some(column) => format!("{folds}-fold (folds from column `{column}`)"),
        None => grouping.describe(folds),
    };
    let total = data.tasks.len() * folds * params.get().alphas.len();
    let progress = args.run.progress(total as u64);
    let tick = || progress.inc(1);
    if args.grid {
        return pool.install(|| grid(&args, &data, &params, &fold_of, &scheme));
    }
    let config = args.featurizer.resolve()?;
    let outcome = pool.install(|| cross_validate_folds(&data, &config, &params, &fold_of, folds, &tick))?;
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
    let json =
        json!({"folds": outcome.folds, "scheme": scheme, "statements": data.examples.len(), "tasks": tasks});
    args.output.write(&json, |out| {
        writeln!(
            out,
            "{scheme} cross-validation on {}",
            crate::count::count(data.examples.len(), "statement")
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
                out,
                &format!("{} (pooled held-out, best alpha)", t.task),
                &t.best().pooled,
            )?;
        }
        Ok(())
    })?;
    Ok(super::EXIT_OK)
}

/// The featurizer settings `--grid` tries, starting from the flags' configuration.
fn grid_configs(base: &FeaturizerConfig) -> Vec<FeaturizerConfig> {
    let mut configs = Vec::new();
    for char_ngrams in [Some(DEFAULT_CHAR_NGRAMS), None] {
        for min_df in [1, 2] {
            for (stop_words, negation) in [(false, false), (true, false), (false, true), (true, true)] {
                configs.push(FeaturizerConfig {
                    char_ngrams,
                    min_df,
                    stop_words,
                    negation,
                    ..base.clone()
                });
            }
        }
    }
    configs
}

fn describe(c: &FeaturizerConfig) -> String {
    format!(
        "words {}{}, min-df {}{}{}",
        c.word_ngrams,
        c.char_ngrams.map_or(String::new(), |r| format!(" + chars {r}")),
        c.min_df,
        if c.stop_words { ", stop words" } else { "" },
        if c.negation { ", negation" } else { "" }
    )
}

fn grid(
    args: &Args,
    data: &LabelledData,
    params: &ValidTrainParams,
    fold_of: &[usize],
    scheme: &str,
) -> Result<u8> {
    let folds = fold_of.iter().max().map_or(0, |f| f + 1);
    let configs = grid_configs(&args.featurizer.resolve()?);
    let mut results = Vec::new();
    for (i, config) in configs.iter().enumerate() {
        args.run
            .note(&format!("grid {}/{}: {}", i + 1, configs.len(), describe(config)));
        let outcome = cross_validate_folds(data, config, params, fold_of, folds, &|| {})?;
        let tasks: Vec<(String, f64, f64)> = outcome
            .tasks
            .iter()
            .map(|t| (t.task.clone(), t.best().alpha, t.best().macro_f1().0))
            .collect();
        let mean = tasks.iter().map(|t| t.2).sum::<f64>() / tasks.len().max(1) as f64;
        results.push(SavedConfig {
            featurizer: config.clone(),
            mean_macro_f1: mean,
            tasks,
        });
    }
    // Best first; ties keep grid order (the simpler settings come first in it).
    results.sort_by(|a, b| b.mean_macro_f1.total_cmp(&a.mean_macro_f1));
    args.output.write(&results, |out| {
        writeln!(
            out,
            "{scheme} cross-validation of {} (best alpha per task):",
            crate::count::count(results.len(), "featurizer setting")
        )?;
        for r in &results {
            let tasks: Vec<String> = r
                .tasks
                .iter()
                .map(|(t, a, f)| format!("{t} {f:.3} (α {a})"))
                .collect();
            writeln!(
                out,
                "  {:.3}  {:<48} {}",
                r.mean_macro_f1,
                describe(&r.featurizer),
                tasks.join(", ")
            )?;
        }
        Ok(())
    })?;
    if let (Some(path), Some(best)) = (&args.save_config, results.first()) {
        crate::io::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, best)?;
            writeln!(w)?;
            Ok(())
        })?;
        args.run.note(&format!(
            "best settings written to {} (use: stance train --config {})",
            path.display(),
            path.display()
        ));
    }
    Ok(super::EXIT_OK)
}
