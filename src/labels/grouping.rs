//! What keeps statements together in cross-validation: a column's value (the source article by
//! default) or the period of their `date` (year or month).
//!
//! Grouping by period is the project's main measure: leave-one-year-out CV trains on the other
//! years and tests on one, as a user's news from a month nobody labelled would be, while groups of
//! one article let the same event, speakers and wording sit on both sides of a split. A period
//! grouping therefore holds out one period per fold (as many folds as periods); a column grouping
//! spreads its groups over k folds.

use super::{Example, LabelError, LabelledData};

/// How rows are grouped for cross-validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// The `source` column; a row without one is its own group (the historic default, which
    /// works on public datasets without a source column).
    Source,
    /// A column named by the user; a file without it is an error.
    Column(String),
    /// The year of the `date` column (`YYYY`): leave-one-year-out.
    Year,
    /// The year and month of the `date` column (`YYYY-MM`): leave-one-month-out.
    Month,
    /// Every row on its own (plain k-fold).
    Row,
}

impl std::str::FromStr for Grouping {
    type Err = String;

    /// `year`, `month`, `none` (each row alone), or a column name (`source`, `speaker`, …).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_lowercase();
        Ok(match s.as_str() {
            "" => return Err("expected year, month, none or a column name, found nothing".into()),
            "year" => Grouping::Year,
            "month" => Grouping::Month,
            "none" | "row" => Grouping::Row,
            "source" => Grouping::Source,
            _ => Grouping::Column(s),
        })
    }
}

impl std::fmt::Display for Grouping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grouping::Source => write!(f, "source"),
            Grouping::Column(c) => write!(f, "{c}"),
            Grouping::Year => write!(f, "year"),
            Grouping::Month => write!(f, "month"),
            Grouping::Row => write!(f, "none"),
        }
    }
}

impl Grouping {
    /// Whether the groups are periods of time, each held out on its own.
    pub fn is_period(&self) -> bool {
        matches!(self, Grouping::Year | Grouping::Month)
    }

    /// The period grouping to use when none was asked for: the year when every row has a date,
    /// else none.
    pub fn default_period(data: &LabelledData) -> Option<Grouping> {
        let dated = |e: &Example| e.fields.get("date").is_some_and(|d| period_of(d, 4).is_some());
        (!data.examples.is_empty() && data.examples.iter().all(dated)).then_some(Grouping::Year)
    }

    /// The column that names groups, which is then not a label column (`source` for `Source`).
    pub fn column(&self) -> Option<&str> {
        match self {
            Grouping::Source => Some("source"),
            Grouping::Column(c) => Some(c),
            _ => None,
        }
    }

    /// Describes the cross-validation this grouping gives, e.g. "leave-one-year-out" or "5-fold
    /// grouped by source".
    pub fn describe(&self, folds: usize) -> String {
        match self {
            Grouping::Year => format!("leave-one-year-out ({folds} years)"),
            Grouping::Month => format!("leave-one-month-out ({folds} months)"),
            Grouping::Row => format!("{folds}-fold"),
            other => format!("{folds}-fold grouped by {other}"),
        }
    }

    /// The group of every example, in order. A column or `date` missing from a file, or a date
    /// that is not `YYYY-MM-DD` (or `YYYY-MM` for years and months), is an error naming the file,
    /// line and what was found.
    pub fn groups(&self, data: &LabelledData) -> Result<Vec<String>, LabelError> {
        data.examples
            .iter()
            .map(|e| match self {
                Grouping::Source => Ok(e.group.clone()),
                Grouping::Row => Ok(format!("{}:{}", e.origin.file, e.origin.line)),
                Grouping::Column(column) => match e.fields.get(column) {
                    Some(value) if !value.trim().is_empty() => Ok(value.trim().to_string()),
                    Some(_) => Err(LabelError::BadText {
                        file: e.origin.file.clone(),
                        line: e.origin.line,
                        column: column.clone(),
                        problem: "empty group value (every row needs one to group by it)".into(),
                    }),
                    None => Err(missing_column(e, column)),
                },
                Grouping::Year | Grouping::Month => {
                    let length = if *self == Grouping::Year { 4 } else { 7 };
                    let date = e.fields.get("date").ok_or_else(|| missing_column(e, "date"))?;
                    period_of(date, length)
                        .map(str::to_string)
                        .ok_or_else(|| LabelError::BadText {
                            file: e.origin.file.clone(),
                            line: e.origin.line,
                            column: "date".into(),
                            problem: format!("expected a date YYYY-MM-DD to group by {self}, found {date:?}"),
                        })
                }
            })
            .collect()
    }
}

