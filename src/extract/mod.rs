//! Statement extraction: from an article's text to the statements its people made, each with
//! byte offsets, a speaker and the cue that introduced it.
//!
//! The stage is rule-based on purpose: the labelled seed set is far too small to learn from, and
//! rules that point at the words they used (`cue`, `speaker_mention`) are easy to audit. The work
//! is split the way a reader does it:
//!
//! - [`quotes`] finds paragraphs, quotation marks and sentences (quotes are atomic, so a
//!   sentence never ends inside one);
//! - [`attribution`] turns a sentence into tokens, finds the people it mentions and decides who
//!   `he`, `she` or `the president` is;
//! - [`reported`] finds speech cues (`said`, `told reporters that`, `according to`) and the
//!   clause each one introduces;
//! - this module puts them together, one sentence at a time, in text order;
//! - [`speakers`] is the alias table and [`evaluate`] scores the result against gold labels.
//!
//! Every statement's `text` is a slice of the article (`article[start..end] == text`), and every
//! step is linear in the length of the article (sentences are capped in length), so junk input or
//! a 50 MB single line cannot make it quadratic or panic.

pub mod attribution;
pub mod evaluate;
pub mod quotes;
pub mod reported;
pub mod speakers;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use std::collections::{HashMap, HashSet};

pub use crate::io::decode::{decode_article, DecodedArticle};
use attribution::{is_preposition, Entities, SentenceAnalysis, Subject, TokKind, Who};
use quotes::{Quote, Segmenter};
use reported::{Cue, DirectOrFragment};
pub use speakers::{Gender, Speaker, SpeakerError, SpeakerIndex};

/// Whether a statement is the speaker's own words in quotation marks or a paraphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatementKind {
    /// Words inside quotation marks.
    Direct,
    /// The clause of a speech verb (`said that ...`, `according to ...`).
    Reported,
}

impl StatementKind {
    /// The lowercase name used in label files: `direct` or `reported`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Direct => "direct",
            StatementKind::Reported => "reported",
        }
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A statement kind that is neither `direct` nor `reported`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown statement kind `{found}` (expected `direct` or `reported`)")]
pub struct ParseKindError {
    /// The text that was found.
    pub found: String,
}

impl FromStr for StatementKind {
    type Err = ParseKindError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "direct" => Ok(StatementKind::Direct),
            "reported" => Ok(StatementKind::Reported),
            _ => Err(ParseKindError { found: s.to_string() }),
        }
    }
}

/// One thing a person said, located in the article it was found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Byte offset of the first byte of `text` in the article.
    pub start: usize,
    /// Byte offset just past the last byte of `text`; `article[start..end] == text`.
    pub end: usize,
    /// Canonical name of the speaker (from the alias table, or the full name as found for a
    /// person the table does not know); `None` when the text does not make it clear.
    pub speaker: Option<String>,
    /// The words that named the speaker (`the Russian leader`, `he`); empty when none did.
    pub speaker_mention: String,
    /// Direct quote or reported speech.
    pub kind: StatementKind,
    /// What was said: the words inside the marks, or the reported clause.
    pub text: String,
    /// The words that introduced the statement (`said`, `stressed that`, `according to`);
    /// empty for a quote nobody is credited with.
    pub cue: String,
}

/// Longest statement text emitted, in bytes; a longer clause is cut at a word boundary.
pub const MAX_STATEMENT_BYTES: usize = 4096;

/// Finds the statements of `article`, in text order, attributing them with `speakers`.
///
/// Never panics, whatever the input; see the module documentation for the rules.
pub fn extract_statements(article: &str, speakers: &SpeakerIndex) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut entities = Entities::new(speakers);
    let mut analysis = SentenceAnalysis::default();
    let mut segmenter = Segmenter::new(article);
    let mut carried: Option<Attribution> = None;
    while let Some(paragraph) = segmenter.next_paragraph() {
        let mut state = ParagraphState {
            continued: carried.take(),
            start: paragraph.start,
            ..ParagraphState::default()
        };
        for (start, end) in paragraph.sentences(article) {
            analysis.analyse(article, start, end, &paragraph.quotes, speakers);
            let mut sentence = SentenceRun {
                text: article,
                a: &analysis,
                quotes: &paragraph.quotes,
                entities: &mut entities,
                out: &mut out,
                last_event: None,
                last_quote: None,
            };
            sentence.run(&mut state);
        }
        carried = state.runs_on.take();
    }
    out
}

