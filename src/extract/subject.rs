//! The subject of a speech verb: who the grammar says is speaking, before names are resolved.
//!
//! `Putin said`, `Putin also said`, `..., said Mr Smith`, `X, the defence minister, said`, `a
//! spokesman for Putin said` (the spokesman, not Putin), `Obama and Hollande insisted` (both),
//! `..., saying` (the subject of the earlier verb).

use super::lexicon::{is, Kind};
use super::mentions::{MentionKind, SentenceAnalysis};
use super::tokens::TokKind;

/// Who the grammar says performs a speech verb, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// One or more mentions (`Obama and Hollande insisted`).
    Mentions(Vec<usize>),
    /// The verb shares the subject of an earlier verb of the sentence (`..., saying that`).
    Inherit,
    /// A noun phrase that names no person we can identify (`the official`, `Russia`).
    Other(usize, usize),
    /// Nothing usable (`"Yes," said.`).
    Missing,
}

/// Finds the subject of the speech verb at token `verb` (whose phrase ends before `phrase_end`).
/// Returns the subject and the first token of the attribution, or `None` when the word is not
/// used as a speech verb here (`the added value`, `to say`).
pub fn find_subject(
    a: &SentenceAnalysis,
    verb: usize,
    phrase_end: usize,
    participle: bool,
    invertible: bool,
) -> Option<(Subject, usize)> {
    let mut j = verb;
    let mut skipped = 0;
    while j > 0 && skipped < 4 && a.is_word(j - 1) && is(a.word(j - 1), Kind::BEFORE_VERB) {
        if j >= 2 && a.word(j - 2) == "on" && is(a.word(j - 1), Kind::WEEKDAY_MONTH) {
            j -= 1; // `on Tuesday`
        }
        j -= 1;
        skipped += 1;
    }
    // `this morning`, `last week`, `on Tuesday` (several may follow each other).
    while j >= 2
        && skipped < 6
        && a.is_word(j - 1)
        && (is(a.word(j - 1), Kind::TIME_NOUN) || is(a.word(j - 1), Kind::WEEKDAY_MONTH))
        && matches!(a.word(j - 2), "this" | "last" | "next" | "on" | "early" | "late")
    {
        j -= 2;
        skipped += 1;
    }
    if j == 0 {
        return inverted(a, phrase_end, invertible).map(|s| (s, verb));
    }
    let before = j - 1;
    let tok = a.toks[before];
    match tok.kind {
        TokKind::Punct(',') => {
            if participle {
                return Some((Subject::Inherit, verb));
            }
            if let Some(s) = inverted(a, phrase_end, invertible) {
                return Some((s, verb));
            }
            Some(parenthetical(a, before, verb))
        }
        TokKind::Punct('—' | '–') if !participle => {
            // `Mr Smith — who is desperate to win — said`: the subject is before the opening dash.
            let dash = tok.kind;
            let lo = before.saturating_sub(40);
            match (lo..before).rev().find(|&k| a.toks[k].kind == dash) {
                Some(open) if open > 0 && a.is_word(open - 1) => subject_ending_at(a, open - 1, verb, false),
                _ => Some((
                    inverted(a, phrase_end, invertible).unwrap_or(Subject::Missing),
                    verb,
                )),
            }
        }
        TokKind::Quote(_) | TokKind::Punct(_) => {
            if participle {
                return Some((Subject::Inherit, verb));
            }
            Some((
                inverted(a, phrase_end, invertible).unwrap_or(Subject::Missing),
                verb,
            ))
        }
        TokKind::Possessive => None,
        TokKind::Word => subject_ending_at(a, before, verb, participle),
    }
}

/// The subject whose last token is `at` (a word just before the verb).
fn subject_ending_at(
    a: &SentenceAnalysis,
    at: usize,
    verb: usize,
    participle: bool,
) -> Option<(Subject, usize)> {
    let found = noun_subject_ending_at(a, at, verb, participle)?;
    Some(skip_prepositional(a, found, verb, 0))
}

/// A noun phrase that is the object of a preposition is not the subject: in `a spokesman for
/// Putin said` the speaker is `a spokesman`, in `Obama on a visit to Paris said` it is Obama.
/// Looks past up to three such phrases for the head noun phrase.
fn skip_prepositional(
    a: &SentenceAnalysis,
    found: (Subject, usize),
    verb: usize,
    depth: usize,
) -> (Subject, usize) {
    let first = match &found.0 {
        Subject::Mentions(_) | Subject::Other(..) => found.1,
        _ => return found,
    };
    if depth >= 3 || first < 2 || !a.is_word(first - 1) || !is(a.word(first - 1), Kind::PREPOSITION) {
        return found;
    }
    let before = first - 2;
    if !matches!(a.toks[before].kind, TokKind::Word) {
        return found;
    }
    match noun_subject_ending_at(a, before, verb, false) {
        Some(head @ (Subject::Mentions(_) | Subject::Other(..), _)) => {
            skip_prepositional(a, head, verb, depth + 1)
        }
        _ => found,
    }
}

