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

    #[command(flatten)]
    pub limit: StatementLimit,
}

/// How long a statement may be.
#[derive(Debug, Clone, Args)]
pub struct StatementLimit {
    /// Longest statement read, in bytes; a longer one is an error naming its line. The default,
    /// 1 MiB, is far above real statements and speeches, and bounds one statement's memory.
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = crate::features::DEFAULT_MAX_STATEMENT_BYTES,
        allow_negative_numbers = true
    )]
    pub max_statement_bytes: usize,
}

/// Parses a one-byte delimiter, accepting `\t` and `tab`.
pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 => Ok(s.as_bytes()[0]),
        _ => Err(format!("expected a single character, found {s:?}")),
    }
}

/// Parses a probability or share: a number from 0 to 1 (negative numbers are read as values, so
/// `--threshold -0.1` is refused for its range, not taken for a flag).
pub fn parse_probability(s: &str) -> Result<f64, String> {
    let value: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("expected a number between 0 and 1, found {s:?}"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("expected a number between 0 and 1, found {value}"))
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
            max_text_bytes: self.limit.max_statement_bytes,
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
        data.check_ids()?;
        for warning in &data.warnings {
            writeln!(std::io::stderr(), "stance: warning: {warning}")?;
        }
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

    /// Word n-gram lengths, e.g. 1-2 (unigrams and bigrams); at most 8.
    #[arg(long, value_name = "MIN-MAX", default_value_t = FeaturizerConfig::default().word_ngrams, allow_negative_numbers = true, value_parser = parse_word_ngrams)]
    pub ngrams: NgramRange,

    /// Also use character n-grams of these lengths within words; at most 10.
    #[arg(
        long,
        value_name = "MIN-MAX",
        default_value_t = DEFAULT_CHAR_NGRAMS,
        conflicts_with = "no_char_ngrams",
        allow_negative_numbers = true,
        value_parser = parse_char_ngrams
    )]
    pub char_ngrams: NgramRange,

    /// Use word n-grams only.
    #[arg(long)]
    pub no_char_ngrams: bool,

    /// Keep only terms found in at least this many training statements.
    #[arg(long, value_name = "N", default_value_t = FeaturizerConfig::default().min_df, allow_negative_numbers = true)]
    pub min_df: usize,

    /// Keep at most this many terms (the most frequent); 0 for no limit.
    #[arg(long, value_name = "N", default_value_t = FeaturizerConfig::default().max_features.unwrap_or(0), allow_negative_numbers = true)]
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
                saved
                    .featurizer
                    .validate()
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                Ok(saved.featurizer)
            }
            None => {
                let config = self.config();
                config.validate().map_err(anyhow::Error::msg)?;
                Ok(config)
            }
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

/// Parses `--ngrams`: a range of word n-gram lengths within `MAX_WORD_NGRAM`.
fn parse_word_ngrams(s: &str) -> Result<NgramRange, String> {
    let range: NgramRange = s.parse()?;
    range.check("word", crate::features::MAX_WORD_NGRAM)?;
    Ok(range)
}

/// Parses `--char-ngrams`: a range of character n-gram lengths within `MAX_CHAR_NGRAM`.
fn parse_char_ngrams(s: &str) -> Result<NgramRange, String> {
    let range: NgramRange = s.parse()?;
    range.check("character", crate::features::MAX_CHAR_NGRAM)?;
    Ok(range)
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
    #[arg(long, value_name = "K", default_value_t = TrainParams::default().folds, allow_negative_numbers = true)]
    pub folds: usize,

    /// L-BFGS iteration limit per fit.
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().max_iterations, allow_negative_numbers = true)]
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

/// The shipped model, built into the binary so that `stance` works from any folder.
const BUILT_IN_MODEL: &[u8] = include_bytes!("../../models/stance.model");

/// The shipped speaker table, built into the binary like the model.
const BUILT_IN_SPEAKERS: &[u8] = include_bytes!("../../labels/speakers.csv");

/// Environment variable naming the model file used when `--model` is not given.
pub const MODEL_ENV: &str = "STANCE_MODEL";

/// Environment variable naming the speaker table used when `--speakers` is not given.
pub const SPEAKERS_ENV: &str = "STANCE_SPEAKERS";

/// Where the model is looked for in the current folder when neither `--model` nor
/// `STANCE_MODEL` names one (and where `stance train` writes by default).
pub const LOCAL_MODEL: &str = "models/stance.model";

/// Where the speaker table is looked for in the current folder when neither `--speakers` nor
/// `STANCE_SPEAKERS` names one.
pub const LOCAL_SPEAKERS: &str = "labels/speakers.csv";

/// Where a default file (the model, the speaker table) comes from: the first of the flag, the
/// environment variable, the file in the current folder and the copy built into the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultSource {
    /// Named on the command line.
    Flag(PathBuf),
    /// Named by an environment variable (its name).
    Env(PathBuf, &'static str),
    /// Found at its usual place in the current folder.
    Local(PathBuf),
    /// The copy built into the binary.
    BuiltIn,
}

