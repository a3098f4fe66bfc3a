//! Gold statements to score extraction against: our label CSV, or brat standoff attribution
//! annotations (`.ann` files with Source, Cue and Content spans, as PolNeAR and PARC-derived
//! corpora ship them).
//!
//! A brat attribution becomes a gold statement when it is *speech* (its cue holds a verb of
//! saying or writing, `according to`, or is a bare colon: beliefs, intentions and findings are
//! attributions too, but not statements) by a *named person*. The person is read from the CoreNLP
//! annotations that PolNeAR ships beside its articles, when given: a PERSON name in the source
//! span (not a possessive: `Trump's spokesman` is not Trump), else the named person of the
//! coreference chain the source belongs to (`he` → `Donald Trump`). Without CoreNLP, a source
//! names a person when it contains a capitalised name that is not an organisation or title word.
//! Speech attributions whose source is a pronoun or description that cannot be resolved, and
//! attributions that are not speech, are kept as *ignored* spans: a prediction there is neither
//! right nor wrong. Each piece of a discontinuous content (`"A," he said, "B."`) is one gold
//! statement, as extraction gives one per quote; a piece is direct when it is a quotation from
//! mark to mark.

use std::io::Read;

use quick_xml::events::Event;
use thiserror::Error;

use super::lexicon::{self, Kind};
use super::statement::StatementKind;

/// One gold statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldStatement {
    /// Article file name (or URL) the statement comes from.
    pub source: String,
    /// The speaker: a canonical name (label CSV) or the name as the article gives it (brat).
    pub speaker: String,
    /// Direct or reported.
    pub kind: StatementKind,
    /// The statement's text, as in the article.
    pub text: String,
    /// Byte span in the article when the gold file gives offsets (brat); else the text is
    /// searched for.
    pub span: Option<(usize, usize)>,
}

/// How predicted and gold speakers are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerMatch {
    /// The whole name, folded (canonical names of the label CSV).
    FullName,
    /// The surname, folded (names as articles give them: `Trump`, `Donald J. Trump`).
    Surname,
}

/// A gold standard: statements, spans where predictions are not scored, and how speakers compare.
#[derive(Debug, Clone)]
pub struct Gold {
    /// The gold statements.
    pub statements: Vec<GoldStatement>,
    /// (source, byte span) of annotations that are not scored (see the module documentation).
    pub ignored: Vec<(String, (usize, usize))>,
    /// How speakers are compared.
    pub speaker_match: SpeakerMatch,
}

/// Why a gold file could not be read; messages name the file and line.
#[derive(Debug, Error)]
pub enum GoldError {
    /// The CSV itself is malformed.
    #[error("{file}: {message}")]
    Csv {
        /// The file being read.
        file: String,
        /// The csv crate's description, with its position.
        message: String,
    },
    /// A required column is missing.
    #[error(
        "{file}: line 1: missing column `{column}` (expected source, speaker, kind and text; found: {found})"
    )]
    MissingColumn {
        /// The file being read.
        file: String,
        /// The missing column.
        column: String,
        /// The header found, comma-separated.
        found: String,
    },
    /// A row's `kind` is not `direct` or `reported`.
    #[error("{file}: line {line}: kind `{found}` (expected direct or reported)")]
    BadKind {
        /// The file being read.
        file: String,
        /// The row's line.
        line: u64,
        /// The value found.
        found: String,
    },
    /// A required field is empty.
    #[error("{file}: line {line}: empty `{column}`")]
    EmptyField {
        /// The file being read.
        file: String,
        /// The row's line.
        line: u64,
        /// The empty column.
        column: String,
    },
    /// A brat line that is not `T<n>\t<type> <start> <end>[;<start> <end>]...\t<text>` or
    /// `E<n>\t<role>:<id> ...`, or that points outside the article.
    #[error("{file}: line {line}: {message}")]
    Brat {
        /// The file being read.
        file: String,
        /// The line.
        line: usize,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// CoreNLP XML that cannot be read.
    #[error("{file}: not CoreNLP XML: {message}")]
    CoreNlp {
        /// The file being read.
        file: String,
        /// The parser's message.
        message: String,
    },
}

