//! Rendering a `Report`: every format shows the same verdicts, counts, evidence and agreement.

mod csv;
mod html;
mod json;
mod text;

use std::io::Write;

use super::Report;

pub use text::Style;

/// The output formats of `stance report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned terminal table.
    Table,
    /// Markdown tables.
    Markdown,
    /// One row per speaker × task.
    Csv,
    /// The whole report, schema `stance-report/1`.
    Json,
    /// A self-contained page with an SVG heatmap.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [
        Format::Table,
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Html,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// What it is, for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            Format::Table => "aligned table for a terminal (colour when it is one)",
            Format::Markdown => "Markdown tables",
            Format::Csv => "one row per speaker and task",
            Format::Json => "the whole report, schema stance-report/1",
            Format::Html => "one self-contained page with a heatmap (open it in a browser)",
        }
    }
}

/// Options that change how a report looks, not what it says.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Statements shown per cell in table, Markdown and CSV (JSON and HTML show all).
    pub evidence: usize,
    /// ANSI colours in the terminal table.
    pub color: bool,
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    options: RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        Format::Table => text::write(
            report,
            Style::Terminal { color: options.color },
            options.evidence,
            out,
        ),
        Format::Markdown => text::write(report, Style::Markdown, options.evidence, out),
        Format::Csv => csv::write(report, options.evidence, out),
        Format::Json => json::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// A cell's short form: "against 0.78 (4)".
fn cell_summary(cell: &super::Cell) -> String {
    match cell.verdict {
        super::Verdict::None => "none".to_string(),
        v => format!("{} {:.2} ({})", v.as_str(), cell.confidence, cell.count()),
    }
}

/// A distribution's short form: "negative 50%, neutral 25%, positive 25%".
fn distribution_summary(shares: &std::collections::BTreeMap<String, f64>) -> String {
    shares
        .iter()
        .map(|(class, share)| format!("{class} {:.0}%", share * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 speaker", "3 speakers".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
