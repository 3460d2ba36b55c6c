use rapport_core::Invalid;
use rapport_store::StoreError;
use serde::Serialize;
use uuid::Uuid;

/// Why a use case refused or failed. The web layer maps each to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is not a valid request at all (malformed, unknown parameter).
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// A new record looks like existing ones; the client may confirm and create it anyway.
    #[error("the record looks like {} existing one(s)", .0.len())]
    DuplicateSuspected(Vec<crate::duplicates::Candidate>),
    /// The record was merged into another, which answers for it now.
    #[error("the record was merged into {survivor}")]
    Merged { kind: &'static str, survivor: Uuid },
    #[error("{message}")]
    Conflict { message: String, referrers: Vec<Referrer> },
    #[error("the record was changed by someone else (now version {current})")]
    Stale { current: i64 },
    #[error("too many failed sign-ins; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error(transparent)]
    Store(StoreError),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referrer {
    pub kind: String,
    pub id: Uuid,
    pub name: String,
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unique(detail) => AppError::Conflict {
                message: format!("a record with the same unique value already exists ({detail})"),
                referrers: vec![],
            },
            other => AppError::Store(other),
        }
    }
}
