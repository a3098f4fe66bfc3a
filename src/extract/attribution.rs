//! Who is speaking: tokens, person mentions, and the carry-over of `he`, `she` and `the president`.
//!
//! A sentence is cut into tokens that keep their byte offsets, and each token also gets a folded
//! form (lowercase, accents removed, curly apostrophes straightened) in one buffer with a single
//! space between tokens. Alias matching runs on that buffer, so `François  Hollande`, `FRANCOIS
//! HOLLANDE` and `Francois\nHollande` all match the alias `Francois Hollande`. A quote is one
//! atomic token: nothing inside quotation marks is taken for a speaker.
//!
//! Pronouns and role descriptions are resolved against the people mentioned so far, preferring
//! the one who was speaking (the subject of a speech verb) over someone merely mentioned: in
//! `Putin described Assad's army as an ally. He added that ...`, `He` is Putin, not Assad. A role
//! alias such as `the French president` is first resolved against the people of the article, and
//! only then through the alias table, because such aliases change holder over the years.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::quotes::Quote;
use super::reported::is_weekday_or_month;
use super::speakers::{Gender, SpeakerIndex};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// A word: letters and digits, with inner hyphens, apostrophes and dots (`al-Assad`, `U.S.`).
    Word,
    /// One punctuation character (or an unpaired quotation mark).
    Punct(char),
    /// A possessive ending split off its word (`’s`, or `’` after a plural).
    Possessive,
    /// A whole quotation, marks included; the value indexes the paragraph's quotes.
    Quote(usize),
}

/// A token with its place in the article and in the sentence's folded buffer.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// Byte offset in the article.
    pub start: usize,
    /// Byte offset just past the token.
    pub end: usize,
    /// Start of the folded form in [`SentenceAnalysis::folded`].
    pub fstart: usize,
    /// End of the folded form.
    pub fend: usize,
    /// What the token is.
    pub kind: TokKind,
    /// The first character is uppercase.
    pub cap: bool,
    /// Some character is uppercase.
    pub has_upper: bool,
    /// Some character is lowercase.
    pub has_lower: bool,
}

/// Appends the folded form of `c`: lowercase, without accents, with one kind of apostrophe and
/// hyphen. Used for alias keys and for the sentence buffer alike.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '’' | '‘' | 'ʼ' | '′' | '`' => out.push('\''),
        '‐' | '‑' | '‒' | '–' | '—' | '−' => out.push('-'),
        '\u{a0}' | '\u{202f}' | '\u{2009}' => out.push(' '),
        _ => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                out.extend(d.to_lowercase());
            }
        }),
    }
}

