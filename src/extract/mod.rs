//! Stage 1 of the pipeline: finding statements in articles (placeholder until the extractor lands).

/// Placeholder speaker.
pub struct Speaker {
    /// Name.
    pub name: String,
}
/// Placeholder speaker index.
pub struct SpeakerIndex;
impl SpeakerIndex {
    /// Placeholder.
    pub fn from_csv<R: std::io::Read>(_r: R, _f: &str) -> Result<Self, std::io::Error> {
        Ok(SpeakerIndex)
    }
    /// Placeholder.
    pub fn empty() -> Self {
        SpeakerIndex
    }
    /// Placeholder.
    pub fn resolve(&self, _m: &str) -> Option<&Speaker> {
        None
    }
}
/// Placeholder statement.
pub struct Statement {
    /// Speaker.
    pub speaker: Option<String>,
    /// Text.
    pub text: String,
    /// Kind.
    pub kind: String,
}
/// Placeholder.
pub struct DecodedArticle {
    /// Text.
    pub text: String,
    /// Bytes.
    pub undecodable_bytes: usize,
}
/// Placeholder.
pub fn decode_article(b: &[u8]) -> DecodedArticle {
    DecodedArticle {
        text: String::from_utf8_lossy(b).into_owned(),
        undecodable_bytes: 0,
    }
}
/// Placeholder.
pub fn extract_statements(_t: &str, _s: &SpeakerIndex) -> Vec<Statement> {
    Vec::new()
}
