//! Memory bounds measured with a counting allocator (issue 18 item 4): the speaker alias matcher
//! for a table of 20,000 speakers, and extraction's working memory on an article of 1,000,000
//! short quotes. Each test measures the peak of live heap bytes above what was live when it
//! started, so the figures are the real allocations of the real code path. The tests run one at a
//! time (they share the counter), in their own binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use stance::extract::{extract_statements_with, SpeakerIndex};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let live =
                    LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `work` and returns its result and the peak heap bytes it added.
fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = work();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

const MB: usize = 1 << 20;

#[test]
fn alias_matcher_for_20000_speakers_takes_tens_of_mb() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Five aliases each, as in labels/speakers.csv: full name, surname, titled forms, a role.
    let mut table = String::from("speaker,gender,aliases\n");
    for i in 0..20_000 {
        let (first, last) = (format!("Firstname{i}"), format!("Lastname{i}"));
        table.push_str(&format!(
            "{first} {last},m,{last};President {last};Minister {first} {last};Mr {last};the minister of region {i}\n"
        ));
    }
    let (index, peak) = peak_of(|| SpeakerIndex::from_csv(table.as_bytes(), "big.csv").expect("table"));
    println!("20,000 speakers: building the index peaked at {} MB", peak / MB);
    // Measured: 69 MB while building, most of it the intermediate automaton (a DFA over the
    // aliases took 1.7 GB, issue 18).
    assert!(peak < 96 * MB, "building the index peaked at {} MB", peak / MB);
    let text = "\"We are ready,\" said Mr Lastname19999. President Lastname5 said talks would resume.";
    let (found, peak) = peak_of(|| {
        let mut found = Vec::new();
        extract_statements_with(text, &index, |s| found.push(s));
        found
    });
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].speaker.as_deref(), Some("Firstname19999 Lastname19999"));
    assert!(peak < MB, "one sentence took {} KB", peak / 1024);
}

#[test]
fn extraction_of_a_million_short_quotes_takes_tens_of_mb() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // 11 bytes a quote, 11 MB, one paragraph.
    let article = "\"Go on, Al\" ".repeat(1_000_000);
    let index = SpeakerIndex::empty();
    let (count, peak) = peak_of(|| {
        let mut count = 0usize;
        extract_statements_with(&article, &index, |_| count += 1);
        count
    });
    assert_eq!(count, 1_000_000, "every quote is a statement");
    println!("1,000,000 short quotes: extraction peaked at {} MB", peak / MB);
    // Measured: 78 MB, mostly the paragraph's 1,000,000 quote spans (359 MB when every statement was collected first, issue 18).
    assert!(peak < 96 * MB, "extraction peaked at {} MB", peak / MB);
}
