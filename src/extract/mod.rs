//! Statement extraction: from an article's text to the statements its people made, each with
//! byte offsets, a speaker and the cue that introduced it.
//!
//! The stage is rule-based on purpose: the labelled seed set is far too small to learn from, and
//! rules that point at the words they used (`cue`, `speaker_mention`) are easy to audit. The work
//! is split the way a reader does it, one file per job, each using only the ones above it:
//!
//! - [`lexicon`]: every word list (titles, offices, organisation words, abbreviations, days and
//!   months, speech verbs);
//! - [`quotes`]: paragraphs, quotation marks and sentences (quotes are atomic, so a sentence never
//!   ends inside one);
//! - [`tokens`]: a sentence as tokens with byte offsets and folded forms;
//! - [`speakers`]: the optional alias table (canonical names, genders, roles);
//! - [`mentions`]: the people a sentence mentions (names with titles, aliases, `he`, `the
//!   president`);
//! - [`subject`]: who the grammar says speaks a speech verb;
//! - [`cast`]: the article's people as it reads, and who a pronoun or role description is;
//! - [`cues`]: speech cues (`said`, `told reporters that`, `according to`) and their clauses;
//! - [`assemble`]: all of it put together, one sentence at a time, in text order;
//! - [`gold`] reads gold statements (our label CSV, brat standoff) and [`evaluate`] scores the
//!   result against them.
//!
//! Every statement's `text` is a slice of the article (`article[start..end] == text`), and every
//! step is linear in the length of the article (sentences are capped in length), so junk input or
//! a 50 MB single line cannot make it quadratic or panic.

mod assemble;
mod cast;
mod cues;
pub mod evaluate;
pub mod gold;
mod lexicon;
mod mentions;
#[cfg(test)]
mod misses;
mod quotes;
mod speakers;
mod statement;
mod subject;
mod tokens;

pub use crate::io::decode::{decode_article, DecodedArticle};
pub use speakers::{Gender, Speaker, SpeakerError, SpeakerIndex};
pub use statement::{ParseKindError, Statement, StatementKind, MAX_STATEMENT_BYTES};

/// Finds the statements of `article`, in text order, attributing them with `speakers`.
///
/// Never panics, whatever the input; see the module documentation for the rules.
pub fn extract_statements(article: &str, speakers: &SpeakerIndex) -> Vec<Statement> {
    let mut out = Vec::new();
    assemble::statements_with(article, speakers, &mut |s| out.push(s));
    out
}

