//! Persistence for Rapport on SQLite or PostgreSQL from one code path: every query is
//! built once with sea-query and run on whichever engine the URL names.

pub mod access;
pub mod activities;
pub mod audit;
pub mod calendar;
pub mod categories;
pub mod children;
pub mod companies;
pub mod contacts;
pub mod custom_fields;
mod db;
pub mod deletion_requests;
pub mod duplicates;
pub mod filters;
pub mod imports;
pub mod jobs;
pub mod listing;
pub mod lists;
pub mod merges;
pub mod notifications;
pub mod people;
pub mod records;
pub mod search;
pub mod sequences;
pub mod sessions;
pub mod tasks;
pub mod users;

pub use db::{Backend, Db, DbOptions, Exec, Row, Tx};
pub use sea_query;

/// A storage failure. Constraint violations are told apart so the use cases can turn
/// them into a conflict rather than a server error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a unique value is already taken ({0})")]
    Unique(String),
    #[error("the record is still referred to ({0})")]
    ForeignKey(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    Url(String),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn classify(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return StoreError::Unique(db.message().to_string()),
                sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::ForeignKey(db.message().to_string()),
                _ => {}
            }
        }
        StoreError::Database(error)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
