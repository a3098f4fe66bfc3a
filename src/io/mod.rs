//! The one place that opens inputs and writes outputs.
//!
//! `-` means standard input or output. Every error names the path and says what was expected.
//! Files are written atomically: into a temporary file beside the target, renamed over it only once
//! complete, so an interrupted run never leaves half a model or half a report behind.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// File name of the speaker alias table inside a labels folder; it is not a label file.
pub const SPEAKERS_FILE: &str = "speakers.csv";

/// Folder inside a labels folder that holds the second, blind labelling pass; not training data.
pub const AGREEMENT_DIR: &str = "agreement";

/// A reader that turns CRLF line endings into LF. The csv crate numbers lines one too low on CRLF
/// input (the first row after the header is reported as line 1; upstream issue
/// BurntSushi/rust-csv#395, "`Position::line` reports incorrect line when input has CRLF line
/// endings"), so every CSV is read through this, by way of [`CsvOptions`], and line numbers in
/// messages are right whatever the file's line endings.
pub struct CrlfToLf<R> {
    inner: R,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    held_cr: bool,
    /// Lines passed so far (1-based line of the next byte).
    line: u64,
    /// Line of the quotation mark that is still open, if the count so far is odd.
    open_quote: Option<u64>,
    /// Whether the unclosed-quote error was already returned.
    reported: bool,
}

impl<R: Read> CrlfToLf<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            buffer: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            held_cr: false,
            line: 1,
            open_quote: None,
            reported: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.start == self.end {
                let n = self.inner.read(&mut self.buffer)?;
                if n == 0 {
                    if self.held_cr {
                        self.held_cr = false;
                        out[0] = b'\r';
                        return Ok(1);
                    }
                    if let (Some(line), false) = (self.open_quote, self.reported) {
                        // The csv crate would read an unclosed quote to the end of the file as one
                        // field, silently swallowing every row after it.
                        self.reported = true;
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("the quotation mark opened on line {line} is never closed (the rest of the file would be one field)"),
                        ));
                    }
                    return Ok(0);
                }
                self.start = 0;
                self.end = n;
            }
            let mut written = 0;
            if self.held_cr {
                self.held_cr = false;
                if self.buffer[self.start] != b'\n' {
                    out[0] = b'\r';
                    written = 1;
                }
            }
            while written < out.len() && self.start < self.end {
                // Copy the run of ordinary bytes up to the next CR, quote or LF in one go.
                let limit = (self.end - self.start).min(out.len() - written);
                let run = &self.buffer[self.start..self.start + limit];
                let plain = memchr::memchr3(b'\r', b'"', b'\n', run).unwrap_or(limit);
                out[written..written + plain].copy_from_slice(&run[..plain]);
                written += plain;
                self.start += plain;
                if plain == limit {
                    continue;
                }
                let byte = self.buffer[self.start];
                self.start += 1;
                if byte == b'\r' {
                    if self.start == self.end {
                        self.held_cr = true;
                        break;
                    }
                    if self.buffer[self.start] == b'\n' {
                        continue;
                    }
                }
                match byte {
                    b'"' => {
                        self.open_quote = if self.open_quote.is_some() {
                            None
                        } else {
                            Some(self.line)
                        }
                    }
                    b'\n' => self.line += 1,
                    _ => {}
                }
                out[written] = byte;
                written += 1;
            }
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

/// How a CSV is read: the one builder of every CSV reader in the crate (labels, statements,
/// article collections, speaker tables, gold files), so that each gets CRLF read as LF (line
/// numbers right, see [`CrlfToLf`]), an unclosed quote reported with its line, and the same
/// delimiter and trimming rules.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    delimiter: u8,
    flexible: bool,
    trim: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            flexible: false,
            trim: false,
        }
    }
}

impl CsvOptions {
    /// Comma-separated, every row as wide as the header, fields kept as they are.
    pub fn new() -> Self {
        Self::default()
    }

    /// The field delimiter (default `,`).
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Accept rows of another width than the header (default: an error).
    pub fn flexible(mut self, flexible: bool) -> Self {
        self.flexible = flexible;
        self
    }

    /// Trim whitespace around every field and header name (default: kept).
    pub fn trim(mut self, trim: bool) -> Self {
        self.trim = trim;
        self
    }

    /// A reader over `input` with these settings and a header row.
    pub fn reader<R: Read>(self, input: R) -> csv::Reader<CrlfToLf<R>> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(self.flexible)
            .trim(if self.trim {
                csv::Trim::All
            } else {
                csv::Trim::None
            })
            .from_reader(CrlfToLf::new(input))
    }
}

