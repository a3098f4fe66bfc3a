//! What an input is: an article (a text file, or standard input holding one), or a file of
//! statements (CSV or JSONL with `speaker` and `text`, such as `stance extract` writes) — decided
//! here once, by extension and, for standard input, by content, and folders walked here once.
//!
//! The commands only name paths; what a path holds, how it is decoded and in which order a folder
//! is read is this module's business, so `extract`, `classify` and `report` agree on it.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::decode::decode_article;
use super::records::{InputFormat, RecordReader, TextColumn};

/// How a path is named in messages: as given, `-` as "<stdin>".
pub fn display_name(path: &Path) -> String {
    if super::is_stdio(path) {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// The name an article's statements carry as their `source`: the file name without its folder
/// (`-` for standard input).
pub fn source_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| display_name(path), |n| n.to_string_lossy().into_owned())
}

/// What a command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// Articles only (`extract`): folders are searched for `.txt` files.
    Articles,
    /// Articles and statement files mixed (`report`): folders are searched for `.txt`, `.csv`,
    /// `.jsonl` and `.ndjson` files.
    ArticlesAndStatements,
}

impl Accept {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Accept::Articles => &[".txt"],
            Accept::ArticlesAndStatements => &[".txt", ".csv", ".jsonl", ".ndjson"],
        }
    }
}

/// The files named by `paths`: files (and `-`) as given, folders expanded to the files of the
/// kinds `accept` reads, sorted by path. `note` hears of a folder that holds none.
pub fn input_files(paths: &[PathBuf], accept: Accept, note: &mut dyn FnMut(String)) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = super::expand_paths(path, accept.extensions(), &|_| false)?;
            if found.is_empty() && accept == Accept::ArticlesAndStatements {
                note(format!(
                    "warning: {} holds no .txt, .csv or .jsonl file",
                    path.display()
                ));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// One opened input.
pub enum Input {
    /// An article, to be read (on a worker) and extracted.
    Article(ArticleSource),
    /// Statements (CSV or JSONL with `speaker` and `text`), opened for streaming.
    Statements(StatementFile),
}

/// A statement file opened for streaming.
pub struct StatementFile {
    /// Its rows.
    pub reader: RecordReader,
    /// What its statements carry as `source` when a row has none: the file name.
    pub source: String,
}

/// Where an article's bytes come from: its file, or bytes already read (standard input).
#[derive(Debug)]
pub struct ArticleSource {
    path: PathBuf,
    bytes: Option<Vec<u8>>,
}

impl ArticleSource {
    /// The article in the file at `path`, read when [`ArticleSource::read`] is called.
    pub fn file(path: &Path) -> Self {
        ArticleSource {
            path: path.to_path_buf(),
            bytes: None,
        }
    }

    /// The name for messages.
    pub fn name(&self) -> String {
        display_name(&self.path)
    }

    /// Reads and decodes the article.
    pub fn read(self) -> Result<Article> {
        let bytes = match self.bytes {
            Some(bytes) => bytes,
            None => super::read_bytes(&self.path)?,
        };
        let decoded = decode_article(&bytes);
        Ok(Article {
            name: display_name(&self.path),
            source: source_name(&self.path),
            text: decoded.text,
            undecodable_bytes: decoded.undecodable_bytes,
        })
    }
}

/// An article's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// How messages name it (the path as given).
    pub name: String,
    /// What its statements carry as `source` (the file name).
    pub source: String,
    /// The decoded text.
    pub text: String,
    /// Bytes that could not be decoded as UTF-8 and were replaced.
    pub undecodable_bytes: usize,
}

/// The advice a statement file without its columns gets.
const STATEMENT_COLUMNS: &str = "a statement file needs fields `speaker` and `text`";

/// Opens one input for `accept`: files go by extension (with statements accepted, `.csv`, `.jsonl`
/// and `.ndjson` are statement files); standard input by content: a JSON object, or a CSV header
/// naming `speaker` and `text`, is statements, anything else an article.
pub fn open(path: &Path, accept: Accept) -> Result<Input> {
    if accept == Accept::Articles {
        return Ok(Input::Article(ArticleSource::file(path)));
    }
    let columns = TextColumn::new("text", STATEMENT_COLUMNS);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match extension.as_deref() {
        Some("csv") => Some(InputFormat::Csv),
        Some("jsonl" | "ndjson") => Some(InputFormat::Jsonl),
        _ => None,
    };
    if let Some(format) = format {
        return Ok(Input::Statements(StatementFile {
            reader: RecordReader::open(path, Some(format), &columns, b',')?,
            source: source_name(path),
        }));
    }
    if !super::is_stdio(path) {
        return Ok(Input::Article(ArticleSource::file(path)));
    }
    let mut input: Box<dyn BufRead + Send> =
        Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()));
    let head = input.fill_buf()?;
    if let Some(format) = sniff_statements(head) {
        return Ok(Input::Statements(StatementFile {
            reader: RecordReader::from_reader("<stdin>".into(), input, Some(format), &columns, b',')?,
            source: source_name(path),
        }));
    }
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    Ok(Input::Article(ArticleSource {
        path: path.to_path_buf(),
        bytes: Some(bytes),
    }))
}

/// Whether the first bytes of a stream look like statements: a JSON object first (JSONL), or a
/// first line that is a CSV header naming `speaker` and `text`.
fn sniff_statements(head: &[u8]) -> Option<InputFormat> {
    if head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return Some(InputFormat::Jsonl);
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first_line = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    let fields: Vec<&str> = first_line
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .collect();
    (fields.contains(&"speaker") && fields.contains(&"text")).then_some(InputFormat::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_is_told_apart_by_its_first_bytes() {
        assert_eq!(sniff_statements(b"\n {\"text\": 1}"), Some(InputFormat::Jsonl));
        assert_eq!(
            sniff_statements(b"\"Speaker\",text,kind\nPutin,x,direct\n"),
            Some(InputFormat::Csv)
        );
        assert_eq!(sniff_statements(b"Putin said \"the speaker, text\""), None);
        assert_eq!(sniff_statements(b""), None);
    }

    #[test]
    fn sources_are_file_names() {
        assert_eq!(source_name(Path::new("news/a.txt")), "a.txt");
        assert_eq!(source_name(Path::new("-")), "-");
        assert_eq!(display_name(Path::new("news/a.txt")), "news/a.txt");
    }
}
