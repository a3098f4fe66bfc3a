//! Stage 5 of the pipeline: classified statements → one row per speaker, one cell per stance
//! target, each cell with a verdict, a confidence, a count and the statements behind it.
//!
//! Aggregation is kept apart from rendering: `aggregate` builds a `Report` value, and each
//! renderer (terminal table, Markdown, CSV, JSON, HTML) only formats it, so every format shows the
//! same numbers.

pub mod aggregate;
pub mod render;

pub use aggregate::{
    aggregate, Aggregator, Agreement, Cell, ClassifiedStatement, Evidence, Relation, Report, ReportSettings,
    SpeakerRow, Verdict,
};
