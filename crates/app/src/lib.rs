//! Rapport's use cases: every operation a user can perform, whoever asks (the API, the
//! web pages, the command line). Each one checks the caller's rights, parses and
//! validates the input, and writes the change and its history in one transaction.

pub mod access;
pub mod activities;
pub mod auth;
pub mod bulk;
pub mod calendar;
pub mod categories;
pub mod companies;
pub mod custom_fields;
pub mod deletion_requests;
pub mod demo;
pub mod demo_data;
pub mod duplicates;
mod error;
pub mod exports;
pub mod filters;
pub mod history;
pub mod imports;
mod input;
pub mod jobs;
pub mod listing;
pub mod lists;
pub mod merges;
pub mod notifications;
pub mod people;
mod records;
pub mod roles;
pub mod search;
pub mod sessions;
pub mod shares;
pub mod tasks;
pub mod teams;
pub mod users;

pub use access::Actor;
pub use error::AppError;
pub use rapport_store::users::User;
pub use rapport_store::{Db, DbOptions};

/// Settings the use cases depend on. (`Debug` hides the SMTP URL's password.)
#[derive(Clone)]
pub struct Settings {
    /// Put in front of the number of every new customer code (`C-000123`).
    pub company_code_prefix: String,
    /// How long an API token lives.
    pub token_lifetime: time::Duration,
    /// Failed sign-ins per login allowed in one window before 429.
    pub sign_in_failures_per_login: i64,
    /// Failed sign-ins per client address allowed in one window.
    pub sign_in_failures_per_address: i64,
    pub sign_in_window: time::Duration,
    /// How long a signed-in caller's rights are reused before they are read again.
    pub caller_cache_ttl: std::time::Duration,
    /// Background job workers `rapport serve` runs.
    pub job_workers: usize,
    /// How often an idle worker looks for due jobs that no one announced (a job whose
    /// worker died, one queued by another server process).
    pub job_poll: std::time::Duration,
    /// The SMTP server notification emails go through (`smtp://host:port`,
    /// `smtps://user:password@host`); none: no emails.
    pub smtp_url: Option<String>,
    /// The sender of notification emails (`Rapport <crm@example.com>`).
    pub mail_from: Option<String>,
    /// The address people open Rapport at, for the links in emails.
    pub public_url: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A password in the SMTP URL (`smtps://user:secret@host`) must not reach the logs.
        let smtp = self.smtp_url.as_deref().map(|url| match url.split_once('@') {
            Some((credentials, host)) => match credentials.rsplit_once(':') {
                Some((user, _)) if user.contains("://") => format!("{user}:***@{host}"),
                _ => url.to_string(),
            },
            None => url.to_string(),
        });
        f.debug_struct("Settings")
            .field("company_code_prefix", &self.company_code_prefix)
            .field("token_lifetime", &self.token_lifetime)
            .field("job_workers", &self.job_workers)
            .field("job_poll", &self.job_poll)
            .field("smtp_url", &smtp)
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Whether notifications go out by email too.
    pub fn mail_enabled(&self) -> bool {
        self.smtp_url.is_some() && self.mail_from.is_some()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            company_code_prefix: "C-".into(),
            token_lifetime: time::Duration::days(30),
            sign_in_failures_per_login: 5,
            sign_in_failures_per_address: 30,
            sign_in_window: time::Duration::minutes(15),
            caller_cache_ttl: std::time::Duration::from_secs(2),
            job_workers: 2,
            job_poll: std::time::Duration::from_secs(1),
            smtp_url: None,
            mail_from: None,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// The application: the database and the settings, cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Db,
    pub settings: Settings,
    pub callers: std::sync::Arc<auth::CallerCache>,
    /// Permits for text searches (see [`App::search_slot`]).
    searches: std::sync::Arc<tokio::sync::Semaphore>,
    /// Wakes this process's idle job workers (see [`jobs::wake`]).
    job_wakeup: std::sync::Arc<tokio::sync::Notify>,
    /// How notification emails are worded (see [`notifications::mail`]).
    composer: std::sync::Arc<notifications::mail::Composers>,
}

/// Text searches that run at once; the others wait their turn. A search of a common word
/// reads tens of thousands of index entries and holds their lists in memory: eight at once
/// took the server past 360 MB at 1M records and kept every reader connection busy, while
/// two keep both cores working.
const SEARCHES_AT_ONCE: usize = 2;

impl App {
    /// Opens the database, brings its schema up to date and seeds the built-in lists.
    pub async fn open(url: &str, options: &DbOptions, settings: Settings) -> Result<App, AppError> {
        let db = Db::connect(url, options).await?;
        db.migrate().await?;
        db.optimize().await?;
        if rapport_store::search::needs_rebuild(&mut db.clone()).await? {
            search::rebuild_index(&db).await?;
        }
        if rapport_store::duplicates::needs_rebuild(&mut db.clone()).await? {
            rapport_store::duplicates::rebuild(&db).await?;
        }
        let searches = std::sync::Arc::new(tokio::sync::Semaphore::new(SEARCHES_AT_ONCE));
        let app = App {
            db,
            settings,
            callers: Default::default(),
            searches,
            job_wakeup: Default::default(),
            composer: Default::default(),
        };
        categories::ensure_defaults(&app).await?;
        access::ensure_roles(&app).await?;
        Ok(app)
    }

    pub(crate) fn reader(&self) -> Db {
        self.db.clone()
    }

    /// A turn to run a request: immediate unless it `needs` the search index, queued then.
    pub(crate) async fn search_slot(&self, needs: bool) -> Option<tokio::sync::SemaphorePermit<'_>> {
        if !needs {
            return None;
        }
        // The semaphore is never closed, so acquiring only waits.
        self.searches.acquire().await.ok()
    }
}

pub(crate) fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    // Microseconds are what both databases keep; dropping the rest makes what we
    // return equal to what a later read gives.
    now.replace_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}
