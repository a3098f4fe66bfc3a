//! Property tests over arbitrary Unicode text: tokenizing, featurizing, extracting and classifying
//! never panic; token and statement offsets always slice the text; probabilities sum to 1 per
//! task; save → load → classify gives identical output.

use std::sync::OnceLock;

use proptest::prelude::*;
use stance::extract::{extract_statements, SpeakerIndex};
use stance::features::{tokenize, Featurizer, FeaturizerConfig};
use stance::model::StanceModel;

/// A small model trained once from the seed labels through the library.
fn model() -> &'static StanceModel {
    static MODEL: OnceLock<StanceModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model-format-1.model");
        let bytes = std::fs::read(path).unwrap();
        stance::model::file::read_model(bytes.as_slice()).unwrap()
    })
}

fn speakers() -> &'static SpeakerIndex {
    static SPEAKERS: OnceLock<SpeakerIndex> = OnceLock::new();
    SPEAKERS.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/labels/speakers.csv");
        SpeakerIndex::from_csv(std::fs::File::open(path).unwrap(), "speakers.csv").unwrap()
    })
}

/// Text mixing arbitrary Unicode with the punctuation extraction cares about.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<String>(),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("'".to_string()),
        Just(" said ".to_string()),
        Just(" Putin ".to_string()),
        Just(" he told reporters that ".to_string()),
        Just("\n\n".to_string()),
        Just("François Hollande".to_string()),
        Just("according to Obama, ".to_string()),
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn token_spans_slice_the_text(s in text()) {
        for token in tokenize(&s) {
            prop_assert!(s.is_char_boundary(token.start) && s.is_char_boundary(token.end));
            prop_assert!(!token.text.is_empty());
        }
    }

    #[test]
    fn featurizing_never_panics_and_vectors_are_normalised(s in text(), t in text()) {
        let config = FeaturizerConfig { min_df: 1, ..FeaturizerConfig::default() };
        let f = Featurizer::fit(config, &[s.as_str(), t.as_str()]);
        let v = f.transform(&s);
        let distinct: std::collections::BTreeSet<u32> = v.columns.iter().copied().collect();
        prop_assert_eq!(distinct.len(), v.columns.len(), "each column at most once");
        if v.nnz() > 0 {
            let norm: f64 = v.values.iter().map(|x| x * x).sum::<f64>().sqrt();
            prop_assert!((norm - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn extraction_offsets_slice_the_article(s in text()) {
        for statement in extract_statements(&s, speakers()) {
            prop_assert!(statement.start <= statement.end && statement.end <= s.len());
            prop_assert_eq!(&s[statement.start..statement.end], statement.text.as_str());
        }
    }

    #[test]
    fn probabilities_sum_to_one_per_task(s in text()) {
        for prediction in model().predict(&s) {
            let total: f64 = prediction.probabilities.iter().map(|(_, p)| p).sum();
            prop_assert!((total - 1.0).abs() < 1e-9, "{} sums to {}", prediction.task, total);
            prop_assert!(prediction.probabilities.iter().all(|(_, p)| p.is_finite() && *p >= 0.0));
        }
    }
}

#[test]
fn save_load_classify_is_identical() {
    let mut bytes = Vec::new();
    stance::model::file::write_model(model(), &mut bytes).unwrap();
    let again = stance::model::file::read_model(bytes.as_slice()).unwrap();
    assert_eq!(&again, model());
    let mut second = Vec::new();
    stance::model::file::write_model(&again, &mut second).unwrap();
    assert_eq!(bytes, second, "save → load → save changed the bytes");
    for text in ["Assad must go", "we will strike", "", "ça ira"] {
        assert_eq!(again.predict(text), model().predict(text));
    }
}

proptest! {
    #[test]
    fn fast_fixed_point_formatting_matches_format(value in 0.0f64..=1.0) {
        let mut fast = String::new();
        stance::io::push_fixed4(value, &mut fast);
        prop_assert_eq!(fast, format!("{value:.4}"));
    }
}

#[test]
fn fast_fixed_point_formatting_matches_format_at_ties_and_edges() {
    for value in [
        0.0,
        1.0,
        0.03125,
        0.00005,
        0.99995,
        0.12345,
        0.5,
        1e-300,
        0.999_999_9,
        0.000_049_999,
    ] {
        let mut fast = String::new();
        stance::io::push_fixed4(value, &mut fast);
        assert_eq!(fast, format!("{value:.4}"), "{value}");
    }
}

/// The format-1 fixture's text with its `index`-th number replaced by `value` (format 1 has no
/// checksum, so the edited file reaches validation).
fn model_with_number_replaced(index: usize, value: &str) -> String {
    static TEXT: OnceLock<(String, Vec<std::ops::Range<usize>>)> = OnceLock::new();
    let (text, numbers) = TEXT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model-format-1.model");
        let text = std::fs::read_to_string(path).unwrap();
        let body_start = text.find('\n').unwrap() + 1;
        let bytes = text.as_bytes();
        let mut numbers = Vec::new();
        let mut at = body_start;
        while at < bytes.len() {
            let starts = (bytes[at] == b'-' || bytes[at].is_ascii_digit())
                && matches!(bytes[at - 1], b':' | b',' | b'[');
            if starts {
                let end = at
                    + bytes[at..]
                        .iter()
                        .position(|b| !(b.is_ascii_digit() || b"-+.eE".contains(b)))
                        .unwrap();
                numbers.push(at..end);
                at = end;
            } else {
                at += 1;
            }
        }
        (text, numbers)
    });
    // Spread the picks over the whole file: its first numbers are the featurizer's settings.
    let range = &numbers[if index < 64 { index } else { index % numbers.len() }];
    format!("{}{value}{}", &text[..range.start], &text[range.end..])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Issue 17: no content of a model file makes loading or classifying panic; a bad value is a
    /// load error, never a crash later.
    #[test]
    fn any_number_in_a_model_file_loads_or_is_refused_without_panicking(
        index in 0usize..1_000_000,
        value in prop_oneof![
            Just("0".to_string()), Just("-1".to_string()), Just("3".to_string()),
            Just("100000".to_string()), Just("18446744073709551615".to_string()),
            Just("1e308".to_string()), Just("-1e308".to_string()), Just("0.5".to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
        ],
    ) {
        let text = model_with_number_replaced(index, &value);
        if let Ok(model) = stance::model::file::read_model(text.as_bytes()) {
            for statement in ["Assad must go", "We must intensify air strikes against ISIS", ""] {
                for prediction in model.predict(statement) {
                    let total: f64 = prediction.probabilities.iter().map(|(_, p)| p).sum();
                    prop_assert!((total - 1.0).abs() < 1e-6, "{total}");
                }
            }
        }
    }
}
