//! Sentence assembly: paragraphs, sentences, cues and the cast put together, one sentence at a
//! time in text order, into statements.
//!
//! What a sentence cannot settle alone is handed over: a quote that is a whole sentence takes the
//! previous sentence's speaker (`"A," he said. "B."`), quotes waiting for a bare attribution
//! sentence (`"A." Smith said.`), and the speaker of a quote running on into the next paragraph
//! or announced by `Smith said:` at a paragraph's end.

use std::collections::{HashMap, HashSet};

use super::cast::{Entities, Who};
use super::cues::{self, Cue, DirectOrFragment};
use super::lexicon::{is, Kind, Shape};
use super::mentions::SentenceAnalysis;
use super::quotes::{Quote, Segmenter};
use super::speakers::SpeakerIndex;
use super::statement::{Statement, StatementKind};
use super::subject::{sentence_subject, Subject};
use super::tokens::TokKind;

/// Hands the statements of `article` to `sink`, in text order, attributed with `speakers` (see
/// [`super::extract_statements_with`]). Statements are held back only while a later sentence
/// may still credit them (`"A." Smith said.`), so memory does not grow with the article's
/// statements.
pub fn statements_with(article: &str, speakers: &SpeakerIndex, sink: &mut dyn FnMut(Statement)) {
    let mut out: Vec<Statement> = Vec::new();
    let mut entities = Entities::new(speakers);
    let mut analysis = SentenceAnalysis::default();
    let mut segmenter = Segmenter::new(article);
    let mut carried: Option<Attribution> = None;
    let mut last_speaker: Option<Attribution> = None;
    while let Some(paragraph) = segmenter.next_paragraph() {
        // A paragraph that is one quote and nothing else goes on with the speaker who ended the
        // paragraph before (`"...," he said.` / `"And Mexico will pay for the wall!"`).
        let only_a_quote = match paragraph.quotes.as_slice() {
            [q] => {
                q.open == paragraph.start
                    && article[q.close.min(paragraph.end)..paragraph.end]
                        .chars()
                        .all(|c| c.is_whitespace() || ".,!?".contains(c))
            }
            _ => false,
        };
        let continued = carried
            .take()
            .or_else(|| only_a_quote.then(|| last_speaker.take()).flatten());
        let mut state = ParagraphState {
            continued,
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
            // What no later sentence can change any more goes out.
            let waiting_from = state.pending.iter().map(|p| p.0).min().unwrap_or(usize::MAX);
            let done = out.partition_point(|st| st.start < waiting_from);
            out.drain(..done).for_each(&mut *sink);
        }
        carried = state.runs_on.take();
        last_speaker = state.previous.take().filter(|att| att.saying);
        out.drain(..).for_each(&mut *sink);
    }
    out.into_iter().for_each(sink);
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
    /// The cue is a plain verb of saying (`said`, `told`, `asked`), not a phrase or a verb of
    /// judging: only such a speaker goes on into a following quote-only paragraph.
    saying: bool,
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
        let mut cues = cues::find_cues(self.a);
        self.resolve_speakers(&mut cues);
        cues::assign_content(self.a, &mut cues);
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
                    self.entities.learn_apposition(e, a, k);
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
            match cues::classify_clause(self.text, self.a, self.quotes, s, e) {
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
                TokKind::Word => is(self.a.word(tok - 1), Kind::PREPOSITION),
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
                .or_else(|| this.entities.resolve_mention(this.text, a, m, so_far))
                .or_else(|| this.entities.resolve_new_speaker(this.text, a, m));
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
            saying: matches!(c.shape, Shape::Say | Shape::SayThat | Shape::Tell),
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
        if kind == StatementKind::Direct && names_a_title(text) {
            return false;
        }
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

/// Whether quoted words are a title or a date, not speech: one word (`reporter,`), a date
/// (`February 10, 2016`), or a few words in title case (`This Week,`, `Face the Nation`).
fn names_a_title(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let date = words.len() <= 3
        && words
            .iter()
            .any(|w| is(&crate::text::fold(w), Kind::WEEKDAY_MONTH))
        && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    let long: Vec<&&str> = words.iter().filter(|w| w.chars().count() >= 4).collect();
    let title =
        words.len() <= 6 && !long.is_empty() && long.iter().all(|w| w.starts_with(char::is_uppercase));
    words.len() < 2 || date || title
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
        // `"..." US Senator Jeff Sessions said`: an acronym before the attribution.
        if !cue_at.contains_key(&k)
            && a.is_word(k)
            && !a.toks[k].has_lower
            && a.toks[k].end - a.toks[k].start <= 4
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
