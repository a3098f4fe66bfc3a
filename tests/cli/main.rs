//! End-to-end tests: the real `stance` binary on real files, one temporary folder per test.

mod workdir;

mod bad_input;
mod bad_input_interface;
mod bad_input_suite;
mod compat;
mod eval_cv;
mod extract;
mod readme;
mod report;
mod shipped_model;
mod suggest;
mod train_classify;
