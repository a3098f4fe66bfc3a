//! `stance extract`: every statement in news articles — quoted and reported speech — with its
//! canonical speaker, byte offsets, kind and cue; or, with `--gold`, precision and recall against
//! hand-labelled statements.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::shared::{display_name, SpeakerInput};
use crate::extract::evaluate::{article_errors, evaluate, read_gold};
use crate::extract::Statement;
use crate::io::inputs::Accept;
use crate::output::{Format, StatementPrinter};
use crate::pipeline::{ArticleSink, Extracted, Pipeline};

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

    #[command(flatten)]
    speakers: SpeakerInput,

    /// Output format.
    #[arg(long, short, value_name = "FORMAT", default_value = "csv")]
    format: Format,

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

/// Runs `stance extract`: every article through the pipeline (no model) into the statement
/// printer, or with `--gold` into the scorer.
pub fn run(args: Args) -> Result<u8> {
    let speakers = args.speakers.load()?;
    let pool = rayon::ThreadPoolBuilder::new().build()?;
    let pipeline = Pipeline {
        speakers: &speakers,
        model: None,
        pool: &pool,
    };
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let mut failed = 0;
    if let Some(gold_path) = &args.gold {
        let bytes = crate::io::read_bytes(gold_path)?;
        let gold = read_gold(bytes.as_slice(), &display_name(gold_path))?;
        let mut kept = Kept::default();
        failed = pipeline.run(
            &args.articles,
            Accept::Articles,
            &mut kept,
            &mut super::print_notice,
        )?;
        let scores = evaluate(&kept.articles, &kept.found, &gold);
        crate::io::write_atomic(&target, |out| {
            writeln!(
                out,
                "{} articles, {} gold statements",
                kept.articles.len(),
                scores.overall.gold
            )?;
            writeln!(out, "{scores}")?;
            if args.errors {
                for e in article_errors(&kept.articles, &kept.found, &gold) {
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
        crate::io::write_atomic(&target, |out| {
            let mut printer = StatementPrinter::new(args.format, out);
            failed = pipeline.run(
                &args.articles,
                Accept::Articles,
                &mut printer,
                &mut super::print_notice,
            )?;
            printer.finish()
        })?;
    }
    if failed > 0 {
        writeln!(
            std::io::stderr(),
            "stance: {failed} article(s) could not be read; the rest were extracted"
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(super::EXIT_OK)
}

/// Every article's text and statements, kept for scoring against gold statements.
#[derive(Default)]
struct Kept {
    articles: Vec<(String, String)>,
    found: Vec<(String, Statement)>,
}

impl ArticleSink for Kept {
    fn article(&mut self, article: Extracted) -> Result<()> {
        for found in article.statements {
            self.found.push((article.source.clone(), found.statement));
        }
        self.articles.push((article.source, article.text));
        Ok(())
    }
}