impl DefaultSource {
    /// Resolves in order: `flag`, then the environment variable `env` (when set and not empty),
    /// then `local` when it exists in the current folder, then the built-in copy.
    pub fn resolve(flag: Option<&Path>, env: &'static str, local: &str) -> Self {
        if let Some(path) = flag {
            return DefaultSource::Flag(path.to_path_buf());
        }
        if let Some(value) = std::env::var_os(env).filter(|v| !v.is_empty()) {
            return DefaultSource::Env(PathBuf::from(value), env);
        }
        let local = Path::new(local);
        if local.is_file() {
            return DefaultSource::Local(local.to_path_buf());
        }
        DefaultSource::BuiltIn
    }

    /// The file's bytes, or `built_in` for the built-in copy. An error names the file and,
    /// for the environment variable, which variable named it.
    fn read(&self, built_in: &'static [u8]) -> Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            DefaultSource::Flag(path) | DefaultSource::Local(path) => Ok(crate::io::read_bytes(path)?.into()),
            DefaultSource::Env(path, env) => Ok(crate::io::read_bytes(path)
                .with_context(|| format!("{env}={} names a file that cannot be read", path.display()))?
                .into()),
            DefaultSource::BuiltIn => Ok(built_in.into()),
        }
    }

    /// The name used in messages: the path, or `built-in <what>`.
    fn name(&self, what: &str) -> String {
        match self {
            DefaultSource::Flag(path) | DefaultSource::Env(path, _) | DefaultSource::Local(path) => {
                display_name(path)
            }
            DefaultSource::BuiltIn => format!("built-in {what}"),
        }
    }

    /// Says where the file came from, for the note a command prints on standard error.
    fn describe(&self, what: &str, flag: &str, local: &str) -> String {
        match self {
            DefaultSource::Flag(path) => format!("{what} {} ({flag})", display_name(path)),
            DefaultSource::Env(path, env) => format!("{what} {} (from {env})", display_name(path)),
            DefaultSource::Local(path) => {
                format!("{what} {} (found in the current folder)", display_name(path))
            }
            DefaultSource::BuiltIn => format!(
                "the built-in {what} (the shipped {local} of stance {}; choose another with {flag} or {})",
                env!("CARGO_PKG_VERSION"),
                if what == "model" { MODEL_ENV } else { SPEAKERS_ENV }
            ),
        }
    }
}

/// Where the model is read from.
#[derive(Debug, Clone, Args)]
pub struct ModelInput {
    /// Model file written by `stance train`. Default: $STANCE_MODEL when set, else
    /// models/stance.model when the current folder has one, else the model built into stance.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

impl ModelInput {
    /// Where the model comes from.
    pub fn source(&self) -> DefaultSource {
        DefaultSource::resolve(self.model.as_deref(), MODEL_ENV, LOCAL_MODEL)
    }

    /// Reads and checks the model, saying on standard error which one it is unless `run` is
    /// quiet.
    pub fn load(&self, run: &Verbosity) -> Result<StanceModel> {
        let source = self.source();
        let bytes = source.read(BUILT_IN_MODEL)?;
        let model = crate::model::file::read_model(&*bytes)
            .with_context(|| format!("cannot load model {}", source.name("model")))?;
        run.note(&format!(
            "using {}",
            source.describe("model", "--model", LOCAL_MODEL)
        ));
        Ok(model)
    }
}

/// Where the speaker table is read from.
#[derive(Debug, Clone, Args)]
pub struct SpeakerInput {
    /// Speaker aliases and role descriptions (speaker,gender,aliases). Default: $STANCE_SPEAKERS
    /// when set, else labels/speakers.csv when the current folder has one, else the table built
    /// into stance.
    #[arg(long, value_name = "FILE")]
    pub speakers: Option<PathBuf>,
}

impl SpeakerInput {
    /// Where the speaker table comes from.
    pub fn source(&self) -> DefaultSource {
        DefaultSource::resolve(self.speakers.as_deref(), SPEAKERS_ENV, LOCAL_SPEAKERS)
    }

    /// Reads the speaker table, saying on standard error which one it is unless `run` is quiet.
    pub fn load(&self, run: &Verbosity) -> Result<SpeakerIndex> {
        let source = self.source();
        let bytes = source.read(BUILT_IN_SPEAKERS)?;
        let index = SpeakerIndex::from_csv(&*bytes, &source.name("speaker table"))?;
        run.note(&format!(
            "using {}",
            source.describe("speaker table", "--speakers", LOCAL_SPEAKERS)
        ));
        Ok(index)
    }

