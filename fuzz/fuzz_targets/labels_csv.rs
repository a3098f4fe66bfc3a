//! Fuzz target: arbitrary bytes as a label file, read by the label reader and the label checker.
//! Both must return rows or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::labels::check::{check_files, CheckSettings};
use stance::labels::{read_labels, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let _ = read_labels(data, "fuzz.csv", &ReadOptions::default());
    let _ = check_files(&[("fuzz.csv".to_string(), data.to_vec())], &CheckSettings::default());
});
