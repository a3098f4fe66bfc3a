//! Argument groups that several commands share (label input, featurizer and training settings),
//! and the loading steps behind them, so every command reads labels and models the same way.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use sha2::{Digest, Sha256};

use std::io::Write as _;

use crate::extract::SpeakerIndex;
use crate::features::{FeaturizerConfig, NgramRange, TargetFeatures, Weighting, DEFAULT_CHAR_NGRAMS};
use crate::labels::{read_labels, Grouping, LabelledData, ReadOptions};
use crate::model::{ClassBalance, LabelFileDigest, Solver, StanceModel, TrainParams};

/// Which label files to read and how.
#[derive(Debug, Clone, Args)]
pub struct LabelInput {
    /// Label CSV files or folders (a folder means every .csv below it except speakers.csv and the
    /// agreement/ folder); `-` reads standard input. Default: labels.
    #[arg(value_name = "LABELS")]
    pub paths: Vec<PathBuf>,

    /// The same as the LABELS arguments.
    #[arg(long = "labels", value_name = "PATH", num_args = 1..)]
    pub labels: Vec<PathBuf>,

    /// Column holding the statement text (default: `text`, or `tweet` when there is no `text`).
    #[arg(long, value_name = "NAME")]
    pub text_col: Option<String>,

    /// Field delimiter of the label files (one character; `\t` for tab).
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,

    /// What groups statements for cross-validation: `year` or `month` (of the `date` column; one
    /// period held out per fold), a column such as `source` (groups spread over --folds folds), or
    /// `none` (each row alone). Default: `year` when every row has a date, else `source`.
    #[arg(long, value_name = "year|month|COLUMN|none")]
    pub group_by: Option<Grouping>,

    /// Only these tasks (repeat or comma-separate); default: every label column present.
    #[arg(long = "task", value_name = "NAME", value_delimiter = ',')]
    pub tasks: Vec<String>,
}

/// Parses a one-byte delimiter, accepting `\t` and `tab`.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => Err(format!("expected a single character, found {s:?}")),
    }
}

/// Label files read, with their digests.
pub struct LoadedLabels {
    /// The statements and labels of every file.
    pub data: LabelledData,
    /// One digest per file, in reading order.
    pub digests: Vec<LabelFileDigest>,
}

impl LabelInput {
    /// Reads every label file, merging them; tasks are then narrowed to `--task`.
    pub fn load(&self) -> Result<LoadedLabels> {
        let options = ReadOptions {
            text_column: self.text_col.clone(),
            delimiter: self.delimiter,
            group_column: self
                .group_by
                .as_ref()
                .and_then(Grouping::column)
                .unwrap_or("source")
                .to_string(),
        };
        let mut data = LabelledData::default();
        let mut digests = Vec::new();
        let mut paths: Vec<PathBuf> = self.paths.iter().chain(&self.labels).cloned().collect();
        if paths.is_empty() {
            paths.push(PathBuf::from("labels"));
        }
        for file in crate::io::label_files(&paths)? {
            let bytes = crate::io::read_bytes(&file)?;
            let name = display_name(&file);
            let part = read_labels(bytes.as_slice(), &name, &options)?;
            digests.push(LabelFileDigest {
                path: name,
                sha256: sha256_hex(&bytes),
                rows: part.examples.len(),
            });
            data.append(part);
        }
        data.select_tasks(&self.tasks)?;
        Ok(LoadedLabels { data, digests })
    }

    /// The grouping asked for with `--group-by`, else the default for `data`: the year when every
    /// row has a date, else the source.
    pub fn grouping(&self, data: &LabelledData) -> Grouping {
        self.group_by
            .clone()
            .or_else(|| Grouping::default_period(data))
            .unwrap_or(Grouping::Source)
    }
}

pub use crate::io::display_name;

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// How statements are turned into features.
#[derive(Debug, Clone, Args)]
pub struct FeaturizerArgs {
    /// Featurizer settings from a JSON file written by `stance cv --grid --save-config`; the
    /// featurizer flags below are then ignored.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Word n-gram lengths, e.g. 1-2 (unigrams and bigrams).
    #[arg(long, value_name = "MIN-MAX", default_value_t = FeaturizerConfig::default().word_ngrams)]
    pub ngrams: NgramRange,

