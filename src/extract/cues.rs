//! Speech cues and the clauses they introduce: `Putin said that ...`, `..., said Mr Smith`,
//! `according to X`, `X set out his case for ...`.
//!
//! A cue is a speech verb (or a fixed phrase built on one) whose subject is a noun phrase; the
//! same word after a determiner or preposition (`the added value`, `to say`) is not a cue. Each
//! cue's clause runs from the end of the cue to the end of the sentence or to where the next
//! cue's attribution begins (`Putin said A, but he reaffirmed B` gives two clauses), so clauses
//! never overlap and finding them is linear.
//!
//! A quote inside a clause is either the statement itself (`Hollande said the Syrian president
//! "does not have his place in Syria's future"`: only a short subject comes before it, so the
//! quote carries the verb, and the statement is direct) or a fragment of the paraphrase (`said it
//! was "morally" unacceptable`, `said Britain should not "wait until ..." before acting`: the
//! clause's verb or words after the quote are outside the marks, so the statement is reported and
//! keeps the marks). [`classify_clause`] draws that line.

use super::cast::Who;
use super::lexicon::{cue_verb, is, Kind, Shape, PHRASES};
use super::mentions::{MentionKind, SentenceAnalysis};
use super::quotes::Quote;
use super::statement::MAX_STATEMENT_BYTES;
use super::subject::{find_subject, Subject};
use super::tokens::TokKind;

/// One speech cue in a sentence, with its subject, resolved speakers and clause (token indices).
#[derive(Debug, Clone)]
pub struct Cue {
    /// First token of the cue phrase (the verb).
    pub verb: usize,
    /// First token after the cue phrase.
    pub phrase_end: usize,
    /// Last token of the cue as reported in [`super::Statement::cue`].
    pub cue_last: usize,
    /// The cue's grammar.
    pub shape: Shape,
    /// Who the grammar says is speaking.
    pub subject: Subject,
    /// First token of the attribution: the subject, or the verb when the subject follows it.
    pub attr_start: usize,
    /// First token after the attribution: after the cue phrase, or after the speaker when the
    /// speaker follows the verb (`..., said Mr Smith`).
    pub attr_end: usize,
    /// The clause, as a token range `[start, end)`, when the cue introduces one.
    pub content: Option<(usize, usize)>,
    /// The clause comes before the cue (`..., said Mr Smith.`, `X, according to Y.`).
    pub content_before: bool,
    /// The speakers, once resolved.
    pub speakers: Vec<Who>,
}

/// Whether token `i` may sit inside a cue phrase (a word or a possessive, not another cue).
fn phrase_filler(a: &SentenceAnalysis, i: usize) -> bool {
    match a.toks.get(i).map(|t| t.kind) {
        Some(TokKind::Word) => cue_verb(a.word(i)).is_none(),
        Some(TokKind::Possessive) => true,
        _ => false,
    }
}

/// Matches a fixed cue phrase starting at token `i`; returns the token after its link word.
fn match_phrase(a: &SentenceAnalysis, i: usize) -> Option<usize> {
    let w = a.word(i);
    if !is(w, Kind::PHRASE_VERB) {
        return None;
    }
    'patterns: for p in PHRASES {
        let listed = |list: &str, word: &str| list.split_whitespace().any(|x| x == word);
        if !listed(p.verbs, w) {
            continue;
        }
        let mut k = i + 1;
        if let Some(particle) = p.particle {
            if a.word(k) != particle {
                continue;
            }
            k += 1;
        }
        let mut noun = None;
        for j in k..=k + p.before_noun {
            if listed(p.nouns, a.word(j)) && a.is_word(j) {
                noun = Some(j);
                break;
            }
            if !phrase_filler(a, j) {
                continue 'patterns;
            }
        }
        let Some(noun) = noun else {
            continue;
        };
        for j in noun + 1..=noun + 1 + p.after_noun {
            if listed(p.links, a.word(j)) && a.is_word(j) {
                return Some(j + 1);
            }
            if !phrase_filler(a, j) {
                continue 'patterns;
            }
        }
    }
    None
}

