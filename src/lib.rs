//! `stance`: where does each leader stand, and on what evidence?
//!
//! articles → [`extract`] statements (quoted and reported speech, attributed to a canonical
//! speaker) → [`features`] sparse bag-of-n-grams vectors → [`model`] one logistic model per task
//! (assad, military_action, sentiment), trained on [`labels`] → predictions with probabilities →
//! a per-speaker [`report`]. [`io`] opens every file and says what an input is; [`pipeline`] runs
//! inputs through extraction and classification into a sink — a printer of [`output`] or the
//! report's aggregator; [`cli`] is the command layer.

pub mod count;
pub mod io;
pub mod text;

pub mod extract;
pub mod features;
pub mod labels;
pub mod metrics;
pub mod model;
pub mod report;
pub mod suggest;

pub mod output;
pub mod pipeline;

pub mod cli;
