//! The glue of the pipeline: inputs → extract → classify → a sink, in input order, in parallel,
//! in bounded memory. `extract`, `classify` and `report` are each this, with another sink.
//!
//! Two engines, one rule (work on the workers, results consumed in input order):
//! - **rows** of a statement stream ([`stream_rows`]): read [`CHUNK`] at a time — on a reader
//!   thread when the pool has more than one — while the workers process the previous chunk in
//!   blocks of [`BLOCK`] rows; the sink consumes the blocks in order. A row that cannot be used
//!   ends the stream after the rows before it, unless the caller keeps going.
//! - **articles** ([`Pipeline::articles`]): read, decoded, extracted and (with a model) classified
//!   [`ARTICLE_BATCH`] at a time in parallel; the sink takes them in order.
//!
//! Sinks live where their output does: the printers in the `output` module; the adapter of the
//! report's aggregator and of the suggester of statements to label ([`ClassifiedSink`]) here,
//! since it joins extraction, classification and collection.

use std::path::PathBuf;

use anyhow::{anyhow, Result};
use rayon::prelude::*;

use crate::extract::{extract_statements, SpeakerIndex, Statement};
use crate::io::inputs::{self, Accept, Article, ArticleSource, Input, StatementFile};
use crate::io::records::{InputRow, RecordReader, RowOrigins};
use crate::model::{StanceModel, TaskPrediction};
use crate::report::{Aggregator, ClassifiedStatement};
use crate::suggest::Suggester;

/// Rows read and handed to the workers at a time; bounds memory on long streams.
pub const CHUNK: usize = 4096;

/// Rows one worker processes in one go.
pub const BLOCK: usize = 256;

/// Articles extracted (and classified) in parallel at a time; bounds the memory of a long run.
pub const ARTICLE_BATCH: usize = 64;

/// The work a row sink has done on the workers: `Sync`, since every worker shares it.
pub trait RowWork: Sync {
    /// What a block of rows becomes (formatted bytes, classified statements).
    type Block: Send;
    /// Buffers one worker reuses from block to block.
    type Scratch: Default + Send;

    /// Index of the statement's column.
    fn text_column(&self) -> usize;

    /// Why a row that was read fine cannot be used, if it cannot (checked before processing).
    fn row_error(&self, _text: &str) -> Option<String> {
        None
    }

    /// Processes a block of rows on a worker; `first` is the stream index of its first row.
    fn process(&self, rows: &[InputRow], first: usize, scratch: &mut Self::Scratch) -> Result<Self::Block>;
}

/// Where the rows of a statement stream go.
pub trait RowSink {
    /// The part done on the workers.
    type Work: RowWork;

    /// The work, shared by the workers while a chunk is processed.
    fn work(&self) -> &Self::Work;

    /// Takes one processed block, in input order, with the rows it came from.
    fn consume(&mut self, block: <Self::Work as RowWork>::Block, rows: &[InputRow]) -> Result<()>;
}

/// How a row stream ended.
#[derive(Debug, Default)]
pub struct RowsRead {
    /// Rows read (a bad row that stopped the stream included).
    pub rows: u64,
    /// Why the stream stopped before its end ("FILE: line N: what was expected"), if it did; the
    /// rows before that point were consumed.
    pub stopped: Option<String>,
}

/// A chunk of rows from the reader: the rows (the vector is given back for reuse), how many are
/// filled, and the read error that ended the chunk early, if one did.
struct Chunk {
    rows: Vec<InputRow>,
    filled: usize,
    failure: Option<String>,
}

fn read_chunk(reader: &mut RecordReader, mut rows: Vec<InputRow>) -> Chunk {
    let (filled, failure) = reader.read_chunk(&mut rows, CHUNK);
    Chunk {
        rows,
        filled,
        failure: failure.map(|e| format!("{e:#}")),
    }
}

