//! Signing in: argon2id password hashes, API tokens stored as SHA-256 hashes, and a limit
//! on failed attempts per login and per client address (kept in the database, so every
//! server instance counts the same attempts).

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_store::users::{self, User};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::{Actor, App, AppError, now};

/// A freshly issued token: the secret is shown once and never stored.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedToken {
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The caller behind a valid token.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub token_id: Uuid,
    pub user: User,
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::BadRequest(format!("the password cannot be hashed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A random secret of 32 bytes, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator failing is not something we can work around.
    getrandom::fill(&mut bytes).expect("the operating system's random generator failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a login and password and issues a token; `address` is the client's IP.
pub async fn sign_in(app: &App, login: &str, password: &str, address: &str) -> Result<IssuedToken, AppError> {
    let user = check_credentials(app, login, password, address).await?;
    let token = format!("rpt_{}", random_secret());
    let at = now();
    let expires_at = at + app.settings.token_lifetime;
    let mut tx = app.db.begin().await?;
    users::insert_token(&mut tx, user.id, &token_hash(&token), expires_at, at).await?;
    tx.commit().await?;
    Ok(IssuedToken { token, expires_at })
}

/// The enabled user with this login and password, counting failures against the limits
/// (API tokens and browser sessions share them).
pub(crate) async fn check_credentials(app: &App, login: &str, password: &str, address: &str) -> Result<User, AppError> {
    let settings = &app.settings;
    let login = login.trim().to_lowercase();
    let login_key = format!("login:{login}");
    let address_key = format!("address:{address}");
    let at = now();
    let mut db = app.reader();
    let window = settings.sign_in_window;
    let too_many = AppError::TooManyAttempts { retry_after_secs: window.whole_seconds().max(1) as u64 };
    if users::failures(&mut db, &login_key, at, window).await? >= settings.sign_in_failures_per_login
        || users::failures(&mut db, &address_key, at, window).await? >= settings.sign_in_failures_per_address
    {
        return Err(too_many);
    }
    let found = users::find_for_sign_in(&mut db, &login).await?;
    let user = match found {
        Some((user, hash)) if user.disabled_at.is_none() && verify_password(password, &hash) => user,
        _ => {
            let mut tx = app.db.begin().await?;
            users::record_failure(&mut tx, &login_key, at, window).await?;
            users::record_failure(&mut tx, &address_key, at, window).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
    };
    let mut tx = app.db.begin().await?;
    users::clear_failures(&mut tx, &login_key).await?;
    tx.commit().await?;
    Ok(user)
}

/// Signed-in callers seen in the last moments, so a burst of requests does not reload the
/// same token, role and teams for each one. An entry lives `Settings::caller_cache_ttl`;
/// every change of rights made through this process empties the cache at once, and
/// another server's changes are seen within that time.
#[derive(Debug, Default)]
pub struct CallerCache {
    entries: Mutex<HashMap<String, (Instant, Authenticated, Actor)>>,
}

/// Entries kept at most; past that the cache starts over rather than grow.
const CACHE_LIMIT: usize = 10_000;

impl CallerCache {
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Authenticated, Actor)>> {
        // A panic while holding the lock cannot leave the map half-changed; keep using it.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The caller behind a bearer token and what they may do.
pub async fn caller(app: &App, token: &str) -> Result<(Authenticated, Actor), AppError> {
    let key = token_hash(token);
    let ttl = app.settings.caller_cache_ttl;
    if let Some((at, auth, actor)) = app.callers.lock().get(&key)
        && at.elapsed() < ttl
    {
        return Ok((auth.clone(), actor.clone()));
    }
    let auth = authenticate(app, token).await?;
    let actor = Actor::load(app, &auth.user).await?;
    if !ttl.is_zero() {
        let mut entries = app.callers.lock();
        if entries.len() >= CACHE_LIMIT {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), auth.clone(), actor.clone()));
    }
    Ok((auth, actor))
}

pub async fn authenticate(app: &App, token: &str) -> Result<Authenticated, AppError> {
    let found = users::find_token(&mut app.reader(), &token_hash(token), now()).await?;
    let (token_id, user) = found.ok_or(AppError::Unauthenticated)?;
    Ok(Authenticated { token_id, user })
}

pub async fn revoke(app: &App, token_id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    users::revoke_token(&mut tx, token_id, now()).await?;
    tx.commit().await?;
    app.callers.clear();
    Ok(())
}
