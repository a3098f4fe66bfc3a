//! `stance labels`: check label files, measure agreement between two labelling passes, and
//! suggest what to label next (`suggest`, in its own file).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::shared::{display_name, FiguresOutput, SpeakerInput, StatementLimit, Verbosity};
use crate::count::count;
use crate::labels::agreement::compare;
use crate::labels::check::{check_files, CheckReport, CheckSettings, Severity};
use crate::labels::speakers::read_speaker_table;
use crate::labels::KNOWN_TASKS;

const CHECK_HELP: &str = "\
Checks: the schema (id,source,date,speaker,kind,text,assad,military_action,sentiment,note), allowed
values, valid dates, unique ids, empty or overlong text, speakers missing from the speaker table,
sources that contribute more than --max-per-source rows (errors); identical or near-identical texts
under two ids, paragraph-long statements, sources that are neither a URL nor an article file
(warnings). Prints the class distribution per task and per speaker.
Exit code 1 when there is an error, 0 otherwise (warnings included).

Examples:
  stance labels check
  stance labels check labels/corpus/2013.csv --speakers labels/speakers.csv
  stance labels agreement --second labels/agreement --disagreements";

const AGREEMENT_HELP: &str = "\
Joins the two passes on `id` and prints, per task, the rows both labelled, the observed agreement
and Cohen's kappa; --disagreements lists every row where they differ.

Examples:
  stance labels agreement
  stance labels agreement --first labels --second labels/agreement --disagreements";

/// Check label files, compare two labelling passes, or choose what to label next.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: LabelsCommand,
}

#[derive(Debug, Subcommand)]
enum LabelsCommand {
    /// Validate label files and print their class distribution.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Cohen's kappa between a first and a second (blind) labelling pass.
    #[command(after_help = AGREEMENT_HELP)]
    Agreement(AgreementArgs),
    /// The statements to label next: where the model is least sure, as a label file to fill in.
    Suggest(super::suggest::Args),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Label files or folders (a folder means every .csv below it except speakers.csv and agreement/).
    #[arg(value_name = "FILE", default_value = "labels")]
    files: Vec<PathBuf>,

    /// The speaker table whose canonical names every row's speaker must use.
    #[command(flatten)]
    speakers: SpeakerInput,

    /// Most rows one source may contribute.
    #[arg(long, value_name = "N", default_value_t = CheckSettings::default().max_per_source, allow_negative_numbers = true)]
    max_per_source: usize,

    /// Also print the distribution per speaker.
    #[arg(long)]
    per_speaker: bool,

    #[command(flatten)]
    limit: StatementLimit,

    #[command(flatten)]
    output: FiguresOutput,

    #[command(flatten)]
    verbosity: Verbosity,
}

#[derive(Debug, clap::Args)]
struct AgreementArgs {
    /// The first pass: label files or folders.
    #[arg(long, value_name = "PATH", num_args = 1.., default_value = "labels")]
    first: Vec<PathBuf>,

    /// The second pass: files or folders with columns id and one column per task.
    #[arg(long, value_name = "PATH", num_args = 1.., default_value = "labels/agreement")]
    second: Vec<PathBuf>,

    /// List every row the passes disagree on (always in JSON).
    #[arg(long)]
    disagreements: bool,

    #[command(flatten)]
    output: FiguresOutput,
}

/// Task → class → rows.
type TaskClassCounts = BTreeMap<String, BTreeMap<String, usize>>;

/// Runs `stance labels …`.
pub fn run(args: Args) -> Result<u8> {
    match args.command {
        LabelsCommand::Check(a) => check(a),
        LabelsCommand::Agreement(a) => agreement(a),
        LabelsCommand::Suggest(a) => super::suggest::run(a),
    }
}

