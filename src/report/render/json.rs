//! The report as JSON, schema `stance-report/1` (documented in the README): the `Report` value
//! itself, with a schema tag in front, so a consumer can check what it reads.

use std::io::Write;

use serde::Serialize;

use crate::report::Report;

/// The schema tag of this JSON layout; bump it when a field changes meaning or disappears.
pub const SCHEMA: &str = "stance-report/1";

#[derive(Serialize)]
struct Tagged<'a> {
    schema: &'static str,
    #[serde(flatten)]
    report: &'a Report,
}

/// Writes the report as pretty JSON.
pub fn write(report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(
        &mut *out,
        &Tagged {
            schema: SCHEMA,
            report,
        },
    )?;
    writeln!(out)?;
    Ok(())
}
