//! One CSV row per speaker × task, with the verdict, its numbers, the agreement view (who takes the
//! same side, who the opposite) and the strongest evidence.

use std::io::Write;

use super::distribution_summary;
use crate::report::{Relation, Report};

/// Writes the report as CSV.
pub fn write(report: &Report, evidence: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "speaker",
        "statements",
        "task",
        "verdict",
        "confidence",
        "favor",
        "against",
        "no_stance",
        "distribution",
        "agrees_with",
        "opposes",
        "evidence",
    ])?;
    for (i, speaker) in report.speakers.iter().enumerate() {
        for (t, cell) in speaker.cells.iter().enumerate() {
            let related = |relation: Relation| {
                report.agreement[t].matrix[i]
                    .iter()
                    .enumerate()
                    .filter(|&(j, r)| j != i && *r == relation)
                    .map(|(j, _)| report.speakers[j].speaker.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let quotes: Vec<String> = cell
                .evidence
                .iter()
                .take(evidence)
                .map(|e| {
                    let s = &report.statements[e.statement];
                    format!(
                        "{} {:.2}: {} [{}]",
                        e.side,
                        e.probability,
                        s.text.split_whitespace().collect::<Vec<_>>().join(" "),
                        s.source
                    )
                })
                .collect();
            w.write_record([
                speaker.speaker.clone(),
                speaker.statements.to_string(),
                cell.target.clone(),
                cell.verdict.as_str().to_string(),
                format!("{:.4}", cell.confidence),
                cell.favor.to_string(),
                cell.against.to_string(),
                cell.no_stance.to_string(),
                String::new(),
                related(Relation::Agree),
                related(Relation::Oppose),
                quotes.join(" | "),
            ])?;
        }
        for task in &report.distributions {
            let shares = &speaker.distributions[task];
            let (top, share) = shares
                .iter()
                .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(c, s)| (c.clone(), *s))
                .unwrap_or_default();
            w.write_record([
                speaker.speaker.clone(),
                speaker.statements.to_string(),
                task.clone(),
                top,
                format!("{share:.4}"),
                String::new(),
                String::new(),
                String::new(),
                distribution_summary(shares),
                String::new(),
                String::new(),
                String::new(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