/// Reads gold statements from a CSV with at least the columns `source,speaker,kind,text` (other
/// columns are ignored); `file` names the source in error messages.
pub fn read_gold<R: Read>(reader: R, file: &str) -> Result<Vec<GoldStatement>, GoldError> {
    let mut csv = crate::io::CsvOptions::new().flexible(true).reader(reader);
    let csv_error = |e: csv::Error| GoldError::Csv {
        file: file.to_string(),
        message: e.to_string(),
    };
    let header = csv.headers().map_err(csv_error)?.clone();
    let column = |name: &str| -> Result<usize, GoldError> {
        header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| GoldError::MissingColumn {
                file: file.to_string(),
                column: name.to_string(),
                found: header.iter().collect::<Vec<_>>().join(","),
            })
    };
    let cols = [
        column("source")?,
        column("speaker")?,
        column("kind")?,
        column("text")?,
    ];
    let mut out = Vec::new();
    for record in csv.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let mut fields = [""; 4];
        for (k, (&col, name)) in cols.iter().zip(["source", "speaker", "kind", "text"]).enumerate() {
            fields[k] = record.get(col).unwrap_or("");
            if fields[k].trim().is_empty() {
                return Err(GoldError::EmptyField {
                    file: file.to_string(),
                    line,
                    column: name.to_string(),
                });
            }
        }
        let kind = fields[2].parse().map_err(|_| GoldError::BadKind {
            file: file.to_string(),
            line,
            found: fields[2].to_string(),
        })?;
        out.push(GoldStatement {
            source: fields[0].trim().to_string(),
            speaker: fields[1].trim().to_string(),
            kind,
            text: fields[3].to_string(),
            span: None,
        });
    }
    Ok(out)
}

/// What one brat file gave.
#[derive(Debug, Clone, Default)]
pub struct BratArticle {
    /// Speech by a named person: the gold statements.
    pub statements: Vec<GoldStatement>,
    /// Byte spans of content not scored.
    pub ignored: Vec<(usize, usize)>,
    /// Attributions read.
    pub attributions: usize,
    /// Attributions whose cue is speech.
    pub speech: usize,
    /// Speech attributions whose source is not resolved to a named person (ignored).
    pub unresolved: usize,
}

/// A text-bound annotation: its type and byte spans.
struct TextBound {
    id: String,
    spans: Vec<(usize, usize)>,
}

