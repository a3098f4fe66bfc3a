//! `stance labels suggest`: the statements a person should label next — those the model is least
//! sure about, spread over sources and speakers, none already labelled — as a label file with
//! empty label columns to fill in.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::shared::{display_name, ModelInput, RunArgs, SpeakerInput, StatementLimit};
use crate::count::count;
use crate::io::inputs::Accept;
use crate::labels::{read_labels, LabelledData, ReadOptions};
use crate::pipeline::{ClassifiedSink, Pipeline};
use crate::suggest::{write_csv, Labelled, Selection, Strategy, SuggestSettings, Suggester};

const AFTER_HELP: &str = "\
How statements are chosen:
  Articles (files, folders, `-`) are extracted and every attributed statement classified;
  statement files (CSV or JSONL with speaker and text, such as `stance extract` writes) are
  classified as they are. Each task scores the model's uncertainty about a statement from 0 (sure)
  to 1: --strategy margin is 1 - (p1 - p2) for the two likeliest classes, entropy is the entropy
  of all classes over log(classes). Statements are ranked by the mean over the tasks (a row is
  labelled for every task at once, so this is what labelling it is worth), or with --per-task by
  each task's own uncertainty, the tasks' best taken in turn (for a task that lags behind).
  The list is filled in rank order, passing over statements whose source already has
  --max-per-source or whose speaker already has --max-per-speaker places, statements already in
  the --labels files (the same words after folding case, accents and punctuation, or nearly the
  same: the near-duplicate test of `labels check`), and repeats of a statement already listed.
  Scores are compared at four decimals; --seed breaks ties, so a seed gives the same list every
  time.

Output: a label file (id,source,date,speaker,kind,text, one empty column per task, note) to fill
in, with the model's guess, each class's probability and each task's uncertainty in columns named
model_… that the label reader ignores. Fill the label columns (and date, when empty), delete the
rows you did not label, and add the file to labels/: `stance labels check` then `stance train`.
Ids are sg- and a hash of source and text: the same statement gets the same id in every run, and
no id of the label files is used.

Examples:
  stance labels suggest news/ -o next.csv
  stance labels suggest statements.csv --limit 100 --per-task --strategy entropy
  stance extract archive/ --format jsonl | stance labels suggest - --max-per-source 1
  stance labels suggest news/ --task military_action --labels labels my-labels.csv";

/// Rank statements by the model's uncertainty and write the ones to label next.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Article files, folders of articles, statement files (.csv or .jsonl with speaker and
    /// text, e.g. from `stance extract`), or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,

    #[command(flatten)]
    model: ModelInput,

    #[command(flatten)]
    speakers: SpeakerInput,

    /// Label files or folders whose statements are never suggested (a folder means every .csv
    /// below it except speakers.csv and agreement/). Default: labels, when the current folder
    /// has one.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    labels: Vec<PathBuf>,

    /// How a task's uncertainty is measured.
    #[arg(long, value_name = "STRATEGY", default_value = "margin")]
    strategy: Strategy,

    /// Rank by each task's uncertainty and take the tasks' best in turn, instead of ranking by
    /// the mean uncertainty over tasks.
    #[arg(long)]
    per_task: bool,

    /// Only these tasks' uncertainty counts (repeat or comma-separate); default: every task.
    #[arg(long = "task", value_name = "NAME", value_delimiter = ',')]
    tasks: Vec<String>,

    /// Statements suggested at most (at least 1).
    #[arg(long, short = 'n', value_name = "N", default_value_t = SuggestSettings::default().limit as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    limit: u64,

    /// Statements suggested per source (article or URL) at most; 0 for no cap.
    #[arg(long, value_name = "N", default_value_t = SuggestSettings::default().max_per_source)]
    max_per_source: usize,

    /// Statements suggested per speaker at most; 0 for no cap.
    #[arg(long, value_name = "N", default_value_t = SuggestSettings::default().max_per_speaker)]
    max_per_speaker: usize,

    /// Breaks ties between statements of equal score; the same seed gives the same list.
    #[arg(long, value_name = "N", default_value_t = SuggestSettings::default().seed)]
    seed: u64,

    #[command(flatten)]
    limit_bytes: StatementLimit,

    /// Write the suggestions to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    run: RunArgs,
}

/// The label folder used when `--labels` is not given.
const DEFAULT_LABELS: &str = "labels";

