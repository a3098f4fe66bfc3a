//! `stance train`: learn one classifier per task from labelled CSV files and save the model.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use super::shared::{FeaturizerArgs, FiguresFormat, LabelInput, RunArgs, TrainingArgs, LOCAL_MODEL};
use crate::count::count;
use crate::model::{self, StanceModel};

const AFTER_HELP: &str = "\
How it trains:
  One multinomial logistic regression (linfa-logistic) per task column: assad, military_action,
  sentiment, or every target of a long-format file (text,target,stance). The L2 strength of each
  task is chosen by k-fold cross-validation grouped by source article, so statements of one article
  never sit on both sides of a split; the grouped-CV macro-F1 is printed and stored in the model.
  Class imbalance: linfa-logistic has no class weights, so rows of smaller classes are repeated
  (--balance oversample) until every class has as many rows as the largest; that is exactly a class
  weight of n_largest / n_class in the summed loss.
  The same labels and flags give a byte-identical model file.

Examples:
  stance train
  stance train --labels labels/statements.csv labels/corpus -o models/stance.model
  stance train --labels semeval.csv --text-col tweet --task atheism --alpha 0.3,1,3
  cat labels.tsv | stance train --labels - --delimiter '\\t' -o my.model
  stance train convote_train.csv --text-col text --task vote --group-by debate -o convote.model";

