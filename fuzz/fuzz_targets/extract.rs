//! Fuzz target: arbitrary bytes as an article. Decoding and extraction must never panic, and every
//! statement's offsets must slice the decoded text into its own text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stance::extract::{decode_article, extract_statements, SpeakerIndex};

fn speakers() -> &'static SpeakerIndex {
    static SPEAKERS: OnceLock<SpeakerIndex> = OnceLock::new();
    SPEAKERS.get_or_init(|| {
        let table = include_bytes!("../../labels/speakers.csv");
        SpeakerIndex::from_csv(&table[..], "speakers.csv").expect("speaker table")
    })
}

fuzz_target!(|data: &[u8]| {
    let article = decode_article(data);
    for statement in extract_statements(&article.text, speakers()) {
        assert_eq!(&article.text[statement.start..statement.end], statement.text);
    }
});
