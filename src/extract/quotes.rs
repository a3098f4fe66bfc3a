//! Paragraphs, quotation marks and sentences: the spans every later step works inside.
//!
//! Quotation marks are paired one paragraph at a time, from the context of each mark rather than
//! its glyph alone (a mark after a space and before a word opens; one after a word and before a
//! space or punctuation closes), because scraped news mixes straight, curly, German and French
//! marks and often forgets one. A mark that finds no partner is dropped, so a stray mark can never
//! swallow the rest of the article; the one exception is the newspaper convention for a quote
//! running over several paragraphs (no closing mark at the end of a paragraph whose successor
//! opens with a mark), which is kept as one quote per paragraph, linked by
//! [`Quote::runs_on`] and [`Quote::continues`].
//!
//! Sentences are then split with quotes treated as atomic: a full stop inside a quote does not end
//! the sentence that carries its attribution (`"We are ready. We will act," he said.`).

use memchr::{memchr, memchr3};

use super::lexicon::{self, Kind};

/// Longest quote accepted, in bytes; a longer "quote" is taken to be a pair of stray marks.
pub const MAX_QUOTE_BYTES: usize = 8 * 1024;

/// Length after which a sentence is cut at the next space, so that no sentence (and therefore no
/// per-sentence buffer or search window) grows with the size of the input.
pub const MAX_SENTENCE_BYTES: usize = 16 * 1024;

/// One quotation: the marks and the words between them, as byte offsets into the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Offset of the opening mark.
    pub open: usize,
    /// Offset of the first byte after the opening mark.
    pub start: usize,
    /// Offset just past the quoted words (the closing mark's offset, or the paragraph's end).
    pub end: usize,
    /// Offset just past the closing mark (equal to `end` when the quote runs on).
    pub close: usize,
    /// The quote has no closing mark because it continues in the next paragraph.
    pub runs_on: bool,
    /// The quote opens its paragraph and continues a quote of the previous paragraph.
    pub continues: bool,
}

impl Quote {
    /// The quoted words, without the marks and surrounding white space, as a byte range.
    pub fn words(&self, text: &str) -> (usize, usize) {
        let inner = text.get(self.start..self.end).unwrap_or("");
        let lead = inner.len() - inner.trim_start().len();
        let trimmed = inner.trim();
        (self.start + lead, self.start + lead + trimmed.len())
    }

    /// Number of white-space separated words inside the marks.
    pub fn word_count(&self, text: &str) -> usize {
        text.get(self.start..self.end)
            .map_or(0, |s| s.split_whitespace().count())
    }
}

/// One paragraph of an article and the quotes inside it.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Offset of the paragraph's first non-space byte.
    pub start: usize,
    /// Offset just past its last non-space byte.
    pub end: usize,
    /// Its quotes, in text order, none inside another.
    pub quotes: Vec<Quote>,
}

/// Walks an article paragraph by paragraph (lazily, so memory does not grow with the article).
#[derive(Debug)]
pub struct Segmenter<'a> {
    text: &'a str,
    pos: usize,
    single_marks: bool,
    previous_runs_on: bool,
}