/// Reads the brat annotation `ann` (file name `file`) of `article` (named `source`), naming
/// speakers with the CoreNLP annotation `corenlp` of the same article when given.
pub fn read_brat(
    ann: &str,
    file: &str,
    source: &str,
    article: &str,
    corenlp: Option<&CoreNlp>,
) -> Result<BratArticle, GoldError> {
    let bytes_of = char_to_byte_table(article);
    let mut bounds: Vec<TextBound> = Vec::new();
    let mut events: Vec<Vec<(String, String)>> = Vec::new();
    let error = |line: usize, message: String| GoldError::Brat {
        file: file.to_string(),
        line,
        message,
    };
    for (n, line) in ann.lines().enumerate() {
        let line_no = n + 1;
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or("");
        let body = fields.next().unwrap_or("");
        // An annotation line starts with its id and a tab; other lines continue the text of the
        // line before (brat copies a span's text, line breaks included).
        let numbered = |prefix: char| {
            id.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if numbered('T') && line.contains('\t') {
            let (_, offsets) = body
                .split_once(' ')
                .ok_or_else(|| error(line_no, format!("`{body}` (expected a type and offsets)")))?;
            let mut spans = Vec::new();
            for piece in offsets.split(';') {
                let mut numbers = piece.split_whitespace().map(str::parse::<usize>);
                let (Some(Ok(s)), Some(Ok(e)), None) = (numbers.next(), numbers.next(), numbers.next())
                else {
                    return Err(error(
                        line_no,
                        format!("offsets `{piece}` (expected `start end`)"),
                    ));
                };
                let (Some(&bs), Some(&be)) = (bytes_of.get(s), bytes_of.get(e)) else {
                    return Err(error(
                        line_no,
                        format!(
                            "span {s}-{e} ends past the article ({} characters): is this the annotation of another text?",
                            bytes_of.len() - 1
                        ),
                    ));
                };
                if bs > be {
                    return Err(error(line_no, format!("span {s}-{e} ends before it starts")));
                }
                spans.push((bs, be));
            }
            bounds.push(TextBound {
                id: id.to_string(),
                spans,
            });
        } else if numbered('E') && line.contains('\t') {
            let roles = body
                .split_whitespace()
                .filter_map(|r| r.split_once(':'))
                .map(|(role, target)| (role.to_string(), target.to_string()))
                .collect();
            events.push(roles);
        }
    }
    let find = |id: &str| bounds.iter().find(|b| b.id == id);
    let mut out = BratArticle::default();
    for roles in &events {
        let get = |role: &str| -> Vec<&TextBound> {
            roles
                .iter()
                .filter(|(r, _)| r == role || (role == "Content" && r.starts_with("Content")))
                .filter_map(|(_, id)| find(id))
                .collect()
        };
        let contents = get("Content");
        if contents.is_empty() {
            continue;
        }
        out.attributions += 1;
        let pieces: Vec<(usize, usize)> = contents.iter().flat_map(|t| t.spans.iter().copied()).collect();
        let cue_text: String = get("Cue")
            .iter()
            .flat_map(|t| t.spans.iter())
            .map(|&(s, e)| &article[s..e])
            .collect::<Vec<_>>()
            .join(" ");
        let sources = get("Source");
        let speech = !sources.is_empty() && is_speech_cue(&cue_text);
        let speaker = if speech {
            out.speech += 1;
            let spans: Vec<(usize, usize)> = sources.iter().flat_map(|t| t.spans.iter().copied()).collect();
            let name = match corenlp {
                Some(c) => c.person_of(article, &spans),
                None => capitalised_name(article, &spans),
            };
            if name.is_none() {
                out.unresolved += 1;
            }
            name
        } else {
            None
        };
        for &(s, e) in &pieces {
            let text = &article[s..e];
            let words = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            match &speaker {
                Some(name) if words >= 2 => out.statements.push(GoldStatement {
                    source: source.to_string(),
                    speaker: name.clone(),
                    kind: if is_quotation(text) {
                        StatementKind::Direct
                    } else {
                        StatementKind::Reported
                    },
                    text: text.to_string(),
                    span: Some((s, e)),
                }),
                _ => out.ignored.push((s, e)),
            }
        }
    }
    Ok(out)
}

/// `table[i]` is the byte offset of character `i` (and `table[chars]` the text's length): brat
/// offsets count characters.
fn char_to_byte_table(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// Whether a cue is speech: it holds a verb of saying or writing or `according to`, or is a colon
/// (`Trump: ...`).
pub fn is_speech_cue(cue: &str) -> bool {
    let trimmed = cue.trim();
    if trimmed == ":" {
        return true;
    }
    trimmed
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .any(|w| lexicon::is(&crate::text::fold(w), Kind::SPEECH))
}

/// Whether a content piece is a quotation from mark to mark (trailing punctuation aside), with no
/// narration after an inner closing mark.
fn is_quotation(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', ',', ';', ':', '!', '?', ' ']);
    let opens = t.starts_with(['"', '“', '«', '„']) || (t.starts_with(['‘', '\'']));
    let closes = t.ends_with(['"', '”', '»', '“']) || t.ends_with(['’', '\'']);
    if !(opens && closes) || t.chars().count() < 3 {
        return false;
    }
    // `"A" and he added "B"`: a closing mark followed by narration inside the piece.
    let inner: Vec<char> = t.chars().collect();
    let last = inner.len() - 1;
    !(1..last).any(|i| {
        matches!(inner[i], '”' | '"')
            && inner.get(i + 1).is_some_and(|c| c.is_whitespace())
            && inner.get(i + 2).is_some_and(|c| c.is_lowercase())
    })
}

/// Without CoreNLP: the capitalised name in a source span (`Donald Trump`, `Sen. Ted Cruz`), not
/// an organisation, title or nationality word, nor a possessive (`Trump's campaign`).
fn capitalised_name(article: &str, spans: &[(usize, usize)]) -> Option<String> {
    let text: String = spans
        .iter()
        .map(|&(s, e)| &article[s..e])
        .collect::<Vec<_>>()
        .join(" ");
    let mut run: Vec<&str> = Vec::new();
    let mut best: Option<String> = None;
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, raw) in words.iter().enumerate() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        let possessive = word.ends_with("'s") || word.ends_with("’s");
        let bare = word.trim_end_matches("'s").trim_end_matches("’s");
        let folded = crate::text::fold(bare);
        let capitalised = bare.chars().next().is_some_and(char::is_uppercase)
            && bare.chars().any(char::is_lowercase)
            && !lexicon::is(&folded, Kind::TITLE)
            && !lexicon::is(&folded, Kind::ORG)
            && !lexicon::is(&folded, Kind::STOPWORD)
            && !lexicon::is_nationality(&folded);
        if capitalised && !possessive {
            run.push(bare);
        } else if capitalised && possessive {
            run.clear();
        }
        let ends = !capitalised || possessive || raw.ends_with(',') || i + 1 == words.len();
        if ends && !run.is_empty() {
            best.get_or_insert_with(|| run.join(" "));
            run.clear();
        }
    }
    best
}

