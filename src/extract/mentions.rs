//! Person mentions in a sentence: aliases from the speaker table, capitalised names with their
//! titles (`Senate Majority Leader Chuck Schumer`), `he`/`she`, and role descriptions (`the
//! former Florida governor`). Mentions are found once per sentence, in text order and without
//! overlap; deciding who each one is belongs to the cast module.

use super::lexicon::{self, is, is_nationality, is_nationality_adjective, Kind};
use super::quotes::Quote;
use super::speakers::{Gender, SpeakerIndex};
use super::tokens::{is_dotted, tokenize, TokKind, Token};

/// What kind of person mention a token span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// An alias from the table; `role` when the alias describes an office (`the French
    /// president`).
    Known {
        /// Index of the speaker in the table.
        speaker: usize,
        /// The alias starts with `the` and names an office, not a person.
        role: bool,
    },
    /// A capitalised name the table does not know; the name proper starts at token `name_from`
    /// (after any title), and `titled` says a title or honorific came first.
    Name {
        /// First token of the name proper.
        name_from: usize,
        /// A title such as `President` or `Mr` precedes the name.
        titled: bool,
    },
    /// `he` or `she`.
    Pronoun(Gender),
    /// `the` + qualifiers + an office (`the president`, `the former Florida governor`).
    Role,
}

/// A person mention: a token span (inclusive) and its kind.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    /// First token.
    pub first: usize,
    /// Last token (inclusive).
    pub last: usize,
    /// What it is.
    pub kind: MentionKind,
}

const NONE: u32 = u32::MAX;

/// The tokens and person mentions of one sentence; buffers are reused from sentence to sentence.
#[derive(Debug, Default)]
pub struct SentenceAnalysis {
    /// Byte offset of the sentence in the article.
    pub start: usize,
    /// Byte offset just past the sentence.
    pub end: usize,
    /// The sentence's tokens.
    pub toks: Vec<Token>,
    /// Folded forms of all tokens, separated by single spaces.
    pub folded: String,
    /// Person mentions, in text order, not overlapping.
    pub mentions: Vec<Mention>,
    starts_at: Vec<u32>,
    ends_at: Vec<u32>,
    title_case: bool,
}

impl SentenceAnalysis {
    /// Tokenizes `text[start..end]` and finds its person mentions.
    pub fn analyse(&mut self, text: &str, start: usize, end: usize, quotes: &[Quote], index: &SpeakerIndex) {
        self.start = start;
        self.end = end;
        tokenize(text, start, end, quotes, &mut self.toks, &mut self.folded);
        let long = self
            .toks
            .iter()
            .filter(|t| t.kind == TokKind::Word && t.end - t.start >= 4);
        let (words, capitalised) = long.fold((0, 0), |(n, c), t| (n + 1, c + usize::from(t.cap)));
        self.title_case = words >= 4 && capitalised * 10 >= words * 7;
        self.find_mentions(index);
    }