impl<'a> Segmenter<'a> {
    /// Prepares to walk `text`. Articles without any double quotation mark are read with single
    /// marks (`'...'`, `‘...’`) as their quotation marks; others treat single marks as plain
    /// text.
    pub fn new(text: &'a str) -> Segmenter<'a> {
        let single_marks = !text.contains(['"', '“', '”', '„', '«', '»']) && !text.contains("''");
        Segmenter {
            text,
            pos: 0,
            single_marks,
            previous_runs_on: false,
        }
    }

    /// The next paragraph, with its quotes paired, or `None` at the end of the article.
    pub fn next_paragraph(&mut self) -> Option<Paragraph> {
        let (start, end) = next_paragraph_span(self.text, self.pos)?;
        self.pos = end;
        let next_opens = next_starts_with_mark(self.text, end, self.single_marks);
        let mut quotes = pair_quotes(self.text, start, end, self.single_marks, next_opens);
        if !self.single_marks {
            // Single marks may quote speech in an article that uses double ones elsewhere
            // ('Well, in principle...'), outside any double-marked quote, three words or more.
            let singles = pair_quotes(self.text, start, end, true, false);
            let before = quotes.len();
            for q in singles {
                let inside_double = quotes[..before]
                    .iter()
                    .any(|d| q.open < d.close && d.open < q.close);
                if !inside_double && q.word_count(self.text) >= 3 && !q.runs_on {
                    quotes.push(q);
                }
            }
            if quotes.len() > before {
                quotes.sort_by_key(|q| q.open);
            }
        }
        if self.previous_runs_on {
            if let Some(first) = quotes.first_mut() {
                if first.open == start {
                    first.continues = true;
                }
            }
        }
        self.previous_runs_on = quotes.last().is_some_and(|q| q.runs_on);
        Some(Paragraph { start, end, quotes })
    }
}

impl Paragraph {
    /// The paragraph's sentences as byte ranges, quotes kept whole.
    pub fn sentences(&self, text: &str) -> Vec<(usize, usize)> {
        split_sentences(text, self.start, self.end, &self.quotes)
    }
}

/// Finds the paragraph starting at or after `from`: lines up to a blank line, or up to a line
/// break that is not a soft wrap (a soft wrap is a line not ending in sentence punctuation
/// followed by one starting with a lowercase letter).
fn next_paragraph_span(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut start = from;
    while start < bytes.len() && is_space_at(text, start) {
        start += char_len_at(text, start);
    }
    if start >= bytes.len() {
        return None;
    }
    let mut line_start = start;
    loop {
        let line_end = memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        if line_end >= bytes.len() {
            return Some((start, trim_end_offset(text, start, bytes.len())));
        }
        // First non-blank byte of the next line, if it comes before another line break.
        let mut next = line_end + 1;
        while next < bytes.len() && matches!(bytes[next], b' ' | b'\t' | b'\r') {
            next += 1;
        }
        let this_end = trim_end_offset(text, line_start, line_end);
        if next >= bytes.len() || bytes[next] == b'\n' {
            return Some((start, this_end));
        }
        let last = text[line_start..this_end].chars().next_back();
        let first = text[next..].chars().next();
        let soft =
            last.is_some_and(|c| !".!?:;\"”’»)…".contains(c)) && first.is_some_and(|c| c.is_lowercase());
        if !soft {
            return Some((start, this_end));
        }
        line_start = next;
    }
}

fn is_space_at(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_whitespace)
}

