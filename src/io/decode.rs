//! Article bytes to text: UTF-8 decoded tolerantly, so junk in one article is counted and
//! reported instead of ending the run. (Extraction works on `str`; everything that turns a file
//! into article text lives on this side of it.)

/// Article text decoded for extraction, and how much of the input could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedArticle {
    /// The text, with a leading byte-order mark removed and undecodable bytes replaced by U+FFFD.
    pub text: String,
    /// How many input bytes were not valid UTF-8 (NUL bytes count as undecodable).
    pub undecodable_bytes: usize,
}

/// Decodes raw article bytes as UTF-8, tolerating junk: a BOM is stripped, each invalid byte
/// sequence and each NUL byte becomes U+FFFD and is counted, so the caller can warn or skip.
pub fn decode_article(bytes: &[u8]) -> DecodedArticle {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    let mut undecodable_bytes = 0;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                push_without_nul(&mut text, valid, &mut undecodable_bytes);
                break;
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                // `valid_up_to` guarantees this prefix is UTF-8.
                if let Ok(valid) = std::str::from_utf8(valid) {
                    push_without_nul(&mut text, valid, &mut undecodable_bytes);
                }
                let bad = error.error_len().unwrap_or(after.len()).max(1).min(after.len());
                undecodable_bytes += bad;
                text.push(char::REPLACEMENT_CHARACTER);
                rest = &after[bad..];
            }
        }
    }
    DecodedArticle {
        text,
        undecodable_bytes,
    }
}

/// Appends `valid`, replacing each NUL byte by U+FFFD and counting it.
fn push_without_nul(text: &mut String, valid: &str, undecodable: &mut usize) {
    let mut pieces = valid.split('\0');
    if let Some(first) = pieces.next() {
        text.push_str(first);
    }
    for piece in pieces {
        *undecodable += 1;
        text.push(char::REPLACEMENT_CHARACTER);
        text.push_str(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_counts_bad_bytes() {
        let decoded = decode_article(b"\xEF\xBB\xBFab\xFFc\0d\xE2\x80");
        assert_eq!(decoded.text, "ab\u{fffd}c\u{fffd}d\u{fffd}");
        assert_eq!(decoded.undecodable_bytes, 4);
    }
}
