//! The results: a table for people and JSON (`--json FILE`) for tools.

use std::fmt::Write;

use serde::Serialize;

use crate::driver::{Limits, Stats};
use crate::server::mib;

/// A whole run. The first fields are the ones the issue names; the rest add context.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scale: usize,
    pub db: String,
    /// Start-up to the first `200` of `/readyz` on the loaded database (the median run).
    pub ready_ms: f64,
    pub rss_idle_mb: f64,
    pub rss_peak_mb: f64,
    pub results: Vec<OpResult>,
    pub seed: u64,
    pub concurrency: usize,
    pub companies: i64,
    pub people: i64,
    pub ready_ms_runs: Vec<f64>,
    /// `None` when `--reuse` found the data already loaded.
    pub load: Option<LoadTimes>,
    pub deep_page_depth: Option<usize>,
    pub cursor_walk_ms: Option<f64>,
    /// Failed requests over every operation (any is a bug).
    pub errors: usize,
    /// How long ANALYZE took, when it ran before measuring.
    pub analyze_s: Option<f64>,
    /// How long `rapport reindex` took to rebuild the whole search index.
    pub reindex_s: Option<f64>,
    /// A generated CSV of `scale` people imported through the import job, with the
    /// engine's own bulk load of the same file for the ratio.
    pub import_people_csv: Option<crate::transfer::ImportResult>,
    /// The whole people list exported as CSV, with the server's peak memory meanwhile.
    pub export_people_csv: Option<crate::transfer::ExportResult>,
    /// PostgreSQL's autovacuum setting (`null` on SQLite).
    pub autovacuum: Option<bool>,
    /// Warnings and errors the server logged (slow statements, for instance).
    pub server_warnings: usize,
    pub server_errors: usize,
    pub server_log_samples: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoadTimes {
    pub companies_s: f64,
    pub people_s: f64,
    pub tasks: usize,
    pub tasks_s: f64,
    pub activities: usize,
    pub activities_s: f64,
    /// Users, categories, generation and the bulk loads.
    pub total_s: f64,
    pub records_per_s: f64,
}

/// One operation: over HTTP, and its raw-database baseline where there is one.
#[derive(Debug, Clone, Serialize)]
pub struct OpResult {
    pub op: String,
    pub requests: usize,
    pub concurrency: usize,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub raw_rps: Option<f64>,
    /// `rps / raw_rps`.
    pub ratio: Option<f64>,
    pub errors: usize,
    pub max_ms: f64,
    pub elapsed_s: f64,
    /// The time limit stopped it before `requests` were sent.
    pub cut_short: bool,
    pub raw_p50_ms: Option<f64>,
    pub raw_p95_ms: Option<f64>,
    pub raw_p99_ms: Option<f64>,
    pub raw_errors: Option<usize>,
    /// The server's highest resident memory while this operation ran.
    pub rss_peak_mb: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_samples: Vec<String>,
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

impl OpResult {
    pub fn new(op: &str, limits: &Limits, http: (Stats, u64), raw: Option<Stats>, note: Option<String>) -> OpResult {
        let (stats, rss_kib) = http;
        let ratio = raw.as_ref().filter(|r| r.rps > 0.0).map(|r| round(stats.rps / r.rps, 4));
        let mut error_samples = stats.error_samples.clone();
        if let Some(raw) = raw.as_ref() {
            error_samples.extend(raw.error_samples.iter().map(|e| format!("raw: {e}")));
        }
        OpResult {
            op: op.to_string(),
            requests: stats.completed,
            concurrency: limits.concurrency,
            rps: round(stats.rps, 1),
            p50_ms: round(stats.p50_ms, 3),
            p95_ms: round(stats.p95_ms, 3),
            p99_ms: round(stats.p99_ms, 3),
            raw_rps: raw.as_ref().map(|r| round(r.rps, 1)),
            ratio,
            errors: stats.errors,
            max_ms: round(stats.max_ms, 3),
            elapsed_s: round(stats.elapsed.as_secs_f64(), 3),
            cut_short: stats.cut_short,
            raw_p50_ms: raw.as_ref().map(|r| round(r.p50_ms, 3)),
            raw_p95_ms: raw.as_ref().map(|r| round(r.p95_ms, 3)),
            raw_p99_ms: raw.as_ref().map(|r| round(r.p99_ms, 3)),
            raw_errors: raw.as_ref().map(|r| r.errors),
            rss_peak_mb: mib(rss_kib),
            note,
            error_samples,
        }
    }