/// The CoreNLP annotation of one article (`<article>.txt.xml`): tokens with their named-entity
/// tags, and coreference chains. Offsets are in bytes of the article.
#[derive(Debug, Clone, Default)]
pub struct CoreNlp {
    tokens: Vec<CoreToken>,
    chains: Vec<Vec<CoreMention>>,
}

#[derive(Debug, Clone, Default)]
struct CoreToken {
    start: usize,
    end: usize,
    person: bool,
    possessive: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct CoreMention {
    /// Token range `[first, end)` and head, as indices into `CoreNlp::tokens`.
    first: usize,
    end: usize,
    head: usize,
    representative: bool,
}

impl CoreNlp {
    /// Reads CoreNLP XML (tokens with `CharacterOffsetBegin/End`, `POS`, `NER`, and the
    /// `coreference` section) for `article`.
    pub fn read(xml: &str, file: &str, article: &str) -> Result<CoreNlp, GoldError> {
        let bytes_of = char_to_byte_table(article);
        let byte = |c: usize| bytes_of.get(c).copied().unwrap_or(article.len());
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut path: Vec<Vec<u8>> = Vec::new();
        let mut out = CoreNlp::default();
        let mut sentence_starts: Vec<usize> = Vec::new();
        let mut token = CoreToken::default();
        let mut mention = [0usize; 4]; // sentence, start, end, head (1-based, end exclusive)
        let mut representative = false;
        let mut raw_chains: Vec<Vec<([usize; 4], bool)>> = Vec::new();
        loop {
            let event = reader.read_event().map_err(|e| GoldError::CoreNlp {
                file: file.to_string(),
                message: e.to_string(),
            })?;
            match event {
                Event::Start(e) => {
                    let name = e.name().as_ref().to_vec();
                    match name.as_slice() {
                        b"sentence" if path.last().is_some_and(|p| p == b"sentences") => {
                            sentence_starts.push(out.tokens.len())
                        }
                        b"token" => token = CoreToken::default(),
                        b"coreference" if path.last().is_some_and(|p| p == b"coreference") => {
                            raw_chains.push(Vec::new())
                        }
                        b"mention" => {
                            representative = e
                                .try_get_attribute("representative")
                                .ok()
                                .flatten()
                                .is_some_and(|a| a.value.as_ref() == b"true");
                            mention = [0; 4];
                        }
                        _ => {}
                    }
                    path.push(name);
                }
                Event::End(e) => {
                    path.pop();
                    match e.name().as_ref() {
                        b"token" => out.tokens.push(std::mem::take(&mut token)),
                        b"mention" => {
                            if let Some(chain) = raw_chains.last_mut() {
                                chain.push((mention, representative));
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    let value = String::from_utf8_lossy(t.as_ref()).into_owned();
                    let value = value.trim();
                    let parent = path.iter().rev().nth(1).map(Vec::as_slice);
                    match (parent, path.last().map(Vec::as_slice)) {
                        (Some(b"token"), Some(b"CharacterOffsetBegin")) => {
                            token.start = byte(value.parse().unwrap_or(0))
                        }
                        (Some(b"token"), Some(b"CharacterOffsetEnd")) => {
                            token.end = byte(value.parse().unwrap_or(0))
                        }
                        (Some(b"token"), Some(b"NER")) => token.person = value == "PERSON",
                        (Some(b"token"), Some(b"POS")) => token.possessive = value == "POS",
                        (Some(b"mention"), Some(field)) => {
                            let k = match field {
                                b"sentence" => 0,
                                b"start" => 1,
                                b"end" => 2,
                                b"head" => 3,
                                _ => continue,
                            };
                            mention[k] = value.parse().unwrap_or(0);
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        // Mentions count sentences and tokens from 1; make them indices into `tokens`.
        for chain in raw_chains {
            let mentions: Vec<CoreMention> = chain
                .into_iter()
                .filter_map(|([sentence, start, end, head], representative)| {
                    let base = *sentence_starts.get(sentence.checked_sub(1)?)?;
                    let m = CoreMention {
                        first: base + start.checked_sub(1)?,
                        end: base + end.checked_sub(1)?,
                        head: base + head.checked_sub(1)?,
                        representative,
                    };
                    (m.first < m.end && m.end <= out.tokens.len()).then_some(m)
                })
                .collect();
            if !mentions.is_empty() {
                out.chains.push(mentions);
            }
        }
        Ok(out)
    }

    /// The named person a source span refers to: a PERSON name inside it that is not a
    /// possessive, else the named person of the coreference chain of the mention headed inside it.
    pub fn person_of(&self, article: &str, spans: &[(usize, usize)]) -> Option<String> {
        let inside = |t: &CoreToken| spans.iter().any(|&(s, e)| t.start >= s && t.end <= e);
        let first = self
            .tokens
            .partition_point(|t| t.start < spans.iter().map(|s| s.0).min().unwrap_or(0));
        let end = self
            .tokens
            .partition_point(|t| t.end <= spans.iter().map(|s| s.1).max().unwrap_or(0));
        let range: Vec<usize> = (first..end.max(first))
            .filter(|&k| inside(&self.tokens[k]))
            .collect();
        if let Some(name) = range
            .first()
            .and_then(|&a| self.person_in(article, a, range.last().map_or(a, |&b| b + 1)))
        {
            return Some(name);
        }
        let chain = self
            .chains
            .iter()
            .find(|chain| chain.iter().any(|m| range.contains(&m.head)))?;
        let representative = chain.iter().filter(|m| m.representative);
        let others = chain.iter().filter(|m| !m.representative);
        representative
            .chain(others)
            .find_map(|m| self.person_in(article, m.first, m.end))
    }

    /// The first PERSON run of tokens `[first, end)` not followed by a possessive, as text.
    fn person_in(&self, article: &str, first: usize, end: usize) -> Option<String> {
        let mut k = first;
        while k < end {
            if !self.tokens[k].person {
                k += 1;
                continue;
            }
            let run_start = k;
            while k < end && self.tokens[k].person {
                k += 1;
            }
            let possessive = self.tokens.get(k).is_some_and(|t| t.possessive);
            if !possessive {
                let (s, e) = (self.tokens[run_start].start, self.tokens[k - 1].end);
                return article
                    .get(s..e)
                    .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gold_and_reports_bad_rows() {
        let csv = "id,source,speaker,kind,text,note\ns1,a.txt,Smith,direct,\"We act,\",x\n";
        let gold = read_gold(csv.as_bytes(), "g.csv").unwrap();
        assert_eq!(gold[0].text, "We act,");
        let bad = "source,speaker,kind,text\na.txt,Smith,quote,x\n";
        let err = read_gold(bad.as_bytes(), "g.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "g.csv: line 2: kind `quote` (expected direct or reported)"
        );
    }

    const ARTICLE: &str = "“We will win,” Anna Berger said. Trump’s spokesman said taxes were low. \
        Polls show Clinton ahead. He says the rally was huge.";

    /// A brat annotation of ARTICLE, offsets in characters (the curly marks are one each).
    fn ann() -> String {
        let at = |s: &str| ARTICLE[..ARTICLE.find(s).unwrap()].chars().count();
        let span = |s: &str| format!("{} {}", at(s), at(s) + s.chars().count());
        [
            format!("T1\tContent {}\t“We will win,”", span("“We will win,”")),
            format!("T2\tSource {}\tAnna Berger", span("Anna Berger")),
            format!("T3\tCue {}\tsaid", span("said")),
            "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2".to_string(),
            format!("T4\tSource {}\tTrump’s spokesman", span("Trump’s spokesman")),
            format!("T5\tCue {} {}\tsaid", at("said taxes"), at("said taxes") + 4),
            format!("T6\tContent {}\ttaxes were low", span("taxes were low")),
            "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4".to_string(),
            format!("T7\tSource {}\tPolls", span("Polls")),
            format!("T8\tCue {}\tshow", span("show")),
            format!("T9\tContent {}\tClinton ahead", span("Clinton ahead")),
            "E3\tAttribution:T8 Content:T9 Cue:T8 Source:T7".to_string(),
        ]
        .join("\n")
    }

    #[test]
    fn brat_speech_by_named_people_is_gold_the_rest_is_ignored() {
        let got = read_brat(&ann(), "a.ann", "a.txt", ARTICLE, None).unwrap();
        assert_eq!(got.attributions, 3);
        assert_eq!(got.speech, 2, "`show` is not speech");
        assert_eq!(got.unresolved, 1, "a spokesman is nobody named");
        assert_eq!(got.statements.len(), 1);
        let g = &got.statements[0];
        assert_eq!(
            (g.speaker.as_str(), g.kind, g.text.as_str()),
            ("Anna Berger", StatementKind::Direct, "“We will win,”")
        );
        assert_eq!(&ARTICLE[g.span.unwrap().0..g.span.unwrap().1], "“We will win,”");
        assert_eq!(got.ignored.len(), 2);
    }

    #[test]
    fn brat_errors_name_file_and_line() {
        let err = read_brat("T1\tContent 5 x\tabc", "a.ann", "a.txt", ARTICLE, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.ann: line 1: offsets `5 x` (expected `start end`)"
        );
        let err = read_brat("T1\tContent 5 9000\tabc", "a.ann", "a.txt", ARTICLE, None).unwrap_err();
        assert!(err.to_string().contains("ends past the article"), "{err}");
    }

    #[test]
    fn corenlp_names_pronoun_sources_through_coreference() {
        let article = "Donald Trump spoke. He said it.";
        let token = |id: usize, s: usize, e: usize, pos: &str, ner: &str| {
            format!(
                "<token id=\"{id}\"><word>x</word><CharacterOffsetBegin>{s}</CharacterOffsetBegin>\
                 <CharacterOffsetEnd>{e}</CharacterOffsetEnd><POS>{pos}</POS><NER>{ner}</NER></token>"
            )
        };
        let xml = format!(
            "<root><document><sentences><sentence id=\"1\"><tokens>{}{}{}{}</tokens></sentence>\
             <sentence id=\"2\"><tokens>{}{}{}{}</tokens></sentence></sentences>\
             <coreference><coreference><mention representative=\"true\"><sentence>1</sentence>\
             <start>1</start><end>3</end><head>2</head></mention><mention><sentence>2</sentence>\
             <start>1</start><end>2</end><head>1</head></mention></coreference></coreference>\
             </document></root>",
            token(1, 0, 6, "NNP", "PERSON"),
            token(2, 7, 12, "NNP", "PERSON"),
            token(3, 13, 18, "VBD", "O"),
            token(4, 18, 19, ".", "O"),
            token(1, 20, 22, "PRP", "O"),
            token(2, 23, 27, "VBD", "O"),
            token(3, 28, 30, "PRP", "O"),
            token(4, 30, 31, ".", "O"),
        );
        let c = CoreNlp::read(&xml, "a.xml", article).unwrap();
        assert_eq!(c.person_of(article, &[(20, 22)]).as_deref(), Some("Donald Trump"));
        assert_eq!(c.person_of(article, &[(0, 12)]).as_deref(), Some("Donald Trump"));
        assert_eq!(c.person_of(article, &[(28, 30)]), None);
    }

    #[test]
    fn speech_cues_and_quotations() {
        assert!(is_speech_cue("said in a statement"));
        assert!(is_speech_cue("according to"));
        assert!(is_speech_cue(":"));
        assert!(!is_speech_cue("believes"));
        assert!(is_quotation("“We will win,”"));
        assert!(!is_quotation("that “ethanol people” do a fantastic job"));
        assert!(!is_quotation("“A” and he said “B”"));
    }
}
