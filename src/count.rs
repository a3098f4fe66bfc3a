//! Counts in messages: "1 statement", "2 statements", never "1 statements" or "statement(s)".
//!
//! A leaf module every stage may use; English plurals of the few nouns our messages count.

/// `n` followed by `noun`, in the plural unless `n` is 1: `count(1, "statement")` is
/// "1 statement", `count(3, "class")` is "3 classes", `count(0, "country")` is "0 countries".
pub fn count<N>(n: N, noun: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    if n == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{n} {}", plural(noun))
    }
}

/// The plural of an English noun by the regular rules (speech → speeches, class → classes,
/// country → countries, statement → statements).
pub fn plural(noun: &str) -> String {
    let ends_with_consonant_y =
        noun.ends_with('y') && !noun[..noun.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if ends_with_consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if noun.ends_with(['s', 'x', 'z']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "statement"), "1 statement");
        assert_eq!(count(0, "statement"), "0 statements");
        assert_eq!(count(2, "speech"), "2 speeches");
        assert_eq!(count(3, "class"), "3 classes");
        assert_eq!(count(4, "country"), "4 countries");
        assert_eq!(count(5, "day"), "5 days");
        assert_eq!(count(6, "core"), "6 cores");
    }
}