/// What one sentence leaves to the next sentences of its paragraph.
#[derive(Default)]
struct ParagraphState {
    /// Who the last attributed element of the previous sentence belongs to, for a following
    /// sentence that is nothing but a quote (`"A," he said. "B."`); `None` if it had none or
    /// several speakers.
    previous: Option<Attribution>,
    /// Spans of whole-sentence quotes of the previous sentence that nobody was credited with,
    /// waiting for a bare attribution sentence (`"A." Smith said.`).
    pending: Vec<(usize, usize)>,
    /// Attribution handed over by the previous paragraph, for a quote opening this one: the
    /// previous paragraph's quote ran on, or it ended with `Smith said:`.
    continued: Option<Attribution>,
    /// Attribution this paragraph hands over to the next one (see `continued`).
    runs_on: Option<Attribution>,
    /// Offset of the paragraph's first byte.
    start: usize,
}

/// The speakers and cue one statement-producing element was credited to.
#[derive(Clone, Debug)]
struct Attribution {
    who: Vec<Who>,
    cue: (usize, usize),
}

impl Attribution {
    fn entities(&self) -> HashSet<usize> {
        self.who.iter().filter_map(|w| w.entity).collect()
    }
}

/// The extraction of one sentence.
struct SentenceRun<'r, 's> {
    text: &'r str,
    a: &'r SentenceAnalysis,
    quotes: &'r [Quote],
    entities: &'r mut Entities<'s>,
    out: &'r mut Vec<Statement>,
    /// Latest attributed element of the sentence (token position and attribution).
    last_event: Option<(usize, Attribution)>,
    /// The last quote emitted (token) and its attribution.
    last_quote: Option<(usize, Option<Attribution>)>,
}

impl SentenceRun<'_, '_> {
    fn run(&mut self, state: &mut ParagraphState) {
        let first_output = self.out.len();
        self.entities.begin_sentence();
        let mut cues = reported::find_cues(self.a);
        self.resolve_speakers(&mut cues);
        reported::assign_content(self.a, &mut cues);
        let quote_toks: Vec<usize> = (0..self.a.toks.len())
            .filter(|&k| matches!(self.a.toks[k].kind, TokKind::Quote(_)))
            .collect();
        let quote_cue = quotes_before_attributions(self.a, &mut cues, &quote_toks);
        let mut done = self.emit_clauses(&cues, &quote_toks);
        for (qi, ci) in quote_cue.iter().enumerate() {
            if let (Some(ci), false) = (ci, done[qi]) {
                done[qi] = true;
                let attribution = self.attribution_of(&cues[*ci]);
                self.emit_quote(quote_toks[qi], StatementKind::Direct, Some(&attribution));
            }
        }
        let pending = self.emit_other_quotes(&cues, &quote_toks, &done, state);
        if quote_toks.is_empty() {
            self.credit_pending(&cues, state);
        }
        self.hand_over(&cues, pending, state);
        // Sentences come in text order; only a sentence's own statements need ordering.
        self.out[first_output..].sort_by_key(|s| (s.start, s.end));
    }

    /// Resolves the people named in the sentence, in text order, then the speakers of each cue,
    /// and records them all for later pronouns and role descriptions.
    fn resolve_speakers(&mut self, cues: &mut [Cue]) {
        let a = self.a;
        let mut so_far: Vec<(usize, usize, bool)> = Vec::new();
        let mut resolved: Vec<Option<usize>> = vec![None; a.mentions.len()];
        for (k, slot) in resolved.iter_mut().enumerate() {
            self.entities.register_name(self.text, a, k);
            if Entities::memorable(a, k) {
                *slot = self.entities.resolve_mention(self.text, a, k, &so_far);
                if let Some(e) = *slot {
                    so_far.push((a.mentions[k].first, e, false));
                }
            }
        }
        let mut records: Vec<(usize, usize, bool, u32)> =
            so_far.iter().map(|&(t, e, _)| (t, e, false, 0)).collect();
        for ci in 0..cues.len() {
            let who = self.speakers_of(cues, ci, &resolved, &so_far);
            let group = self.entities.new_group();
            for w in &who {
                if let Some(e) = w.entity {
                    so_far.push((cues[ci].attr_start, e, true));
                    records.push((cues[ci].attr_start, e, true, group));
                }
            }
            cues[ci].speakers = who;
        }
        records.sort_by_key(|r| r.0);
        for (_, e, speaker, group) in records {
            self.entities.record(e, speaker, group);
        }
    }

