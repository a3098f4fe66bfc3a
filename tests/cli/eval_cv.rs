//! `stance eval` and `stance cv` through the binary, on a tiny fixture whose expected metrics are
//! worked out by hand below.

use crate::workdir::Workdir;

/// Training rows that make the model's answers certain: "alpha" → favor, "beta" → against,
/// "gamma" → none.
const TRAIN: &str = "source,text,assad\n\
a,alpha alpha,favor\nb,alpha,favor\nc,beta beta,against\nd,beta,against\ne,gamma gamma,none\nf,gamma,none\n";

/// Gold labels with two deliberate mismatches (rows 4 and 6).
const GOLD: &str = "source,text,assad\n\
g,alpha,FAVOR\nh,alpha alpha,favor\ni,beta,against\nj,beta beta,favor\nk,gamma,none\nl,gamma gamma,against\n";

#[test]
fn eval_matches_hand_computed_metrics() {
    let wd = Workdir::new();
    wd.write("train.csv", TRAIN);
    wd.write("gold.csv", GOLD);
    let run = wd.run(&[
        "train",
        "train.csv",
        "--out",
        "m.model",
        "--min-df",
        "1",
        "--folds",
        "2",
        "--alpha",
        "0.1",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = wd.run(&["eval", "--model", "m.model", "gold.csv", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let m = &v["tasks"][0]["metrics"];
    // Predicted: favor, favor, against, against, none, none.
    // favor:   gold 3, predicted 2, correct 2 → P 1,   R 2/3, F1 0.8
    // against: gold 2, predicted 2, correct 1 → P 0.5, R 0.5, F1 0.5
    // none:    gold 1, predicted 2, correct 1 → P 0.5, R 1,   F1 2/3
    // accuracy 4/6; macro-F1 (0.8 + 0.5 + 2/3) / 3; F_avg (0.8 + 0.5) / 2 = 0.65.
    // sklearn.metrics.classification_report on the same two lists gives the same figures.
    let close = |value: &serde_json::Value, expected: f64| (value.as_f64().unwrap() - expected).abs() < 1e-9;
    assert!(close(&m["accuracy"], 4.0 / 6.0), "{m}");
    assert!(close(&m["macro_f1"], (0.8 + 0.5 + 2.0 / 3.0) / 3.0), "{m}");
    assert!(close(&m["f_avg"], 0.65), "{m}");
    let classes: Vec<&str> = m["per_class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["against", "favor", "none"]);
    assert!(close(&m["per_class"][1]["recall"], 2.0 / 3.0));
    assert_eq!(
        m["confusion"],
        serde_json::json!([[1, 0, 1], [1, 2, 0], [0, 0, 1]])
    );
    let table = wd.run(&["eval", "--model", "m.model", "gold.csv"]);
    assert!(
        table
            .stdout
            .starts_with("assad: 6 rows  accuracy 0.667  macro-F1 0.656  F_avg 0.650"),
        "{}",
        table.stdout
    );
}

#[test]
fn cv_with_a_fold_column_uses_its_values() {
    let wd = Workdir::new();
    let mut csv = String::from("split,text,assad\n");
    for i in 0..12 {
        let (text, label) = [("alpha", "favor"), ("beta", "against"), ("gamma", "none")][i % 3];
        csv.push_str(&format!("{},{text} {i},{label}\n", i % 3 + i / 6 * 3));
    }
    wd.write("l.csv", csv);
    let run = wd.run(&[
        "cv",
        "l.csv",
        "--fold-col",
        "split",
        "--min-df",
        "1",
        "--alpha",
        "0.1,1",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["folds"], 6);
    let task = &v["tasks"][0];
    assert_eq!(task["alphas"].as_array().unwrap().len(), 2);
    assert_eq!(task["alphas"][0]["fold_macro_f1"].as_array().unwrap().len(), 6);
    assert_eq!(task["best"]["rows"], 12, "every row is held out exactly once");
    // Each fold holds one class only, which its training side never lacks; the words decide:
    // every held-out row is right.
    assert_eq!(task["best"]["accuracy"], 1.0);
    let run = wd.run(&["cv", "l.csv", "--fold-col", "nope", "--min-df", "1"]);
    run.assert_error(1, &["missing fold column `nope`"]);
}

#[test]
fn cv_grid_ranks_settings_and_saves_the_best_for_train() {
    let wd = Workdir::new();
    wd.write("train.csv", TRAIN);
    let run = wd.run(&[
        "cv",
        "train.csv",
        "--grid",
        "--save-config",
        "best.json",
        "--alpha",
        "0.1",
        "--folds",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ranked: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        ranked.len(),
        16,
        "2 char settings × 2 min-df × 4 stop-word/negation settings"
    );
    let scores: Vec<f64> = ranked
        .iter()
        .map(|r| r["mean_macro_f1"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked best first: {scores:?}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(wd.join("best.json")).unwrap()).unwrap();
    assert_eq!(saved, ranked[0]);
    let run = wd.run(&[
        "train",
        "train.csv",
        "--config",
        "best.json",
        "--out",
        "m.model",
        "--folds",
        "2",
        "--alpha",
        "0.1",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let model = std::fs::read_to_string(wd.join("m.model")).unwrap();
    let body: serde_json::Value = serde_json::from_str(model.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        body["featurizer"]["config"], saved["featurizer"],
        "train used the saved settings"
    );
    wd.write("junk.json", "{\"x\": 1}");
    wd.run(&["train", "train.csv", "--config", "junk.json", "--out", "m.model"])
        .assert_error(1, &["junk.json: not a featurizer configuration"]);
}

#[test]
fn two_class_polarity_data_works_unchanged() {
    let wd = Workdir::new();
    let mut csv = String::from("text,label\n");
    for i in 0..20 {
        let (text, label) = if i % 2 == 0 {
            ("a wonderful moving film", "pos")
        } else {
            ("a dull tedious mess", "neg")
        };
        csv.push_str(&format!("{text} {i},{label}\n"));
    }
    wd.write("polarity.csv", csv);
    let run = wd.run(&[
        "cv",
        "polarity.csv",
        "--folds",
        "4",
        "--min-df",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["tasks"][0]["task"], "label");
    assert_eq!(v["tasks"][0]["best"]["rows"], 20);
    assert!(
        v["tasks"][0]["best"]["f_avg"].is_null(),
        "no favor/against classes, no F_avg"
    );
    assert_eq!(v["tasks"][0]["best"]["accuracy"], 1.0);
}

#[test]
fn cv_groups_by_year_by_default_and_holds_out_one_year_per_fold() {
    let wd = Workdir::new();
    let mut csv = String::from("source,date,text,assad\n");
    for i in 0..18 {
        let (text, label) = [("alpha", "favor"), ("beta", "against"), ("gamma", "none")][i % 3];
        let year = 2011 + i / 6;
        csv.push_str(&format!("s{i},{year}-0{}-15,{text} {i},{label}\n", 1 + i % 2));
    }
    wd.write("l.csv", &csv);
    let cv = |extra: &[&str]| {
        let mut args = vec!["cv", "l.csv", "--min-df", "1", "--alpha", "1", "--format", "json"];
        args.extend_from_slice(extra);
        let run = wd.run(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    let by_year = cv(&[]);
    assert_eq!(by_year["folds"], 3, "one fold per year: 2011, 2012, 2013");
    assert_eq!(by_year["scheme"], "leave-one-year-out (3 years)");
    assert_eq!(cv(&["--group-by", "year"]), by_year);
    let by_month = cv(&["--group-by", "month"]);
    assert_eq!(by_month["folds"], 6, "two months in each of three years");
    let by_source = cv(&["--group-by", "source", "--folds", "4"]);
    assert_eq!(by_source["folds"], 4);
    assert_eq!(by_source["scheme"], "4-fold grouped by source");
    // Without dates the default is the source.
    wd.write("undated.csv", TRAIN);
    let run = wd.run(&[
        "cv",
        "undated.csv",
        "--min-df",
        "1",
        "--alpha",
        "1",
        "--folds",
        "2",
    ]);
    assert!(
        run.stdout
            .starts_with("2-fold grouped by source cross-validation"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_group_by_column_is_an_error_listing_the_columns() {
    let wd = Workdir::new();
    wd.write("train.csv", TRAIN);
    let run = wd.run(&["cv", "train.csv", "--group-by", "sourse", "--min-df", "1"]);
    run.assert_error(
        1,
        &["train.csv: line 1: missing column `sourse` (found: assad, source, text)"],
    );
    let run = wd.run(&["cv", "train.csv", "--group-by", "year", "--min-df", "1"]);
    run.assert_error(1, &["missing column `date`"]);
}