fn char_len_at(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

/// `end` moved back over trailing white space, not before `start`.
fn trim_end_offset(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

fn next_starts_with_mark(text: &str, from: usize, single: bool) -> bool {
    let rest = &text[from..];
    let mut chars = rest.trim_start().chars();
    if !single && rest.trim_start().starts_with("''") {
        return rest.trim_start()[2..]
            .chars()
            .next()
            .is_some_and(|n| !n.is_whitespace());
    }
    match chars.next() {
        Some(c) => mark_class(c, single).is_some() && chars.next().is_some_and(|n| !n.is_whitespace()),
        None => false,
    }
}

/// The default direction of a quotation mark glyph, for marks whose context does not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glyph {
    Opening,
    Closing,
    Either,
}

fn mark_class(c: char, single: bool) -> Option<Glyph> {
    if single {
        match c {
            '‘' | '‚' | '‹' => Some(Glyph::Opening),
            '’' | '›' => Some(Glyph::Closing),
            '\'' => Some(Glyph::Either),
            _ => None,
        }
    } else {
        match c {
            '“' | '„' | '«' => Some(Glyph::Opening),
            '”' | '»' => Some(Glyph::Closing),
            '"' => Some(Glyph::Either),
            _ => None,
        }
    }
}

fn opens_context(c: char) -> bool {
    c.is_whitespace() || "([{—–-/".contains(c)
}

fn closes_context(c: char) -> bool {
    c.is_whitespace() || ".,;:!?)]}—–…".contains(c)
}

/// Pairs the quotation marks of one paragraph (see the module documentation).
fn pair_quotes(text: &str, start: usize, end: usize, single: bool, next_opens: bool) -> Vec<Quote> {
    let bytes = text.as_bytes();
    let (b1, b2, b3) = if single {
        (b'\'', 0xE2, 0xE2)
    } else {
        (b'"', 0xE2, 0xC2)
    };
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut pairs: Vec<Quote> = Vec::new();
    let mut last_pair_open = None;
    let mut marks: Vec<usize> = memchr::memchr3_iter(b1, b2, b3, &bytes[start..end])
        .map(|rel| start + rel)
        .collect();
    if !single {
        // Two apostrophes stand for a double mark in some house styles (''Yes,'' she said).
        let before = marks.len();
        marks.extend(memchr::memmem::find_iter(&bytes[start..end], b"''").map(|rel| start + rel));
        if marks.len() > before {
            marks.sort_unstable();
        }
    }
    for pos in marks {
        let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) else {
            continue;
        };
        let (glyph, len) = if c == '\'' && !single {
            (Glyph::Either, 2)
        } else {
            match mark_class(c, single) {
                Some(glyph) => (glyph, c.len_utf8()),
                None => continue,
            }
        };
        let prev = text[start..pos].chars().next_back();
        let next = text[pos + len..end].chars().next();
        if single && prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
            continue; // an apostrophe: don't, Russia's
        }
        let opener = prev.map_or(true, opens_context) && next.is_some_and(|n| !closes_context(n));
        let closer = prev.is_some_and(|p| !p.is_whitespace()) && next.map_or(true, closes_context);
        let opens = match (opener, closer) {
            (true, false) => true,
            (false, true) => false,
            _ => match glyph {
                Glyph::Opening => true,
                Glyph::Closing => false,
                Glyph::Either => stack.is_empty(),
            },
        };
        if opens {
            stack.push((pos, len));
        } else if let Some((open, open_len)) = stack.pop() {
            if pos - open <= MAX_QUOTE_BYTES {
                pairs.push(Quote {
                    open,
                    start: open + open_len,
                    end: pos,
                    close: pos + len,
                    runs_on: false,
                    continues: false,
                });
                last_pair_open = Some(last_pair_open.map_or(open, |o: usize| o.max(open)));
            }
        }
    }
    if next_opens {
        if let Some(&(open, open_len)) = stack.last() {
            let after_pairs = last_pair_open.map_or(true, |o| o < open);
            if after_pairs && end - open <= MAX_QUOTE_BYTES && open + open_len < end {
                pairs.push(Quote {
                    open,
                    start: open + open_len,
                    end,
                    close: end,
                    runs_on: true,
                    continues: false,
                });
            }
        }
    }
    pairs.sort_by_key(|q| q.open);
    // Drop quotes nested inside another (double marks inside double marks).
    let mut kept: Vec<Quote> = Vec::with_capacity(pairs.len());
    for q in pairs {
        if kept.last().map_or(true, |k| q.open >= k.close) {
            kept.push(q);
        }
    }
    kept
}

/// Whether the full stop at `dot` belongs to an abbreviation (`Mr.`, `U.S.`, an initial).
fn dot_is_abbreviation(text: &str, para_start: usize, dot: usize) -> bool {
    let before = &text[para_start..dot];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.' || c == '\'')
        .last()
        .map_or(dot, |(i, _)| para_start + i);
    let word = &text[word_start..dot];
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        return true; // U.S., e.g.
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase(); // an initial: J. Smith
    }
    lexicon::is(&word.to_ascii_lowercase(), Kind::ABBREVIATION)
}

/// Whether a sentence may start at `at` (after white space): a capital, a digit, an opening mark.
fn starts_sentence(text: &str, at: usize, quotes: &[Quote]) -> bool {
    match text[at..].chars().next() {
        None => true,
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || "([¿¡“\"«„‘'".contains(c)
                || quotes.binary_search_by_key(&at, |q| q.open).is_ok()
        }
    }
}