/// Runs `stance labels suggest`: every input through the pipeline into the suggester, then the
/// list written as a label file.
pub fn run(args: Args) -> Result<u8> {
    if let Some(path) = &args.output {
        crate::io::check_writable(path)?;
    }
    let settings = SuggestSettings {
        strategy: args.strategy,
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
        per_task: args.per_task,
        max_per_source: args.max_per_source,
        max_per_speaker: args.max_per_speaker,
        seed: args.seed,
        tasks: args.tasks.clone(),
    };
    let model = args.model.load(&args.run)?;
    let suggester = Suggester::new(&model, settings)?;
    let labelled = Labelled::new(&read_label_files(&args)?);
    let speakers = args.speakers.load(&args.run)?;
    let pool = args.run.pool()?;
    let pipeline = Pipeline {
        speakers: &speakers,
        model: Some(&model),
        pool: &pool,
        max_statement_bytes: args.limit_bytes.max_statement_bytes,
    };
    let mut sink = ClassifiedSink::new(suggester);
    let failed = pipeline.run(
        &args.inputs,
        Accept::ArticlesAndStatements,
        &mut sink,
        &mut super::print_notice,
    )?;
    let ClassifiedSink {
        collector: suggester,
        unattributed,
    } = sink;
    let (candidates, unusable) = (suggester.candidates(), suggester.unusable());
    if candidates == 0 {
        let mut found = Vec::new();
        if unattributed > 0 {
            found.push(format!("{} without a speaker", count(unattributed, "statement")));
        }
        if unusable > 0 {
            found.push(format!("{} without text", count(unusable, "statement")));
        }
        bail!(
            "no statement to suggest in {}{} (expected articles with attributed statements, or statement files with speaker and text)",
            args.inputs.iter().map(|p| display_name(p)).collect::<Vec<_>>().join(", "),
            if found.is_empty() { String::new() } else { format!(": only {}", found.join(" and ")) },
        );
    }
    let selection = suggester.select(&labelled);
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    crate::io::write_atomic(&target, |out| write_csv(&selection, &model, out))?;
    args.run.note(&summary(&selection, unattributed, &args));
    if selection.suggestions.is_empty() {
        super::print_notice(format!(
            "warning: every one of the {} is already labelled or over a cap: nothing to suggest",
            count(candidates, "statement")
        ));
    }
    if failed > 0 {
        super::print_notice(format!(
            "{} could not be read; the suggestions come from the rest",
            count(failed, "input")
        ));
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

/// The label files' statements: `--labels`, or the labels folder when there is one here.
fn read_label_files(args: &Args) -> Result<LabelledData> {
    let paths = if args.labels.is_empty() {
        if !Path::new(DEFAULT_LABELS).is_dir() {
            args.run.note(&format!(
                "no {DEFAULT_LABELS} folder here: no statement is passed over as already labelled (give label files with --labels)"
            ));
            return Ok(LabelledData::default());
        }
        vec![PathBuf::from(DEFAULT_LABELS)]
    } else {
        args.labels.clone()
    };
    let mut data = LabelledData::default();
    for file in crate::io::label_files(&paths)? {
        let bytes = crate::io::read_bytes(&file)?;
        data.append(read_labels(
            bytes.as_slice(),
            &display_name(&file),
            &ReadOptions::default(),
        )?);
    }
    Ok(data)
}

/// One line saying what was suggested and what was passed over.
fn summary(selection: &Selection, unattributed: usize, args: &Args) -> String {
    let s = &selection.skipped;
    let mut passed = Vec::new();
    for (n, why) in [
        (s.labelled, "already labelled".to_string()),
        (s.labelled_near, "nearly the same as a labelled one".to_string()),
        (s.repeated, "repeating a suggested one".to_string()),
        (
            s.source_cap,
            format!("over --max-per-source {}", args.max_per_source),
        ),
        (
            s.speaker_cap,
            format!("over --max-per-speaker {}", args.max_per_speaker),
        ),
    ] {
        if n > 0 {
            passed.push(format!("{n} {why}"));
        }
    }
    let mut line = format!(
        "suggested {} of {}",
        selection.suggestions.len(),
        count(selection.candidates, "statement")
    );
    if !passed.is_empty() {
        line.push_str(&format!("; passed over {}", passed.join(", ")));
    }
    if unattributed > 0 {
        line.push_str(&format!(
            "; {} without a speaker left out",
            count(unattributed, "statement")
        ));
    }
    line
}

impl clap::ValueEnum for Strategy {
    fn value_variants<'a>() -> &'a [Self] {
        &Strategy::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.help()))
    }
}