    /// Emits each cue's clause: reported speech, or the quote that is the statement. Returns
    /// which quotes (indices into `quote_toks`) are taken care of.
    fn emit_clauses(&mut self, cues: &[Cue], quote_toks: &[usize]) -> Vec<bool> {
        let mut done = vec![false; quote_toks.len()];
        for c in cues {
            let attribution = self.attribution_of(c);
            if !attribution.entities().is_empty() {
                self.note_event(c.verb, &attribution);
            }
            let Some((s, e)) = c.content else {
                continue;
            };
            match reported::classify_clause(self.text, self.a, self.quotes, s, e) {
                DirectOrFragment::Direct(qt) => {
                    if let Ok(qi) = quote_toks.binary_search(&qt) {
                        done[qi] = true;
                        self.emit_quote(qt, StatementKind::Direct, Some(&attribution));
                    }
                }
                DirectOrFragment::Reported => {
                    let from = quote_toks.partition_point(|&t| t < s);
                    let to = quote_toks.partition_point(|&t| t < e);
                    done[from..to].iter_mut().for_each(|d| *d = true);
                    let span = self.a.span(s, e - 1);
                    self.emit(span, StatementKind::Reported, Some(&attribution));
                }
            }
        }
        done
    }

    /// The quotes no cue took: one opening a paragraph continues the previous paragraph's
    /// speaker; a quote that is a whole sentence takes the previous sentence's speaker (or waits
    /// for a bare `he said.`); another quote of three words or more takes the sentence's only
    /// speaker, if there is exactly one, and is otherwise kept unattributed. Shorter ones are
    /// scare quotes and dropped. Returns the spans left waiting.
    fn emit_other_quotes(
        &mut self,
        cues: &[Cue],
        quote_toks: &[usize],
        done: &[bool],
        state: &ParagraphState,
    ) -> Vec<(usize, usize)> {
        let a = self.a;
        let whole = quote_toks.len() == 1
            && a.toks
                .iter()
                .all(|t| matches!(t.kind, TokKind::Punct(_) | TokKind::Quote(_)));
        let sentence_speakers: HashSet<usize> = cues
            .iter()
            .flat_map(|c| c.speakers.iter().filter_map(|w| w.entity))
            .collect();
        let mut pending = Vec::new();
        for (qi, &qt) in quote_toks.iter().enumerate() {
            if done[qi] {
                continue;
            }
            let Some(quote) = self.quote_at(qt) else {
                continue;
            };
            let opens_paragraph = quote.continues || quote.open == state.start;
            if let (true, Some(continued)) = (opens_paragraph, &state.continued) {
                self.emit_quote(qt, StatementKind::Direct, Some(continued));
            } else if whole {
                if let Some(previous) = &state.previous {
                    self.emit_quote(qt, StatementKind::Direct, Some(previous));
                } else if self.emit_quote(qt, StatementKind::Direct, None) {
                    pending.push(quote.words(self.text));
                }
            } else if quote.word_count(self.text) >= 3 && !self.names_something(qt, &quote) {
                let only = (sentence_speakers.len() == 1)
                    .then(|| {
                        cues.iter()
                            .find(|c| c.speakers.iter().any(|w| w.entity.is_some()))
                    })
                    .flatten()
                    .map(|c| self.attribution_of(c));
                self.emit_quote(qt, StatementKind::Direct, only.as_ref());
            }
        }
        pending
    }

