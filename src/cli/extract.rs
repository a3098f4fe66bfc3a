//! `stance extract`: every statement in news articles — quoted and reported speech — with its
//! canonical speaker, byte offsets, kind and cue; or, with `--gold`, precision and recall against
//! hand-labelled statements.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::json;

use super::shared::display_name;
use crate::extract::evaluate::{article_errors, evaluate, read_gold};
use crate::extract::{decode_article, extract_statements, SpeakerIndex, Statement};

const AFTER_HELP: &str = "\
Output columns: source,start,end,speaker,speaker_mention,kind,text,cue — start and end are byte
offsets into the article (after UTF-8 decoding), so article[start..end] is the text; speaker is the
canonical name from --speakers (unknown people keep their full name as found; empty when the speaker
could not be resolved); kind is direct (inside quotation marks) or reported; cue is the words that
introduce it (\"said\", \"told reporters\", \"stressed that\", \"according to\").

With --gold FILE (columns source, speaker, kind, text, e.g. labels/statements.csv), prints precision
and recall instead: a prediction matches a gold row when it is in the same article, names the same
canonical speaker, and its text overlaps the gold text by at least half of the shorter one;
statements without a speaker are not counted as predictions.

Examples:
  stance extract labels/articles
  stance extract article.txt --format jsonl
  curl -s https://example.org/story.txt | stance extract -
  stance extract labels/articles --gold labels/statements.csv --errors";

/// Find every statement in news articles and who made it.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Article files, folders of .txt articles, or `-` for standard input.
    #[arg(value_name = "ARTICLE", required = true)]
    articles: Vec<PathBuf>,

    /// Speaker aliases and role descriptions (speaker,gender,aliases).
    #[arg(long, value_name = "FILE", default_value = "labels/speakers.csv")]
    speakers: PathBuf,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "csv", value_parser = ["csv", "jsonl"])]
    format: String,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Score the extraction against hand-labelled statements instead of printing them.
    #[arg(long, value_name = "FILE")]
    gold: Option<PathBuf>,

    /// With --gold: also list each article's missed and spurious statements.
    #[arg(long, requires = "gold")]
    errors: bool,
}

/// Runs `stance extract`.
pub fn run(args: Args) -> Result<u8> {
    let speakers = if args.speakers.exists() || args.speakers != Path::new("labels/speakers.csv") {
        let bytes = crate::io::read_bytes(&args.speakers)?;
        SpeakerIndex::from_csv(bytes.as_slice(), &display_name(&args.speakers))?
    } else {
        SpeakerIndex::empty()
    };
    let mut files = Vec::new();
    for path in &args.articles {
        if path.is_dir() {
            files.extend(crate::io::expand_paths(path, &[".txt"], &|_| false)?);
        } else {
            files.push(path.clone());
        }
    }
    let mut stderr = std::io::stderr();
    let mut failed = 0;
    let mut articles: Vec<(String, String)> = Vec::new();
    let mut found: Vec<(String, Statement)> = Vec::new();
    for path in &files {
        let bytes = match crate::io::read_bytes(path) {
            Ok(b) => b,
            Err(err) => {
                failed += 1;
                writeln!(stderr, "stance: error: {err:#} (skipped)")?;
                continue;
            }
        };
        let source = path
            .file_name()
            .map_or_else(|| display_name(path), |n| n.to_string_lossy().into_owned());
        let decoded = decode_article(&bytes);
        if decoded.undecodable_bytes > 0 {
            writeln!(
                stderr,
                "stance: warning: {}: {} bytes could not be decoded as UTF-8 and were replaced",
                display_name(path),
                decoded.undecodable_bytes
            )?;
        }
        for statement in extract_statements(&decoded.text, &speakers) {
            found.push((source.clone(), statement));
        }
        articles.push((source, decoded.text));
    }
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    if let Some(gold_path) = &args.gold {
        let bytes = crate::io::read_bytes(gold_path)?;
        let gold = read_gold(bytes.as_slice(), &display_name(gold_path))?;
        let scores = evaluate(&articles, &found, &gold);
        crate::io::write_atomic(&target, |out| {
            writeln!(
                out,
                "{} articles, {} gold statements",
                articles.len(),
                scores.overall.gold
            )?;
            writeln!(out, "{scores}")?;
            if args.errors {
                for e in article_errors(&articles, &found, &gold) {
                    writeln!(out, "\n{}", e.source)?;
                    for s in &e.false_negatives {
                        writeln!(out, "  missed    [{}] {}: {}", s.kind, s.speaker, s.text)?;
                    }
                    for s in &e.false_positives {
                        writeln!(
                            out,
                            "  spurious  [{}] {}: {}",
                            s.kind,
                            s.speaker.as_deref().unwrap_or(""),
                            s.text
                        )?;
                    }
                    for s in &e.unattributed {
                        writeln!(out, "  no speaker [{}] {}", s.kind, s.text)?;
                    }
                }
            }
            Ok(())
        })?;
    } else {
        crate::io::write_atomic(&target, |out| write_statements(out, &args.format, &found))?;
    }
    if failed > 0 {
        writeln!(
            stderr,
            "stance: {failed} article(s) could not be read; the rest were extracted"
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

fn write_statements(out: &mut dyn Write, format: &str, found: &[(String, Statement)]) -> Result<()> {
    if format == "jsonl" {
        for (source, s) in found {
            let row = json!({
                "source": source, "start": s.start, "end": s.end, "speaker": s.speaker,
                "speaker_mention": s.speaker_mention, "kind": s.kind.as_str(), "text": s.text, "cue": s.cue,
            });
            serde_json::to_writer(&mut *out, &row)?;
            writeln!(out)?;
        }
        return Ok(());
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "source",
        "start",
        "end",
        "speaker",
        "speaker_mention",
        "kind",
        "text",
        "cue",
    ])?;
    for (source, s) in found {
        w.write_record([
            source.as_str(),
            &s.start.to_string(),
            &s.end.to_string(),
            s.speaker.as_deref().unwrap_or(""),
            &s.speaker_mention,
            s.kind.as_str(),
            &s.text,
            &s.cue,
        ])?;
    }
    w.flush()?;
    Ok(())
}