    /// Also use character n-grams of these lengths within words.
    #[arg(
        long,
        value_name = "MIN-MAX",
        default_value_t = DEFAULT_CHAR_NGRAMS,
        conflicts_with = "no_char_ngrams"
    )]
    pub char_ngrams: NgramRange,

    /// Use word n-grams only.
    #[arg(long)]
    pub no_char_ngrams: bool,

    /// Keep only terms found in at least this many training statements.
    #[arg(long, value_name = "N", default_value_t = FeaturizerConfig::default().min_df)]
    pub min_df: usize,

    /// Keep at most this many terms (the most frequent); 0 for no limit.
    #[arg(long, value_name = "N", default_value_t = FeaturizerConfig::default().max_features.unwrap_or(0))]
    pub max_features: usize,

    /// Feature values: binary, tf or tf-idf (IDF learned at training time and stored).
    #[arg(long, value_name = "KIND", default_value_t = FeaturizerConfig::default().weighting)]
    pub weighting: Weighting,

    /// Use raw term counts instead of 1 + ln(count).
    #[arg(long)]
    pub no_sublinear_tf: bool,

    /// Do not scale feature vectors to unit length.
    #[arg(long)]
    pub no_l2: bool,

    /// Drop English function words from word n-grams (negations, modals, "against" are kept).
    #[arg(long)]
    pub stop_words: bool,

    /// Mark words after a negation ("no", "not", "never", "…n't"), up to the end of the clause.
    #[arg(long)]
    pub negation: bool,

    /// Target-aware terms, comma-separated: `mentions` (a term per mention of a target, found
    /// with the per-target lexicons stored in the model), `window` (the word n-grams within
    /// --target-window words of a mention), `cues` (negation and opposition cues in that window).
    #[arg(long, value_name = "mentions,window,cues", value_delimiter = ',', value_parser = ["mentions", "window", "cues"])]
    pub target_features: Vec<String>,

    /// Words on each side of a target mention that --target-features window and cues look at.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub target_window: usize,

    /// Add terms for the sign and strength of words in VADER's sentiment lexicon (negation-aware).
    #[arg(long)]
    pub sentiment_lexicon: bool,

    /// Scale word n-grams, character n-grams and tagged (target, lexicon) terms to unit length
    /// each on their own instead of together.
    #[arg(long)]
    pub normalize_families_apart: bool,
}

impl FeaturizerArgs {
    /// The featurizer configuration: from `--config` when given, else from the flags.
    pub fn resolve(&self) -> Result<FeaturizerConfig> {
        match &self.config {
            Some(path) => {
                let bytes = crate::io::read_bytes(path)?;
                let saved: SavedConfig = serde_json::from_slice(&bytes).with_context(|| {
                    format!(
                        "{}: not a featurizer configuration written by `stance cv --grid --save-config`",
                        path.display()
                    )
                })?;
                Ok(saved.featurizer)
            }
            None => Ok(self.config()),
        }
    }

    /// The featurizer configuration these flags describe.
    pub fn config(&self) -> FeaturizerConfig {
        FeaturizerConfig {
            word_ngrams: self.ngrams,
            char_ngrams: (!self.no_char_ngrams).then_some(self.char_ngrams),
            min_df: self.min_df,
            max_features: (self.max_features > 0).then_some(self.max_features),
            weighting: self.weighting,
            sublinear_tf: !self.no_sublinear_tf,
            l2_normalize: !self.no_l2,
            stop_words: self.stop_words,
            negation: self.negation,
            targets: (!self.target_features.is_empty()).then(|| {
                let on = |part: &str| self.target_features.iter().any(|p| p == part);
                TargetFeatures::standard(on("mentions"), on("window"), on("cues"), self.target_window)
            }),
            sentiment_lexicon: self.sentiment_lexicon,
            normalize_families_apart: self.normalize_families_apart,
        }
    }
}

/// What `stance cv --grid --save-config` writes and `--config` reads.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SavedConfig {
    /// The chosen featurizer settings.
    pub featurizer: FeaturizerConfig,
    /// Mean grouped-CV macro-F1 over the tasks that chose it.
    pub mean_macro_f1: f64,
    /// Per task: (task, best alpha, its macro-F1).
    pub tasks: Vec<(String, f64, f64)>,
}

/// How the classifiers are fitted and cross-validated.
#[derive(Debug, Clone, Args)]
pub struct TrainingArgs {
    /// Candidate L2 strengths (linfa's alpha = 1/C of scikit-learn), comma-separated; grouped
    /// cross-validation picks the best per task.
    #[arg(long = "alpha", value_name = "A,B,…", value_delimiter = ',', allow_negative_numbers = true, default_values_t = TrainParams::default().alphas)]
    pub alphas: Vec<f64>,

    /// Cross-validation folds (grouped by --group-by, default the source article).
    #[arg(long, value_name = "K", default_value_t = TrainParams::default().folds)]
    pub folds: usize,