/// The subject whose last token is `at`, without looking past prepositions.
fn noun_subject_ending_at(
    a: &SentenceAnalysis,
    at: usize,
    verb: usize,
    participle: bool,
) -> Option<(Subject, usize)> {
    if let Some(m) = a.mention_ending_at(at) {
        let group = compound(a, m);
        let first = a.mentions[group[0]].first;
        return Some((Subject::Mentions(group), first));
    }
    let w = a.word(at);
    match w {
        "who" => {
            // `Renzi in Paris, who offered ...`: the nearest mention before the comma.
            // A mention inside a prepositional phrase (`in Paris`) is passed over when another
            // mention comes before it.
            if at >= 1 && a.is_punct(at - 1, ',') {
                let lo = at.saturating_sub(9);
                let candidates: Vec<usize> = (lo..at - 1)
                    .rev()
                    .filter_map(|k| a.mention_ending_at(k))
                    .collect();
                let after_preposition = |m: usize| {
                    let first = a.mentions[m].first;
                    first > 0 && a.is_word(first - 1) && is(a.word(first - 1), Kind::PREPOSITION)
                };
                let chosen = candidates
                    .iter()
                    .copied()
                    .find(|&m| !after_preposition(m))
                    .or_else(|| candidates.first().copied());
                if let Some(m) = chosen {
                    return Some((Subject::Mentions(vec![m]), a.mentions[m].first));
                }
            }
            Some((Subject::Missing, at))
        }
        "and" | "but" | "or" => Some((Subject::Inherit, verb)),
        "by" if participle => Some((Subject::Inherit, at)),
        "as" if participle
            && a.mention_ending_at(at.wrapping_sub(1))
                .is_some_and(|m| quoted_before(a, a.mentions[m].first)) =>
        {
            // `the agency quoted spokesman Karim Haddad as saying`: the one quoted speaks.
            let m = a.mention_ending_at(at - 1)?;
            Some((Subject::Mentions(vec![m]), a.mentions[m].first))
        }
        "as" if participle && at >= 2 && a.word(at - 1) == "quoted" => {
            let mut k = at - 1;
            if k >= 1 && matches!(a.word(k - 1), "was" | "were" | "is" | "been") {
                k -= 1;
            }
            if k == 0 {
                return Some((Subject::Missing, k));
            }
            match a.toks[k - 1].kind {
                TokKind::Word => subject_ending_at(a, k - 1, verb, false),
                _ => Some((Subject::Missing, k)),
            }
        }
        _ if is(w, Kind::BLOCKS_VERB) || w.ends_with("ly") || is(w, Kind::ROLE_HEAD) && participle => {
            if participle && matches!(w, "while" | "when" | "after" | "before") {
                Some((Subject::Inherit, verb))
            } else {
                None
            }
        }
        _ if participle => {
            // `the minister, speaking ... saying`: a participle after a noun that names no one.
            Some((Subject::Inherit, verb))
        }
        _ => {
            let first = noun_phrase_start(a, at);
            Some((Subject::Other(first, at), first))
        }
    }
}

/// Extends a mention leftwards over `and`/`,` links to the whole coordinated subject.
fn compound(a: &SentenceAnalysis, m: usize) -> Vec<usize> {
    let mut group = vec![m];
    let mut first = a.mentions[m].first;
    let mut saw_and = false;
    while group.len() < MAX_COMPOUND {
        if first < 2 {
            break;
        }
        let link = a.word(first - 1);
        let is_and = a.is_word(first - 1) && (link == "and" || link == "&");
        let is_comma = a.is_punct(first - 1, ',');
        if !(is_and || (is_comma && saw_and)) {
            break;
        }
        let Some(prev) = a.mention_ending_at(first - 2) else {
            break;
        };
        saw_and |= is_and;
        group.push(prev);
        first = a.mentions[prev].first;
    }
    group.reverse();
    group
}

/// Most speakers one coordinated subject is split into (`A, B and C said`).
const MAX_COMPOUND: usize = 6;

/// Start of a plain noun phrase ending at `last` (`the official`, `Russia`), at most four words.
fn noun_phrase_start(a: &SentenceAnalysis, last: usize) -> usize {
    let mut first = last;
    while first > 0 && last - first < 3 && a.is_word(first - 1) {
        let w = a.word(first - 1);
        if matches!(w, "the" | "a" | "an") {
            first -= 1;
            break;
        }
        if is(w, Kind::CLAUSE_LINK) || is(w, Kind::BLOCKS_VERB) {
            break;
        }
        first -= 1;
    }
    first
}

