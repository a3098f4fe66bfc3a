//! `stance extract`: every statement in news articles — quoted and reported speech — with its
//! canonical speaker, byte offsets, kind and cue; or, with `--gold`, precision and recall against
//! hand-labelled statements.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::shared::{display_name, RunArgs, SpeakerInput};
use crate::extract::evaluate::{article_errors, evaluate, ArticleErrors, ExtractionScores, Scores};
use crate::extract::gold::{read_brat, read_gold, CoreNlp, Gold, SpeakerMatch};
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
statements without a speaker are not counted as predictions. --gold also takes brat standoff
annotations (a .ann file or a folder of them, as PolNeAR ships them): speech attributions to named
persons are scored, speakers compared by surname, with CoreNLP's <article>.txt.xml beside the .ann
files or in ../corenlp naming pronoun sources. Figures: statements overall, direct and reported;
by span alone; distinct speakers per article. A gold file about none of the articles is an error.

Examples:
  stance extract labels/articles
  stance extract article.txt --format jsonl
  curl -s https://example.org/story.txt | stance extract -
  stance extract labels/articles --gold labels/statements.csv --errors
  stance extract polnear/data/dev/text --gold polnear/data/dev/attributions";

/// Find every statement in news articles and who made it.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Article files, folders of .txt articles, or `-` for standard input.
    #[arg(value_name = "ARTICLE", required = true)]
    articles: Vec<PathBuf>,

    #[command(flatten)]
    speakers: SpeakerInput,

    /// Output format. With --gold: json or jsonl prints the figures as one JSON object, the
    /// others as text.
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

    #[command(flatten)]
    run: RunArgs,
}

/// Runs `stance extract`: every article through the pipeline (no model) into the statement
/// printer, or with `--gold` into the scorer.
pub fn run(args: Args) -> Result<u8> {
    let speakers = args.speakers.load(&args.run)?;
    let pool = args.run.pool()?;
    let pipeline = Pipeline {
        speakers: &speakers,
        model: None,
        pool: &pool,
        max_statement_bytes: crate::features::DEFAULT_MAX_STATEMENT_BYTES,
    };
    let target = args.output.clone().unwrap_or_else(|| PathBuf::from("-"));
    let mut failed = 0;
    let mut code = super::EXIT_OK;
    if let Some(gold_path) = &args.gold {
        let mut kept = Kept::default();
        failed = pipeline.run(
            &args.articles,
            Accept::Articles,
            &mut kept,
            &mut super::print_notice,
        )?;
        let json = matches!(args.format, Format::Json | Format::Jsonl);
        code = score_against_gold(gold_path, args.errors, json, &kept.articles, &kept.found, &target)?;
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
            "stance: {} could not be read; the rest were extracted",
            crate::count::count(failed, "article")
        )?;
        return Ok(super::EXIT_ERROR);
    }
    Ok(code)
}

