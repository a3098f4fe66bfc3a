//! `stance`: where does each leader stand, and on what evidence?
//!
//! articles → [`extract`] statements (quoted and reported speech, attributed to a canonical
//! speaker) → [`features`] sparse bag-of-n-grams vectors → [`model`] one logistic model per task
//! (assad, military_action, sentiment), trained on [`labels`] → predictions with probabilities →
//! a per-speaker [`report`]. [`io`] opens every file; [`cli`] is the command layer.

pub mod io;

pub mod extract;
pub mod features;
pub mod labels;
pub mod metrics;
pub mod model;
pub mod report;

pub mod cli;