    /// Failures over HTTP and in the baseline.
    pub fn all_errors(&self) -> usize {
        self.errors + self.raw_errors.unwrap_or(0)
    }
}

fn or_dash(value: Option<f64>, digits: usize) -> String {
    value.map(|v| format!("{v:.digits$}")).unwrap_or_else(|| "-".into())
}

impl Report {
    /// The table printed at the end of a run.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Rapport benchmark: {} on {}, {} companies and {} people, concurrency {}, seed {}",
            self.scale, self.db, self.companies, self.people, self.concurrency, self.seed
        );
        let runs: Vec<String> = self.ready_ms_runs.iter().map(|ms| format!("{ms:.0}")).collect();
        let _ = writeln!(
            out,
            "start-up to /readyz: {:.0} ms (runs: {} ms); server RSS idle {:.1} MB, peak {:.1} MB",
            self.ready_ms,
            runs.join(", "),
            self.rss_idle_mb,
            self.rss_peak_mb
        );
        match &self.load {
            Some(load) => {
                let _ = writeln!(
                    out,
                    "bulk load: companies {:.1} s, people {:.1} s, {} tasks {:.1} s, {} activities {:.1} s, total {:.1} s ({:.0} records/s)",
                    load.companies_s,
                    load.people_s,
                    load.tasks,
                    load.tasks_s,
                    load.activities,
                    load.activities_s,
                    load.total_s,
                    load.records_per_s
                );
            }
            None => out.push_str("bulk load: skipped (--reuse found the data)\n"),
        }
        let _ = match (self.analyze_s, self.autovacuum) {
            (Some(s), _) => writeln!(out, "statistics: ANALYZE before measuring ({s:.1} s)"),
            (None, Some(false)) => writeln!(out, "statistics: not analyzed, and autovacuum is off"),
            (None, _) => writeln!(out, "statistics: not analyzed (as Rapport leaves them)"),
        };
        if let Some(seconds) = self.reindex_s {
            let _ = writeln!(out, "search index rebuild (rapport reindex): {seconds:.1} s");
        }
        if let Some(i) = &self.import_people_csv {
            let _ = writeln!(
                out,
                "import_people_csv: {} rows ({} created, {} duplicates refused) in {:.1} s, {:.0} rows/s; the engine's own bulk load {:.1} s (ratio {:.1})",
                i.rows, i.created, i.duplicates, i.seconds, i.rows_per_s, i.raw_seconds, i.ratio
            );
        }
        if let Some(e) = &self.export_people_csv {
            let _ = writeln!(
                out,
                "export_people_csv: {} rows ({:.1} MB) in {:.1} s, {:.0} rows/s, server peak {:.1} MB",
                e.rows,
                e.bytes as f64 / 1_048_576.0,
                e.seconds,
                e.rows_per_s,
                e.rss_peak_mb
            );
        }
        if let (Some(depth), Some(walk)) = (self.deep_page_depth, self.cursor_walk_ms) {
            let _ = writeln!(out, "deep page: page {} by cursor (walking there took {walk:.0} ms)", depth + 1);
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<22} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>8}",
            "operation",
            "requests",
            "errors",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "raw req/s",
            "raw p50",
            "ratio",
            "peak MB"
        );
        for r in &self.results {
            let _ = writeln!(
                out,
                "{:<22} {:>8} {:>6} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>9} {:>8} {:>7} {:>8.1}{}",
                r.op,
                r.requests,
                r.all_errors(),
                r.rps,
                r.p50_ms,
                r.p95_ms,
                r.p99_ms,
                or_dash(r.raw_rps, 1),
                or_dash(r.raw_p50_ms, 2),
                or_dash(r.ratio, 3),
                r.rss_peak_mb,
                if r.cut_short { "  (time limit)" } else { "" }
            );
        }
        for r in self.results.iter().filter(|r| r.note.is_some() || !r.error_samples.is_empty()) {
            if let Some(note) = &r.note {
                let _ = writeln!(out, "  {}: {note}", r.op);
            }
            for sample in &r.error_samples {
                let _ = writeln!(out, "  {} FAILED: {sample}", r.op);
            }
        }
        if self.server_warnings + self.server_errors > 0 {
            let _ = writeln!(
                out,
                "the server logged {} warning(s) and {} error(s), first:",
                self.server_warnings, self.server_errors
            );
            for sample in &self.server_log_samples {
                let _ = writeln!(out, "  {sample}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::Value;

    use super::*;

    fn stats(rps: f64, errors: usize) -> Stats {
        Stats {
            completed: 100,
            errors,
            error_samples: if errors > 0 { vec!["500 Internal Server Error: boom".into()] } else { vec![] },
            elapsed: Duration::from_millis(1500),
            rps,
            p50_ms: 2.1,
            p95_ms: 5.0,
            p99_ms: 8.7,
            max_ms: 9.9,
            cut_short: false,
        }
    }

    fn report() -> Report {
        let limits = Limits { requests: 100, concurrency: 32, max_time: Duration::from_secs(20) };
        Report {
            scale: 1_000_000,
            db: "sqlite".into(),
            ready_ms: 310.0,
            rss_idle_mb: 21.5,
            rss_peak_mb: 140.2,
            results: vec![
                OpResult::new("get_by_id", &limits, (stats(9100.0, 0), 140 * 1024), Some(stats(41000.0, 0)), None),
                OpResult::new("search_q", &limits, (stats(800.0, 2), 100 * 1024), None, Some("q=x".into())),
            ],
            seed: 42,
            concurrency: 32,
            companies: 1_000_000,
            people: 1_200_000,
            ready_ms_runs: vec![300.0, 310.0, 320.0],
            load: None,
            deep_page_depth: Some(10_000),
            cursor_walk_ms: Some(1234.0),
            errors: 2,
            analyze_s: None,
            reindex_s: Some(95.5),
            import_people_csv: None,
            export_people_csv: None,
            autovacuum: None,
            server_warnings: 1,
            server_errors: 0,
            server_log_samples: vec!["WARN slow statement".into()],
        }
    }

    #[test]
    fn the_json_has_the_agreed_shape() {
        let json: Value = serde_json::to_value(report()).unwrap();
        assert_eq!(json["scale"], 1_000_000);
        assert_eq!(json["db"], "sqlite");
        assert_eq!(json["ready_ms"], 310.0);
        assert_eq!(json["rss_idle_mb"], 21.5);
        assert_eq!(json["rss_peak_mb"], 140.2);
        let results = json["results"].as_array().unwrap();
        let first = &results[0];
        for key in ["op", "requests", "concurrency", "rps", "p50_ms", "p95_ms", "p99_ms", "raw_rps", "ratio"] {
            assert!(first.get(key).is_some(), "{key} missing from {first}");
        }
        assert_eq!(first["op"], "get_by_id");
        assert_eq!(first["requests"], 100);
        assert_eq!(first["concurrency"], 32);
        assert_eq!(first["rps"], 9100.0);
        assert_eq!(first["p99_ms"], 8.7);
        assert_eq!(first["raw_rps"], 41000.0);
        assert_eq!(first["ratio"], 0.222);
        assert_eq!(first["rss_peak_mb"], 140.0);
        let second = &results[1];
        assert!(second["raw_rps"].is_null() && second["ratio"].is_null());
        assert_eq!(second["errors"], 2);
        assert_eq!(second["error_samples"][0], "500 Internal Server Error: boom");
        assert!(first.get("error_samples").is_none());
    }

    #[test]
    fn the_table_shows_every_operation_and_its_failures() {
        let table = report().table();
        assert!(table.contains("get_by_id") && table.contains("search_q"));
        assert!(table.contains("search_q FAILED: 500"));
        assert!(table.contains("start-up to /readyz: 310 ms"));
        assert!(table.contains("1 warning(s) and 0 error(s)"));
    }
}