/// Streams every row of `reader` through `sink` with the threads of `pool`, in input order. A
/// row that cannot be used (a malformed record, or one the sink's `row_error` refuses) ends the
/// stream after the rows before it, unless `keep_going`: then it goes to the sink with its error.
pub fn stream_rows<S: RowSink>(
    reader: &mut RecordReader,
    pool: &rayon::ThreadPool,
    sink: &mut S,
    keep_going: bool,
) -> Result<RowsRead> {
    let mut state = RowState {
        origins: reader.origins(),
        keep_going,
        written: 0,
    };
    let stopped = if pool.current_num_threads() == 1 {
        let mut rows = Vec::new();
        loop {
            let chunk = read_chunk(reader, rows);
            let last = chunk.filled < CHUNK || chunk.failure.is_some();
            let (spent, stopped) = state.take(chunk, pool, sink)?;
            if stopped.is_some() || last {
                break stopped;
            }
            rows = spent;
        }
    } else {
        let (chunks_out, chunks_in) = std::sync::mpsc::sync_channel::<Chunk>(1);
        let (spent_out, spent_in) = std::sync::mpsc::channel::<Vec<InputRow>>();
        std::thread::scope(|scope| -> Result<Option<String>> {
            // Owned here, so that returning early (a write error, a bad row) drops it, which
            // unblocks and stops the reader thread before the scope waits for it.
            let chunks_in = chunks_in;
            let reader = &mut *reader;
            let reading = scope.spawn(move || loop {
                let chunk = read_chunk(reader, spent_in.try_recv().unwrap_or_default());
                let last = chunk.filled < CHUNK || chunk.failure.is_some();
                // A closed channel means the consumer stopped: stop reading too.
                if chunks_out.send(chunk).is_err() || last {
                    break;
                }
            });
            let mut stopped = None;
            for chunk in chunks_in.iter() {
                let (spent, stop) = state.take(chunk, pool, sink)?;
                if stop.is_some() {
                    stopped = stop;
                    break;
                }
                let _ = spent_out.send(spent);
            }
            drop(chunks_in);
            reading
                .join()
                .map_err(|_| anyhow!("the input reader stopped unexpectedly"))?;
            Ok(stopped)
        })?
    };
    Ok(RowsRead {
        rows: reader.rows_read(),
        stopped,
    })
}

/// What the consuming side of [`stream_rows`] keeps between chunks.
struct RowState {
    origins: RowOrigins,
    keep_going: bool,
    /// Rows consumed so far (the stream index of the next chunk's first row).
    written: usize,
}

impl RowState {
    /// Checks, processes and consumes one chunk; gives back its row vector, and why the stream
    /// stops, if it does.
    fn take<S: RowSink>(
        &mut self,
        mut chunk: Chunk,
        pool: &rayon::ThreadPool,
        sink: &mut S,
    ) -> Result<(Vec<InputRow>, Option<String>)> {
        let text_at = sink.work().text_column();
        let mut usable = chunk.filled;
        let mut stopped = None;
        for (i, row) in chunk.rows[..chunk.filled].iter_mut().enumerate() {
            // A row that was read fine can still hold nothing the sink can use: its error is
            // then about the text column.
            let read_fine = row.error.is_none();
            if read_fine {
                row.error = sink.work().row_error(row.record.get(text_at).unwrap_or(""));
            }
            if let (Some(error), false) = (&row.error, self.keep_going) {
                stopped = Some(format!("{}: {error}", self.origins.of(row, read_fine)));
                usable = i;
                break;
            }
        }
        let rows = &chunk.rows[..usable];
        let work = sink.work();
        let first = self.written;
        let blocks: Vec<Result<_>> = pool.install(|| {
            rows.par_chunks(BLOCK)
                .enumerate()
                .map_init(Default::default, |scratch, (b, block)| {
                    work.process(block, first + b * BLOCK, scratch)
                })
                .collect()
        });
        for (block, rows) in blocks.into_iter().zip(rows.chunks(BLOCK)) {
            sink.consume(block?, rows)?;
        }
        self.written += rows.len();
        Ok((chunk.rows, stopped.or(chunk.failure)))
    }
}

/// A statement found in an article, with the model's predictions when the pipeline classifies.
#[derive(Debug, Clone)]
pub struct Found {
    /// The statement, located in the article.
    pub statement: Statement,
    /// One prediction per task; empty when not classified (no model, or no speaker).
    pub predictions: Vec<TaskPrediction>,
}

/// One article after extraction.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// How messages name it.
    pub name: String,
    /// What its statements carry as `source`.
    pub source: String,
    /// Its text.
    pub text: String,
    /// Its statements in text order.
    pub statements: Vec<Found>,
}

/// Where extracted articles go, in input order.
pub trait ArticleSink {
    /// Takes the next article.
    fn article(&mut self, article: Extracted) -> Result<()>;

    /// Streams a statement file; `None` when this sink does not take statement files, else how
    /// many inputs failed (0 or 1), named through `notice`.
    fn statements(
        &mut self,
        _pipeline: &Pipeline,
        _file: StatementFile,
        _notice: &mut dyn FnMut(String),
    ) -> Result<Option<usize>> {
        Ok(None)
    }
}

/// What runs on every input: the speaker table, the model (none for `extract`), the threads.
pub struct Pipeline<'a> {
    /// Speaker aliases for attribution.
    pub speakers: &'a SpeakerIndex,
    /// The classifier; `None` extracts only.
    pub model: Option<&'a StanceModel>,
    /// The worker threads.
    pub pool: &'a rayon::ThreadPool,
    /// Longest statement of a statement file classified, in bytes (a longer one is a bad row).
    pub max_statement_bytes: usize,
}