    /// Whether the quote at token `tok` is a title or name rather than speech: written in Title
    /// Case (`"Whirlwind of Diplomacy"`), or after a possessive or preposition (`on CBS' "Face
    /// the Nation"`).
    fn names_something(&self, tok: usize, quote: &Quote) -> bool {
        let after_owner = tok > 0
            && match self.a.toks[tok - 1].kind {
                TokKind::Possessive => true,
                TokKind::Word => is_preposition(self.a.word(tok - 1)),
                _ => false,
            };
        let words: Vec<&str> = slice(self.text, (quote.start, quote.end))
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 4)
            .collect();
        let title_case = !words.is_empty() && words.iter().all(|w| w.starts_with(char::is_uppercase));
        after_owner || title_case
    }

    /// `"A." Smith said.`: a sentence that is only an attribution credits the previous
    /// sentence's unattributed whole-sentence quotes.
    fn credit_pending(&mut self, cues: &[Cue], state: &ParagraphState) {
        let [cue] = cues else {
            return;
        };
        if cue.content.is_some() || cue.attr_start != 0 || state.pending.is_empty() {
            return;
        }
        let attribution = self.attribution_of(cue);
        let (Some(who), 1) = (attribution.who.first(), attribution.entities().len()) else {
            return;
        };
        let name = who
            .entity
            .and_then(|e| self.entities.get(e))
            .map(|e| e.name.clone());
        let earliest = state.pending.iter().map(|p| p.0).min().unwrap_or(usize::MAX);
        for s in self.out.iter_mut().rev().take_while(|s| s.start >= earliest) {
            if s.speaker.is_none() && state.pending.contains(&(s.start, s.end)) {
                s.speaker.clone_from(&name);
                s.speaker_mention = slice(self.text, who.mention).to_string();
                s.cue = slice(self.text, attribution.cue).to_string();
            }
        }
    }

    /// Leaves to the next sentence (and paragraph) what it may need: the latest attribution,
    /// quotes waiting for one, and the speaker of a quote running on or announced by `said:`.
    fn hand_over(&mut self, cues: &[Cue], pending: Vec<(usize, usize)>, state: &mut ParagraphState) {
        state.pending = pending;
        state.previous = self
            .last_event
            .take()
            .map(|(_, att)| att)
            .filter(|att| att.entities().len() == 1);
        if let Some((tok, attribution)) = self.last_quote.take() {
            if self.quote_at(tok).is_some_and(|q| q.runs_on) {
                state.runs_on = attribution.filter(|att| !att.entities().is_empty());
            }
        }
        // `Smith said:` at the end of a paragraph introduces the quote of the next one.
        if self.a.is_punct(self.a.toks.len().wrapping_sub(1), ':') {
            if let Some(c) = cues.last().filter(|c| c.content.is_none()) {
                let attribution = self.attribution_of(c);
                if !attribution.entities().is_empty() {
                    state.runs_on = Some(attribution);
                }
            }
        }
    }

    /// The speakers of cue `ci`, resolved.
    fn speakers_of(
        &mut self,
        cues: &[Cue],
        ci: usize,
        resolved: &[Option<usize>],
        so_far: &[(usize, usize, bool)],
    ) -> Vec<Who> {
        let a = self.a;
        let empty = (a.start, a.start);
        let mention_who = |this: &mut Self, m: usize| {
            let e = resolved
                .get(m)
                .copied()
                .flatten()
                .or_else(|| this.entities.resolve_mention(this.text, a, m, so_far));
            let mention = a.mentions[m];
            Who {
                entity: e,
                mention: a.span(mention.first, mention.last),
            }
        };
        match &cues[ci].subject {
            Subject::Mentions(ms) => ms.iter().map(|&m| mention_who(self, m)).collect(),
            Subject::Other(f, l) => vec![Who {
                entity: None,
                mention: a.span(*f, *l),
            }],
            Subject::Missing => vec![Who {
                entity: None,
                mention: empty,
            }],
            Subject::Inherit => {
                if let Some(previous) = ci.checked_sub(1).and_then(|p| cues.get(p)) {
                    return previous.speakers.clone();
                }
                match sentence_subject(a, cues[ci].verb) {
                    Some(group) => group.into_iter().map(|m| mention_who(self, m)).collect(),
                    None => vec![Who {
                        entity: None,
                        mention: empty,
                    }],
                }
            }
        }
    }

    fn attribution_of(&self, c: &Cue) -> Attribution {
        Attribution {
            who: c.speakers.clone(),
            cue: self.a.span(c.verb, c.cue_last),
        }
    }

    fn note_event(&mut self, at: usize, attribution: &Attribution) {
        if self.last_event.as_ref().map_or(true, |(p, _)| *p <= at) {
            self.last_event = Some((at, attribution.clone()));
        }
    }

    fn quote_at(&self, tok: usize) -> Option<Quote> {
        match self.a.toks.get(tok)?.kind {
            TokKind::Quote(q) => self.quotes.get(q).copied(),
            _ => None,
        }
    }

    /// Emits the words of the quote at token `tok`; returns whether anything was emitted.
    fn emit_quote(&mut self, tok: usize, kind: StatementKind, attribution: Option<&Attribution>) -> bool {
        let Some(quote) = self.quote_at(tok) else {
            return false;
        };
        let span = quote.words(self.text);
        if span.0 >= span.1 {
            return false;
        }
        if let Some(att) = attribution {
            if !att.entities().is_empty() {
                self.note_event(tok, att);
            }
        }
        if self.last_quote.as_ref().map_or(true, |(t, _)| *t <= tok) {
            self.last_quote = Some((tok, attribution.cloned()));
        }
        self.emit(span, kind, attribution)
    }

    /// Emits one statement per speaker of `attribution` (one unattributed statement if none).
    fn emit(&mut self, span: (usize, usize), kind: StatementKind, attribution: Option<&Attribution>) -> bool {
        let Some(text) = self.text.get(span.0..span.1) else {
            return false;
        };
        let cue = attribution.map_or("", |att| slice(self.text, att.cue));
        let none = [Who {
            entity: None,
            mention: (0, 0),
        }];
        let who: &[Who] = match attribution {
            Some(att) if !att.who.is_empty() => &att.who,
            _ => &none,
        };
        for w in who {
            self.out.push(Statement {
                start: span.0,
                end: span.1,
                speaker: w
                    .entity
                    .and_then(|e| self.entities.get(e))
                    .map(|e| e.name.clone()),
                speaker_mention: slice(self.text, w.mention).to_string(),
                kind,
                text: text.to_string(),
                cue: cue.to_string(),
            });
        }
        true
    }
}