fn check(args: CheckArgs) -> Result<u8> {
    args.output.check()?;
    let (speaker_bytes, speaker_table) = args.speakers.read(&args.verbosity)?;
    let settings = CheckSettings {
        max_per_source: args.max_per_source,
        speakers: Some(read_speaker_table(&speaker_bytes, &speaker_table)?),
        max_text_bytes: args.limit.max_statement_bytes,
        ..CheckSettings::default()
    };
    let mut files = Vec::new();
    for path in crate::io::label_files(&args.files)? {
        files.push((display_name(&path), crate::io::read_bytes(&path)?));
    }
    let report = check_files(&files, &settings);
    args.output
        .write(&report, |out| print_check(&report, args.per_speaker, out))?;
    let errors = report.count(Severity::Error);
    Ok(if errors > 0 {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

fn print_check(report: &CheckReport, per_speaker: bool, out: &mut dyn Write) -> Result<()> {
    for finding in &report.findings {
        writeln!(out, "{finding}")?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} in {} from {}, {}: {}, {}",
        count(report.rows, "row"),
        count(report.files, "file"),
        count(report.sources, "source"),
        count(report.per_speaker.len(), "speaker"),
        count(report.count(Severity::Error), "error"),
        count(report.count(Severity::Warning), "warning")
    )?;
    writeln!(out)?;
    writeln!(out, "{:<18} {:<10} {:>6}", "task", "class", "rows")?;
    for (task, classes) in &report.classes {
        for (class, n) in classes {
            writeln!(out, "{task:<18} {class:<10} {n:>6}")?;
        }
    }
    print_coverage(report, out)?;
    if per_speaker {
        writeln!(out)?;
        let tasks: Vec<&str> = KNOWN_TASKS.iter().map(|(t, _)| *t).collect();
        writeln!(out, "{:<28} {:>5}  {}", "speaker", "rows", tasks.join(" | "))?;
        let mut speakers: Vec<(&String, &TaskClassCounts)> = report.per_speaker.iter().collect();
        let rows = |m: &BTreeMap<String, BTreeMap<String, usize>>| {
            m.values().next().map_or(0, |c| c.values().sum::<usize>())
        };
        speakers.sort_by(|a, b| rows(b.1).cmp(&rows(a.1)).then_with(|| a.0.cmp(b.0)));
        for (speaker, per_task) in speakers {
            let cells: Vec<String> = tasks
                .iter()
                .map(|t| {
                    per_task
                        .get(*t)
                        .map(|c| {
                            c.iter()
                                .map(|(class, n)| format!("{class} {n}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default()
                })
                .collect();
            writeln!(out, "{speaker:<28} {:>5}  {}", rows(per_task), cells.join(" | "))?;
        }
    }
    Ok(())
}

/// Rows per year, per country (most rows first) and by women: where the corpus is thin.
fn print_coverage(report: &CheckReport, out: &mut dyn Write) -> Result<()> {
    writeln!(out)?;
    let years: Vec<String> = report
        .per_year
        .iter()
        .map(|(year, n)| format!("{year} {n}"))
        .collect();
    writeln!(out, "rows per year: {}", years.join(", "))?;
    if report.per_country.is_empty() {
        return Ok(());
    }
    let mut countries: Vec<(&String, &usize)> = report.per_country.iter().collect();
    countries.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let countries: Vec<String> = countries.iter().map(|(c, n)| format!("{c} {n}")).collect();
    writeln!(out, "rows per speaker's country: {}", countries.join(", "))?;
    if let Some(women) = report.rows_by_women {
        writeln!(
            out,
            "rows by women: {women} of {} ({:.1}%)",
            report.rows,
            100.0 * women as f64 / report.rows.max(1) as f64
        )?;
    }
    Ok(())
}

/// id → task → label of every row of the files named by `paths`.
fn read_pass(paths: &[PathBuf], skip_agreement: bool) -> Result<BTreeMap<String, BTreeMap<String, String>>> {
    let files = if skip_agreement {
        crate::io::label_files(paths)?
    } else {
        let mut files = Vec::new();
        for p in paths {
            files.extend(crate::io::expand_paths(p, &[".csv"], &|_| false)?);
        }
        files
    };
    let mut labels = BTreeMap::new();
    for file in files {
        let bytes = crate::io::read_bytes(&file)?;
        let name = display_name(&file);
        let mut reader = crate::io::csv_reader(bytes.as_slice(), b',');
        let header: Vec<String> = crate::io::csv_header(&mut reader)
            .map_err(|e| crate::io::csv_row_error(&name, e))?
            .iter()
            .map(|h| h.to_lowercase())
            .collect();
        let Some(id_at) = header.iter().position(|h| h == "id") else {
            anyhow::bail!(
                "{name}: line 1: missing column `id` (found: {})",
                header.join(", ")
            );
        };
        for record in reader.records() {
            let record = record.with_context(|| format!("{name}: malformed row"))?;
            let mut row = BTreeMap::new();
            for (task, _) in KNOWN_TASKS {
                if let Some(value) = header.iter().position(|h| h == task).and_then(|i| record.get(i)) {
                    row.insert(task.to_string(), crate::labels::normalize_label(value));
                }
            }
            labels.insert(record.get(id_at).unwrap_or("").trim().to_string(), row);
        }
    }
    Ok(labels)
}

fn agreement(args: AgreementArgs) -> Result<u8> {
    args.output.check()?;
    let first = read_pass(&args.first, true)?;
    let second = read_pass(&args.second, false)?;
    let tasks: Vec<&str> = KNOWN_TASKS.iter().map(|(t, _)| *t).collect();
    let (agreements, disagreements) = compare(&first, &second, &tasks);
    #[derive(serde::Serialize)]
    struct AgreementJson<'a> {
        tasks: &'a [crate::labels::agreement::TaskAgreement],
        #[serde(skip_serializing_if = "Option::is_none")]
        disagreements: Option<&'a [crate::labels::agreement::Disagreement]>,
    }
    let json = AgreementJson {
        tasks: &agreements,
        disagreements: args.disagreements.then_some(&disagreements[..]),
    };
    args.output.write(&json, |out| {
        writeln!(
            out,
            "{:<18} {:>6} {:>9} {:>7}",
            "task", "rows", "observed", "kappa"
        )?;
        for a in &agreements {
            writeln!(
                out,
                "{:<18} {:>6} {:>9.3} {:>7.3}",
                a.task, a.rows, a.observed, a.kappa
            )?;
        }
        if args.disagreements {
            writeln!(out)?;
            writeln!(out, "{:<16} {:<16} {:<9} {:<9}", "id", "task", "first", "second")?;
            for d in &disagreements {
                writeln!(out, "{:<16} {:<16} {:<9} {:<9}", d.id, d.task, d.first, d.second)?;
            }
        }
        Ok(())
    })?;
    Ok(super::EXIT_OK)
}
