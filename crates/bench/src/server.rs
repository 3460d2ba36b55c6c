//! `rapport serve` as a separate process: found next to this program, started on a free
//! loopback port, timed until `/readyz` answers, watched through /proc, and stopped.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

/// The `rapport` binary built next to this one (`target/<profile>/rapport`).
pub fn rapport_binary() -> Result<PathBuf> {
    let me = std::env::current_exe().context("cannot tell where this program is")?;
    let binary = me.with_file_name(format!("rapport{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        bail!(
            "the server binary {} is missing: build it next to the benchmark with \
             `cargo build --release -p rapport -p rapport-bench` (or without --release for a debug run)",
            binary.display()
        );
    }
    Ok(binary)
}

/// What the server wrote to standard error (with `RAPPORT_LOG=warn`: warnings and errors).
#[derive(Debug, Clone, Default)]
pub struct ServerLog {
    pub warnings: usize,
    pub errors: usize,
    /// The first few warnings and errors, shortened.
    pub samples: Vec<String>,
    /// The last lines, shown when the server fails to start.
    tail: VecDeque<String>,
}

impl ServerLog {
    fn add(&mut self, line: &str) {
        let line = strip_ansi(line);
        let is_error = line.contains(" ERROR ");
        if is_error || line.contains(" WARN ") {
            if is_error {
                self.errors += 1;
            } else {
                self.warnings += 1;
            }
            if self.samples.len() < 3 {
                self.samples.push(line.chars().take(400).collect());
            }
        }
        if self.tail.len() == 20 {
            self.tail.pop_front();
        }
        self.tail.push_back(line);
    }

    pub fn merge(&mut self, other: ServerLog) {
        self.warnings += other.warnings;
        self.errors += other.errors;
        for sample in other.samples {
            if self.samples.len() < 3 {
                self.samples.push(sample);
            }
        }
    }
}

/// Drops terminal colour codes (`ESC [ ... m`).
pub fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A running server.
pub struct Server {
    child: Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// From the spawn to the first `200` of `GET /readyz`.
    pub ready: Duration,
    drain: JoinHandle<()>,
    log: Arc<Mutex<ServerLog>>,
    log_task: JoinHandle<()>,
}

const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `rapport reindex` on the database and returns how long it took, in seconds.
pub async fn reindex(binary: &Path, url: &str, work_dir: &Path) -> Result<f64> {
    let started = Instant::now();
    let output = Command::new(binary)
        .args(["--database-url", url, "reindex"])
        .env("RAPPORT_LOG", "warn")
        .env_remove("RAPPORT_CONFIG")
        .current_dir(work_dir)
        .stdin(Stdio::null())
        .output()
        .await
        .with_context(|| format!("cannot start {}", binary.display()))?;
    if !output.status.success() {
        anyhow::bail!("rapport reindex failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok((started.elapsed().as_secs_f64() * 10.0).round() / 10.0)
}

impl Server {
    /// Starts `rapport --database-url URL serve --listen 127.0.0.1:0` in `work_dir` and
    /// waits until it is ready.
    pub async fn start(binary: &Path, url: &str, work_dir: &Path) -> Result<Server> {
        let spawned = Instant::now();
        let mut child = Command::new(binary)
            .args(["--database-url", url, "serve", "--listen", "127.0.0.1:0"])
            .env("RAPPORT_LOG", "warn")
            .env_remove("RAPPORT_CONFIG")
            .current_dir(work_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("the server's output is not readable")?;
        let stderr = child.stderr.take().context("the server's messages are not readable")?;
        let log = Arc::new(Mutex::new(ServerLog::default()));
        let collected = log.clone();
        let log_task = tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut log) = collected.lock() {
                    log.add(&line);
                }
            }
        });
        let mut lines = BufReader::new(stdout).lines();
        let address = tokio::time::timeout(START_TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(address) = line.trim().strip_prefix("Rapport listening on ") {
                    return Ok(Some(address.to_string()));
                }
            }
            Ok::<_, std::io::Error>(None)
        })
        .await
        .context("the server did not say where it listens within two minutes")?
        .context("cannot read the server's output")?;
        let Some(base) = address else {
            let status = child.wait().await.ok();
            let _ = tokio::time::timeout(Duration::from_secs(2), log_task).await;
            let tail: Vec<String> = log.lock().map(|l| l.tail.iter().cloned().collect()).unwrap_or_default();
            bail!(
                "the server stopped before listening (exit status {status:?}); its last messages:\n{}",
                tail.join("\n")
            );
        };
        // Keep reading its output so it never blocks on a full pipe.
        let drain = tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let ready = wait_ready(&base, spawned).await?;
        Ok(Server { child, pid, base, ready, drain, log, log_task })
    }

    /// Asks the server to stop (SIGTERM) and waits; kills it after a grace period. Returns
    /// what it logged.
    pub async fn stop(mut self) -> Result<ServerLog> {
        let asked = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        let stopped = asked && tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await.is_ok();
        if !stopped {
            eprintln!("warning: the server did not stop on SIGTERM within 20 s; killing it");
            self.child.kill().await.context("cannot kill the server")?;
        }
        self.drain.abort();
        let _ = tokio::time::timeout(Duration::from_secs(2), self.log_task).await;
        Ok(self.log.lock().map(|l| l.clone()).unwrap_or_default())
    }
}

