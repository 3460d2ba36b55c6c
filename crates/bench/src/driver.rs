//! The load driver: `concurrency` tasks take request numbers from one counter until the
//! count or the time runs out, time each request, and the latencies become percentiles.
//! The same driver runs the HTTP operations and the raw-database baseline.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How much load one operation gets.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Timed requests (the warm-up comes on top).
    pub requests: usize,
    pub concurrency: usize,
    /// The timed phase stops taking new requests after this long.
    pub max_time: Duration,
}

impl Limits {
    /// Untimed requests before the timed ones: enough to open every connection and warm
    /// the caches, few enough not to matter.
    pub fn warmup(&self) -> usize {
        (self.requests / 20).clamp(self.concurrency.min(self.requests), 500)
    }
}

/// What one run of an operation measured.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Timed requests answered, successfully or not.
    pub completed: usize,
    /// Failed requests, the warm-up's included (any failure is a bug worth reporting).
    pub errors: usize,
    /// The first few distinct failure messages.
    pub error_samples: Vec<String>,
    pub elapsed: Duration,
    /// Successful timed requests per second.
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The time limit ended the run before every request was sent.
    pub cut_short: bool,
}

const MAX_SAMPLES: usize = 5;

/// The `p`th percentile (0 < p <= 100) of ascending `sorted` values by the nearest-rank
/// method: the smallest value with at least p% of the values at or below it. 0 for none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One task's share of a phase.
#[derive(Default)]
struct Share {
    latencies_ms: Vec<f64>,
    answered: usize,
    errors: usize,
    samples: Vec<String>,
}

/// Runs requests `first..first + count` through `op` on `concurrency` tasks, taking no new
/// request after `max_time`.
async fn phase<F, Fut>(op: &Arc<F>, first: usize, count: usize, concurrency: usize, max_time: Duration) -> Vec<Share>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let (op, next) = (op.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut share = Share::default();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count || started.elapsed() >= max_time {
                    break;
                }
                let sent = Instant::now();
                let outcome = op(first + n).await;
                let took = sent.elapsed().as_secs_f64() * 1000.0;
                share.answered += 1;
                match outcome {
                    Ok(()) => share.latencies_ms.push(took),
                    Err(message) => {
                        share.errors += 1;
                        if share.samples.len() < MAX_SAMPLES && !share.samples.contains(&message) {
                            share.samples.push(message);
                        }
                    }
                }
            }
            share
        }));
    }
    let mut shares = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(share) => shares.push(share),
            Err(error) => shares.push(Share {
                errors: 1,
                samples: vec![format!("a load task failed: {error}")],
                ..Share::default()
            }),
        }
    }
    shares
}

/// Warms up, then runs the timed requests. Request numbers are unique across both
/// phases, so an operation can derive distinct names or records from them.
pub async fn run<F, Fut>(limits: &Limits, op: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let op = Arc::new(op);
    let warmup = limits.warmup();
    let warm = phase(&op, 0, warmup, limits.concurrency, limits.max_time).await;
    let started = Instant::now();
    let timed = phase(&op, warmup, limits.requests, limits.concurrency, limits.max_time).await;
    let elapsed = started.elapsed();
    summarize(warm, timed, elapsed, limits.requests)
}

fn summarize(warm: Vec<Share>, timed: Vec<Share>, elapsed: Duration, planned: usize) -> Stats {
    let mut stats = Stats { elapsed, ..Stats::default() };
    let mut latencies = Vec::new();
    for share in warm {
        stats.errors += share.errors;
        merge_samples(&mut stats.error_samples, share.samples);
    }
    for share in timed {
        stats.completed += share.answered;
        stats.errors += share.errors;
        merge_samples(&mut stats.error_samples, share.samples);
        latencies.extend(share.latencies_ms);
    }
    latencies.sort_by(f64::total_cmp);
    let seconds = elapsed.as_secs_f64();
    stats.rps = if seconds > 0.0 { latencies.len() as f64 / seconds } else { 0.0 };
    stats.p50_ms = percentile(&latencies, 50.0);
    stats.p95_ms = percentile(&latencies, 95.0);
    stats.p99_ms = percentile(&latencies, 99.0);
    stats.max_ms = latencies.last().copied().unwrap_or(0.0);
    stats.cut_short = stats.completed < planned;
    stats
}

fn merge_samples(into: &mut Vec<String>, from: Vec<String>) {
    for sample in from {
        if into.len() < MAX_SAMPLES && !into.contains(&sample) {
            into.push(sample);
        }
    }
}

/// SplitMix64's finalizer: a well-spread number from any input, for picking records.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 50.0), 50.0);
        assert_eq!(percentile(&values, 95.0), 95.0);
        assert_eq!(percentile(&values, 99.0), 99.0);
        assert_eq!(percentile(&values, 100.0), 100.0);
        assert_eq!(percentile(&values, 0.1), 1.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 50.0), 5.0);
        assert_eq!(percentile(&ten, 95.0), 10.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 50.0), 2.0);
    }

    #[tokio::test]
    async fn the_driver_counts_requests_and_errors() {
        let limits = Limits { requests: 200, concurrency: 4, max_time: Duration::from_secs(10) };
        let stats =
            run(&limits, |n| async move { if n % 50 == 7 { Err(format!("failed {}", n % 2)) } else { Ok(()) } }).await;
        assert_eq!(stats.completed, 200);
        // Request numbers 0..210 (10 warm-up): 7, 57, 107, 157 and 207 fail.
        assert_eq!(stats.errors, 5);
        assert_eq!(stats.error_samples, ["failed 1"]);
        assert!(!stats.cut_short && stats.rps > 0.0);
        assert!(stats.p50_ms <= stats.p95_ms && stats.p95_ms <= stats.p99_ms && stats.p99_ms <= stats.max_ms);
    }

    #[tokio::test]
    async fn the_time_limit_cuts_a_run_short() {
        let limits = Limits { requests: 1_000_000, concurrency: 2, max_time: Duration::from_millis(100) };
        let stats = run(&limits, |_| async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok(())
        })
        .await;
        assert!(stats.cut_short && stats.completed > 0 && stats.completed < 1000);
        assert!(stats.elapsed < Duration::from_secs(2));
    }
}