fn split_sentences(text: &str, start: usize, end: usize, quotes: &[Quote]) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut sentence_start = start;
    let mut pos = start;
    let mut qi = 0;
    // Cached next offsets of `.`/`!`/`?` and of `…`'s first byte; `None` until searched.
    let mut next_stop: Option<usize> = None;
    let mut next_e2: Option<usize> = None;
    while pos < end {
        while qi < quotes.len() && quotes[qi].open < pos {
            qi += 1;
        }
        if qi < quotes.len() && quotes[qi].open == pos {
            let q = quotes[qi];
            qi += 1;
            pos = q.close.max(pos + 1).min(end);
            let words = text[q.start..q.end].trim_end();
            if words.ends_with(['.', '!', '?', '…']) && !q.runs_on {
                if let Some(next) = boundary_after(text, pos, end, quotes) {
                    out.push((sentence_start, pos));
                    sentence_start = next;
                    pos = next;
                }
            }
            continue;
        }
        // Jump to the next sentence punctuation (or `…`'s first byte) before the next quote,
        // cutting over-long sentences at a space on the way.
        let stop = quotes.get(qi).map_or(end, |q| q.open.min(end));
        // Next occurrences are cached and searched again only once passed, so each byte is
        // scanned once (searching afresh each time would be quadratic on `. . .` or `“ “ “`).
        let stale = |n: Option<usize>| n.map_or(true, |n| n < pos);
        if stale(next_stop) {
            next_stop = Some(memchr3(b'.', b'!', b'?', &bytes[pos..end]).map_or(end, |r| pos + r));
        }
        if stale(next_e2) {
            next_e2 = Some(memchr(0xE2, &bytes[pos..end]).map_or(end, |r| pos + r));
        }
        let candidate = next_stop.unwrap_or(end).min(next_e2.unwrap_or(end));
        let found = (candidate < stop).then_some(candidate - pos);
        let target = found.map_or(stop, |r| pos + r);
        while target > sentence_start + MAX_SENTENCE_BYTES {
            let from = pos.max(sentence_start + MAX_SENTENCE_BYTES);
            let hard = sentence_start + 2 * MAX_SENTENCE_BYTES;
            let cut = match bytes[from..target.min(hard).max(from)]
                .iter()
                .position(u8::is_ascii_whitespace)
            {
                Some(r) => from + r,
                None if target > hard => (hard..target)
                    .find(|&k| text.is_char_boundary(k))
                    .unwrap_or(target),
                None => break,
            };
            out.push((sentence_start, cut));
            sentence_start = cut;
        }
        pos = target;
        if found.is_none() {
            continue;
        }
        let b = bytes[pos];
        if b == 0xE2 && !text[pos..].starts_with('…') {
            pos += 1;
            continue;
        }
        let c_is_dot = b == b'.';
        let mut term_end = pos;
        let mut run = 0;
        while let Some(n) = text[term_end..end].chars().next() {
            if matches!(n, '.' | '!' | '?' | '…') {
                run += 1;
                term_end += n.len_utf8();
            } else {
                break;
            }
        }
        // Closing brackets and stray closing marks stay with the sentence they end.
        while let Some(n) = text[term_end..end].chars().next() {
            let is_paired_open = quotes.get(qi).is_some_and(|q| q.open == term_end);
            if !is_paired_open && ")]’”»\"'".contains(n) {
                term_end += n.len_utf8();
            } else {
                break;
            }
        }
        let abbreviation = c_is_dot && run == 1 && dot_is_abbreviation(text, start, pos);
        if !abbreviation {
            if let Some(next) = boundary_after(text, term_end, end, &quotes[qi.min(quotes.len())..]) {
                out.push((sentence_start, term_end));
                sentence_start = next;
                pos = next;
                continue;
            }
        }
        pos = term_end;
    }
    if sentence_start < end {
        out.push((sentence_start, end));
    }
    // Trim the white space a cut may have left at either end.
    out.into_iter()
        .filter_map(|(s, e)| {
            let slice = &text[s..e];
            let lead = slice.len() - slice.trim_start().len();
            let s2 = s + lead;
            let e2 = s2 + slice.trim().len();
            (s2 < e2).then_some((s2, e2))
        })
        .collect()
}