/// Words that start an adverbial rather than a reported clause after a speech verb.
fn starts_adverbial(w: &str) -> bool {
    is(w, Kind::ADVERBIAL) || (w.ends_with("ing") && w.len() > 5)
}

/// Skips time adverbials after a cue (`yesterday`, `on Tuesday`, `last week`).
fn skip_time(a: &SentenceAnalysis, mut i: usize) -> usize {
    loop {
        let w = a.word(i);
        if !a.is_word(i) {
            return i;
        }
        if is(w, Kind::TIME) {
            i += 1;
        } else if w == "on" && is(a.word(i + 1), Kind::WEEKDAY_MONTH) {
            i += 2;
            while a.is_word(i) && a.word(i).chars().all(|c| c.is_ascii_digit()) {
                i += 1;
            }
        } else if matches!(w, "last" | "this" | "next") && is(a.word(i + 1), Kind::TIME_NOUN) {
            i += 2;
        } else {
            return i;
        }
    }
}

fn is_cue_start(a: &SentenceAnalysis, i: usize) -> bool {
    a.is_word(i) && (cue_verb(a.word(i)).is_some() || a.word(i) == "according")
}

/// Finds `that` within a few words after `from` (through an adverbial: `said in a statement
/// that`); stops at punctuation, quotes and other cues.
fn that_within(a: &SentenceAnalysis, from: usize, limit: usize) -> Option<usize> {
    for i in from..(from + limit).min(a.toks.len()) {
        if !a.is_word(i) && a.toks[i].kind != TokKind::Possessive {
            return None;
        }
        if a.word(i) == "that" {
            return Some(i);
        }
        if i > from && is_cue_start(a, i) {
            return None;
        }
    }
    None
}