async fn wait_ready(base: &str, spawned: Instant) -> Result<Duration> {
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(5)).build()?;
    let url = format!("{base}/readyz");
    loop {
        if let Ok(response) = client.get(&url).send().await
            && response.status() == reqwest::StatusCode::OK
        {
            return Ok(spawned.elapsed());
        }
        if spawned.elapsed() > START_TIMEOUT {
            bail!("{url} did not answer 200 within two minutes");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Resident memory of a process from /proc/PID/status: (now, peak so far), in KiB.
pub fn memory_kib(pid: u32) -> Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read /proc/{pid}/status (is this Linux?)"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    let rss = field("VmRSS:").context("no VmRSS in /proc status")?;
    Ok((rss, field("VmHWM:").unwrap_or(rss)))
}

pub fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

/// Samples a process's resident memory every 50 ms in the background, keeping the
/// highest value overall and since the last [`RssSampler::take_window`].
pub struct RssSampler {
    overall: Arc<AtomicU64>,
    window: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

impl RssSampler {
    pub fn start(pid: u32) -> RssSampler {
        let (overall, window, stop) =
            (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let (o, w, s) = (overall.clone(), window.clone(), stop.clone());
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            while !s.load(Ordering::Relaxed) {
                tick.tick().await;
                if let Ok((rss, _)) = memory_kib(pid) {
                    o.fetch_max(rss, Ordering::Relaxed);
                    w.fetch_max(rss, Ordering::Relaxed);
                }
            }
        });
        RssSampler { overall, window, stop, task }
    }

    /// The highest sample since the previous call (KiB), starting a new window.
    pub fn take_window(&self) -> u64 {
        self.window.swap(0, Ordering::Relaxed)
    }

    /// Stops sampling; the highest sample seen (KiB).
    pub async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        self.overall.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_resident_memory() {
        let (rss, peak) = memory_kib(std::process::id()).unwrap();
        assert!(rss > 0 && peak >= rss);
        assert_eq!(mib(1536), 1.5);
    }

    #[test]
    fn server_warnings_are_counted_without_colours() {
        let mut log = ServerLog::default();
        log.add("\u{1b}[2m2026-11-26T10:41:56Z\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m sqlx::query: slow statement");
        log.add("2026-11-26T10:41:57Z ERROR rapport_web: boom");
        log.add("2026-11-26T10:41:58Z  INFO rapport: fine");
        assert_eq!((log.warnings, log.errors), (1, 1));
        assert_eq!(log.samples[0], "2026-11-26T10:41:56Z  WARN sqlx::query: slow statement");
        assert_eq!(log.tail.len(), 3);
    }
}
