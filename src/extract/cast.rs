//! The article's cast: the people it names, as it reads, and who `he`, `she` or `the president`
//! is.
//!
//! Pronouns and role descriptions are resolved against the people mentioned so far, preferring
//! the one who was speaking (the subject of a speech verb) over someone merely mentioned: in
//! `Putin described Assad's army as an ally. He added that ...`, `He` is Putin, not Assad. A role
//! alias such as `the French president` is first resolved against the people of the article, and
//! only then through the alias table, because such aliases change holder over the years.

use std::collections::{HashMap, HashSet};

use super::lexicon::{descriptor_key, is, is_nationality, nationality_key, Kind};
use super::mentions::{honorific_gender, Mention, MentionKind, SentenceAnalysis};
use super::speakers::{Gender, SpeakerIndex};
use super::tokens::is_dotted;

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
        self.for_titled_name(name, key, single, first_name_title, None)
    }

    /// [`Entities::for_name`] for a name after an honorific of `gender` (`Mrs. Clinton`): a
    /// person of the table or the article of the other gender is not them.
    fn for_titled_name(
        &mut self,
        name: &str,
        key: &str,
        single: bool,
        first_name_title: bool,
        gender: Option<Gender>,
    ) -> Option<usize> {
        let fits =
            |this: &Self, e: usize| gender.is_none() || this.gender_fits(e, gender.unwrap_or(Gender::Male));
        if let Some(&e) = self.by_name.get(key).filter(|&&e| fits(self, e)) {
            return Some(e);
        }
        if single {
            let found = if first_name_title {
                self.first_names.get(key).or_else(|| self.surnames.get(key))
            } else {
                self.surnames.get(key)
            };
            if let Some(&e) = found.filter(|&&e| fits(self, e)) {
                return Some(e);
            }
        } else if let Some(&e) = self.suffixes.get(key) {
            return Some(e);
        }
        // The table may know the person under this name.
        let table = self.index.resolve_id(name);
        let contradicted = table
            .and_then(|s| self.index.speaker(s))
            .is_some_and(|s| gender.is_some() && s.gender.is_some() && s.gender != gender);
        if let (Some(speaker), false) = (table, contradicted) {
            return Some(self.for_speaker(speaker));
        }
        // `Karim Hadad` after `Karim Haddad`: one letter apart in one word is a misspelling.
        if !single {
            if let Some(&e) = self
                .by_name
                .iter()
                .find(|(known, _)| misspelt(known, key))
                .map(|(_, e)| e)
            {
                self.by_name.insert(key.to_string(), e);
                return Some(e);
            }
        }
        let id = self.list.len();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        self.list.push(Entity {
            // `Mrs. Clinton` when the table's Clinton is someone else.
            name: match (contradicted, gender) {
                (true, Some(Gender::Female)) => format!("Mrs. {name}"),
                (true, Some(Gender::Male)) => format!("Mr. {name}"),
                _ => name,
            },
            gender,
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
                let acronym =
                    a.toks[k].has_upper && !a.toks[k].has_lower && a.toks[k].end - a.toks[k].start <= 4;
                if a.is_word(k)
                    && (is(w, Kind::TITLE) || is_nationality(w) || is_dotted(w) || acronym)
                    && !is(w, Kind::EMPTY_QUALIFIER)
                {
                    e.extra.insert(descriptor_key(w));
                }
            }
        }
    }

    /// `Pieter van Dijk, the UN envoy, ...`: the role description in apposition to mention `m`
    /// describes its person, so a later `the UN envoy` is them.
    pub fn learn_apposition(&mut self, entity: usize, a: &SentenceAnalysis, m: usize) {
        let Some(mention) = a.mentions.get(m) else {
            return;
        };
        let comma = mention.last + 1;
        if !a.is_punct(comma, ',') {
            return;
        }
        if let Some(role) = a.mention_starting_at(comma + 1).map(|r| a.mentions[r]) {
            if role.kind == MentionKind::Role {
                self.learn(entity, a, role.first, role.last);
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
            "leader" => {
                e.extra.iter().any(|d| is(d, Kind::LEADER_OFFICE))
                    || e.speaker
                        .is_some_and(|s| self.index.descriptors(s).any(|d| is(d, Kind::LEADER_OFFICE)))
            }
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
                if names_a_place(key) {
                    return None;
                }
                if single && !titled && !self.surnames.contains_key(key) && !self.by_name.contains_key(key) {
                    return None;
                }
                let first_name_title = name_from > 0 && matches!(a.word(name_from - 1), "sir" | "dame");
                let honorific = (name_from > 0)
                    .then(|| honorific_gender(a.word(name_from - 1)))
                    .flatten();
                let e = self.for_titled_name(name, key, single, first_name_title, honorific)?;
                self.learn(e, a, mention.first, mention.last);
                Some(e)
            }
            MentionKind::Pronoun(g) => self.pronoun(g, mention.first, sentence_so_far),
            MentionKind::Role => self.resolve_role(a, mention.first, mention.last, sentence_so_far, None),
        }
    }

    /// A lone capitalised word that is the subject of a speech verb (`Murphy said`, `said Murphy`)
    /// and names nobody the article introduced: a person new to the article, unless
    /// the word is a place, an outlet, an organisation or an office.
    pub fn resolve_new_speaker(&mut self, text: &str, a: &SentenceAnalysis, m: usize) -> Option<usize> {
        let mention = *a.mentions.get(m)?;
        let MentionKind::Name { name_from, .. } = mention.kind else {
            return None;
        };
        if name_from != mention.last || !a.is_word(name_from) {
            return None;
        }
        let w = a.word(name_from);
        let not_a_person = [
            Kind::GROUP,
            Kind::ORG,
            Kind::TITLE,
            Kind::STOPWORD,
            Kind::PARTICLE,
            Kind::WEEKDAY_MONTH,
            Kind::ROLE_HEAD,
        ];
        let token = a.toks[name_from];
        if w.chars().count() < 2
            || names_a_place(w)
            || a.title_case()
            || !token.has_lower
            || is_nationality(w)
            || is_dotted(w)
            || not_a_person.iter().any(|&k| is(w, k))
        {
            return None;
        }
        let name = text.get(token.start..token.end)?;
        let e = self.for_name(name, w, true, false)?;
        self.learn(e, a, mention.first, mention.last);
        Some(e)
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
            if last > name_from && !names_a_place(a.folded_span(name_from, last)) {
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
        let head_pos = words.iter().rposition(|w| is(w, Kind::ROLE_HEAD));
        let Some(head_pos) = head_pos else {
            return table.map(|s| self.for_speaker(s));
        };
        let head = words[head_pos];
        let quals: Vec<String> = words
            .iter()
            .enumerate()
            .filter(|&(i, w)| {
                i != head_pos && !is(w, Kind::EMPTY_QUALIFIER) && !matches!(*w, "state" | "government")
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
            let has_office = entity.extra.iter().any(|d| is(d, Kind::ROLE_HEAD))
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

/// Whether a folded name (words single-spaced) names a place or an outlet, not a person:
/// `arizona`, `politico`, `new hampshire`, `el paso`, `south carolina`.
fn names_a_place(name: &str) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    let place = |w: &str| is(w, Kind::PLACE) || is(w, Kind::MEDIA) || is_nationality(w);
    match words.as_slice() {
        [w] => place(w),
        [first, .., last] => {
            words
                .iter()
                .all(|w| place(w) || is(w, Kind::PLACE_PREFIX) || is(w, Kind::ORG))
                || (is(first, Kind::PLACE_PREFIX) && (place(last) || is(last, Kind::ORG)))
        }
        [] => false,
    }
}

/// Whether two folded names of several words differ in one word only, by one letter inserted,
/// deleted or replaced, in a word of five letters or more.
fn misspelt(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if wa.len() != wb.len() || wa.len() < 2 {
        return false;
    }
    let differing: Vec<(&str, &str)> = wa
        .iter()
        .zip(&wb)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x, *y))
        .collect();
    let [(x, y)] = differing.as_slice() else {
        return false;
    };
    let (x, y): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    if x.len().min(y.len()) < 5 || x.len().abs_diff(y.len()) > 1 {
        return false;
    }
    let prefix = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let suffix = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    prefix + suffix + 1 >= x.len().max(y.len())
}