fn is_word_joiner(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '.' | '\'' | '’' | ',' | '&')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Cuts `text[start..end]` into tokens (quotes from `quotes` kept whole) and fills `folded`.
pub fn tokenize(
    text: &str,
    start: usize,
    end: usize,
    quotes: &[Quote],
    toks: &mut Vec<Token>,
    folded: &mut String,
) {
    toks.clear();
    folded.clear();
    let mut qi = quotes.partition_point(|q| q.open < start);
    let slice = &text[start..end];
    let mut iter = slice.char_indices().peekable();
    while let Some((rel, c)) = iter.next() {
        let pos = start + rel;
        if qi < quotes.len() && quotes[qi].open == pos && quotes[qi].close <= end {
            let q = quotes[qi];
            push_token(toks, folded, text, pos, q.close, TokKind::Quote(qi));
            qi += 1;
            while iter.peek().is_some_and(|&(r, _)| start + r < q.close) {
                iter.next();
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            push_token(toks, folded, text, pos, pos + c.len_utf8(), TokKind::Punct(c));
            continue;
        }
        // A word.
        let mut word_end = pos + c.len_utf8();
        let mut prev = c;
        let mut possessive: Option<usize> = None;
        while let Some(&(r, n)) = iter.peek() {
            let at = start + r;
            if qi < quotes.len() && quotes[qi].open == at {
                break;
            }
            if n.is_alphanumeric() {
                word_end = at + n.len_utf8();
                prev = n;
                iter.next();
                continue;
            }
            if !is_word_joiner(n) {
                break;
            }
            let after_joiner = text[at + n.len_utf8()..end].chars().next();
            let after_ok = after_joiner.is_some_and(char::is_alphanumeric);
            if is_apostrophe(n) {
                let s_end = at + n.len_utf8() + 1;
                let is_s = matches!(after_joiner, Some('s') | Some('S'));
                let after_s = text.get(s_end..end).and_then(|t| t.chars().next());
                if is_s && !after_s.is_some_and(char::is_alphanumeric) {
                    possessive = Some(s_end);
                    break;
                }
                if !after_ok && matches!(prev, 's' | 'S') {
                    possessive = Some(at + n.len_utf8());
                    break;
                }
            }
            if !after_ok
                || (n == ',' && !(prev.is_ascii_digit() && after_joiner.is_some_and(|d| d.is_ascii_digit())))
            {
                break;
            }
            iter.next();
            word_end = at + n.len_utf8();
            prev = n;
        }
        // Keep the final stop of dotted abbreviations (U.S.) and of titles (Mr., Gen.).
        if text[word_end..end].starts_with('.') {
            let word = &text[pos..word_end];
            if is_dotted(word) || is_title_abbreviation(word) {
                word_end += 1;
            }
        }
        push_token(toks, folded, text, pos, word_end, TokKind::Word);
        while iter.peek().is_some_and(|&(r, _)| start + r < word_end) {
            iter.next();
        }
        if let Some(p_end) = possessive {
            push_token(toks, folded, text, word_end, p_end, TokKind::Possessive);
            while iter.peek().is_some_and(|&(r, _)| start + r < p_end) {
                iter.next();
            }
        }
    }
}

fn is_dotted(word: &str) -> bool {
    word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

fn is_title_abbreviation(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "gen"
            | "sen"
            | "rep"
            | "gov"
            | "lt"
            | "col"
            | "capt"
            | "prof"
            | "sgt"
            | "adm"
            | "maj"
            | "st"
            | "rev"
    )
}

fn push_token(
    toks: &mut Vec<Token>,
    folded: &mut String,
    text: &str,
    start: usize,
    end: usize,
    kind: TokKind,
) {
    if !folded.is_empty() {
        folded.push(' ');
    }
    let fstart = folded.len();
    let (mut cap, mut has_upper, mut has_lower) = (false, false, false);
    if let TokKind::Quote(_) = kind {
        folded.push('"');
    } else if text.as_bytes()[start..end].is_ascii() {
        let bytes = &text.as_bytes()[start..end];
        cap = bytes.first().is_some_and(u8::is_ascii_uppercase);
        has_upper = bytes.iter().any(u8::is_ascii_uppercase);
        has_lower = bytes.iter().any(u8::is_ascii_lowercase);
        folded.extend(bytes.iter().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for (i, c) in text[start..end].chars().enumerate() {
            if c.is_uppercase() {
                has_upper = true;
                cap |= i == 0;
            } else if c.is_lowercase() {
                has_lower = true;
            }
            fold_char(c, folded);
        }
    }
    toks.push(Token {
        start,
        end,
        fstart,
        fend: folded.len(),
        kind,
        cap,
        has_upper,
        has_lower,
    });
}

/// Folds a whole phrase the way sentences are folded (tokens joined by one space), for alias keys.
pub fn fold_phrase(phrase: &str) -> String {
    let mut toks = Vec::new();
    let mut folded = String::new();
    tokenize(phrase, 0, phrase.len(), &[], &mut toks, &mut folded);
    folded
}

/// The folded words of a phrase, one per token.
pub fn fold_words(phrase: &str) -> Vec<String> {
    let mut toks = Vec::new();
    let mut folded = String::new();
    tokenize(phrase, 0, phrase.len(), &[], &mut toks, &mut folded);
    toks.iter()
        .filter(|t| t.kind == TokKind::Word)
        .map(|t| folded[t.fstart..t.fend].to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Lexicon. Word lists compare the folded form (lowercase, unaccented, a final dot ignored); they
// are compiled once into one map from word to class bits, so a token costs one lookup.

const TITLE: u16 = 1 << 0;
const ROLE_HEAD: u16 = 1 << 1;
const ROLE_QUALIFIER: u16 = 1 << 2;
const EMPTY_QUALIFIER: u16 = 1 << 3;
const ORG: u16 = 1 << 4;
const STOPWORD: u16 = 1 << 5;
const PARTICLE: u16 = 1 << 6;
const PREPOSITION: u16 = 1 << 7;
const BEFORE_VERB: u16 = 1 << 8;
const BLOCKS_VERB: u16 = 1 << 9;

/// Words of titles and offices that may precede a name (`President`, `Foreign Minister`, `Mr`).
const TITLE_WORDS: &str =
    "president vice prime minister chancellor secretary deputy foreign defence defense interior \
     finance economy state mr mrs ms dr sir dame lord lady senator sen rep representative \
     governor gov general gen colonel col lieutenant lt captain capt major maj admiral adm king \
     queen prince princess crown sheikh emir ayatollah pope cardinal bishop rabbi imam judge \
     justice mayor ambassador envoy commander chief speaker leader chairman chairwoman director \
     spokesman spokeswoman spokesperson premier prosecutor attorney congressman congresswoman \
     former acting labour conservative republican democratic democrat opposition prof professor \
     sgt sergeant president-elect sultan monarch head of the";

/// Nouns naming an office, the head of a role description (`the U.S. president`).
const ROLE_HEADS: &str =
    "president minister chancellor leader premier secretary governor senator king queen prince \
     emir ayatollah spokesman spokeswoman spokesperson ambassador envoy general commander chief \
     head mayor prosecutor candidate congressman congresswoman chairman chairwoman director \
     pope monarch sultan president-elect";

/// Words that may come between `the` and an office (`the former Florida governor`).
const ROLE_QUALIFIERS: &str =
    "former then new outgoing incoming late acting deputy vice top foreign defence defense \
     interior finance prime senior chief russian french";

/// Qualifiers that say nothing about who holds the office.
const EMPTY_QUALIFIERS: &str = "the of former then new outgoing incoming late acting top senior";

/// Words of organisations and places: a capitalised run containing one is not a person.
const ORG_WORDS: &str =
    "state states house ministry department office council union nations federation republic \
     kingdom party institute university academy agency committee commission army forces force \
     police court parliament congress senate assembly government administration post times news \
     press journal reuters group bank fund organization organisation association foundation \
     center centre front brigade brigades movement coalition alliance square street avenue \
     place palace hall airport sea ocean gulf peninsula island islands east west north south \
     middle islamic airlines airways company corporation inc ltd club league guard navy command \
     summit conference forum network tv radio channel service services security intelligence \
     city county province region river mountains valley border church mosque cathedral hospital \
     school college stadium museum bridge tower station port base camp prison treaty accord \
     agreement declaration war crisis revolution monday tuesday wednesday thursday friday \
     saturday sunday january february september october november december facebook twitter \
     watch rights amnesty jihad borders frontieres crescent cross ministers leaders nato google \
     federal national international european united emirates daesh isis isil al-qaeda al-qaida \
     hezbollah hamas taliban kremlin pentagon";

/// Capitalised function words that start sentences but never names.
const CAPITALISED_STOPWORDS: &str =
    "the a an and but or both in on at as with when while after before meanwhile however this \
     that these those it he she we they i his her their our its if so then also even still yet \
     only just earlier later today yesterday for from by of to since during under over between \
     among against despite although though because where what who which why how there here all \
     some many most several every each no not according asked last next first likewise moreover \
     instead indeed thus nonetheless nevertheless speaking sitting addressing citing unlike \
     like dear mind read share watch";

const NAME_PARTICLES: &str =
    "von van der den de del della da di du la le bin ibn al el ter ten dos das abu bint";

/// Prepositions: a mention right after one is not a subject (`talks with Hollande`).
const PREPOSITIONS: &str =
    "with by to of from for at in on about against after before between among than like toward \
     towards into over under without via alongside behind";

/// Words that may stand between a speaker and a speech verb (`Putin also said`).
const BEFORE_VERB_WORDS: &str =
    "also today yesterday tonight notably repeatedly again then later earlier previously \
     reportedly once further firmly strongly publicly privately quickly immediately separately \
     recently never only just still has have had was were is would will did does now frequently \
     often openly flatly bluntly angrily calmly simply however even subsequently finally \
     personally himself herself themselves monday tuesday wednesday thursday friday saturday \
     sunday";

/// Words after which a following verb is not a speech verb with a subject (`the added`, `a
/// noted author`, `his newly declared war`, `to say`).
const BLOCKS_VERB_WORDS: &str =
    "the a an his her their its our my your this these those to of in on at for with from into \
     about that which than not be been being no so any some every if whether what widely newly \
     self well much less more most might may can could should must shall it they we i you there \
     here as by without get got let make";

/// Compiles space-separated word lists into one map from word to the OR of their class bits.
pub fn build_lexicon(lists: &[(&'static str, u16)]) -> HashMap<&'static str, u16> {
    let mut map: HashMap<&'static str, u16> = HashMap::new();
    for &(words, class) in lists {
        for w in words.split_whitespace() {
            *map.entry(w).or_default() |= class;
        }
    }
    map
}

fn lexicon() -> &'static HashMap<&'static str, u16> {
    static LEXICON: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        build_lexicon(&[
            (TITLE_WORDS, TITLE),
            (ROLE_HEADS, ROLE_HEAD),
            (ROLE_QUALIFIERS, ROLE_QUALIFIER),
            (EMPTY_QUALIFIERS, EMPTY_QUALIFIER),
            (ORG_WORDS, ORG),
            (CAPITALISED_STOPWORDS, STOPWORD),
            (NAME_PARTICLES, PARTICLE),
            (PREPOSITIONS, PREPOSITION),
            (BEFORE_VERB_WORDS, BEFORE_VERB),
            (BLOCKS_VERB_WORDS, BLOCKS_VERB),
        ])
    })
}

/// Whether the folded `word` (a final dot ignored) belongs to the lexicon class `class`.
fn in_class(word: &str, class: u16) -> bool {
    lexicon()
        .get(word.trim_end_matches('.'))
        .is_some_and(|c| c & class != 0)
}

// ---------------------------------------------------------------------------------------------
// Word lists. All compare the folded (lowercase, unaccented) form.

/// The country key of a country or nationality word (`French` and `France` give `france`).
fn nationality_key(word: &str) -> Option<&'static str> {
    let key = match word.trim_end_matches('.') {
        "france" | "french" => "france",
        "russia" | "russian" | "russians" => "russia",
        "us" | "u.s" | "usa" | "u.s.a" | "america" | "american" | "americans" => "us",
        "britain" | "british" | "uk" | "u.k" | "england" | "english" => "uk",
        "germany" | "german" => "germany",
        "italy" | "italian" => "italy",
        "syria" | "syrian" => "syria",
        "turkey" | "turkish" | "turkiye" => "turkey",
        "iran" | "iranian" => "iran",
        "iraq" | "iraqi" => "iraq",
        "china" | "chinese" => "china",
        "ukraine" | "ukrainian" => "ukraine",
        "israel" | "israeli" => "israel",
        "egypt" | "egyptian" => "egypt",
        "saudi" | "arabia" => "saudi",
        "japan" | "japanese" => "japan",
        "india" | "indian" => "india",
        "spain" | "spanish" => "spain",
        "canada" | "canadian" => "canada",
        "australia" | "australian" => "australia",
        "belgium" | "belgian" => "belgium",
        "netherlands" | "dutch" => "netherlands",
        "poland" | "polish" => "poland",
        "jordan" | "jordanian" => "jordan",
        "lebanon" | "lebanese" => "lebanon",
        "qatar" | "qatari" => "qatar",
        "greece" | "greek" => "greece",
        "austria" | "austrian" => "austria",
        "sweden" | "swedish" => "sweden",
        "pakistan" | "pakistani" => "pakistan",
        "afghanistan" | "afghan" => "afghanistan",
        "palestine" | "palestinian" => "palestine",
        "european" | "europe" | "eu" | "e.u" => "eu",
        _ => return None,
    };
    Some(key)
}

/// Maps a descriptor word to the key it is compared by: countries and nationalities to one key
/// (so `French` matches `France`), `premier` to `prime`, dots removed (`U.S.` is `us`).
pub fn descriptor_key(word: &str) -> String {
    match nationality_key(word) {
        Some(key) => key.to_string(),
        None if word == "premier" => "prime".to_string(),
        None => word.replace('.', ""),
    }
}

fn is_nationality(word: &str) -> bool {
    nationality_key(word).is_some()
}

/// Whether a descriptor key (see [`descriptor_key`]) is a country.
pub fn is_nationality_key(key: &str) -> bool {
    nationality_key(key) == Some(key)
}

/// A nationality adjective (`French`, `Jordanian`), not a country noun that may also be a
/// given name (`Jordan`, `Georgia`, `India`).
fn is_nationality_adjective(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    match nationality_key(w) {
        Some(key) => {
            key != w
                && !matches!(
                    w,
                    "britain" | "america" | "europe" | "england" | "arabia" | "turkiye"
                )
        }
        None => false,
    }
}

/// Words of titles and offices that may precede a name (`President`, `Foreign Minister`, `Mr`).
fn is_title_word(word: &str) -> bool {
    in_class(word, TITLE)
}

/// Nouns naming an office, the head of a role description (`the U.S. president`).
pub fn is_role_head(word: &str) -> bool {
    in_class(word, ROLE_HEAD)
}

/// Words that may come between `the` and an office (`the former Florida governor`).
fn is_role_qualifier(word: &str) -> bool {
    in_class(word, ROLE_QUALIFIER)
}

/// Qualifiers that say nothing about who holds the office.
fn is_empty_qualifier(word: &str) -> bool {
    in_class(word, EMPTY_QUALIFIER)
}

/// Words of organisations and places: a capitalised run containing one is not a person.
fn is_org_word(word: &str) -> bool {
    in_class(word, ORG)
}

/// Capitalised function words that start sentences but never names.
fn is_capitalised_stopword(word: &str) -> bool {
    in_class(word, STOPWORD)
}

fn is_name_particle(word: &str) -> bool {
    in_class(word, PARTICLE)
}

/// Prepositions: a mention right after one is not a subject (`talks with Hollande`).
pub fn is_preposition(w: &str) -> bool {
    in_class(w, PREPOSITION)
}

/// Words that may stand between a speaker and a speech verb (`Putin also said`).
fn is_skippable_before_verb(word: &str) -> bool {
    in_class(word, BEFORE_VERB)
}

/// Words after which a following verb is not a speech verb with a subject (`the added`, `a
/// noted author`, `his newly declared war`, `to say`).
fn blocks_verb(word: &str) -> bool {
    in_class(word, BLOCKS_VERB)
}

// ---------------------------------------------------------------------------------------------
// Mentions.

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
}

impl SentenceAnalysis {
    /// Tokenizes `text[start..end]` and finds its person mentions.
    pub fn analyse(&mut self, text: &str, start: usize, end: usize, quotes: &[Quote], index: &SpeakerIndex) {
        self.start = start;
        self.end = end;
        tokenize(text, start, end, quotes, &mut self.toks, &mut self.folded);
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
                // Take in titles written before a name alias: `Italian Prime Minister` + `Renzi`.
                if !role {
                    while first > 0
                        && !covered[first - 1]
                        && self.toks[first - 1].kind == TokKind::Word
                        && self.toks[first - 1].cap
                        && {
                            let w = self.word(first - 1);
                            (is_title_word(w) && w != "the" && w != "of") || is_nationality(w) || is_dotted(w)
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
            if self.is_name_token(i) {
                let mut j = i;
                while j + 1 < n && !covered[j + 1] && self.continues_name_run(j + 1) {
                    j += 1;
                }
                // A run may not end on a particle or `of`.
                while j > i && (is_name_particle(self.word(j)) || self.word(j) == "of") {
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
        // al-Assad, el-Sisi
        (w.starts_with("al-") || w.starts_with("el-")) && t.has_upper
    }

    fn continues_name_run(&self, i: usize) -> bool {
        if self.is_name_token(i) {
            return true;
        }
        let w = self.word(i);
        let next_is_name = self.is_name_token(i + 1);
        if self.is_word(i) && is_name_particle(w) && next_is_name {
            return true;
        }
        // `Secretary of State`, `Head of the Armed Forces`
        w == "of" && next_is_name && i > 0 && is_title_word(self.word(i - 1))
    }

    /// Splits a capitalised run into title and name (the words after the last title,
    /// organisation or nationality word: `Senate Majority Leader` + `Chuck Schumer`) and keeps
    /// it if it looks like a person: two name words, or one after a title (`Mr Smith`).
    fn parse_name(&self, first: usize, last: usize) -> Option<Mention> {
        let mut a = first;
        while a <= last && is_capitalised_stopword(self.word(a)) {
            a += 1;
        }
        if a > last {
            return None;
        }
        let is_descriptor =
            |w: &str| is_title_word(w) || is_dotted(w) || is_org_word(w) || is_nationality_adjective(w);
        let name_from = (a..=last)
            .rev()
            .find(|&k| is_descriptor(self.word(k)))
            .map_or(a, |k| k + 1);
        if name_from > last || (is_name_particle(self.word(name_from)) && !self.toks[name_from].cap) {
            return None;
        }
        let titled = (a..name_from).any(|k| {
            let w = self.word(k);
            is_title_word(w) && !matches!(w, "of" | "the") && !is_org_word(w)
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
            if is_role_head(w) {
                break;
            }
            let t = &self.toks[j];
            if is_role_qualifier(w) || is_nationality(w) || is_dotted(w) || (t.cap && t.has_lower) {
                quals += 1;
                j += 1;
            } else {
                return None;
            }
        }
        if j >= n || covered[j] || !self.is_word(j) || !is_role_head(self.word(j)) {
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

// ---------------------------------------------------------------------------------------------
// Subjects of speech verbs.

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
    while j > 0 && skipped < 4 && a.is_word(j - 1) && is_skippable_before_verb(a.word(j - 1)) {
        if j >= 2 && a.word(j - 2) == "on" && is_weekday_or_month(a.word(j - 1)) {
            j -= 1; // `on Tuesday`
        }
        j -= 1;
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
    if depth >= 3 || first < 2 || !a.is_word(first - 1) || !is_preposition(a.word(first - 1)) {
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
                    first > 0 && a.is_word(first - 1) && is_preposition(a.word(first - 1))
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
        _ if blocks_verb(w) || w.ends_with("ly") || is_role_head(w) && participle => {
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
        if matches!(
            w,
            "and"
                | "but"
                | "or"
                | "that"
                | "which"
                | "when"
                | "while"
                | "as"
                | "if"
                | "because"
                | "after"
                | "before"
                | "since"
                | "although"
                | "though"
                | "where"
                | "so"
                | "then"
        ) || blocks_verb(w)
        {
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
    let m = a.mention_starting_at(phrase_end)?;
    if matches!(a.mentions[m].kind, MentionKind::Pronoun(_)) {
        return None; // `said he` is rare; `said he would` is a clause
    }
    let after = a.mentions[m].last + 1;
    let ends = match a.toks.get(after).map(|t| t.kind) {
        None | Some(TokKind::Punct(_)) => true,
        Some(TokKind::Word) => matches!(
            a.word(after),
            "on" | "in"
                | "at"
                | "during"
                | "after"
                | "before"
                | "who"
                | "told"
                | "when"
                | "while"
                | "yesterday"
                | "today"
                | "last"
                | "earlier"
                | "later"
                | "of"
                | "from"
                | "as"
        ),
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

// ---------------------------------------------------------------------------------------------
// Entities: the people of one article, and who was mentioned when.

/// A person mentioned in the article.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name (table name, or the name as found).
    pub name: String,
    /// Gender, when the table gives it.
    pub gender: Option<Gender>,
    /// Index in the alias table, if the person is listed.
    pub speaker: Option<usize>,
    /// Descriptor keys learnt from this article's mentions (title words, nationalities).
    pub extra: HashSet<String>,
}

/// A resolved speaker: the entity (if any) and the words that named them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    /// The entity, or `None` when the text does not say who it is.
    pub entity: Option<usize>,
    /// Byte span of the words that named the speaker (empty when none did).
    pub mention: (usize, usize),
}

#[derive(Debug, Clone, Copy)]
struct HistEntry {
    entity: usize,
    sentence: u32,
    speaker: bool,
    group: u32,
}

/// The last `LOOKBACK_ENTRIES` people recorded in the current sentence (bounding the work per
/// pronoun in pathological sentences).
fn recent(sentence_so_far: &[(usize, usize, bool)]) -> std::slice::Iter<'_, (usize, usize, bool)> {
    sentence_so_far[sentence_so_far.len().saturating_sub(LOOKBACK_ENTRIES)..].iter()
}

/// How far back pronouns and role descriptions look, in recorded mentions and in sentences.
const LOOKBACK_ENTRIES: usize = 64;
const LOOKBACK_SENTENCES: u32 = 5;

/// The people of one article and the order they were mentioned in.
#[derive(Debug)]
pub struct Entities<'s> {
    index: &'s SpeakerIndex,
    list: Vec<Entity>,
    by_name: HashMap<String, usize>,
    by_speaker: HashMap<usize, usize>,
    surnames: HashMap<String, usize>,
    first_names: HashMap<String, usize>,
    /// Shorter forms (word suffixes of two words or more) of full names: `al thani`.
    suffixes: HashMap<String, usize>,
    history: Vec<HistEntry>,
    current: Vec<HistEntry>,
    sentence: u32,
    next_group: u32,
}

impl<'s> Entities<'s> {
    /// An empty registry for a new article.
    pub fn new(index: &'s SpeakerIndex) -> Entities<'s> {
        Entities {
            index,
            list: Vec::new(),
            by_name: HashMap::new(),
            by_speaker: HashMap::new(),
            surnames: HashMap::new(),
            first_names: HashMap::new(),
            suffixes: HashMap::new(),
            history: Vec::new(),
            current: Vec::new(),
            sentence: 0,
            next_group: 0,
        }
    }

    /// The entity at `id`.
    pub fn get(&self, id: usize) -> Option<&Entity> {
        self.list.get(id)
    }

    /// Starts a new sentence: what the previous one recorded becomes history.
    pub fn begin_sentence(&mut self) {
        self.history.append(&mut self.current);
        // Lookups only read the last `LOOKBACK_ENTRIES`; trimming in bulk keeps this amortised
        // O(1) per sentence.
        if self.history.len() > 4 * LOOKBACK_ENTRIES {
            let excess = self.history.len() - LOOKBACK_ENTRIES;
            self.history.drain(..excess);
        }
        self.sentence += 1;
    }

    /// A fresh group id, shared by the speakers of one coordinated subject.
    pub fn new_group(&mut self) -> u32 {
        self.next_group += 1;
        self.next_group
    }

    /// Records that `entity` was mentioned in the current sentence (as a speaker or not).
    pub fn record(&mut self, entity: usize, speaker: bool, group: u32) {
        self.current.push(HistEntry {
            entity,
            sentence: self.sentence,
            speaker,
            group,
        });
    }

    fn for_speaker(&mut self, speaker: usize) -> usize {
        if let Some(&e) = self.by_speaker.get(&speaker) {
            return e;
        }
        let s = self.index.speaker(speaker);
        let id = self.list.len();
        self.list.push(Entity {
            name: s.map(|s| s.name.clone()).unwrap_or_default(),
            gender: s.and_then(|s| s.gender),
            speaker: Some(speaker),
            extra: HashSet::new(),
        });
        self.by_speaker.insert(speaker, id);
        id
    }

    /// The entity for a name as found. A one-word name (after a title) is looked up among the
    /// surnames of people already named (`Mr Scholz` after `Olaf Scholz`; after `Sir` or `Dame`,
    /// among first names); a shorter form of a known name (`Al Thani`) finds that name.
    fn for_name(&mut self, name: &str, key: &str, single: bool, first_name_title: bool) -> Option<usize> {
        if let Some(&e) = self.by_name.get(key) {
            return Some(e);
        }
        if single {
            let found = if first_name_title {
                self.first_names.get(key).or_else(|| self.surnames.get(key))
            } else {
                self.surnames.get(key)
            };
            if let Some(&e) = found {
                return Some(e);
            }
        } else if let Some(&e) = self.suffixes.get(key) {
            return Some(e);
        }
        // The table may know the person under this name.
        if let Some(speaker) = self.index.resolve_id(name) {
            return Some(self.for_speaker(speaker));
        }
        let id = self.list.len();
        self.list.push(Entity {
            name: name.split_whitespace().collect::<Vec<_>>().join(" "),
            gender: None,
            speaker: None,
            extra: HashSet::new(),
        });
        self.by_name.insert(key.to_string(), id);
        if !single {
            if let Some(last) = key.rsplit(' ').next() {
                self.surnames.entry(last.to_string()).or_insert(id);
            }
            if let Some(first) = key.split(' ').next() {
                self.first_names.entry(first.to_string()).or_insert(id);
            }
            // Every shorter form of two words or more, from the second word on.
            let starts = key.match_indices(' ').map(|(i, _)| i + 1).collect::<Vec<_>>();
            for &from in starts.iter().rev().skip(1) {
                self.suffixes.entry(key[from..].to_string()).or_insert(id);
            }
        }
        Some(id)
    }

    fn learn(&mut self, entity: usize, a: &SentenceAnalysis, first: usize, last: usize) {
        if let Some(e) = self.list.get_mut(entity) {
            for k in first..=last {
                let w = a.word(k);
                if a.is_word(k)
                    && (is_title_word(w) || is_nationality(w) || is_dotted(w))
                    && !is_empty_qualifier(w)
                {
                    e.extra.insert(descriptor_key(w));
                }
            }
        }
    }

    /// Whether `entity` fits the description `head` (an office) with `quals` (descriptor keys).
    /// When `lenient`, a nationality qualifier only has to be not contradicted (the person's
    /// nationality is unknown), so `the French president` fits a `President Macron`.
    fn fits_role(&self, entity: usize, head: &str, quals: &[String], lenient: bool) -> bool {
        let Some(e) = self.list.get(entity) else {
            return false;
        };
        let has = |k: &str| e.extra.contains(k) || e.speaker.is_some_and(|s| self.index.has_descriptor(s, k));
        let head_ok = match head {
            "leader" => [
                "president",
                "prime",
                "chancellor",
                "leader",
                "king",
                "queen",
                "emir",
                "head",
                "minister",
            ]
            .iter()
            .any(|k| has(k)),
            "premier" => has("prime") || has("premier"),
            h => has(h),
        };
        let nationality_known = || {
            e.extra.iter().any(|d| nationality_key(d).is_some())
                || e.speaker.is_some_and(|s| self.index.has_nationality(s))
        };
        head_ok
            && quals
                .iter()
                .all(|q| has(q) || (lenient && nationality_key(q).is_some() && !nationality_known()))
    }

    /// Resolves mention `m` of the sentence (not a pronoun or role lookup that needs context
    /// beyond `sentence_so_far`) to an entity.
    pub fn resolve_mention(
        &mut self,
        text: &str,
        a: &SentenceAnalysis,
        m: usize,
        sentence_so_far: &[(usize, usize, bool)],
    ) -> Option<usize> {
        let mention = *a.mentions.get(m)?;
        match mention.kind {
            MentionKind::Known { speaker, role } => {
                if role {
                    return self.resolve_role(a, mention.first, mention.last, sentence_so_far, Some(speaker));
                }
                let e = self.for_speaker(speaker);
                self.learn(e, a, mention.first, mention.last);
                Some(e)
            }
            MentionKind::Name { name_from, titled } => {
                let (s, e_end) = a.span(name_from, mention.last);
                let name = text.get(s..e_end)?;
                let key = a.folded_span(name_from, mention.last);
                let single = name_from == mention.last;
                if single && !titled && !self.surnames.contains_key(key) {
                    return None;
                }
                let first_name_title = name_from > 0 && matches!(a.word(name_from - 1), "sir" | "dame");
                let e = self.for_name(name, key, single, first_name_title)?;
                self.learn(e, a, mention.first, mention.last);
                Some(e)
            }
            MentionKind::Pronoun(g) => self.pronoun(g, mention.first, sentence_so_far),
            MentionKind::Role => self.resolve_role(a, mention.first, mention.last, sentence_so_far, None),
        }
    }

    /// Registers an untitled full name (`Keir Starmer`) so that later short forms (`Starmer`,
    /// `Sir Keir`) resolve to it, without making it a candidate for pronouns.
    pub fn register_name(&mut self, text: &str, a: &SentenceAnalysis, m: usize) {
        if let Some(&Mention {
            last,
            kind: MentionKind::Name {
                name_from,
                titled: false,
            },
            ..
        }) = a.mentions.get(m)
        {
            if last > name_from {
                let (s, e) = a.span(name_from, last);
                if let Some(name) = text.get(s..e) {
                    self.for_name(name, a.folded_span(name_from, last), false, false);
                }
            }
        }
    }

    /// Whether mention `m` should be remembered for later pronouns even when it is not a speaker.
    pub fn memorable(a: &SentenceAnalysis, m: usize) -> bool {
        match a.mentions.get(m).map(|m| m.kind) {
            Some(MentionKind::Known { role, .. }) => !role,
            Some(MentionKind::Name { .. }) => true,
            _ => false,
        }
    }

    fn gender_fits(&self, entity: usize, g: Gender) -> bool {
        self.list
            .get(entity)
            .is_some_and(|e| e.gender.map_or(true, |eg| eg == g))
    }

    /// `he`/`she` at token `at`: the nearest compatible person, preferring speakers.
    fn pronoun(&self, g: Gender, at: usize, sentence_so_far: &[(usize, usize, bool)]) -> Option<usize> {
        // Same sentence, before the pronoun: the latest speaker, else the first person named.
        let before = recent(sentence_so_far).filter(|&&(tok, e, _)| tok < at && self.gender_fits(e, g));
        let speaker = before
            .clone()
            .filter(|&&(_, _, s)| s)
            .max_by_key(|&&(tok, _, _)| tok)
            .map(|&(_, e, _)| e);
        if speaker.is_some() {
            return speaker;
        }
        if let Some(&(_, e, _)) = before.min_by_key(|&&(tok, _, _)| tok) {
            return Some(e);
        }
        // Earlier sentences: the most recent one with a compatible person.
        let recent: Vec<&HistEntry> = self.history.iter().rev().take(LOOKBACK_ENTRIES).collect();
        let sentence = recent
            .iter()
            .find(|h| self.gender_fits(h.entity, g))
            .map(|h| h.sentence)?;
        if self.sentence.saturating_sub(sentence) > LOOKBACK_SENTENCES {
            return None;
        }
        let in_sentence: Vec<&&HistEntry> = recent
            .iter()
            .filter(|h| h.sentence == sentence && self.gender_fits(h.entity, g))
            .collect(); // most recent first
        let speakers: Vec<&&&HistEntry> = in_sentence.iter().filter(|h| h.speaker).collect();
        if let Some(last) = speakers.first() {
            let distinct: HashSet<usize> = speakers.iter().map(|h| h.entity).collect();
            let one_group = speakers.iter().all(|h| h.group == last.group);
            if distinct.len() > 1 && one_group {
                return None; // `Obama and Hollande said ... He ...`: ambiguous
            }
            return Some(last.entity);
        }
        in_sentence.last().map(|h| h.entity)
    }

    /// Resolves a role description at tokens `first..=last` (`the president`, `the former
    /// Florida governor`); `table` is the speaker the alias table gives for it, if any. In order:
    /// the most recent person whose titles fit; the table's speaker if the article already named
    /// them; the most recent person named without any title (a `Macron` never called president
    /// before); the table's speaker. Role aliases change holders over the years, so the article
    /// is trusted before the table.
    fn resolve_role(
        &mut self,
        a: &SentenceAnalysis,
        first: usize,
        last: usize,
        sentence_so_far: &[(usize, usize, bool)],
        table: Option<usize>,
    ) -> Option<usize> {
        let words: Vec<&str> = (first..=last)
            .filter(|&k| a.is_word(k))
            .map(|k| a.word(k))
            .collect();
        let head_pos = words.iter().rposition(|w| is_role_head(w));
        let Some(head_pos) = head_pos else {
            return table.map(|s| self.for_speaker(s));
        };
        let head = words[head_pos];
        let quals: Vec<String> = words
            .iter()
            .enumerate()
            .filter(|&(i, w)| {
                i != head_pos && !is_empty_qualifier(w) && !matches!(*w, "state" | "government")
            })
            .map(|(_, w)| descriptor_key(w))
            .collect();
        if let Some(e) = self.role_carry(head, &quals, first, sentence_so_far, false) {
            return Some(e);
        }
        if let Some(&e) = table.and_then(|s| self.by_speaker.get(&s)) {
            return Some(e);
        }
        if let Some(e) = self.role_carry(head, &quals, first, sentence_so_far, true) {
            self.learn(e, a, first, last);
            return Some(e);
        }
        if let Some(e) = self.untitled_recent(&quals, first, sentence_so_far) {
            self.learn(e, a, first, last);
            return Some(e);
        }
        let e = self.for_speaker(table?);
        self.learn(e, a, first, last);
        Some(e)
    }

    /// The most recent person who fits the office `head` with qualifiers `quals` (see
    /// [`Entities::fits_role`] for `lenient`).
    fn role_carry(
        &self,
        head: &str,
        quals: &[String],
        first: usize,
        sentence_so_far: &[(usize, usize, bool)],
        lenient: bool,
    ) -> Option<usize> {
        let nearest = recent(sentence_so_far)
            .filter(|&&(tok, e, _)| tok < first && self.fits_role(e, head, quals, lenient))
            .max_by_key(|&&(tok, _, _)| tok);
        if let Some(&(_, e, _)) = nearest {
            return Some(e);
        }
        let oldest = self.sentence.saturating_sub(4 * LOOKBACK_SENTENCES);
        self.history
            .iter()
            .rev()
            .take(LOOKBACK_ENTRIES)
            .take_while(|h| h.sentence >= oldest)
            .find(|h| self.fits_role(h.entity, head, quals, lenient))
            .map(|h| h.entity)
    }

    /// The most recent person of the last few sentences known by name only (no office at all),
    /// whose nationality, if known, does not contradict `quals`; speakers first.
    fn untitled_recent(
        &self,
        quals: &[String],
        first: usize,
        sentence_so_far: &[(usize, usize, bool)],
    ) -> Option<usize> {
        let fits = |e: usize| {
            let Some(entity) = self.list.get(e) else {
                return false;
            };
            let has = |k: &str| {
                entity.extra.contains(k) || entity.speaker.is_some_and(|s| self.index.has_descriptor(s, k))
            };
            let has_office = entity.extra.iter().any(|d| is_role_head(d))
                || entity.speaker.is_some_and(|s| self.index.has_any_role(s));
            let nationality_ok = quals
                .iter()
                .filter(|q| nationality_key(q).is_some())
                .all(|q| has(q) || !entity.extra.iter().any(|d| nationality_key(d).is_some()));
            !has_office && nationality_ok
        };
        let oldest = self.sentence.saturating_sub(3);
        let here = recent(sentence_so_far).rev().filter(|&&(tok, _, _)| tok < first);
        let before = self
            .history
            .iter()
            .rev()
            .take(LOOKBACK_ENTRIES)
            .take_while(|h| h.sentence >= oldest);
        for speakers_only in [true, false] {
            let from_here = here
                .clone()
                .find(|&&(_, e, s)| (s || !speakers_only) && fits(e))
                .map(|&(_, e, _)| e);
            if from_here.is_some() {
                return from_here;
            }
            if let Some(h) = before
                .clone()
                .find(|h| (h.speaker || !speakers_only) && fits(h.entity))
            {
                return Some(h.entity);
            }
        }
        None
    }
}