/// Finds the speech cues of a sentence, with their subjects (speakers are resolved later).
pub fn find_cues(a: &SentenceAnalysis) -> Vec<Cue> {
    let mut cues = Vec::new();
    let n = a.toks.len();
    let mut i = 0;
    while i < n {
        if !a.is_word(i) {
            i += 1;
            continue;
        }
        let t = a.toks[i];
        // `Anna Berger: evidence won't ...` (a headline): a name, a colon, then what was said.
        if i == 0 {
            if let Some(cue) = colon_headline(a) {
                i = cue.phrase_end;
                cues.push(cue);
                continue;
            }
        }
        // Cue words are lowercase except at the start of a sentence (`United States`), or in
        // a title-case headline (`Anna Berger Says ...`).
        if t.cap && i > 0 && !(a.title_case() && cue_verb(a.word(i)).is_some()) {
            i += 1;
            continue;
        }
        let w = a.word(i);
        // `went on to say that`: the cue is the whole phrase, its subject that of `went`.
        if w == "went" && a.word(i + 1) == "on" && a.word(i + 2) == "to" && cue_verb(a.word(i + 3)).is_some()
        {
            if let Some((Shape::Say | Shape::SayThat, false)) =
                cue_verb(a.word(i + 3)).map(|(s, _)| (s, false))
            {
                if let Some((subject, attr_start)) = find_subject(a, i, i + 4, false, false) {
                    cues.push(Cue {
                        verb: i,
                        phrase_end: i + 4,
                        cue_last: i + 3,
                        shape: Shape::Say,
                        subject,
                        attr_start: attr_start.min(i),
                        attr_end: i + 4,
                        content: None,
                        content_before: false,
                        speakers: Vec::new(),
                    });
                    i += 4;
                    continue;
                }
            }
        }
        if w == "according" && a.word(i + 1) == "to" {
            if let Some(cue) = according(a, i) {
                i = cue.phrase_end;
                cues.push(cue);
                continue;
            }
        }
        let (shape, participle, phrase_end) = if let Some(end) = match_phrase(a, i) {
            (Shape::Phrase, w.ends_with("ing"), end)
        } else if let Some((shape, participle)) = cue_verb(w) {
            match shape {
                Shape::PointTo => match a.word(i + 1) {
                    "to" | "out" => (shape, participle, i + 2),
                    _ => {
                        i += 1;
                        continue;
                    }
                },
                Shape::Describe => {
                    let has_as = (i + 1..(i + 12).min(n))
                        .take_while(|&k| a.is_word(k) || a.toks[k].kind != TokKind::Punct('.'))
                        .any(|k| a.word(k) == "as" && a.is_word(k));
                    if !has_as {
                        i += 1;
                        continue;
                    }
                    (shape, participle, i + 1)
                }
                _ => (shape, participle, i + 1),
            }
        } else {
            i += 1;
            continue;
        };
        if excluded_collocation(a, i, phrase_end) {
            i += 1;
            continue;
        }
        let invertible = matches!(shape, Shape::Say | Shape::SayThat) && !participle;
        if let Some((subject, attr_start)) = find_subject(a, i, phrase_end, participle, invertible) {
            // `X is the leader who ignites and calls for ...`: a verb of judging coordinated with
            // a verb that is not speech describes the subject; it reports no statement.
            if shape == Shape::Object && !participle && subject == Subject::Inherit && cues.is_empty() {
                i += 1;
                continue;
            }
            let attr_end = match &subject {
                Subject::Mentions(ms) if attr_start >= i => ms
                    .last()
                    .map_or(phrase_end, |&m| a.mentions[m].last + 1)
                    .max(phrase_end),
                _ => phrase_end,
            };
            // `heat observed from the jet`: a verb that needs `that` and has none is no cue,
            // unless it attributes a quote or ends the clause (`"...," he replied.`).
            if shape == Shape::SayThat && attr_end == phrase_end {
                let next = skip_time(a, phrase_end);
                // `"...?" Clinton asks as ...`: a quote just before the attribution.
                let mut before = attr_start.min(i);
                while before > 0 && matches!(a.toks[before - 1].kind, TokKind::Punct(',' | '?' | '!' | '.')) {
                    before -= 1;
                }
                let after_quote = before > 0 && matches!(a.toks[before - 1].kind, TokKind::Quote(_));
                let attributes = after_quote
                    || match a.toks.get(next).map(|t| t.kind) {
                        None | Some(TokKind::Punct(_)) | Some(TokKind::Quote(_)) => true,
                        Some(TokKind::Word) => {
                            that_within(a, next, 10).is_some() || is(a.word(next), Kind::QUESTION)
                        }
                        Some(TokKind::Possessive) => false,
                    };
                if !attributes {
                    i += 1;
                    continue;
                }
            }
            cues.push(Cue {
                verb: i,
                phrase_end,
                cue_last: phrase_end.saturating_sub(1).max(i),
                shape,
                subject,
                attr_start: attr_start.min(i),
                attr_end,
                content: None,
                content_before: false,
                speakers: Vec::new(),
            });
            i = phrase_end.max(i + 1);
        } else {
            i += 1;
        }
    }
    cues
}

/// Verb uses that are not speech: `charged with`, `claimed responsibility`, `claimed ... lives`.
fn excluded_collocation(a: &SentenceAnalysis, verb: usize, phrase_end: usize) -> bool {
    let w = a.word(verb);
    let next = a.word(phrase_end);
    // `He is said to be ill`: a passive report, not the subject speaking.
    if next == "to"
        && !w.ends_with("ing")
        && verb > 0
        && matches!(a.word(verb - 1), "is" | "was" | "are" | "were" | "been" | "being")
    {
        return true;
    }
    // `Trump was criticized for ...`: the subject is spoken about, not speaking.
    let passive = verb > 0
        && matches!(
            a.word(verb - 1),
            "is" | "was" | "are" | "were" | "be" | "been" | "being" | "get" | "got"
        );
    if passive && cue_verb(w).is_some_and(|(shape, _)| shape == Shape::Object) {
        return true;
    }
    match w {
        "charged" | "charges" => next == "with",
        "called" | "calls" | "calling" => {
            matches!(next, "off" | "up" | "in" | "back" | "it" | "him" | "her")
                && a.word(phrase_end + 1) != "a"
                || next == "into"
        }
        "claimed" | "claims" | "claiming" => {
            matches!(next, "responsibility" | "credit" | "the" | "lives" | "victory")
                || a.word(phrase_end + 1) == "lives"
        }
        "offered" => next != "to" && match_phrase(a, verb).is_none(),
        "states" | "stated" => next == "of",
        _ => false,
    }
}