/// The speaker written after the verb (`"...," said Mr Smith.`, `..., said the minister`).
fn inverted(a: &SentenceAnalysis, phrase_end: usize, invertible: bool) -> Option<Subject> {
    if !invertible {
        return None;
    }
    // `says UN envoy van Dijk`: office words before the name.
    // `said former tech executive Carly Fiorina`: lowercase words of an office before the name.
    let mut at = phrase_end;
    while at < phrase_end + 4
        && a.mention_starting_at(at).is_none()
        && a.is_word(at)
        && !is(a.word(at), Kind::BLOCKS_VERB)
        && !is(a.word(at), Kind::CLAUSE_LINK)
        && (is(a.word(at), Kind::ROLE_HEAD)
            || is(a.word(at), Kind::TITLE)
            || is(a.word(at), Kind::PARTICLE) && a.mention_starting_at(at + 1).is_some()
            || !a.toks[at].has_upper
            || a.toks[at].end - a.toks[at].start <= 3 && !a.toks[at].has_lower)
    {
        at += 1;
    }
    let m = a.mention_starting_at(at)?;
    if matches!(a.mentions[m].kind, MentionKind::Pronoun(_)) {
        return None; // `said he` is rare; `said he would` is a clause
    }
    let after = a.mentions[m].last + 1;
    let ends = match a.toks.get(after).map(|t| t.kind) {
        None | Some(TokKind::Punct(_)) => true,
        Some(TokKind::Word) => is(a.word(after), Kind::AFTER_INVERTED),
        _ => false,
    };
    ends.then(|| Subject::Mentions(vec![m]))
}

/// `X, <parenthetical>, said`: the speaker is X unless the parenthetical is itself a name.
fn parenthetical(a: &SentenceAnalysis, comma: usize, verb: usize) -> (Subject, usize) {
    // The comma that opens the parenthetical.
    let lo = comma.saturating_sub(40);
    let Some(open) = (lo..comma).rev().find(|&k| a.is_punct(k, ',')) else {
        return (Subject::Missing, verb);
    };
    let appositive = a
        .mention_ending_at(comma - 1)
        .filter(|&m| a.mentions[m].first == open + 1);
    if let Some(m) = appositive {
        let names_someone = matches!(
            a.mentions[m].kind,
            MentionKind::Name { .. } | MentionKind::Known { role: false, .. }
        );
        let named_before = open > 0 && a.mention_ending_at(open - 1).is_some();
        if names_someone || !named_before {
            return (Subject::Mentions(vec![m]), a.mentions[m].first);
        }
    }
    if open == 0 {
        return (Subject::Missing, verb);
    }
    match a.toks[open - 1].kind {
        TokKind::Word => match a.mention_ending_at(open - 1) {
            Some(m) => {
                let group = compound(a, m);
                let first = a.mentions[group[0]].first;
                (Subject::Mentions(group), first)
            }
            None => {
                let first = noun_phrase_start(a, open - 1);
                (Subject::Other(first, open - 1), first)
            }
        },
        _ => (Subject::Missing, verb),
    }
}

/// The grammatical subject of the sentence before token `before`: the first mention (with the
/// mentions coordinated with it) that does not follow a preposition and is not a possessive.
pub fn sentence_subject(a: &SentenceAnalysis, before: usize) -> Option<Vec<usize>> {
    let n = a.mentions.len();
    let mut k = 0;
    while k < n {
        let m = a.mentions[k];
        if m.first >= before {
            return None;
        }
        let after_preposition =
            m.first > 0 && a.is_word(m.first - 1) && is(a.word(m.first - 1), Kind::PREPOSITION);
        let possessive = matches!(a.toks.get(m.last + 1).map(|t| t.kind), Some(TokKind::Possessive));
        if after_preposition || possessive {
            k += 1;
            continue;
        }
        let mut group = vec![k];
        let mut last = m.last;
        while let Some(next) = a.mention_starting_at(last + 2) {
            let link = a.word(last + 1);
            let linked = (a.is_word(last + 1) && (link == "and" || link == "&")) || a.is_punct(last + 1, ',');
            if !linked || a.mentions[next].first >= before {
                break;
            }
            group.push(next);
            last = a.mentions[next].last;
        }
        return Some(group);
    }
    None
}

/// Whether `quoted` comes just before token `first`, over at most four lowercase words of an
/// office (`quoted foreign ministry spokesman Karim Haddad as saying`).
fn quoted_before(a: &SentenceAnalysis, first: usize) -> bool {
    (first.saturating_sub(5)..first)
        .rev()
        .take_while(|&k| a.is_word(k) && !a.toks[k].cap)
        .any(|k| a.word(k) == "quoted")
}
