//! Stage 5 of the pipeline: per-speaker stance tables (being built).