    /// L-BFGS iteration limit per fit.
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().max_iterations)]
    pub max_iterations: u64,

    /// Class imbalance: `oversample` repeats rows of smaller classes up to the largest (the same as
    /// class weights n_max/n_class, which linfa-logistic lacks), or `none`.
    #[arg(long, value_name = "HOW", default_value_t = TrainParams::default().balance)]
    pub balance: ClassBalance,

    /// auto: linfa-logistic on a dense matrix up to 1M cells (rows × features), the sparse solver
    /// above; linfa: always linfa-logistic (the reference); sparse: always the sparse solver. Both
    /// minimise the same objective with the same L-BFGS.
    #[arg(long, value_name = "SOLVER", default_value_t = TrainParams::default().solver)]
    pub solver: Solver,

    /// Naive-Bayes log-count-ratio scaling of features before the logistic model, one-vs-rest per
    /// class (Wang & Manning's NBSVM idea with logistic regression).
    #[arg(long)]
    pub nb_scaling: bool,
}

impl TrainingArgs {
    /// The training parameters these flags describe (not yet validated).
    pub fn params(&self) -> TrainParams {
        TrainParams {
            alphas: self.alphas.clone(),
            folds: self.folds,
            max_iterations: self.max_iterations,
            balance: self.balance,
            solver: self.solver,
            nb_scaling: self.nb_scaling,
            ..TrainParams::default()
        }
    }
}

/// Where the model is read from.
#[derive(Debug, Clone, Args)]
pub struct ModelInput {
    /// Model file written by `stance train`.
    #[arg(long, value_name = "FILE", default_value = "models/stance.model")]
    pub model: PathBuf,
}

impl ModelInput {
    /// Reads and checks the model file.
    pub fn load(&self) -> Result<StanceModel> {
        let bytes = crate::io::read_bytes(&self.model)?;
        crate::model::file::read_model(bytes.as_slice())
            .with_context(|| format!("cannot load model {}", self.model.display()))
    }
}

/// Where the speaker table is read from.
#[derive(Debug, Clone, Args)]
pub struct SpeakerInput {
    /// Speaker aliases and role descriptions (speaker,gender,aliases).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_SPEAKERS)]
    pub speakers: PathBuf,
}

/// The speaker table used when `--speakers` is not given.
const DEFAULT_SPEAKERS: &str = "labels/speakers.csv";

impl SpeakerInput {
    /// Reads the speaker table; without one at the default place (outside the repository), speakers
    /// are kept as named in the articles, with a warning.
    pub fn load(&self) -> Result<SpeakerIndex> {
        if self.speakers == Path::new(DEFAULT_SPEAKERS) && !self.speakers.exists() {
            writeln!(
                std::io::stderr(),
                "stance: warning: no {DEFAULT_SPEAKERS} here: speakers are kept as named in the articles (give one with --speakers)"
            )?;
            return Ok(SpeakerIndex::empty());
        }
        let bytes = crate::io::read_bytes(&self.speakers)?;
        Ok(SpeakerIndex::from_csv(
            bytes.as_slice(),
            &display_name(&self.speakers),
        )?)
    }
}

/// Writes one task's metrics as an aligned block: summary line, per-class table, confusion matrix.
pub fn write_metrics(out: &mut dyn std::io::Write, task: &str, m: &crate::metrics::Metrics) -> Result<()> {
    let f_avg = m.f_avg.map_or(String::new(), |f| format!("  F_avg {f:.3}"));
    writeln!(
        out,
        "{task}: {} rows  accuracy {:.3}  macro-F1 {:.3}{f_avg}",
        m.rows, m.accuracy, m.macro_f1
    )?;
    writeln!(
        out,
        "  {:<12} {:>9} {:>7} {:>7} {:>8}",
        "class", "precision", "recall", "F1", "support"
    )?;
    for c in &m.per_class {
        writeln!(
            out,
            "  {:<12} {:>9.3} {:>7.3} {:>7.3} {:>8}",
            c.class, c.precision, c.recall, c.f1, c.support
        )?;
    }
    let width = m
        .per_class
        .iter()
        .map(|c| c.class.len())
        .max()
        .unwrap_or(4)
        .max(6);
    write!(
        out,
        "  confusion (rows gold, columns predicted)\n  {:<width$}",
        ""
    )?;
    for c in &m.per_class {
        write!(out, " {:>width$}", c.class)?;
    }
    writeln!(out)?;
    for (c, row) in m.per_class.iter().zip(&m.confusion) {
        write!(out, "  {:<width$}", c.class)?;
        for n in row {
            write!(out, " {n:>width$}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

impl clap::ValueEnum for crate::output::Format {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::output::Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.help()))
    }
}

impl clap::ValueEnum for crate::report::render::Format {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::report::render::Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let value = clap::builder::PossibleValue::new(self.name()).help(self.help());
        Some(match self {
            crate::report::render::Format::Markdown => value.alias("md"),
            _ => value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        featurizer: FeaturizerArgs,
        #[command(flatten)]
        training: TrainingArgs,
    }

    #[test]
    fn flags_left_out_give_the_library_defaults() {
        let flags = Flags::parse_from(["stance"]);
        assert_eq!(flags.featurizer.config(), FeaturizerConfig::default());
        assert_eq!(flags.training.params(), TrainParams::default());
    }
}