impl Pipeline<'_> {
    /// Extracts (and classifies the attributed statements of) one article.
    pub fn extract(&self, article: Article) -> Extracted {
        let statements = extract_statements(&article.text, self.speakers)
            .into_iter()
            .map(|statement| {
                let predictions = match (self.model, &statement.speaker) {
                    (Some(model), Some(_)) => model.predict(&statement.text),
                    _ => Vec::new(),
                };
                Found {
                    statement,
                    predictions,
                }
            })
            .collect();
        Extracted {
            name: article.name,
            source: article.source,
            text: article.text,
            statements,
        }
    }

    /// Reads, extracts and classifies a batch of articles in parallel and hands them to `sink`
    /// in order; returns how many could not be read.
    fn article_batch(
        &self,
        batch: Vec<ArticleSource>,
        sink: &mut dyn ArticleSink,
        notice: &mut dyn FnMut(String),
    ) -> Result<usize> {
        let results: Vec<Result<(Extracted, usize)>> = self.pool.install(|| {
            batch
                .into_par_iter()
                .map(|source| {
                    let article = source.read()?;
                    let undecodable = article.undecodable_bytes;
                    Ok((self.extract(article), undecodable))
                })
                .collect()
        });
        let mut failed = 0;
        for result in results {
            match result {
                Ok((article, undecodable)) => {
                    if undecodable > 0 {
                        notice(format!(
                            "warning: {}: {undecodable} bytes could not be decoded as UTF-8 and were replaced",
                            article.name
                        ));
                    }
                    sink.article(article)?;
                }
                Err(err) => {
                    failed += 1;
                    notice(format!("error: {err:#} (skipped)"));
                }
            }
        }
        Ok(failed)
    }

    /// Runs every input named by `paths` (files, folders, `-`) through the pipeline into `sink`,
    /// in order: articles in parallel batches, statement files streamed. An input that cannot be
    /// read is named through `notice` and skipped; returns how many were.
    pub fn run(
        &self,
        paths: &[PathBuf],
        accept: Accept,
        sink: &mut dyn ArticleSink,
        notice: &mut dyn FnMut(String),
    ) -> Result<usize> {
        let files = inputs::input_files(paths, accept, notice)?;
        let mut failed = 0;
        let mut batch = Vec::new();
        for path in &files {
            match inputs::open(path, accept) {
                Err(err) => {
                    failed += 1;
                    notice(format!("error: {err:#} (skipped)"));
                }
                Ok(Input::Article(source)) => {
                    batch.push(source);
                    if batch.len() == ARTICLE_BATCH {
                        failed += self.article_batch(std::mem::take(&mut batch), sink, notice)?;
                    }
                }
                Ok(Input::Statements(file)) => {
                    failed += self.article_batch(std::mem::take(&mut batch), sink, notice)?;
                    let name = file.reader.name().to_string();
                    failed += sink.statements(self, file, notice)?.ok_or_else(|| {
                        anyhow!("{name}: statements are not accepted here (expected articles)")
                    })?;
                }
            }
        }
        failed += self.article_batch(batch, sink, notice)?;
        Ok(failed)
    }
}

/// What takes classified, attributed statements one at a time, in input order: the report's
/// aggregator, or the list of statements to label next.
pub trait Collect {
    /// Takes the next statement.
    fn add(&mut self, statement: ClassifiedStatement);
}

impl Collect for Aggregator {
    fn add(&mut self, statement: ClassifiedStatement) {
        Aggregator::add(self, statement);
    }
}

impl Collect for Suggester<'_> {
    fn add(&mut self, statement: ClassifiedStatement) {
        Suggester::add(self, statement);
    }
}

/// Feeds classified statements to a collector (`report`, `labels suggest`): attributed
/// statements go to it, the others are counted.
pub struct ClassifiedSink<C> {
    /// What the statements go to.
    pub collector: C,
    /// Statements read that had no identified speaker.
    pub unattributed: usize,
}

/// Feeds a report.
pub type ReportSink = ClassifiedSink<Aggregator>;

impl<C: Collect> ClassifiedSink<C> {
    /// A sink feeding `collector`.
    pub fn new(collector: C) -> Self {
        ClassifiedSink {
            collector,
            unattributed: 0,
        }
    }
}

