//! Criterion benchmarks of the pipeline's hot paths on the shipped sample: statement extraction
//! (bytes per second, one core), tokenizing, and scoring a statement with the shipped model the
//! way `stance classify` does (reused buffers, every task at once). Run with
//! `cargo bench --bench pipeline`; criterion prints throughput per benchmark. The side-by-side
//! comparison with scikit-learn is `bench/run`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stance::extract::{extract_statements, SpeakerIndex};
use stance::features::{tokenize, FeatureScratch, SparseVector, Words};
use stance::model::PredictScratch;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn articles() -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(repo("labels/articles"))
        .expect("labels/articles")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("article"))
        .collect()
}

fn extraction(c: &mut Criterion) {
    let speakers = SpeakerIndex::from_csv(
        std::fs::File::open(repo("labels/speakers.csv")).unwrap(),
        "speakers.csv",
    )
    .unwrap();
    let articles = articles();
    let bytes: usize = articles.iter().map(String::len).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("five sample articles", |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| extract_statements(a, &speakers).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn featurizing_and_scoring(c: &mut Criterion) {
    let model_bytes = std::fs::read(repo("models/stance.model")).unwrap();
    let model = stance::model::file::read_model(model_bytes.as_slice()).unwrap();
    let statements: Vec<String> = articles()
        .iter()
        .flat_map(|a| a.split(". ").map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.len() > 20)
        .collect();
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(statements.len() as u64));
    group.bench_function("tokenize (owned tokens)", |b| {
        b.iter(|| statements.iter().map(|s| tokenize(s).len()).sum::<usize>())
    });
    group.bench_function("tokenize (reused buffer)", |b| {
        let mut words = Words::default();
        b.iter(|| {
            statements
                .iter()
                .map(|s| {
                    words.read(s);
                    words.len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("featurize", |b| {
        let (mut scratch, mut vector) = (FeatureScratch::default(), SparseVector::default());
        b.iter(|| {
            statements
                .iter()
                .map(|s| {
                    model.featurizer.transform_into(s, &mut scratch, &mut vector);
                    vector.nnz()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("featurize + score all tasks", |b| {
        let mut scratch = PredictScratch::default();
        let mut probabilities = vec![0.0; model.total_classes()];
        b.iter(|| {
            statements
                .iter()
                .map(|s| {
                    model.probabilities_into(s, &mut scratch, &mut probabilities);
                    probabilities[0]
                })
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(benches, extraction, featurizing_and_scoring);
criterion_main!(benches);
