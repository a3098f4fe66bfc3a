//! Regression tests for the extraction misses listed in issue 15, one per miss, named after it
//! (names of people changed as in the issue).

use super::tests::{run, st};
use super::{SpeakerIndex, StatementKind};
use StatementKind::{Direct, Reported};

fn none() -> SpeakerIndex {
    SpeakerIndex::empty()
}

#[test]
fn apposition_defence_expert_for_a_party_said() {
    let text = "Anna Berger, defence expert for the Free Democrats, said the army needed more money.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "the army needed more money")]
    );
}

#[test]
fn surname_with_particle_and_role_mention_tie_to_the_full_name() {
    let text = "Pieter van Dijk, the UN envoy, arrived in Geneva on Monday.\n\n\
        \"We are close to a deal,\" Mr. van Dijk said.\n\n\
        The UN envoy added that talks would resume on Friday.";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Pieter van Dijk"), Direct, "We are close to a deal,"),
            st(Some("Pieter van Dijk"), Reported, "talks would resume on Friday"),
        ]
    );
}

#[test]
fn one_letter_misspelling_is_the_same_person() {
    let text = "Karim Haddad said the border was closed. Later, Karim Hadad said it would reopen soon.";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Karim Haddad"), Reported, "the border was closed"),
            st(Some("Karim Haddad"), Reported, "it would reopen soon"),
        ]
    );
}

#[test]
fn agency_quoted_spokesman_as_saying() {
    let text =
        "The agency quoted foreign ministry spokesman Karim Haddad as saying that the talks had failed.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Karim Haddad"), Reported, "the talks had failed")]
    );
}

#[test]
fn countries_and_armed_groups_are_not_leaders() {
    let text = "Syria said the strikes were illegal. The Islamic Front said it had taken the town.";
    assert_eq!(
        run(text, &none()),
        [
            st(None, Reported, "the strikes were illegal"),
            st(None, Reported, "it had taken the town"),
        ]
    );
}

#[test]
fn mrs_surname_is_not_her_husband_from_the_table() {
    let table = "speaker,gender,aliases\nBill Clinton,m,Clinton;Mr Clinton\n";
    let index = SpeakerIndex::from_csv(table.as_bytes(), "s.csv").expect("table");
    let text = "Mrs. Clinton said the plan was reckless.";
    assert_eq!(
        run(text, &index),
        [st(Some("Mrs. Clinton"), Reported, "the plan was reckless")]
    );
}

#[test]
fn time_words_between_name_and_verb() {
    let text = "Anna Berger this morning suggested that the vote be delayed.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "the vote be delayed")]
    );
}

#[test]
fn dash_parenthetical_between_name_and_verb() {
    let text = "Mr Berger \u{2014} who is desperate to win the vote \u{2014} said the deal was dead.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Berger"), Reported, "the deal was dead")]
    );
}

#[test]
fn us_led_coalition_does_not_end_a_sentence() {
    let text = "Anna Berger said the U.S.-led coalition would step up strikes.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Reported,
            "the U.S.-led coalition would step up strikes"
        )]
    );
}

#[test]
fn single_quoted_speech_in_an_article_with_double_quotes() {
    let text = "Officials spoke of a \"historic\" day.\n\n\
        'Well, in principle we agree,' Anna Berger said.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Direct, "Well, in principle we agree,")]
    );
}

#[test]
fn quote_with_a_line_break_inside() {
    let text = "\"We will not give up this fight\nwhatever it costs,\" Anna Berger said.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Direct,
            "We will not give up this fight\nwhatever it costs,"
        )]
    );
}

#[test]
fn quote_continuing_over_paragraphs_keeps_its_speaker() {
    let text = "\"We will not give up,\" Anna Berger said. \"We have fought for years.\n\n\
        \"And we will fight on.\"";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Anna Berger"), Direct, "We will not give up,"),
            st(Some("Anna Berger"), Direct, "We have fought for years."),
            st(Some("Anna Berger"), Direct, "And we will fight on."),
        ]
    );
}

#[test]
fn title_case_headline_says() {
    let text = "Anna Berger Says Russia Targeting Rebels In Syria\n\nThe minister spoke on Monday.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Reported,
            "Russia Targeting Rebels In Syria"
        )]
    );
}

#[test]
fn colon_headline_attribution() {
    let text = "Anna Berger: evidence won't change our minds\n\nThe minister spoke on Monday.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Reported,
            "evidence won't change our minds"
        )]
    );
}

#[test]
fn says_un_envoy_after_the_clause() {
    let text = "Pieter van Dijk is the UN envoy. The talks will resume in March, says UN envoy van Dijk.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Pieter van Dijk"),
            Reported,
            "The talks will resume in March"
        )]
    );
}

#[test]
fn cue_is_promising() {
    let text = "Anna Berger is promising to cut taxes for families.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "cut taxes for families")]
    );
}

#[test]
fn cue_compared_to() {
    let text = "Anna Berger compared the strikes to a war crime.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "the strikes to a war crime")]
    );
}

#[test]
fn cue_accused_country_of_quote() {
    let text = "Anna Berger accused Russia of \"playing with fire\" in Syria.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Reported,
            "Russia of \"playing with fire\" in Syria"
        )]
    );
}

#[test]
fn cue_signalled() {
    let text = "Anna Berger signalled that she would back the deal.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "she would back the deal")]
    );
}

#[test]
fn cue_went_on_to_say_that() {
    let text = "Anna Berger went on to say that the deal was dead.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Anna Berger"), Reported, "the deal was dead")]
    );
}

#[test]
fn cue_criticized_for() {
    let text = "Anna Berger criticized the government for its silence.";
    assert_eq!(
        run(text, &none()),
        [st(
            Some("Anna Berger"),
            Reported,
            "the government for its silence"
        )]
    );
}

#[test]
fn cue_in_what_he_called() {
    let text = "Karim Haddad condemned the bombing, in what he called \"a cowardly attack on civilians\".";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Karim Haddad"), Reported, "the bombing"),
            st(Some("Karim Haddad"), Direct, "a cowardly attack on civilians"),
        ]
    );
}

#[test]
fn two_cues_are_two_statements() {
    let text = "Anna Berger noted that the talks had stalled, and she deplored the violence in Aleppo.";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Anna Berger"), Reported, "the talks had stalled"),
            st(Some("Anna Berger"), Reported, "the violence in Aleppo"),
        ]
    );
}

#[test]
fn quote_only_paragraph_goes_on_with_the_speaker_before() {
    // PolNeAR misses: a paragraph that is nothing but a quote, after `"...," he said.`
    let text = "\"We will build a wall,\" Anna Berger said.\n\n\"And they will pay for it.\"";
    assert_eq!(
        run(text, &none()),
        [
            st(Some("Anna Berger"), Direct, "We will build a wall,"),
            st(Some("Anna Berger"), Direct, "And they will pay for it."),
        ]
    );
}

#[test]
fn initials_inside_an_inverted_speaker() {
    // PolNeAR misses: `said Alan B. Krueger, a professor` lost the speaker at the initial.
    let text = "''The economy has changed,'' said Alan B. Krueger, a professor of economics.";
    assert_eq!(
        run(text, &none()),
        [st(Some("Alan B. Krueger"), Direct, "The economy has changed,")]
    );
}

#[test]
fn show_titles_and_dates_in_quotes_are_not_statements() {
    let text = "\"This Week,\" Anna Berger said. \"February 10, 2016,\" Anna Berger wrote.";
    assert_eq!(run(text, &none()), []);
}
