//! The model file: a one-line header, then the model as JSON.
//!
//! The header (`stance-model format 1 hash none`) is checked before anything else is parsed, so a
//! file of another program, a model of a newer format and a truncated model each get their own
//! message saying what was found and what to do. Floats are written with serde_json's
//! `float_roundtrip`, so weights survive save → load bit for bit and retraining on the same labels
//! gives the same bytes.

use std::io::{BufRead, Read, Write};

use thiserror::Error;

use super::StanceModel;

/// First word of every model file.
pub const MAGIC: &str = "stance-model";

/// The format this version writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// The hash function the featurizer uses for its columns: none (an explicit vocabulary).
pub const FEATURE_HASH: &str = "none";

/// Why a model file could not be read or written.
#[derive(Debug, Error)]
pub enum ModelFileError {
    /// Not a model file at all.
    #[error("not a stance model file: it starts with {found:?}, expected a first line \"{MAGIC} format N ...\" (give a file written by `stance train`)")]
    NotAModel {
        /// The start of the file.
        found: String,
    },
    /// A model of a format this version cannot read.
    #[error("model format {found} is newer than this stance reads (format {FORMAT_VERSION}): upgrade stance, or retrain the model with this version (`stance train`)")]
    NewerFormat {
        /// The format found.
        found: u32,
    },
    /// A header that names a format badly.
    #[error("malformed model header {header:?}: expected \"{MAGIC} format N hash H\"")]
    BadHeader {
        /// The header line.
        header: String,
    },
    /// The JSON body is truncated or corrupt.
    #[error("corrupt or truncated model (line {line}, column {column}: {message}): retrain it with `stance train`")]
    Corrupt {
        /// Line in the file (the header is line 1).
        line: usize,
        /// Column in that line.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The body parsed but is inconsistent.
    #[error("inconsistent model: {0}; retrain it with `stance train`")]
    Inconsistent(String),
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes `model` to `out`: header line, then compact JSON, then a newline.
pub fn write_model<W: Write>(model: &StanceModel, mut out: W) -> Result<(), ModelFileError> {
    writeln!(out, "{MAGIC} format {FORMAT_VERSION} hash {FEATURE_HASH}")?;
    serde_json::to_writer(&mut out, model).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Reads a model written by `write_model`, checking header, body and dimensions.
pub fn read_model<R: BufRead>(mut input: R) -> Result<StanceModel, ModelFileError> {
    let mut first = Vec::new();
    (&mut input).take(256).read_until(b'\n', &mut first)?;
    let header = String::from_utf8_lossy(&first).trim_end().to_string();
    let mut words = header.split_whitespace();
    if words.next() != Some(MAGIC) {
        let found: String = header.chars().take(40).collect();
        return Err(ModelFileError::NotAModel { found });
    }
    let version = match (words.next(), words.next().and_then(|v| v.parse::<u32>().ok())) {
        (Some("format"), Some(v)) => v,
        _ => return Err(ModelFileError::BadHeader { header }),
    };
    if version > FORMAT_VERSION {
        return Err(ModelFileError::NewerFormat { found: version });
    }
    let mut body = Vec::new();
    input.read_to_end(&mut body)?;
    let model: StanceModel = serde_json::from_slice(&body).map_err(|e| ModelFileError::Corrupt {
        line: e.line() + 1,
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    model.validate().map_err(ModelFileError::Inconsistent)?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_files_newer_formats_and_bad_headers() {
        let read = |bytes: &[u8]| read_model(bytes).unwrap_err().to_string();
        assert!(read(b"PK\x03\x04 zip").starts_with("not a stance model file"));
        assert!(read(b"").starts_with("not a stance model file"));
        assert!(read(b"stance-model format 9 hash none\n{}").starts_with("model format 9 is newer"));
        assert!(read(b"stance-model formt x\n").starts_with("malformed model header"));
        assert!(read(b"stance-model format 1 hash none\n{\"featurizer\":")
            .starts_with("corrupt or truncated model (line 2"));
    }
}