/// `Anna Berger: evidence won't change our minds`: a sentence that opens with a person's name
/// and a colon (headline style) attributes what follows the colon to them.
fn colon_headline(a: &SentenceAnalysis) -> Option<Cue> {
    let m = a.mention_starting_at(0)?;
    let mention = a.mentions[m];
    let colon = mention.last + 1;
    let names_someone = match mention.kind {
        MentionKind::Name { name_from, .. } => mention.last > name_from,
        MentionKind::Known { role, .. } => !role,
        _ => false,
    };
    if !names_someone
        || !a.is_punct(colon, ':')
        || !a.is_word(colon + 1) && !matches!(a.toks.get(colon + 1).map(|t| t.kind), Some(TokKind::Quote(_)))
    {
        return None;
    }
    Some(Cue {
        verb: colon,
        phrase_end: colon + 1,
        cue_last: colon,
        shape: Shape::Say,
        subject: Subject::Mentions(vec![m]),
        attr_start: 0,
        attr_end: colon + 1,
        content: None,
        content_before: false,
        speakers: Vec::new(),
    })
}

/// `according to X`: the source is the mention (or noun phrase) after `to`.
fn according(a: &SentenceAnalysis, i: usize) -> Option<Cue> {
    let at = i + 2;
    let (subject, last) = match a.mention_starting_at(at) {
        Some(m) => (Subject::Mentions(vec![m]), a.mentions[m].last),
        None => {
            let mut last = at;
            if !a.is_word(at) {
                return None;
            }
            while last + 1 < a.toks.len() && last - at < 8 && a.is_word(last + 1) {
                last += 1;
            }
            (Subject::Other(at, last), last)
        }
    };
    Some(Cue {
        verb: i,
        phrase_end: last + 1,
        cue_last: i + 1,
        shape: Shape::According,
        subject,
        attr_start: i,
        attr_end: last + 1,
        content: None,
        content_before: false,
        speakers: Vec::new(),
    })
}

/// Decides each cue's clause (see the module documentation). `next_attr` bounds are taken from
/// the following cue of the same sentence.
pub fn assign_content(a: &SentenceAnalysis, cues: &mut [Cue]) {
    let n = a.toks.len();
    for k in 0..cues.len() {
        let limit = cues.get(k + 1).map_or(n, |c| c.attr_start.max(cues[k].attr_end));
        let cue = &cues[k];
        let start = if cue.shape == Shape::According {
            according_after(a, cue)
        } else {
            clause_start(a, cue)
        };
        let (content, cue_last) = match start {
            Some((s, cue_last)) if s < limit => (trim_clause(a, s, limit), cue_last),
            _ => (None, cues[k].cue_last),
        };
        cues[k].content = content;
        cues[k].cue_last = cue_last.max(cues[k].verb);
        if cues[k].content.is_none() {
            let lower = if k == 0 {
                0
            } else {
                let prev = &cues[k - 1];
                prev.content.map_or(prev.phrase_end, |(_, e)| e)
            };
            if let Some(range) = clause_before(a, &cues[k], lower) {
                cues[k].content = Some(range);
                cues[k].content_before = true;
            }
        }
    }
}