/// `--gold`: reads the gold statements (label CSV, or brat `.ann` files: one file or a folder),
/// scores the extraction and writes the figures. Returns the exit code: an error when no gold
/// statement belongs to any of the articles given, since every figure would then be zero.
fn score_against_gold(
    gold_path: &Path,
    list_errors: bool,
    json: bool,
    articles: &[(String, String)],
    found: &[(String, Statement)],
    target: &Path,
) -> Result<u8> {
    let is_brat = gold_path.is_dir() || gold_path.extension().is_some_and(|e| e == "ann");
    let gold = if is_brat {
        read_brat_gold(gold_path, articles)?
    } else {
        let bytes = crate::io::read_bytes(gold_path)?;
        Gold {
            statements: read_gold(bytes.as_slice(), &display_name(gold_path))?,
            ignored: Vec::new(),
            speaker_match: SpeakerMatch::FullName,
        }
    };
    let mut stderr = std::io::stderr();
    let sources: HashSet<&str> = articles.iter().map(|(s, _)| s.as_str()).collect();
    let about_inputs = gold
        .statements
        .iter()
        .filter(|g| sources.contains(g.source.as_str()))
        .count();
    let mut code = super::EXIT_OK;
    if about_inputs == 0 && !articles.is_empty() {
        let example = gold
            .statements
            .first()
            .map_or(String::new(), |g| format!(" (e.g. `{}`)", g.source));
        writeln!(
            stderr,
            "stance: warning: no gold statement of {} is about any of the {}: its \
             sources{example} are not their file names, so every figure below is 0",
            display_name(gold_path),
            crate::count::count(articles.len(), "input article")
        )?;
        code = super::EXIT_ERROR;
    } else {
        let with_gold: HashSet<&str> = gold.statements.iter().map(|g| g.source.as_str()).collect();
        let without = sources.iter().filter(|s| !with_gold.contains(*s)).count();
        if without > 0 && !is_brat {
            writeln!(
                stderr,
                "stance: note: {without} of {} have no gold statement: their predictions all count as false",
                crate::count::count(articles.len(), "input article")
            )?;
        }
    }
    let scores = evaluate(articles, found, &gold);
    if json {
        let errors = list_errors.then(|| article_errors(articles, found, &gold));
        let figures = GoldFigures::new(articles.len(), &scores, errors.as_deref());
        return crate::io::write_atomic(target, |out| {
            serde_json::to_writer_pretty(&mut *out, &figures)?;
            writeln!(out)?;
            Ok(())
        })
        .map(|()| code);
    }
    crate::io::write_atomic(target, |out| {
        writeln!(
            out,
            "{}, {}",
            crate::count::count(articles.len(), "article"),
            crate::count::count(scores.overall.gold, "gold statement")
        )?;
        writeln!(out, "{scores}")?;
        if list_errors {
            for e in article_errors(articles, found, &gold) {
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
    Ok(code)
}

/// One score as `--gold --format json` writes it.
#[derive(serde::Serialize)]
struct ScoreJson {
    precision: f64,
    recall: f64,
    f1: f64,
    matched: usize,
    predicted: usize,
    gold: usize,
}

impl From<&Scores> for ScoreJson {
    fn from(s: &Scores) -> Self {
        ScoreJson {
            precision: s.precision(),
            recall: s.recall(),
            f1: s.f1(),
            matched: s.true_positives,
            predicted: s.predicted,
            gold: s.gold,
        }
    }
}

/// A statement in `--gold --errors --format json`.
#[derive(serde::Serialize)]
struct ErrorStatementJson {
    kind: String,
    speaker: String,
    text: String,
}

/// One article's errors in `--gold --errors --format json`.
#[derive(serde::Serialize)]
struct ArticleErrorsJson {
    source: String,
    missed: Vec<ErrorStatementJson>,
    spurious: Vec<ErrorStatementJson>,
    unattributed: Vec<ErrorStatementJson>,
}

/// What `extract --gold --format json` writes: the same figures as the text, one JSON object.
#[derive(serde::Serialize)]
struct GoldFigures {
    articles: usize,
    statements: ScoreJson,
    direct: ScoreJson,
    reported: ScoreJson,
    any_speaker: ScoreJson,
    speakers: ScoreJson,
    direct_speakers: ScoreJson,
    reported_speakers: ScoreJson,
    unattributed_predictions: usize,
    ignored_predictions: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<ArticleErrorsJson>>,
}

impl GoldFigures {
    fn new(articles: usize, s: &ExtractionScores, errors: Option<&[ArticleErrors]>) -> Self {
        let statement = |kind: String, speaker: &str, text: &str| ErrorStatementJson {
            kind,
            speaker: speaker.to_string(),
            text: text.to_string(),
        };
        GoldFigures {
            articles,
            statements: (&s.overall).into(),
            direct: (&s.direct).into(),
            reported: (&s.reported).into(),
            any_speaker: (&s.spans).into(),
            speakers: (&s.speakers).into(),
            direct_speakers: (&s.direct_speakers).into(),
            reported_speakers: (&s.reported_speakers).into(),
            unattributed_predictions: s.unattributed,
            ignored_predictions: s.ignored,
            errors: errors.map(|errors| {
                errors
                    .iter()
                    .map(|e| ArticleErrorsJson {
                        source: e.source.clone(),
                        missed: e
                            .false_negatives
                            .iter()
                            .map(|g| statement(g.kind.to_string(), &g.speaker, &g.text))
                            .collect(),
                        spurious: e
                            .false_positives
                            .iter()
                            .map(|p| {
                                statement(p.kind.to_string(), p.speaker.as_deref().unwrap_or(""), &p.text)
                            })
                            .collect(),
                        unattributed: e
                            .unattributed
                            .iter()
                            .map(|p| statement(p.kind.to_string(), "", &p.text))
                            .collect(),
                    })
                    .collect()
            }),
        }
    }
}

/// Reads brat annotations: `path` is one `.ann` file or a folder of them. Each belongs to the
/// input article of the same name (`a.ann` to `a.txt`), or whose name it extends with an
/// annotator's suffix (PolNeAR's `a_ef2d.ann`); of several annotations of one article the first
/// by file name is used. CoreNLP annotations (`<article>.txt.xml`) beside the `.ann` files or in a
/// sibling `corenlp` folder, as PolNeAR ships them, name pronoun sources.
fn read_brat_gold(path: &Path, articles: &[(String, String)]) -> Result<Gold> {
    let mut files = crate::io::expand_paths(path, &[".ann"], &|_| false)?;
    files.sort();
    let stem_of = |name: &str| name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_string();
    let mut gold = Gold {
        statements: Vec::new(),
        ignored: Vec::new(),
        speaker_match: SpeakerMatch::Surname,
    };
    let mut done: HashSet<String> = HashSet::new();
    let (mut unmatched, mut repeated, mut with_corenlp) = (0, 0, 0);
    let (mut attributions, mut speech, mut unresolved) = (0, 0, 0);
    for file in &files {
        let name = file
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let ann_stem = stem_of(&name);
        let article = articles
            .iter()
            .find(|(source, _)| stem_of(source) == ann_stem)
            .or_else(|| {
                articles
                    .iter()
                    .filter(|(source, _)| ann_stem.starts_with(&format!("{}_", stem_of(source))))
                    .max_by_key(|(source, _)| source.len())
            });
        let Some((source, text)) = article else {
            unmatched += 1;
            continue;
        };
        if !done.insert(source.clone()) {
            repeated += 1;
            continue;
        }
        let ann = String::from_utf8_lossy(&crate::io::read_bytes(file)?).into_owned();
        let folder = file.parent().unwrap_or(Path::new("."));
        let xml_name = format!("{source}.xml");
        let corenlp_path = [folder.join(&xml_name), folder.join("../corenlp").join(&xml_name)]
            .into_iter()
            .find(|p| p.is_file());
        let corenlp = match corenlp_path {
            Some(p) => {
                let xml = String::from_utf8_lossy(&crate::io::read_bytes(&p)?).into_owned();
                with_corenlp += 1;
                Some(CoreNlp::read(&xml, &display_name(&p), text)?)
            }
            None => None,
        };
        let read = read_brat(&ann, &display_name(file), source, text, corenlp.as_ref())?;
        attributions += read.attributions;
        speech += read.speech;
        unresolved += read.unresolved;
        gold.statements.extend(read.statements);
        gold.ignored
            .extend(read.ignored.into_iter().map(|span| (source.clone(), span)));
    }
    let mut stderr = std::io::stderr();
    writeln!(
        stderr,
        "stance: gold: {} annotation file(s) for {} of {} article(s){}{}; CoreNLP names sources in {with_corenlp}; \
         {attributions} attributions, {speech} of them speech, {unresolved} of those by nobody named (not scored)",
        files.len(),
        done.len(),
        articles.len(),
        if repeated > 0 { format!(", {repeated} further annotator(s) of the same articles not used") } else { String::new() },
        if unmatched > 0 { format!(", {unmatched} for no input article") } else { String::new() },
    )?;
    Ok(gold)
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
