//! The terminal table and the Markdown report: the same content, two styles.

use std::io::Write;

use super::{cell_summary, distribution_summary};
use crate::report::{Report, Verdict};

/// How text output is dressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Aligned columns, optionally coloured.
    Terminal {
        /// Use ANSI colours.
        color: bool,
    },
    /// Markdown tables.
    Markdown,
}

fn paint(text: &str, verdict: Verdict, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match verdict {
        Verdict::Favor => "32",
        Verdict::Against => "31",
        Verdict::Mixed => "33",
        Verdict::None => "2",
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

/// Writes the report as a terminal table or Markdown.
pub fn write(report: &Report, style: Style, evidence: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let markdown = style == Style::Markdown;
    let color = matches!(style, Style::Terminal { color: true });
    if markdown {
        writeln!(out, "# Stance by speaker\n")?;
    }
    if report.speakers.is_empty() {
        writeln!(
            out,
            "No statement with an identified speaker was found, so there is nothing to report."
        )?;
        return Ok(());
    }
    let sources: std::collections::BTreeSet<&str> =
        report.statements.iter().map(|s| s.source.as_str()).collect();
    writeln!(
        out,
        "{}, {} from {}; a statement takes a side when its probability exceeds {:.2}.",
        super::count(report.speakers.len(), "speaker"),
        super::count(
            report.speakers.iter().map(|s| s.statements).sum::<usize>(),
            "statement"
        ),
        super::count(sources.len(), "source"),
        report.settings.threshold
    )?;
    writeln!(out)?;
    let mut header = vec!["speaker".to_string(), "statements".to_string()];
    header.extend(report.targets.iter().cloned());
    header.extend(report.distributions.iter().cloned());
    let rows: Vec<Vec<(String, Option<Verdict>)>> = report
        .speakers
        .iter()
        .map(|s| {
            let mut row = vec![(s.speaker.clone(), None), (s.statements.to_string(), None)];
            row.extend(s.cells.iter().map(|c| (cell_summary(c), Some(c.verdict))));
            row.extend(
                report
                    .distributions
                    .iter()
                    .map(|d| (distribution_summary(&s.distributions[d]), None)),
            );
            row
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].0.chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<(String, Option<Verdict>)>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|((text, verdict), &w)| {
                let pad = " ".repeat(w.saturating_sub(text.chars().count()));
                match verdict {
                    Some(v) => format!("{}{pad}", paint(text, *v, color)),
                    None => format!("{text}{pad}"),
                }
            })
            .collect();
        if markdown {
            format!("| {} |", padded.join(" | "))
        } else {
            padded.join("  ").trim_end().to_string()
        }
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|h| (h.clone(), None)).collect())
    )?;
    if markdown {
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w.max(3))).collect();
        writeln!(out, "| {} |", rule.join(" | "))?;
    }
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        if markdown {
            "## Who agrees with whom\n"
        } else {
            "Who agrees with whom:"
        }
    )?;
    for agreement in &report.agreement {
        let list = |names: &[String]| {
            if names.is_empty() {
                "—".to_string()
            } else {
                names.join(", ")
            }
        };
        writeln!(
            out,
            "{}{}: favor: {}; against: {}; mixed: {}",
            if markdown { "- " } else { "  " },
            agreement.target,
            list(&agreement.favor),
            list(&agreement.against),
            list(&agreement.mixed)
        )?;
    }
    if evidence == 0 {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        if markdown {
            "## Evidence\n"
        } else {
            "Evidence (strongest first):"
        }
    )?;
    for speaker in &report.speakers {
        for cell in speaker.cells.iter().filter(|c| !c.evidence.is_empty()) {
            writeln!(
                out,
                "{}{} · {}: {}",
                if markdown { "- **" } else { "  " },
                speaker.speaker,
                cell.target,
                if markdown {
                    format!("{}**", cell_summary(cell))
                } else {
                    cell_summary(cell)
                }
            )?;
            for e in cell.evidence.iter().take(evidence) {
                let s = &report.statements[e.statement];
                let kind = if s.kind.is_empty() {
                    String::new()
                } else {
                    format!("{}, ", s.kind)
                };
                writeln!(
                    out,
                    "{}“{}” ({} {:.2}, {kind}{})",
                    if markdown { "  - " } else { "      " },
                    one_line(&s.text),
                    e.side,
                    e.probability,
                    s.source
                )?;
            }
        }
    }
    Ok(())
}

/// Text on one line, whitespace runs collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