/// Where the clause after a cue starts, and the last token of the cue phrase.
fn clause_start(a: &SentenceAnalysis, cue: &Cue) -> Option<(usize, usize)> {
    let mut i = skip_time(a, cue.attr_end);
    let tok = a.toks.get(i)?;
    match tok.kind {
        TokKind::Quote(_) => return Some((i, cue.phrase_end - 1)),
        TokKind::Punct(':') => return Some((i + 1, cue.phrase_end - 1)),
        TokKind::Punct(',') => {
            if matches!(a.toks.get(i + 1).map(|t| t.kind), Some(TokKind::Quote(_))) {
                return Some((i + 1, cue.phrase_end - 1));
            }
            // `His fingerprints, Molins said, were found ...`
            let parenthetical =
                cue.attr_start > 0 && a.is_punct(cue.attr_start - 1, ',') && cue.shape != Shape::According;
            if parenthetical && a.is_word(i + 1) && !starts_adverbial(a.word(i + 1)) {
                return Some((i + 1, cue.phrase_end - 1));
            }
            return None;
        }
        TokKind::Word => {}
        _ => return None,
    }
    let w = a.word(i);
    if w == "that" {
        return Some((skip_comma(a, i + 1), i));
    }
    match cue.shape {
        Shape::Tell => {
            // Listener, then `that`, a quote or a colon.
            for j in i..(i + 6).min(a.toks.len()) {
                match a.toks[j].kind {
                    TokKind::Word if a.word(j) == "that" => return Some((skip_comma(a, j + 1), j)),
                    TokKind::Word | TokKind::Possessive => {
                        if j > i && is_cue_start(a, j) {
                            return None;
                        }
                    }
                    TokKind::Quote(_) => return Some((j, j - 1)),
                    TokKind::Punct(':') => return Some((j + 1, j - 1)),
                    TokKind::Punct(',')
                        if matches!(a.toks.get(j + 1).map(|t| t.kind), Some(TokKind::Quote(_))) =>
                    {
                        return Some((j + 1, j - 1))
                    }
                    _ => return None,
                }
            }
            None
        }
        Shape::Intent => (w == "to").then(|| (i + 1, i)),
        Shape::PointTo | Shape::Describe | Shape::Phrase | Shape::Object => Some((i, cue.phrase_end - 1)),
        Shape::According => None,
        Shape::Say | Shape::SayThat => {
            let verb = a.word(cue.verb);
            if matches!(verb, "warned" | "warns" | "warning" | "cautioned" | "cautions")
                && matches!(w, "of" | "against" | "about")
            {
                return Some((i + 1, i));
            }
            if matches!(verb, "insisted" | "insists" | "insisting") && w == "on" {
                return Some((i + 1, i));
            }
            if matches!(verb, "asked" | "asks") && is(w, Kind::QUESTION) {
                return Some((i, cue.phrase_end - 1));
            }
            if cue.shape == Shape::SayThat || starts_adverbial(w) {
                let that = that_within(a, i, 10)?;
                return Some((skip_comma(a, that + 1), that));
            }
            i = skip_comma(a, i);
            // Without `that`, what follows must be a clause (`said the talks failed`), not an
            // object (`conceded the race to Clinton`, `claimed a victory in Iowa`).
            if !matches!(a.toks.get(i).map(|t| t.kind), Some(TokKind::Quote(_)))
                && !a.title_case()
                && !has_finite_verb(a, i, i + 12)
            {
                return None;
            }
            Some((i, cue.phrase_end - 1))
        }
    }
}