/// The first `length` characters of a `YYYY-MM-DD` date (4: the year, 7: the month), when the
/// date has that shape that far.
fn period_of(date: &str, length: usize) -> Option<&str> {
    let date = date.trim();
    let shape = b"dddd-dd";
    let bytes = date.as_bytes();
    let fits = bytes.len() >= length
        && (bytes.len() == length || bytes[length] == b'-')
        && shape[..length]
            .iter()
            .zip(bytes)
            .all(|(&s, b)| if s == b'd' { b.is_ascii_digit() } else { *b == s });
    fits.then(|| &date[..length])
}

fn missing_column(example: &Example, column: &str) -> LabelError {
    LabelError::MissingColumn {
        file: example.origin.file.clone(),
        column: column.to_string(),
        found: example.fields.keys().cloned().collect::<Vec<_>>().join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::{read_labels, ReadOptions};

    fn read(csv: &str) -> LabelledData {
        read_labels(csv.as_bytes(), "t.csv", &ReadOptions::default()).unwrap()
    }

    #[test]
    fn years_and_months_come_from_the_date() {
        let data = read(
            "source,date,text,assad\na,2013-08-31,x,favor\nb,2013-09-01,y,none\nc,2014-01-02,z,against\n",
        );
        assert_eq!(Grouping::Year.groups(&data).unwrap(), ["2013", "2013", "2014"]);
        assert_eq!(
            Grouping::Month.groups(&data).unwrap(),
            ["2013-08", "2013-09", "2014-01"]
        );
        assert_eq!(Grouping::Source.groups(&data).unwrap(), ["a", "b", "c"]);
        assert_eq!(Grouping::default_period(&data), Some(Grouping::Year));
    }

    #[test]
    fn a_missing_column_lists_the_columns_found() {
        let data = read("source,text,assad\na,x,favor\n");
        let err = "sourse".parse::<Grouping>().unwrap().groups(&data).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: line 1: missing column `sourse` (found: assad, source, text)"
        );
        let err = Grouping::Year.groups(&data).unwrap_err().to_string();
        assert!(err.contains("missing column `date`"), "{err}");
        assert_eq!(Grouping::default_period(&data), None);
    }

    #[test]
    fn a_malformed_date_names_its_line() {
        let data = read("date,text,assad\n2013-08-31,x,favor\n31/08/2013,y,none\n");
        let err = Grouping::Year.groups(&data).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.csv: line 3, column `date`: expected a date YYYY-MM-DD to group by year, found \"31/08/2013\""
        );
        assert_eq!(Grouping::default_period(&data), None);
    }

    #[test]
    fn names_parse_to_groupings() {
        assert_eq!("Year".parse::<Grouping>(), Ok(Grouping::Year));
        assert_eq!("none".parse::<Grouping>(), Ok(Grouping::Row));
        assert_eq!(
            "speaker".parse::<Grouping>(),
            Ok(Grouping::Column("speaker".into()))
        );
        assert!("".parse::<Grouping>().is_err());
        assert_eq!(period_of("2013", 4), Some("2013"));
        assert_eq!(period_of("2013-08", 7), Some("2013-08"));
        assert_eq!(period_of("2013-8-1", 7), None);
        assert_eq!(period_of("20134", 4), None);
    }
}