/// A CSV reader over `input` with the project's settings: the given delimiter, a header row,
/// CRLF read as LF (so line numbers are right), a leading UTF-8 BOM ignored.
pub fn csv_reader<R: Read>(input: R, delimiter: u8) -> csv::Reader<CrlfToLf<R>> {
    CsvOptions::new().delimiter(delimiter).reader(input)
}

/// A csv error described without the crate's own position prefix.
pub fn describe_csv_error(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "expected {expected_len} fields like the header, found {len} (a ragged row or an unclosed quote)"
        ),
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("invalid UTF-8 in field {} (expected UTF-8 text)", err.field() + 1)
        }
        csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::InvalidData => e.to_string(),
        csv::ErrorKind::Io(e) => format!("read error: {e}"),
        _ => err.to_string(),
    }
}

/// A csv error as "line N: what was expected" (without the crate's own position prefix).
pub fn csv_error_at(err: &csv::Error) -> String {
    match err.position() {
        Some(pos) => format!("line {}: {}", pos.line(), describe_csv_error(err)),
        None => describe_csv_error(err),
    }
}

/// A csv error on a row of `file`, for the command layer: "FILE: line N: what was expected".
pub fn csv_row_error(file: &str, err: csv::Error) -> anyhow::Error {
    anyhow::anyhow!("{file}: {}", csv_error_at(&err))
}

/// The header of a CSV, names trimmed and a leading UTF-8 BOM removed (case kept).
pub fn csv_header<R: Read>(reader: &mut csv::Reader<R>) -> Result<Vec<String>, csv::Error> {
    Ok(reader
        .headers()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect())
}

/// True when `path` is `-`, meaning standard input or output.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads a whole file (or standard input for `-`).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if is_stdio(path) {
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        return Ok(bytes);
    }
    check_is_file(path)?;
    fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

/// Opens a file (or standard input for `-`) for streaming.
pub fn open_reader(path: &Path) -> Result<Box<dyn Read + Send>> {
    if is_stdio(path) {
        return Ok(Box::new(io::stdin()));
    }
    check_is_file(path)?;
    let file = fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(file))
}

fn check_is_file(path: &Path) -> Result<()> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => bail!("{} is a directory (expected a file)", path.display()),
        Ok(_) => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot open {}", path.display())),
    }
}

/// Every file under `path` (itself when it is a file) whose name ends with one of `extensions`,
/// sorted by path, recursing into folders; `skip` says which files and folders to leave out.
pub fn expand_paths(path: &Path, extensions: &[&str], skip: &dyn Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    if is_stdio(path) {
        return Ok(vec![path.to_path_buf()]);
    }
    let meta = fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .with_context(|| format!("cannot list folder {}", path.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot list folder {}", path.display()))?;
    entries.sort();
    for entry in entries {
        let hidden = entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || skip(&entry) {
            continue;
        }
        if entry.is_dir() {
            found.extend(expand_paths(&entry, extensions, skip)?);
        } else if entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| extensions.iter().any(|ext| n.ends_with(ext)))
        {
            found.push(entry);
        }
    }
    Ok(found)
}

/// The label files named by `paths`: files as given, folders expanded to their `.csv` files
/// except the speaker table and the second-pass folder.
pub fn label_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let skip = |p: &Path| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        (p.is_file() && name == SPEAKERS_FILE) || (p.is_dir() && name == AGREEMENT_DIR)
    };
    let mut files = Vec::new();
    for path in paths {
        let expanded = expand_paths(path, &[".csv"], &skip)?;
        if expanded.is_empty() {
            bail!("{} holds no .csv label file", path.display());
        }
        files.extend(expanded);
    }
    Ok(files)
}

/// Fails early, before any work, when `path` cannot be written: its folder is missing or it is a
/// directory. (`write_atomic` checks again when it writes.)
pub fn check_writable(path: &Path) -> Result<()> {
    if is_stdio(path) {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot write {}: folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        bail!(
            "cannot write {}: it is a directory (expected a file path)",
            path.display()
        );
    }
    Ok(())
}

