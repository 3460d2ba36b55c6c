//! Settings from flags, environment and an optional config file, in that order of
//! precedence. A config file is plain `key = value` lines; `#` starts a comment.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use rapport_app::{DbOptions, Settings};

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB. Default: a SQLite file in the data directory.
    #[arg(long, global = true, env = "RAPPORT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and files.
    #[arg(long, global = true, env = "RAPPORT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A config file with `key = value` lines.
    #[arg(long, global = true, env = "RAPPORT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log filter, e.g. `info` or `rapport_web=debug`.
    #[arg(long, global = true, env = "RAPPORT_LOG")]
    pub log: Option<String>,
    /// Log format: text or json.
    #[arg(long, global = true, env = "RAPPORT_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Prefix of new customer codes.
    #[arg(long, global = true, env = "RAPPORT_COMPANY_CODE_PREFIX")]
    pub company_code_prefix: Option<String>,
    /// SMTP server for notification emails, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.com.
    #[arg(long, global = true, env = "RAPPORT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of notification emails, e.g. "Rapport <crm@example.com>".
    #[arg(long, global = true, env = "RAPPORT_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The address people open Rapport at, for links in emails (default http://LISTEN).
    #[arg(long, global = true, env = "RAPPORT_PUBLIC_URL")]
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub log: Option<String>,
    pub log_format: Option<String>,
    pub company_code_prefix: Option<String>,
    pub sqlite_full_sync: bool,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub public_url: Option<String>,
}

impl Config {
    pub fn load(args: &GlobalArgs) -> Result<Config> {
        let mut config = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
                parse_file(&text).with_context(|| format!("in {}", path.display()))?
            }
            None => Config::default(),
        };
        // Flags and environment win over the file.
        macro_rules! over {
            ($($field:ident),*) => { $( if args.$field.is_some() { config.$field = args.$field.clone(); } )* };
        }
        over!(database_url, data_dir, log, log_format, company_code_prefix, smtp_url, mail_from, public_url);
        Ok(config)
    }

    pub fn database_url(&self) -> Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        let dir = self.data_dir.clone().unwrap_or_else(|| PathBuf::from("rapport-data"));
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        Ok(format!("sqlite://{}", dir.join("rapport.db").display()))
    }

    pub fn db_options(&self) -> DbOptions {
        DbOptions { sqlite_full_sync: self.sqlite_full_sync, ..DbOptions::default() }
    }

    pub fn settings(&self) -> Settings {
        let mut settings = Settings::default();
        if let Some(prefix) = &self.company_code_prefix {
            settings.company_code_prefix = prefix.clone();
        }
        settings.smtp_url = self.smtp_url.clone().filter(|u| !u.trim().is_empty());
        settings.mail_from = self.mail_from.clone().filter(|f| !f.trim().is_empty());
        settings.public_url = match (&self.public_url, &self.listen) {
            (Some(url), _) => url.clone(),
            (None, Some(listen)) => format!("http://{listen}"),
            (None, None) => settings.public_url,
        };
        settings
    }
}

fn parse_file(text: &str) -> Result<Config> {
    let mut config = Config::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            bail!("line {}: expected key = value", number + 1);
        };
        let value = value.trim().trim_matches('"').to_string();
        match key.trim() {
            "listen" => config.listen = Some(value),
            "database_url" => config.database_url = Some(value),
            "data_dir" => config.data_dir = Some(PathBuf::from(value)),
            "log" => config.log = Some(value),
            "log_format" => config.log_format = Some(value),
            "company_code_prefix" => config.company_code_prefix = Some(value),
            "smtp_url" => config.smtp_url = Some(value),
            "mail_from" => config.mail_from = Some(value),
            "public_url" => config.public_url = Some(value),
            "sqlite_full_sync" => config.sqlite_full_sync = matches!(value.as_str(), "true" | "yes" | "1"),
            other => bail!("line {}: unknown setting {other:?}", number + 1),
        }
    }
    Ok(config)
}

pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(config.log.as_deref().unwrap_or("info"))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.log_format.as_deref() == Some("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A database URL fit for logs: any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(redact("postgres://app:s3cret@db/rapport"), "postgres://app:***@db/rapport");
        assert_eq!(redact("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(redact("sqlite://rapport-data/rapport.db"), "sqlite://rapport-data/rapport.db");
    }

    #[test]
    fn config_files_are_read_and_mistakes_named_by_line() {
        let config =
            parse_file("# comment\nlisten = 0.0.0.0:9000\ncompany_code_prefix = \"K-\"\nsqlite_full_sync = true\n")
                .unwrap();
        assert_eq!(config.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(config.company_code_prefix.as_deref(), Some("K-"));
        assert!(config.sqlite_full_sync);
        let error = parse_file("listen = x\ncolour = red\n").unwrap_err().to_string();
        assert!(error.contains("line 2"), "{error}");
    }
}