fn slice(text: &str, span: (usize, usize)) -> &str {
    text.get(span.0..span.1).unwrap_or("")
}

/// For each quote (index into `quote_toks`) directly followed by an attribution (`"...,"
/// Putin said`), the cue it takes. Such a cue then introduces no clause of its own, unless that
/// clause is a quote too (`"A," he said, "B."`).
fn quotes_before_attributions(
    a: &SentenceAnalysis,
    cues: &mut [Cue],
    quote_toks: &[usize],
) -> Vec<Option<usize>> {
    let mut quote_cue: Vec<Option<usize>> = vec![None; quote_toks.len()];
    let mut cue_at: HashMap<usize, usize> = HashMap::new();
    for (ci, c) in cues.iter().enumerate().rev() {
        if !c.content_before {
            cue_at.insert(c.attr_start, ci);
        }
    }
    for (qi, &q) in quote_toks.iter().enumerate() {
        if containing_cue(cues, q).is_some() {
            continue;
        }
        let mut k = q + 1;
        while k <= q + 2
            && matches!(
                a.toks.get(k).map(|t| t.kind),
                Some(TokKind::Punct(',' | '.' | '!' | '?' | '—' | '–'))
            )
        {
            k += 1;
        }
        quote_cue[qi] = cue_at.get(&k).copied();
    }
    for ci in quote_cue.iter().flatten() {
        let c = &mut cues[*ci];
        let keeps = !c.content_before
            && c.content
                .is_some_and(|(s, _)| matches!(a.toks[s].kind, TokKind::Quote(_)));
        if !keeps {
            c.content = None;
            c.content_before = false;
        }
    }
    quote_cue
}

/// The cue whose clause contains token `tok`. Clauses after cues are disjoint and in order, but
/// a clause before its cue may precede an earlier cue's, so both kinds are searched.
fn containing_cue(cues: &[Cue], tok: usize) -> Option<usize> {
    let contains = |c: &Cue| c.content.is_some_and(|(s, e)| s <= tok && tok < e);
    // The first cue whose clause could reach `tok` starts after it; look at the neighbours.
    let k = cues.partition_point(|c| c.verb <= tok);
    (k.saturating_sub(2)..(k + 2).min(cues.len())).find(|&i| contains(&cues[i]))
}

/// The grammatical subject of the sentence before token `before`: the first mention (with the
/// mentions coordinated with it) that does not follow a preposition and is not a possessive.
fn sentence_subject(a: &SentenceAnalysis, before: usize) -> Option<Vec<usize>> {
    let n = a.mentions.len();
    let mut k = 0;
    while k < n {
        let m = a.mentions[k];
        if m.first >= before {
            return None;
        }
        let after_preposition = m.first > 0 && a.is_word(m.first - 1) && is_preposition(a.word(m.first - 1));
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

    /// (speaker, kind, text) of every statement.
    fn run(text: &str, index: &SpeakerIndex) -> Vec<(Option<String>, StatementKind, String)> {
        extract_statements(text, index)
            .into_iter()
            .map(|s| {
                assert_eq!(&text[s.start..s.end], s.text);
                (s.speaker, s.kind, s.text)
            })
            .collect()
    }

    fn st(speaker: Option<&str>, kind: StatementKind, text: &str) -> (Option<String>, StatementKind, String) {
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