/// Writes a file atomically (or to standard output for `-`): `write` fills a buffer that replaces
/// the target only when it succeeded entirely.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if is_stdio(path) {
        let stdout = io::stdout();
        let mut lock = io::BufWriter::new(stdout.lock());
        write(&mut lock)?;
        lock.flush().context("cannot write to standard output")?;
        return Ok(());
    }
    check_writable(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".stance-")
        .tempfile_in(&dir)
        .with_context(|| {
            format!(
                "cannot write {}: cannot create a file in {}",
                path.display(),
                dir.display()
            )
        })?;
    {
        let mut buffered = io::BufWriter::new(temp.as_file_mut());
        write(&mut buffered)?;
        buffered
            .flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // A temporary file is created private (0600); give the result the permissions of the file it
    // replaces, or the usual 0644 for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// True when an error chain was caused by a closed pipe on standard output (`stance … | head`),
/// which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe),
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_becomes_lf_and_lone_cr_survives() {
        let mut out = String::new();
        CrlfToLf::new(&b"a,b\r\n1,\"x\ry\"\r\n2\r"[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a,b\n1,\"x\ry\"\n2\r");
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let mut out = String::new();
        let err = CrlfToLf::new(&b"a,b\n1,\"x\"\"y\"\n2,\"open\n3,z\n"[..])
            .read_to_string(&mut out)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the quotation mark opened on line 3 is never closed (the rest of the file would be one field)"
        );
        let mut reader = csv_reader(&b"text\n\"open\nnext\n"[..], b',');
        let err = reader.records().find_map(Result::err).expect("an error");
        assert!(describe_csv_error(&err).starts_with("the quotation mark opened on line 2"));
    }

    #[test]
    fn csv_line_numbers_are_right_for_crlf_files() {
        let mut reader = csv_reader(&b"a,b\r\n1,2\r\n3,4\r\n"[..], b',');
        let lines: Vec<u64> = reader
            .records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn a_cr_split_across_reads_is_still_joined() {
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                out[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        let mut out = Vec::new();
        CrlfToLf::new(OneByte(b"x\r\ny\rz"))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(
            out,
            b"x\nyz"
                .iter()
                .copied()
                .take(0)
                .chain(*b"x\ny\rz")
                .collect::<Vec<u8>>()
        );
    }

    #[test]
    fn atomic_write_leaves_no_file_when_the_writer_fails() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.model");
        let result = write_atomic(&target, |w| {
            w.write_all(b"half")?;
            bail!("interrupted")
        });
        assert!(result.is_err());
        assert!(!target.exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "temporary file left behind"
        );
        write_atomic(&target, |w| Ok(w.write_all(b"whole")?)).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"whole");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode, 0o644,
                "a new file gets the usual permissions, not the temp file's 0600"
            );
        }
    }

    #[test]
    fn writing_into_a_missing_folder_names_it() {
        let err = write_atomic(Path::new("/no/such/folder/x.model"), |_| Ok(())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot write /no/such/folder/x.model: folder /no/such/folder does not exist"
        );
    }

    #[test]
    fn label_folders_skip_the_speaker_table_and_second_pass() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("corpus")).unwrap();
        fs::create_dir_all(root.join(AGREEMENT_DIR)).unwrap();
        for f in [
            "statements.csv",
            "speakers.csv",
            "corpus/b.csv",
            "corpus/a.csv",
            "agreement/x.csv",
            "notes.md",
        ] {
            fs::write(root.join(f), "").unwrap();
        }
        let files = label_files(&[root.to_path_buf()]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["corpus/a.csv", "corpus/b.csv", "statements.csv"]);
    }

    #[test]
    fn a_directory_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_bytes(dir.path()).unwrap_err().to_string();
        assert!(err.ends_with("is a directory (expected a file)"), "{err}");
    }
}

/// Appends `value` with four decimals, exactly as `format!("{value:.4}")` would, without the
/// formatting machinery (the fast path of writing millions of probabilities). Values whose fifth
/// decimal is too close to a tie to decide in floating point, and values outside 0..=1, go
/// through `format!`.
pub fn push_fixed4(value: f64, out: &mut String) {
    let scaled = value * 10_000.0;
    let rounded = scaled.round();
    let near_tie = (scaled - scaled.trunc()).abs() - 0.5;
    if !(0.0..=1.0).contains(&value) || near_tie.abs() < 1e-6 {
        use std::fmt::Write as _;
        let _ = write!(out, "{value:.4}");
        return;
    }
    let n = rounded as u32;
    let (whole, fraction) = (n / 10_000, n % 10_000);
    out.push(char::from(b'0' + whole as u8));
    out.push('.');
    for divisor in [1000, 100, 10, 1] {
        out.push(char::from(b'0' + (fraction / divisor % 10) as u8));
    }
}

pub mod decode;
pub mod inputs;
pub mod records;

pub use inputs::display_name;