/// Like [`extract_statements`], handing each statement to `sink` as soon as it is final, in the
/// same order: for articles too large to hold all their statements (working memory stays near
/// the size of the article's quotes and sentences, not of its statements).
pub fn extract_statements_with(article: &str, speakers: &SpeakerIndex, mut sink: impl FnMut(Statement)) {
    assemble::statements_with(article, speakers, &mut sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "speaker,gender,aliases\n\
        Angela Merkel,f,Merkel;German Chancellor Angela Merkel;the German Chancellor\n\
        Vladimir Putin,m,Putin;Russian President Vladimir Putin;the Russian leader\n\
        Emmanuel Macron,m,Macron;the French president\n";

    fn table() -> SpeakerIndex {
        SpeakerIndex::from_csv(TABLE.as_bytes(), "test.csv").expect("test table")
    }

    /// (speaker, kind, text) of every statement, checking that offsets slice the text.
    pub(super) fn run(text: &str, index: &SpeakerIndex) -> Vec<(Option<String>, StatementKind, String)> {
        extract_statements(text, index)
            .into_iter()
            .map(|s| {
                assert_eq!(&text[s.start..s.end], s.text);
                (s.speaker, s.kind, s.text)
            })
            .collect()
    }

    /// A statement as [`run`] gives it.
    pub(super) fn st(
        speaker: Option<&str>,
        kind: StatementKind,
        text: &str,
    ) -> (Option<String>, StatementKind, String) {
        (speaker.map(str::to_string), kind, text.to_string())
    }

    use StatementKind::{Direct, Reported};

    #[test]
    fn split_quote_gives_two_statements_by_the_same_speaker() {
        let text = "These \"make us unite our efforts,\" Putin said. \"We are ready for this cooperation.\"";
        assert_eq!(
            run(text, &table()),
            [
                st(Some("Vladimir Putin"), Direct, "make us unite our efforts,"),
                st(
                    Some("Vladimir Putin"),
                    Direct,
                    "We are ready for this cooperation."
                ),
            ]
        );
    }

    #[test]
    fn said_mr_smith_style_with_unknown_people() {
        // British house style: inverted attribution, honorifics, surname-only second mentions.
        let text = "Foreign Secretary James Cleverly said the UK would back new sanctions.\n\n\
            \"We have a duty to act,\" said Mr Cleverly. \"We cannot stand by.\"\n\n\
            Sir Keir Starmer, the Labour leader, said the plan was \"too little, too late\".";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(
                    Some("James Cleverly"),
                    Reported,
                    "the UK would back new sanctions"
                ),
                st(Some("James Cleverly"), Direct, "We have a duty to act,"),
                st(Some("James Cleverly"), Direct, "We cannot stand by."),
                st(
                    Some("Keir Starmer"),
                    Reported,
                    "the plan was \"too little, too late\""
                ),
            ]
        );
    }

    #[test]
    fn colon_style_and_quotes_running_over_paragraphs() {
        let text = "In a statement, Senator Jane Doe said:\n\n\
            \"We will not give up.\n\n\
            \"The people of this state deserve better.\"\n\n\
            \"It is over,\" a voter said.";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(Some("Jane Doe"), Direct, "We will not give up."),
                st(
                    Some("Jane Doe"),
                    Direct,
                    "The people of this state deserve better."
                ),
                st(None, Direct, "It is over,"),
            ]
        );
    }

    #[test]
    fn guillemets_and_pronouns_from_the_alias_table() {
        let text = "« Nous sommes prêts », a déclaré Macron.\n\n\
            German Chancellor Angela Merkel met Putin in Berlin. She said Europe faced « a moment of truth ».\n\n\
            « We must be ready to defend ourselves », she told the conference.";
        assert_eq!(
            run(text, &table()),
            [
                st(None, Direct, "Nous sommes prêts"),
                st(
                    Some("Angela Merkel"),
                    Reported,
                    "Europe faced « a moment of truth »"
                ),
                st(
                    Some("Angela Merkel"),
                    Direct,
                    "We must be ready to defend ourselves"
                ),
            ]
        );
    }

    #[test]
    fn according_to_before_and_after() {
        let text = "The ceasefire will begin at midnight, according to Prime Minister Ali Hassan.\n\n\
            According to Mr Hassan, talks will resume on Monday.\n\n\
            According to the United Nations, two million people have fled.";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(
                    Some("Ali Hassan"),
                    Reported,
                    "The ceasefire will begin at midnight"
                ),
                st(Some("Ali Hassan"), Reported, "talks will resume on Monday"),
                st(None, Reported, "two million people have fled"),
            ]
        );
    }

    #[test]
    fn role_descriptions_and_pronouns_carry_over() {
        let text = "President John Adams met Chancellor Merkel on Monday. \
            The president said the talks had gone well, but he warned that trade \"remains a problem\". \
            Merkel described the meeting as \"frank\". The German Chancellor added that more talks would follow.";
        assert_eq!(
            run(text, &table()),
            [
                st(Some("John Adams"), Reported, "the talks had gone well"),
                st(Some("John Adams"), Direct, "remains a problem"),
                st(Some("Angela Merkel"), Reported, "the meeting as \"frank\""),
                st(Some("Angela Merkel"), Reported, "more talks would follow"),
            ]
        );
    }

    #[test]
    fn quotes_inside_reported_speech() {
        // A quote carrying the clause's verb is the statement; scare quotes and fragments stay
        // inside the reported clause.
        let text = "Putin said the Syrian president \"must stay in power until the vote\". \
            Putin said Moscow was ready to fight a \"mutual enemy\". \
            Putin said Britain should not \"wait for an attack\" before acting.";
        assert_eq!(
            run(text, &table()),
            [
                st(
                    Some("Vladimir Putin"),
                    Direct,
                    "must stay in power until the vote"
                ),
                st(
                    Some("Vladimir Putin"),
                    Reported,
                    "Moscow was ready to fight a \"mutual enemy\""
                ),
                st(
                    Some("Vladimir Putin"),
                    Reported,
                    "Britain should not \"wait for an attack\" before acting"
                ),
            ]
        );
    }

    #[test]
    fn unattributed_and_scare_quotes() {
        let text = "Officials feared an \"imminent\" attack.\n\n\"We are prepared to work with you.\"";
        assert_eq!(
            run(text, &table()),
            [st(None, Direct, "We are prepared to work with you.")]
        );
    }

    #[test]
    fn unbalanced_marks_do_not_swallow_the_article() {
        let text = "A \u{201c}whirlwind of talks began.\n\nPutin said the talks were useful.\n\n\"Stray";
        assert_eq!(
            run(text, &table()),
            [st(Some("Vladimir Putin"), Reported, "the talks were useful")]
        );
    }

    #[test]
    fn joint_statements_give_one_row_per_speaker() {
        let text = "Both Merkel and Macron insisted that the sanctions must stay.";
        assert_eq!(
            run(text, &table()),
            [
                st(Some("Angela Merkel"), Reported, "the sanctions must stay"),
                st(Some("Emmanuel Macron"), Reported, "the sanctions must stay"),
            ]
        );
    }

    #[test]
    fn prepositional_phrases_are_not_speakers() {
        let text = "A spokesman for Putin said the talks were over. \
            Merkel on a visit to Paris said the alliance was strong.";
        assert_eq!(
            run(text, &table()),
            [
                st(None, Reported, "the talks were over"),
                st(Some("Angela Merkel"), Reported, "the alliance was strong"),
            ]
        );
    }

    #[test]
    fn role_alias_prefers_the_article_over_the_table() {
        // The table's `the French president` is an older holder; the article's president wins.
        let old = "speaker,gender,aliases\nFrancois Hollande,m,the French president\n\
            Emmanuel Macron,m,President Emmanuel Macron\n";
        let index = SpeakerIndex::from_csv(old.as_bytes(), "old.csv").expect("table");
        let text = "Emmanuel Macron warned that Europe could die. The French president said time was short.";
        assert_eq!(
            run(text, &index),
            [
                st(Some("Emmanuel Macron"), Reported, "Europe could die"),
                st(Some("Emmanuel Macron"), Reported, "time was short"),
            ]
        );
        // With nobody in the article to hold the office, the table decides.
        assert_eq!(
            run("The French president said time was short.", &index),
            [st(Some("Francois Hollande"), Reported, "time was short")]
        );
    }

    #[test]
    fn bare_attribution_sentence_credits_the_quote_before_it() {
        let text = "\"We will win.\" Mr Smith said. \"We always do.\"";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(Some("Smith"), Direct, "We will win."),
                st(Some("Smith"), Direct, "We always do."),
            ]
        );
    }

    #[test]
    fn unknown_surname_as_speaker_is_a_new_person_but_places_and_outlets_are_not() {
        // PolNeAR misses: `said Murphy` with no Murphy introduced before gave no speaker.
        let text = "\"Who is the real con man here?\" said Murphy. Murphy added that the vote was close. \
            Texas said it would appeal. Politico said talks had failed.";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(Some("Murphy"), Direct, "Who is the real con man here?"),
                st(Some("Murphy"), Reported, "the vote was close"),
                st(None, Reported, "it would appeal"),
                st(None, Reported, "talks had failed"),
            ]
        );
    }

    #[test]
    fn doubled_apostrophe_quotes_are_attributed() {
        // PolNeAR misses: New York Times copy quotes with ''...''.
        let text = "''My business in 2006 got bad,'' Mr. Hutto said. ''We kept the doors open.''";
        assert_eq!(
            run(text, &SpeakerIndex::empty()),
            [
                st(Some("Hutto"), Direct, "My business in 2006 got bad,"),
                st(Some("Hutto"), Direct, "We kept the doors open."),
            ]
        );
    }

    #[test]
    fn bad_input_never_panics() {
        let index = table();
        for text in [
            "",
            " ",
            "\"",
            "“”",
            "«",
            "\n\n\n",
            "said",
            "\" said \"",
            "Mr.",
            "...\"?!",
        ] {
            let _ = run(text, &index);
        }
        let junk: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let decoded = decode_article(&junk);
        assert!(decoded.undecodable_bytes > 0);
        let _ = run(&decoded.text, &index);
    }

    #[test]
    fn long_single_line_is_handled_in_linear_time() {
        let line = "Putin said \"we are ready\" and Merkel warned that talks could fail, ".repeat(40_000);
        let start = std::time::Instant::now();
        let statements = extract_statements(&line, &table());
        assert!(!statements.is_empty());
        // Generous bound: a quadratic scan of 2.7 MB would take minutes.
        assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    }

    #[test]
    fn kind_round_trips() {
        for kind in [Direct, Reported] {
            assert_eq!(kind.to_string().parse::<StatementKind>(), Ok(kind));
        }
        assert!("quote".parse::<StatementKind>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_valid_spans(text in "\\PC*") {
            for s in extract_statements(&text, &table()) {
                proptest::prop_assert_eq!(&text[s.start..s.end], s.text.as_str());
            }
        }

        #[test]
        fn quote_heavy_text_gives_valid_spans(
            text in "([A-Z][a-z]{0,6}|he|said|told|that|according to|\"|“|”|«|»|'|’|,|\\.|:|\n| ){0,80}"
        ) {
            for s in extract_statements(&text, &table()) {
                proptest::prop_assert_eq!(&text[s.start..s.end], s.text.as_str());
                proptest::prop_assert!(s.start <= s.end);
            }
        }
    }
}