impl<C: Collect> ArticleSink for ClassifiedSink<C> {
    fn article(&mut self, article: Extracted) -> Result<()> {
        for found in article.statements {
            match found.statement.speaker {
                Some(speaker) => self.collector.add(ClassifiedStatement {
                    predictions: found.predictions,
                    speaker,
                    text: found.statement.text,
                    source: article.source.clone(),
                    kind: found.statement.kind.to_string(),
                }),
                None => self.unattributed += 1,
            }
        }
        Ok(())
    }

    /// Streams a statement file (CSV or JSONL with `speaker` and `text`), classifying it chunk by
    /// chunk. A bad row ends the file: the rows before it are counted, the rest skipped.
    fn statements(
        &mut self,
        pipeline: &Pipeline,
        file: StatementFile,
        notice: &mut dyn FnMut(String),
    ) -> Result<Option<usize>> {
        let StatementFile { mut reader, source } = file;
        let name = reader.name().to_string();
        let column = |c: &str| reader.header().iter().position(|h| h.eq_ignore_ascii_case(c));
        let Some(speaker_at) = column("speaker") else {
            notice(format!(
                "error: {name}: line 1: missing column `speaker` (found: {}; a statement file needs fields `speaker` and `text`) (skipped)",
                reader.header().join(", ")
            ));
            return Ok(Some(1));
        };
        let model = pipeline
            .model
            .ok_or_else(|| anyhow!("{name}: statements need a model to be classified"))?;
        let mut rows = CollectRows {
            work: ClassifyRows {
                model,
                speakers: pipeline.speakers,
                speaker_at,
                text_at: reader.text_column(),
                kind_at: column("kind"),
                source_at: column("source"),
                source,
                max_statement_bytes: pipeline.max_statement_bytes,
            },
            sink: self,
        };
        let read = stream_rows(&mut reader, pipeline.pool, &mut rows, false)?;
        match read.stopped {
            Some(error) => {
                notice(format!(
                    "error: {error} (the rest of {name} is skipped; the rows before it are counted)"
                ));
                Ok(Some(1))
            }
            None => Ok(Some(0)),
        }
    }
}

/// The rows of one statement file on their way into a collector.
struct CollectRows<'s, 'm, C> {
    work: ClassifyRows<'m>,
    sink: &'s mut ClassifiedSink<C>,
}

/// Classifies statement rows: the speaker resolved through the table, the source
/// from the row's `source` column or else the file.
struct ClassifyRows<'m> {
    model: &'m StanceModel,
    speakers: &'m SpeakerIndex,
    speaker_at: usize,
    text_at: usize,
    kind_at: Option<usize>,
    source_at: Option<usize>,
    source: String,
    max_statement_bytes: usize,
}

impl RowWork for ClassifyRows<'_> {
    /// One entry per row: the statement, or `None` without speaker or text (then `true` when
    /// it has text, i.e. is an unattributed statement).
    type Block = Vec<Result<ClassifiedStatement, bool>>;
    type Scratch = ();

    fn text_column(&self) -> usize {
        self.text_at
    }

    /// A statement longer than the cap would take memory in proportion to its length.
    fn row_error(&self, text: &str) -> Option<String> {
        crate::features::statement_too_long(text.len(), self.max_statement_bytes)
    }

    fn process(&self, rows: &[InputRow], _first: usize, _scratch: &mut ()) -> Result<Self::Block> {
        Ok(rows
            .iter()
            .map(|row| {
                let field = |at: Option<usize>| at.and_then(|i| row.record.get(i)).unwrap_or("").trim();
                let (speaker, text) = (field(Some(self.speaker_at)), field(Some(self.text_at)));
                if text.is_empty() || speaker.is_empty() {
                    return Err(!text.is_empty());
                }
                let canonical = self
                    .speakers
                    .resolve(speaker)
                    .map_or_else(|| speaker.to_string(), |s| s.name.clone());
                let row_source = field(self.source_at);
                Ok(ClassifiedStatement {
                    predictions: self.model.predict(text),
                    speaker: canonical,
                    text: text.to_string(),
                    source: if row_source.is_empty() {
                        self.source.clone()
                    } else {
                        row_source.to_string()
                    },
                    kind: field(self.kind_at).to_string(),
                })
            })
            .collect())
    }
}

impl<'m, C: Collect> RowSink for CollectRows<'_, 'm, C> {
    type Work = ClassifyRows<'m>;

    fn work(&self) -> &ClassifyRows<'m> {
        &self.work
    }

    fn consume(&mut self, block: <ClassifyRows<'m> as RowWork>::Block, _rows: &[InputRow]) -> Result<()> {
        for statement in block {
            match statement {
                Ok(statement) => self.sink.collector.add(statement),
                Err(has_text) => self.sink.unattributed += usize::from(has_text),
            }
        }
        Ok(())
    }
}