    /// The speaker table's bytes and the name to use in messages, for commands that read it
    /// themselves (`labels check`).
    pub fn read(&self, run: &Verbosity) -> Result<(std::borrow::Cow<'static, [u8]>, String)> {
        let source = self.source();
        let bytes = source.read(BUILT_IN_SPEAKERS)?;
        run.note(&format!(
            "using {}",
            source.describe("speaker table", "--speakers", LOCAL_SPEAKERS)
        ));
        Ok((bytes, source.name("speaker table")))
    }
}

/// How a command that prints figures (metrics, counts, agreement) prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FiguresFormat {
    /// Aligned text for reading.
    Table,
    /// One JSON object, for scripts and jq.
    Json,
}

/// Where a command that prints figures writes them.
#[derive(Debug, Clone, Args)]
pub struct FiguresOutput {
    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "table")]
    pub format: FiguresFormat,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl FiguresOutput {
    /// Fails before any work when the output file cannot be written.
    pub fn check(&self) -> Result<()> {
        match &self.output {
            Some(path) => crate::io::check_writable(path),
            None => Ok(()),
        }
    }

    /// Writes the figures: `json` serialized (pretty, one object) in JSON format, else the text
    /// that `table` writes.
    pub fn write(
        &self,
        json: &impl serde::Serialize,
        table: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
    ) -> Result<()> {
        let target = self.output.clone().unwrap_or_else(|| PathBuf::from("-"));
        crate::io::write_atomic(&target, |out| match self.format {
            FiguresFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, json)?;
                writeln!(out)?;
                Ok(())
            }
            FiguresFormat::Table => table(out),
        })
    }
}

/// How much a command says on standard error besides results, errors and warnings.
#[derive(Debug, Clone, Default, Args)]
pub struct Verbosity {
    /// Print nothing but results, errors and warnings: no progress bar and no notes (such as
    /// which model is used).
    #[arg(long, short)]
    pub quiet: bool,
}

impl Verbosity {
    /// Prints `stance: MESSAGE` on standard error unless quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "stance: {message}");
        }
    }

    /// A progress bar of `total` steps drawn on standard error, hidden when quiet or when
    /// standard error is not a terminal.
    pub fn progress(&self, total: u64) -> indicatif::ProgressBar {
        use std::io::IsTerminal as _;
        if self.quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            indicatif::ProgressBar::new(total)
        }
    }
}

/// How a long-running command runs: its worker threads and how much it says.
#[derive(Debug, Clone, Default, Args)]
pub struct RunArgs {
    /// Worker threads (0: one per core). More than the machine's cores is capped at their number,
    /// with a note.
    #[arg(long, value_name = "N", default_value_t = 0, allow_negative_numbers = true)]
    pub threads: usize,

    #[command(flatten)]
    pub verbosity: Verbosity,
}

impl std::ops::Deref for RunArgs {
    type Target = Verbosity;

    fn deref(&self) -> &Verbosity {
        &self.verbosity
    }
}

impl RunArgs {
    /// The number of worker threads: `--threads`, 0 meaning one per core, capped at the number
    /// of cores (with a note: more threads than cores only add switching, and each holds its own
    /// buffers).
    pub fn thread_count(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        match self.threads {
            0 => cores,
            n if n > cores => {
                self.note(&format!(
                    "note: --threads {n} is more than the {} of this machine; using {cores}",
                    crate::count::count(cores, "core")
                ));
                cores
            }
            n => n,
        }
    }

    /// A thread pool of [`RunArgs::thread_count`] workers.
    pub fn pool(&self) -> Result<rayon::ThreadPool> {
        Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(self.thread_count())
            .build()?)
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
    fn the_built_in_model_and_speaker_table_load() {
        let model = crate::model::file::read_model(BUILT_IN_MODEL).expect("built-in model");
        assert!(!model.tasks.is_empty());
        let speakers = SpeakerIndex::from_csv(BUILT_IN_SPEAKERS, "built-in").expect("speakers");
        assert!(speakers.speakers().count() > 10);
    }

    #[test]
    fn a_flag_comes_before_the_environment_and_the_current_folder() {
        let flag = Path::new("elsewhere.model");
        assert_eq!(
            DefaultSource::resolve(Some(flag), MODEL_ENV, LOCAL_MODEL),
            DefaultSource::Flag(flag.to_path_buf())
        );
        assert_eq!(
            DefaultSource::resolve(None, "STANCE_TEST_UNSET_VARIABLE", "no/such/file"),
            DefaultSource::BuiltIn
        );
    }

    #[test]
    fn probabilities_outside_0_to_1_are_refused_for_their_range() {
        assert_eq!(parse_probability("0.25"), Ok(0.25));
        assert!(parse_probability("-0.1")
            .unwrap_err()
            .contains("between 0 and 1, found -0.1"));
        assert!(parse_probability("abc").is_err());
    }

    #[test]
    fn flags_left_out_give_the_library_defaults() {
        let flags = Flags::parse_from(["stance"]);
        assert_eq!(flags.featurizer.config(), FeaturizerConfig::default());
        assert_eq!(flags.training.params(), TrainParams::default());
    }
}
