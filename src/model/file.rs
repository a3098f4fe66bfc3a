//! The model file: a one-line header, then the model as JSON.
//!
//! The header (`stance-model format 2 hash none sha256 <64 hex digits>`) is checked before anything
//! else is parsed, so a file of another program, a model of a newer format and a truncated model
//! each get their own message saying what was found and what to do. Since format 2 the header
//! carries the SHA-256 of everything after it, checked on load: a flipped digit in a weight would
//! otherwise load fine and change predictions silently. Format 1 files (no checksum) still load.
//! Floats are written with serde_json's `float_roundtrip`, so weights survive save → load bit for
//! bit and retraining on the same labels gives the same bytes.

use std::io::{BufRead, Read, Write};

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::StanceModel;

/// First word of every model file.
pub const MAGIC: &str = "stance-model";

/// The format this version writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// The first format whose header carries a checksum of the body.
pub const FIRST_CHECKSUMMED_FORMAT: u32 = 2;

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
    #[error("malformed model header {header:?}: expected \"{MAGIC} format N hash H\" (and \"sha256 CHECKSUM\" from format 2 on)")]
    BadHeader {
        /// The header line.
        header: String,
    },
    /// The body is not what the header's checksum says it was when written.
    #[error("the model file is damaged: its contents do not match the checksum in its header (SHA-256 {found}, expected {expected}); it was changed or cut short after `stance train` wrote it: restore a copy or retrain it")]
    Damaged {
        /// The checksum in the header.
        expected: String,
        /// The checksum of the body read.
        found: String,
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

/// Writes `model` to `out`: header line (with the checksum of the rest), then compact JSON, then a
/// newline.
pub fn write_model<W: Write>(model: &StanceModel, mut out: W) -> Result<(), ModelFileError> {
    let mut body = serde_json::to_vec(model).map_err(std::io::Error::from)?;
    body.push(b'\n');
    writeln!(
        out,
        "{MAGIC} format {FORMAT_VERSION} hash {FEATURE_HASH} sha256 {}",
        sha256_hex(&body)
    )?;
    out.write_all(&body)?;
    out.flush()?;
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
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
    let checksum = match (words.next(), words.next(), words.next(), words.next()) {
        (Some("hash"), Some(_), None, None) if version < FIRST_CHECKSUMMED_FORMAT => None,
        (Some("hash"), Some(_), Some("sha256"), Some(hex))
            if version >= FIRST_CHECKSUMMED_FORMAT
                && hex.len() == 64
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            Some(hex.to_string())
        }
        _ => return Err(ModelFileError::BadHeader { header }),
    };
    let mut body = Vec::new();
    input.read_to_end(&mut body)?;
    if let Some(expected) = checksum {
        let found = sha256_hex(&body);
        if found != expected {
            return Err(ModelFileError::Damaged { expected, found });
        }
    }
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
        // Format 2 needs its checksum; format 1 has none.
        assert!(read(b"stance-model format 2 hash none\n{}").starts_with("malformed model header"));
        assert!(
            read(b"stance-model format 2 hash none sha256 12ab\n{}").starts_with("malformed model header")
        );
        assert!(read(b"stance-model format 1 hash none sha256 12\n{}").starts_with("malformed model header"));
    }

    fn fixture() -> StanceModel {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model-format-1.model");
        read_model(std::fs::read(path).unwrap().as_slice()).unwrap()
    }

    #[test]
    fn format_2_round_trips_and_carries_the_checksum_of_its_body() {
        let model = fixture();
        let mut bytes = Vec::new();
        write_model(&model, &mut bytes).unwrap();
        let header_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        let header = std::str::from_utf8(&bytes[..header_end]).unwrap();
        assert_eq!(
            header.trim_end(),
            format!(
                "stance-model format 2 hash none sha256 {}",
                sha256_hex(&bytes[header_end..])
            )
        );
        assert_eq!(read_model(bytes.as_slice()).unwrap(), model);
    }

    #[test]
    fn one_changed_digit_or_a_cut_is_reported_as_damage() {
        let mut bytes = Vec::new();
        write_model(&fixture(), &mut bytes).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let at = text.find("\"intercepts\":[").unwrap() + 16;
        let digit = bytes[at..].iter().position(u8::is_ascii_digit).unwrap() + at;
        let mut flipped = bytes.clone();
        flipped[digit] = if flipped[digit] == b'9' {
            b'8'
        } else {
            flipped[digit] + 1
        };
        let error = read_model(flipped.as_slice()).unwrap_err().to_string();
        assert!(error.starts_with("the model file is damaged"), "{error}");
        let cut = &bytes[..bytes.len() - 100];
        let error = read_model(cut).unwrap_err().to_string();
        assert!(error.starts_with("the model file is damaged"), "{error}");
    }
}