/// Learn one classifier per task from labelled CSV and save the model.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    input: LabelInput,

    /// Where to write the model (atomically: an interrupted run leaves the old file intact).
    /// `--out` is the same flag.
    #[arg(long, short, visible_alias = "out", value_name = "FILE", default_value = LOCAL_MODEL)]
    output: PathBuf,

    #[command(flatten)]
    featurizer: FeaturizerArgs,

    #[command(flatten)]
    training: TrainingArgs,

    /// Fit each task once on all its rows with the single --alpha given, without cross-validation:
    /// no held-out figures are printed or stored. For a quick model while labelling, or for timing
    /// against tools that fit once (bench/run does).
    #[arg(long)]
    no_cv: bool,

    /// How the training figures are printed on standard output.
    #[arg(long, short, value_name = "FORMAT", default_value = "table")]
    format: FiguresFormat,

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance train`.
pub fn run(args: Args) -> Result<u8> {
    let mut params = args.training.params();
    params.cross_validate = !args.no_cv;
    let params = params.validate()?;
    crate::io::check_writable(&args.output)?;
    let pool = args.run.pool()?;
    let loaded = args.input.load()?;
    if let Some(grouping) = &args.input.group_by {
        // A column that is not there is an error, not one group per row.
        grouping.groups(&loaded.data)?;
    }
    let config = args.featurizer.resolve()?;
    let progress = ProgressBar::new(model::planned_fits(&loaded.data, &params) as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} training {bar:30} {pos}/{len} fits, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    if args.run.quiet {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let tick = || progress.inc(1);
    let outcome = pool.install(|| model::train(&loaded.data, &config, &params, &tick))?;
    progress.finish_and_clear();
    let mut model = outcome.model;
    model.metadata.label_files = loaded.digests;
    crate::io::write_atomic(&args.output, |w| Ok(model::file::write_model(&model, w)?))
        .with_context(|| format!("model not saved to {}", args.output.display()))?;
    let mut err = std::io::stderr();
    for warning in &outcome.warnings {
        writeln!(err, "stance: warning: {warning}")?;
    }
    let grouped_by = args
        .input
        .group_by
        .as_ref()
        .and_then(|g| g.column())
        .unwrap_or("source");
    match args.format {
        FiguresFormat::Json => print_json(&model, &args.output, grouped_by)?,
        FiguresFormat::Table if !args.run.quiet => print_summary(&model, &args.output, grouped_by)?,
        FiguresFormat::Table => {}
    }
    Ok(super::EXIT_OK)
}

/// The training figures as one JSON object: where the model went, what it was trained on, and
/// per task the chosen alpha, convergence and the held-out cross-validation figures.
fn print_json(model: &StanceModel, out: &std::path::Path, grouped_by: &str) -> Result<()> {
    #[derive(serde::Serialize)]
    struct TaskJson<'a> {
        task: &'a str,
        classes: &'a [String],
        #[serde(flatten)]
        training: &'a model::TaskTraining,
    }
    #[derive(serde::Serialize)]
    struct TrainJson<'a> {
        model: String,
        statements: usize,
        label_files: &'a [model::LabelFileDigest],
        features: usize,
        grouped_by: Option<&'a str>,
        tasks: Vec<TaskJson<'a>>,
    }
    let cross_validated = model.tasks.iter().any(|t| t.training.cv.is_some());
    let json = TrainJson {
        model: out.display().to_string(),
        statements: model.metadata.statements,
        label_files: &model.metadata.label_files,
        features: model.featurizer.n_features(),
        grouped_by: cross_validated.then_some(grouped_by),
        tasks: model
            .tasks
            .iter()
            .map(|t| TaskJson {
                task: &t.name,
                classes: &t.classes,
                training: &t.training,
            })
            .collect(),
    };
    let mut w = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut w, &json)?;
    writeln!(w)?;
    Ok(())
}

fn print_summary(model: &StanceModel, out: &std::path::Path, grouped_by: &str) -> Result<()> {
    let mut w = std::io::stdout().lock();
    let sources = model.metadata.label_files.len();
    let folds = model
        .tasks
        .first()
        .and_then(|t| t.training.cv.as_ref())
        .map(|cv| cv.folds);
    writeln!(
        w,
        "trained {} on {} from {}; {}; {}",
        count(model.tasks.len(), "task"),
        count(model.metadata.statements, "statement"),
        count(sources, "file"),
        count(model.featurizer.n_features(), "feature"),
        match folds {
            Some(folds) => format!("{folds}-fold cross-validation grouped by {grouped_by}"),
            None => "no cross-validation (--no-cv)".to_string(),
        }
    )?;
    writeln!(w)?;
    if folds.is_none() {
        writeln!(w, "{:<18} {:>7} {:>10}", "task", "alpha", "converged")?;
        for task in &model.tasks {
            writeln!(
                w,
                "{:<18} {:>7} {:>10}",
                task.name,
                format!("{}", task.training.alpha),
                if task.training.converged { "yes" } else { "no" }
            )?;
        }
        writeln!(w)?;
        writeln!(w, "model written to {}", out.display())?;
        return Ok(());
    }
    writeln!(
        w,
        "{:<18} {:>7} {:>17} {:>9} {:>10}",
        "task", "alpha", "CV macro-F1", "accuracy", "baseline"
    )?;
    for task in &model.tasks {
        let Some(cv) = &task.training.cv else { continue };
        writeln!(
            w,
            "{:<18} {:>7} {:>10.3} ± {:.3} {:>9.3} {:>10.3}",
            task.name,
            format!("{}", task.training.alpha),
            cv.macro_f1,
            cv.macro_f1_spread,
            cv.accuracy,
            cv.baseline_macro_f1
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{:<18} {:<10} {:>9} {:>7} {:>7} {:>8}",
        "task", "class", "precision", "recall", "F1", "support"
    )?;
    for task in &model.tasks {
        for m in task.training.cv.iter().flat_map(|cv| &cv.per_class) {
            writeln!(
                w,
                "{:<18} {:<10} {:>9.3} {:>7.3} {:>7.3} {:>8}",
                task.name, m.class, m.precision, m.recall, m.f1, m.support
            )?;
        }
    }
    writeln!(w)?;
    writeln!(w, "(held-out figures; baseline = always the most frequent class)")?;
    writeln!(w, "model written to {}", out.display())?;
    Ok(())
}
