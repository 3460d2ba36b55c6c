//! Notification emails: one job per email, sent through the SMTP server of
//! `RAPPORT_SMTP_URL` from `RAPPORT_MAIL_FROM`, retried with the queue's backoff.
//!
//! The words of an email come from the web layer's catalogues: it installs a [`Composer`]
//! on the [`App`] when it starts (see `rapport_web::install`). Without one (a tool that
//! opened the database only) the English message goes out as it is.

use std::sync::OnceLock;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rapport_store::jobs::{Job, NewJob};
use rapport_store::notifications::{self as store, Notification};
use rapport_store::{Exec, jobs as stored_jobs, sessions, users};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::jobs::{JobError, JobFuture, JobKind, Progress};
use crate::{App, AppError, now};

pub const EMAIL: JobKind = JobKind { name: "notifications.email", run, max_attempts: 5, every: None };

/// What an email is made from.
#[derive(Debug, Clone)]
pub struct Email<'a> {
    pub notification: &'a Notification,
    pub recipient_name: &'a str,
    /// The recipient's chosen language code, if any.
    pub language: Option<&'a str>,
    /// The record's page, as an absolute address.
    pub link: Option<String>,
}

/// An email's subject and its plain text and HTML bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub type Composer = fn(&Email<'_>) -> Composed;

/// The web layer's wording of emails, installed once per application.
#[derive(Debug, Default)]
pub struct Composers(OnceLock<Composer>);

impl App {
    /// Words emails with `composer` from now on (the first one installed stays).
    pub fn install_composer(&self, composer: Composer) {
        let _ = self.composer.0.set(composer);
    }
}

fn plain(email: &Email<'_>) -> Composed {
    let message = &email.notification.message;
    let link = email.link.clone().unwrap_or_default();
    let escaped = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    Composed {
        subject: format!("Rapport: {message}"),
        text: format!("{message}\n\n{link}\n"),
        html: format!("<p>{}</p><p><a href=\"{}\">{}</a></p>", escaped(message), escaped(&link), escaped(&link)),
    }
}

/// Queues the email of notification `id` in the caller's transaction.
pub(super) async fn queue(ex: &mut impl Exec, id: Uuid) -> Result<(), AppError> {
    let at = now();
    let job = NewJob {
        kind: EMAIL.name.into(),
        payload: json!({ "notification": id }),
        run_at: at,
        max_attempts: EMAIL.max_attempts,
        dedupe_key: None,
        created_by: None,
    };
    stored_jobs::enqueue(ex, &job, at).await?;
    Ok(())
}

fn run(app: App, job: Job, _progress: Progress) -> JobFuture {
    Box::pin(async move {
        let id = job.payload.get("notification").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
        let Some(id) = id else { return Err(JobError::Fatal("the job names no notification".into())) };
        let last = job.attempts >= job.max_attempts;
        match send(&app, id).await {
            Ok(()) => {
                record(&app, id, "sent", None).await?;
                Ok(json!({ "sent": id }))
            }
            Err(JobError::Retry(error)) => {
                // Kept while retrying too, so the user sees why the email is late.
                record(&app, id, if last { "failed" } else { "queued" }, Some(&error)).await?;
                Err(JobError::Retry(error))
            }
            Err(JobError::Fatal(error)) => {
                record(&app, id, "failed", Some(&error)).await?;
                Err(JobError::Fatal(error))
            }
            Err(JobError::Lost) => Err(JobError::Lost),
        }
    })
}

async fn record(app: &App, id: Uuid, state: &str, error: Option<&str>) -> Result<(), JobError> {
    let mut tx = app.db.begin().await?;
    store::set_email(&mut tx, id, state, error).await?;
    tx.commit().await?;
    Ok(())
}

async fn send(app: &App, id: Uuid) -> Result<(), JobError> {
    let settings = &app.settings;
    let (Some(url), Some(from)) = (settings.smtp_url.as_deref(), settings.mail_from.as_deref()) else {
        return Err(JobError::Fatal("no mail server is configured (RAPPORT_SMTP_URL, RAPPORT_MAIL_FROM)".into()));
    };
    let mut db = app.reader();
    let Some(notification) = store::get(&mut db, id).await? else {
        return Err(JobError::Fatal("the notification no longer exists".into()));
    };
    let user = users::get(&mut db, notification.user_id).await?;
    let Some((name, address)) = user.and_then(|u| u.email.map(|e| (u.name, e))) else {
        return Err(JobError::Fatal("the user has no email address".into()));
    };
    let language = sessions::preferences(&mut db, notification.user_id).await?.language;
    let link = notification.link.as_ref().map(|l| format!("{}{l}", settings.public_url.trim_end_matches('/')));
    let email = Email { notification: &notification, recipient_name: &name, language: language.as_deref(), link };
    let composed = app.composer.0.get().map_or_else(|| plain(&email), |compose| compose(&email));
    let from: Mailbox =
        from.parse().map_err(|e| JobError::Fatal(format!("RAPPORT_MAIL_FROM is not an address: {e}")))?;
    let to = Mailbox::new(Some(name), address.parse().map_err(|e| JobError::Fatal(format!("bad address: {e}")))?);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(composed.subject)
        .multipart(MultiPart::alternative_plain_html(composed.text, composed.html))
        .map_err(|e| JobError::Fatal(format!("the email cannot be built: {e}")))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| JobError::Fatal(format!("RAPPORT_SMTP_URL is not valid: {e}")))?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(message)
        .await
        .map_err(|e| JobError::Retry(format!("the mail server did not take the email: {e}")))?;
    Ok(())
}