    /// The folded form of token `i` (empty for out-of-range indices).
    pub fn word(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.folded.get(t.fstart..t.fend))
            .unwrap_or("")
    }

    /// The folded form of tokens `first..=last`, single-spaced (the alias key of that span).
    pub fn folded_span(&self, first: usize, last: usize) -> &str {
        match (self.toks.get(first), self.toks.get(last)) {
            (Some(a), Some(b)) if a.fstart <= b.fend => self.folded.get(a.fstart..b.fend).unwrap_or(""),
            _ => "",
        }
    }

    /// Whether the sentence is written in title case (a headline: `Rubio Still Believes Trump
    /// Can't Be Trusted`), where a capital says nothing about a name.
    pub fn title_case(&self) -> bool {
        self.title_case
    }

    /// Whether token `i` is a word (not punctuation, possessive or quote).
    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Word)
    }

    /// Whether token `i` is the punctuation character `c`.
    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Punct(c))
    }

    /// The mention whose last token is `i`.
    pub fn mention_ending_at(&self, i: usize) -> Option<usize> {
        self.ends_at
            .get(i)
            .copied()
            .filter(|&m| m != NONE)
            .map(|m| m as usize)
    }

    /// The mention whose first token is `i`.
    pub fn mention_starting_at(&self, i: usize) -> Option<usize> {
        self.starts_at
            .get(i)
            .copied()
            .filter(|&m| m != NONE)
            .map(|m| m as usize)
    }

    /// Byte span of tokens `first..=last`.
    pub fn span(&self, first: usize, last: usize) -> (usize, usize) {
        match (self.toks.get(first), self.toks.get(last)) {
            (Some(a), Some(b)) if a.start <= b.end => (a.start, b.end),
            _ => (self.start, self.start),
        }
    }

    fn find_mentions(&mut self, index: &SpeakerIndex) {
        self.mentions.clear();
        let n = self.toks.len();
        let mut covered = vec![false; n];
        if let Some(ac) = index.matcher() {
            for m in ac.find_iter(&self.folded) {
                let first = self.toks.partition_point(|t| t.fstart < m.start());
                let last_plus = self.toks.partition_point(|t| t.fend <= m.end());
                if first >= n || last_plus == 0 || last_plus <= first {
                    continue;
                }
                let last = last_plus - 1;
                if self.toks[first].fstart != m.start() || self.toks[last].fend != m.end() {
                    continue;
                }
                let (speaker, role, needs_upper) = index.pattern_info(m.pattern().as_usize());
                if needs_upper && !self.toks[first..=last].iter().any(|t| t.has_upper) {
                    continue;
                }
                if self.toks[first..=last]
                    .iter()
                    .any(|t| matches!(t.kind, TokKind::Quote(_)))
                {
                    continue;
                }
                let mut first = first;
                // `Mrs. Clinton` is not the table's Mr Clinton: leave it to be read as a name.
                let gender = index.speaker(speaker).and_then(|s| s.gender);
                if !role
                    && first > 0
                    && honorific_gender(self.word(first - 1))
                        .is_some_and(|g| Some(g) != gender && gender.is_some())
                {
                    continue;
                }
                // Take in titles written before a name alias: `Italian Prime Minister` + `Renzi`.
                if !role {
                    while first > 0
                        && !covered[first - 1]
                        && self.toks[first - 1].kind == TokKind::Word
                        && self.toks[first - 1].cap
                        && {
                            let w = self.word(first - 1);
                            (is(w, Kind::TITLE) && w != "the" && w != "of")
                                || is_nationality(w)
                                || is_dotted(w)
                        }
                    {
                        first -= 1;
                    }
                }
                covered[first..=last].iter_mut().for_each(|c| *c = true);
                self.mentions.push(Mention {
                    first,
                    last,
                    kind: MentionKind::Known { speaker, role },
                });
            }
        }
        let mut i = 0;
        while i < n {
            if covered[i] || self.toks[i].kind != TokKind::Word {
                i += 1;
                continue;
            }
            let w = self.word(i);
            if w == "he" || w == "she" {
                let gender = if w == "he" { Gender::Male } else { Gender::Female };
                self.mentions.push(Mention {
                    first: i,
                    last: i,
                    kind: MentionKind::Pronoun(gender),
                });
                i += 1;
                continue;
            }
            if w == "the" {
                if let Some(last) = self.role_np(i, &covered) {
                    self.mentions.push(Mention {
                        first: i,
                        last,
                        kind: MentionKind::Role,
                    });
                    i = last + 1;
                    continue;
                }
            }
            if self.is_name_token(i) && lexicon::cue_verb(w).is_none() {
                let mut j = i;
                while j + 1 < n && !covered[j + 1] && self.continues_name_run(j + 1) {
                    j += 1;
                }
                // A run may not end on a particle or `of`.
                while j > i && (is(self.word(j), Kind::PARTICLE) || self.word(j) == "of") {
                    j -= 1;
                }
                if let Some(m) = self.parse_name(i, j) {
                    self.mentions.push(m);
                }
                i = j + 1;
                continue;
            }
            i += 1;
        }
        self.mentions.sort_by_key(|m| m.first);
        self.starts_at.clear();
        self.starts_at.resize(n, NONE);
        self.ends_at.clear();
        self.ends_at.resize(n, NONE);
        for (k, m) in self.mentions.iter().enumerate() {
            self.starts_at[m.first] = k as u32;
            self.ends_at[m.last] = k as u32;
        }
    }

    /// A capitalised word that can be part of a name or title (not all capitals: `ISIS`, `CNN`).
    fn is_name_token(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        if t.kind != TokKind::Word {
            return false;
        }
        let w = self.word(i);
        if t.cap && t.has_lower {
            return true;
        }
        if is_dotted(w) && t.has_upper {
            return true; // U.S.
        }
        if t.cap && w.len() == 2 && w.ends_with('.') {
            return true; // an initial: `B.` in `Alan B. Krueger`
        }
        // al-Assad, el-Sisi
        (w.starts_with("al-") || w.starts_with("el-")) && t.has_upper
    }

    fn continues_name_run(&self, i: usize) -> bool {
        if lexicon::cue_verb(self.word(i)).is_some() {
            return false; // `Anna Berger Says Russia ...` (a title-case headline)
        }
        if self.is_name_token(i) {
            return true;
        }
        let w = self.word(i);
        let next_is_name = self.is_name_token(i + 1);
        if self.is_word(i) && is(w, Kind::PARTICLE) && next_is_name {
            return true;
        }
        // `Secretary of State`, `Head of the Armed Forces`
        w == "of" && next_is_name && i > 0 && is(self.word(i - 1), Kind::TITLE)
    }

    /// Splits a capitalised run into title and name (the words after the last title,
    /// organisation or nationality word: `Senate Majority Leader` + `Chuck Schumer`) and keeps
    /// it if it looks like a person: two name words, or one after a title (`Mr Smith`).
    fn parse_name(&self, first: usize, last: usize) -> Option<Mention> {
        let mut a = first;
        while a <= last && is(self.word(a), Kind::STOPWORD) {
            a += 1;
        }
        if a > last {
            return None;
        }
        let is_descriptor =
            |w: &str| is(w, Kind::TITLE) || is_dotted(w) || is(w, Kind::ORG) || is_nationality_adjective(w);
        let name_from = (a..=last)
            .rev()
            .find(|&k| is_descriptor(self.word(k)))
            .map_or(a, |k| k + 1);
        let mut name_from = name_from;
        if name_from > last && last > a && honorific_gender(self.word(last - 1)).is_some() {
            name_from = last; // `Mr. Prince`, `Ms. Major`
        }
        if name_from > last
            || (is(self.word(name_from), Kind::PARTICLE) && !self.toks[name_from].cap && name_from == last)
        {
            return None;
        }
        let titled = (a..name_from).any(|k| {
            let w = self.word(k);
            is(w, Kind::TITLE) && !matches!(w, "of" | "the") && !is(w, Kind::ORG)
        });
        let names = last + 1 - name_from;
        // A lone capitalised word is kept too (`Biden`): resolution decides whether it is the
        // surname of someone already named or a place (`Moscow`).
        if names >= 1 {
            Some(Mention {
                first: a,
                last,
                kind: MentionKind::Name { name_from, titled },
            })
        } else {
            None
        }
    }

    /// `the` (+ up to four qualifiers) + an office, not followed by a name: the last token.
    fn role_np(&self, the: usize, covered: &[bool]) -> Option<usize> {
        let n = self.toks.len();
        let mut j = the + 1;
        let mut quals = 0;
        while j < n && quals < 4 && !covered[j] && self.is_word(j) {
            let w = self.word(j);
            if is(w, Kind::ROLE_HEAD) {
                break;
            }
            let t = &self.toks[j];
            let acronym = t.has_upper && !t.has_lower && t.end - t.start <= 4;
            if is(w, Kind::ROLE_QUALIFIER)
                || is_nationality(w)
                || is_dotted(w)
                || (t.cap && t.has_lower)
                || acronym
            {
                quals += 1;
                j += 1;
            } else {
                return None;
            }
        }
        if j >= n || covered[j] || !self.is_word(j) || !is(self.word(j), Kind::ROLE_HEAD) {
            return None;
        }
        let mut last = j;
        if matches!(self.word(j), "head" | "secretary")
            && self.word(j + 1) == "of"
            && matches!(self.word(j + 2), "state" | "government")
        {
            last = j + 2;
        }
        // `the Russian President Vladimir Putin` is a name with its title, not a role.
        (!self.is_name_token(last + 1)).then_some(last)
    }
}

/// The gender an honorific gives (`Mrs`, `Ms`, `Miss` or `Mr`), if any.
pub fn honorific_gender(word: &str) -> Option<Gender> {
    match word.trim_end_matches('.') {
        "mrs" | "ms" | "miss" | "madam" | "mme" => Some(Gender::Female),
        "mr" | "m" => Some(Gender::Male),
        _ => None,
    }
}
