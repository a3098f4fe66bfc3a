//! Stage 1 of the pipeline: finding statements in articles (being built).