/// If `at` (just after sentence punctuation) is followed by white space and a sentence start,
/// the offset where the next sentence starts; `end` itself counts as a boundary.
fn boundary_after(text: &str, at: usize, end: usize, quotes: &[Quote]) -> Option<usize> {
    if at >= end {
        return Some(end);
    }
    let rest = &text[at..end];
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() {
        return None; // no space after the stop: 3.5, U.S.-led
    }
    let next = end - trimmed.len();
    starts_sentence(text, next, quotes).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<Paragraph> {
        let mut seg = Segmenter::new(text);
        std::iter::from_fn(|| seg.next_paragraph()).collect()
    }

    fn quote_texts(text: &str) -> Vec<String> {
        paragraphs(text)
            .iter()
            .flat_map(|p| p.quotes.clone())
            .map(|q| text[q.start..q.end].to_string())
            .collect()
    }

    fn sentence_texts(text: &str) -> Vec<String> {
        paragraphs(text)
            .iter()
            .flat_map(|p| p.sentences(text))
            .map(|(s, e)| text[s..e].to_string())
            .collect()
    }

    #[test]
    fn pairs_straight_and_curly_marks() {
        let text = "“We are ready,” he said. \"We will act.\"";
        assert_eq!(quote_texts(text), ["We are ready,", "We will act."]);
    }

    #[test]
    fn stray_opening_mark_is_dropped_not_swallowing() {
        let text = "A “whirlwind of talks began.\n\nHe said “we are ready” today.";
        assert_eq!(quote_texts(text), ["we are ready"]);
    }

    #[test]
    fn doubled_opening_mark_pairs_the_inner_one() {
        let text = "an action to “counter “the very direct threat to our way of life.”";
        assert_eq!(quote_texts(text), ["the very direct threat to our way of life."]);
    }

    #[test]
    fn guillemets_and_german_marks() {
        assert_eq!(
            quote_texts("Il a dit : « Nous sommes prêts ». Fin."),
            [" Nous sommes prêts "]
        );
        assert_eq!(quote_texts("Er sagte: „Wir sind bereit“."), ["Wir sind bereit"]);
    }

    #[test]
    fn quote_running_over_paragraphs() {
        let text = "\"We will fight on.\n\n\"We shall never surrender,\" he said.";
        let ps = paragraphs(text);
        assert!(ps[0].quotes[0].runs_on);
        assert!(ps[1].quotes[0].continues);
    }

    #[test]
    fn doubled_apostrophes_are_double_marks() {
        // PolNeAR misses: New York Times copy writes ''...'' for double quotation marks.
        let text = "''My business got bad,'' Mr. Hutto said. ''We kept the doors open.'' It's over.";
        assert_eq!(
            quote_texts(text),
            ["My business got bad,", "We kept the doors open."]
        );
    }

    #[test]
    fn nested_single_quotes_stay_inside() {
        let text = "\"He told me 'no' twice,\" she said.";
        assert_eq!(quote_texts(text), ["He told me 'no' twice,"]);
    }

    #[test]
    fn single_mark_articles_use_single_quotes() {
        let text = "'We will win,' Mr Smith said. It's Smith's day.";
        assert_eq!(quote_texts(text), ["We will win,"]);
    }

    #[test]
    fn sentences_keep_quotes_whole_and_skip_abbreviations() {
        let text = "\"A. B,\" Mr. Smith said. \"C.\" The U.S. president spoke.";
        assert_eq!(
            sentence_texts(text),
            ["\"A. B,\" Mr. Smith said.", "\"C.\"", "The U.S. president spoke."]
        );
    }

    #[test]
    fn soft_wrapped_lines_join_and_titles_split() {
        let text = "Title line\nFirst sentence goes\non here. Second.\nNew paragraph.";
        let ps = paragraphs(text);
        assert_eq!(ps.len(), 3);
        assert_eq!(
            &text[ps[1].start..ps[1].end],
            "First sentence goes\non here. Second."
        );
    }

    #[test]
    fn huge_line_is_cut_into_bounded_sentences() {
        let text = "word ".repeat(20_000);
        let ps = paragraphs(&text);
        let sentences = ps[0].sentences(&text);
        assert!(sentences.len() > 1);
        assert!(sentences.iter().all(|(s, e)| e - s <= 2 * MAX_SENTENCE_BYTES));
    }
}