/// Whether tokens `[from, to)` hold a word that looks like a finite verb: an auxiliary or modal,
/// a negation, or a past or third-person form (`failed`, `wants`) after the first word.
fn has_finite_verb(a: &SentenceAnalysis, from: usize, to: usize) -> bool {
    (from..to.min(a.toks.len())).any(|k| {
        let w = a.word(k);
        a.is_word(k)
            && !a.toks[k].cap
            && (is(w, Kind::VERBISH)
                || w.ends_with("n't")
                || k > from
                    && w.len() > 3
                    && (w.ends_with("ed") || w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us")))
    }) || (from..to.min(a.toks.len())).any(|k| matches!(a.toks[k].kind, TokKind::Quote(_)))
}

fn skip_comma(a: &SentenceAnalysis, i: usize) -> usize {
    if a.is_punct(i, ',') {
        i + 1
    } else {
        i
    }
}

/// `According to X, ...` at the start of a sentence: the clause after the comma.
fn according_after(a: &SentenceAnalysis, cue: &Cue) -> Option<(usize, usize)> {
    let leading =
        (0..cue.verb).all(|k| !a.is_word(k) || matches!(a.word(k), "but" | "and" | "yet" | "however"));
    if !leading {
        return None;
    }
    let comma = (cue.phrase_end..(cue.phrase_end + 12).min(a.toks.len())).find(|&k| a.is_punct(k, ','))?;
    Some((comma + 1, cue.verb + 1))
}

/// The clause before an end-of-sentence attribution (`..., said Mr Smith.`, `X, according to Y`).
fn clause_before(a: &SentenceAnalysis, cue: &Cue, lower: usize) -> Option<(usize, usize)> {
    let at = cue.attr_start;
    if at == 0 || !a.is_punct(at - 1, ',') || lower >= at - 1 {
        return None;
    }
    // Nothing of substance may follow the attribution (`, said Blinken.` / `, he said on Tuesday.`).
    let after = if cue.shape == Shape::According {
        cue.phrase_end
    } else {
        skip_time(a, cue.attr_end)
    };
    let trailing_ok = match a.toks.get(after).map(|t| t.kind) {
        None => true,
        Some(TokKind::Punct(c)) => matches!(c, '.' | '!' | '?' | ';' | ','),
        Some(TokKind::Word) => starts_adverbial(a.word(after)) || matches!(a.word(after), "in" | "on"),
        _ => false,
    };
    if !trailing_ok {
        return None;
    }
    let mut s = lower;
    while s < at - 1 && a.is_word(s) && matches!(a.word(s), "but" | "and" | "yet" | "so") {
        s += 1;
    }
    let range = trim_clause(a, s, at - 1)?;
    let words = (range.0..range.1).filter(|&k| a.is_word(k)).count();
    let only_quote = range.1 - range.0 == 1 && matches!(a.toks[range.0].kind, TokKind::Quote(_));
    (words >= 2 && !only_quote).then_some(range)
}

/// Trims a clause `[s, e)`: leading and trailing punctuation, trailing conjunctions and
/// prepositions left by a following cue (`A, but` / `A while` / `A, with`), and caps its length.
fn trim_clause(a: &SentenceAnalysis, mut s: usize, mut e: usize) -> Option<(usize, usize)> {
    let is_trim_punct = |c: char| matches!(c, ',' | ';' | ':' | '—' | '–' | '-' | '.');
    while s < e {
        match a.toks[s].kind {
            TokKind::Punct(c) if is_trim_punct(c) => s += 1,
            _ => break,
        }
    }
    while e > s {
        match a.toks[e - 1].kind {
            TokKind::Punct(c) if is_trim_punct(c) || c == '(' => e -= 1,
            TokKind::Word if is(a.word(e - 1), Kind::CLAUSE_TAIL) => e -= 1,
            _ => break,
        }
    }
    if s >= e {
        return None;
    }
    // Cap the length at a token boundary.
    let start_byte = a.toks[s].start;
    while e > s + 1 && a.toks[e - 1].end - start_byte > MAX_STATEMENT_BYTES {
        e -= 1;
    }
    if a.toks[e - 1].end - start_byte > MAX_STATEMENT_BYTES {
        return None;
    }
    let has_word = (s..e).any(|k| a.is_word(k) || matches!(a.toks[k].kind, TokKind::Quote(_)));
    has_word.then_some((s, e))
}

/// Whether a clause is the speaker's quote or a paraphrase with quoted fragments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectOrFragment {
    /// The quote at this token is the statement (direct).
    Direct(usize),
    /// The clause is the statement (reported); quotes inside it are fragments.
    Reported,
}

fn is_verbish(w: &str) -> bool {
    is(w, Kind::VERBISH) || w.ends_with("n't")
}

/// Decides whether the clause `[s, e)` is a direct quote or reported speech.
pub fn classify_clause(
    text: &str,
    a: &SentenceAnalysis,
    quotes: &[Quote],
    s: usize,
    e: usize,
) -> DirectOrFragment {
    let quote_tokens: Vec<usize> = (s..e)
        .filter(|&k| matches!(a.toks[k].kind, TokKind::Quote(_)))
        .collect();
    let Some(&first) = quote_tokens.first() else {
        return DirectOrFragment::Reported;
    };
    let words_of = |k: usize| match a.toks[k].kind {
        TokKind::Quote(q) => quotes.get(q).map_or(0, |q| q.word_count(text)),
        _ => 0,
    };
    let tail_ok = |q: usize| {
        q + 1 >= e
            || matches!(a.toks[q + 1].kind, TokKind::Punct(c) if matches!(c, ',' | ';' | '—' | '–' | '-' | '(' | '.' | '!' | '?'))
    };
    // The whole clause is one quote: direct, however short.
    if first == s && tail_ok(first) && quote_tokens.len() == 1 {
        return DirectOrFragment::Direct(first);
    }
    if words_of(first) < 3 || !tail_ok(first) {
        return DirectOrFragment::Reported;
    }
    let prefix: Vec<&str> = (s..first).filter(|&k| a.is_word(k)).map(|k| a.word(k)).collect();
    let finite_verb = |w: &&str| is_verbish(w) || (w.len() > 4 && w.ends_with("ed"));
    if prefix.len() > 8 || prefix.iter().any(finite_verb) {
        return DirectOrFragment::Reported;
    }
    // After words of the clause, a quote opening with an article or preposition is a noun
    // phrase inside the paraphrase (`Europe faced "a moment of truth"`), not the statement.
    let opens_noun_phrase = match a.toks[first].kind {
        TokKind::Quote(q) => quotes.get(q).is_some_and(|q| {
            let first_word = text
                .get(q.start..q.end)
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or("");
            let w = first_word.to_lowercase();
            is(w.trim_matches(|c: char| !c.is_alphanumeric()), Kind::NP_OPENER)
        }),
        _ => false,
    };
    if !prefix.is_empty() && opens_noun_phrase {
        return DirectOrFragment::Reported;
    }
    if prefix.last().is_some_and(|w| is(w, Kind::NP_OPENER)) {
        return DirectOrFragment::Reported;
    }
    DirectOrFragment::Direct(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::speakers::SpeakerIndex;

    fn analyse(text: &str) -> SentenceAnalysis {
        let mut a = SentenceAnalysis::default();
        a.analyse(text, 0, text.len(), &[], &SpeakerIndex::empty());
        a
    }

    fn cue_words(text: &str) -> Vec<String> {
        let a = analyse(text);
        find_cues(&a).iter().map(|c| a.word(c.verb).to_string()).collect()
    }

    #[test]
    fn speech_verbs_need_a_subject() {
        assert_eq!(cue_words("Mr Smith said the talks failed."), ["said"]);
        assert!(cue_words("The added value of the talks was clear.").is_empty());
        assert!(cue_words("He refused to say more.").is_empty());
        assert!(cue_words("The IS-claimed bombing killed many.").is_empty());
        assert!(cue_words("He was charged with fraud.").is_empty());
    }

    #[test]
    fn fixed_phrases() {
        assert_eq!(cue_words("Jones set out his case today for new taxes."), ["set"]);
        assert_eq!(
            cue_words("Jones reaffirmed his long-standing view that taxes were low."),
            ["reaffirmed"]
        );
        assert_eq!(
            cue_words("Jones offered only vague support for the plan."),
            ["offered"]
        );
    }

    #[test]
    fn clause_after_cue_ends_at_next_attribution() {
        let text = "Jones said taxes were low, but he insisted that rates would rise.";
        let a = analyse(text);
        let mut cues = find_cues(&a);
        assign_content(&a, &mut cues);
        let clauses: Vec<&str> = cues
            .iter()
            .filter_map(|c| c.content)
            .map(|(s, e)| {
                let (bs, be) = a.span(s, e - 1);
                &text[bs..be]
            })
            .collect();
        assert_eq!(clauses, ["taxes were low", "rates would rise"]);
    }
}
