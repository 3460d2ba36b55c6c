//! Browser sessions for the web pages: sign-in with the same password check and failure
//! limits as API tokens, a session that expires, the first administrator on a fresh
//! install, changing one's own password, and each user's choices for the pages.

use std::collections::BTreeMap;

use rapport_core::Invalid;
use rapport_store::sessions::{self as store, NewSession, Preferences as Stored};
use rapport_store::users::{self as stored_users, User};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::users::{self, UserDraft};
use crate::{Actor, App, AppError, auth, now};

/// How long a browser session lasts after signing in: a working day, so a forgotten
/// browser on a shared desk does not stay signed in for long.
pub const LIFETIME: time::Duration = time::Duration::hours(12);

/// A new session: the secret goes into the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

/// A signed-in browser: the session, its user and what they may do.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub csrf_token: String,
    pub user: User,
    pub actor: Actor,
    pub preferences: Preferences,
}

/// What a user chose for the pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// A language code such as `bg`; `None` follows the browser.
    pub language: Option<String>,
    /// For each card (`company`, `person`) its panels, and for each list (`companies`,
    /// `people`) its columns, in order; a key starting with `-` is hidden.
    pub cards: BTreeMap<String, Vec<String>>,
}

impl Preferences {
    fn from_stored(stored: Stored) -> Preferences {
        // Unreadable layouts (from a later version, say) fall back to the default layout.
        let cards = stored.card_panels.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default();
        Preferences { language: stored.language, cards }
    }
}

/// Cards a layout may be kept for.
/// The layouts a user can arrange: the two cards' panels and the two lists' columns.
pub const CARDS: [&str; 4] = ["company", "person", "companies", "people"];
const MAX_PANELS: usize = 100;

async fn issue(app: &App, user_id: Uuid) -> Result<Issued, AppError> {
    let token = auth::random_secret();
    let csrf_token = auth::random_secret();
    let at = now();
    let expires_at = at + LIFETIME;
    let mut tx = app.db.begin().await?;
    let new = NewSession {
        id: Uuid::now_v7(),
        user_id,
        token_hash: &auth::token_hash(&token),
        csrf_token: &csrf_token,
        expires_at,
    };
    store::insert(&mut tx, new, at).await?;
    tx.commit().await?;
    Ok(Issued { token, csrf_token, expires_at })
}

/// Checks a login and password (`address` is the client's IP) and starts a session.
pub async fn sign_in(app: &App, login: &str, password: &str, address: &str) -> Result<Issued, AppError> {
    let user = auth::check_credentials(app, login, password, address).await?;
    issue(app, user.id).await
}

/// The live session behind a cookie's secret; `Unauthenticated` when there is none, it
/// expired, was ended, or its user was disabled.
pub async fn resume(app: &App, token: &str) -> Result<Session, AppError> {
    let mut db = app.reader();
    let live = store::find(&mut db, &auth::token_hash(token), now()).await?.ok_or(AppError::Unauthenticated)?;
    let user = stored_users::get(&mut db, live.user_id).await?.ok_or(AppError::Unauthenticated)?;
    if user.disabled_at.is_some() {
        return Err(AppError::Unauthenticated);
    }
    let actor = Actor::load(app, &user).await?;
    let preferences = Preferences::from_stored(store::preferences(&mut db, user.id).await?);
    Ok(Session { id: live.id, csrf_token: live.csrf_token, user, actor, preferences })
}

pub async fn sign_out(app: &App, session_id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    store::revoke(&mut tx, session_id, now()).await?;
    tx.commit().await?;
    Ok(())
}

/// What the first-run form asks for.
#[derive(Debug, Clone, Default)]
pub struct FirstAdmin {
    pub login: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// Creates the first administrator and signs them in; refused once any user exists.
pub async fn set_up(app: &App, first: FirstAdmin) -> Result<Issued, AppError> {
    if users::any(app).await? {
        return Err(AppError::Forbidden("Rapport is already set up; sign in instead".into()));
    }
    let draft = UserDraft {
        login: Some(first.login),
        name: Some(first.name),
        email: Some(first.email),
        password: Some(first.password),
        role: Some("admin".into()),
        ..Default::default()
    };
    let created = users::create(app, &Actor::system(), draft).await?;
    issue(app, created.user.user.id).await
}

/// Changes the session user's own password after checking the current one (with the
/// same failure limits as signing in), and ends their other sessions.
pub async fn change_password(
    app: &App,
    session: &Session,
    current: &str,
    new: &str,
    address: &str,
) -> Result<(), AppError> {
    let patch = serde_json::json!({ "password": new, "current_password": current });
    users::update_from(app, &session.actor, session.user.id, patch, None, address).await?;
    let mut tx = app.db.begin().await?;
    store::revoke_others(&mut tx, session.user.id, session.id, now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Every user's id and display name, for showing owners and choosing them in filters.
/// Names are not confidential inside the organisation: the history shows them too.
pub async fn user_names(app: &App) -> Result<Vec<(Uuid, String)>, AppError> {
    let users = stored_users::list(&mut app.reader()).await?;
    Ok(users.into_iter().map(|u| (u.id, u.name)).collect())
}

async fn save(app: &App, user_id: Uuid, preferences: &Preferences) -> Result<(), AppError> {
    let stored = Stored {
        language: preferences.language.clone(),
        card_panels: Some(serde_json::to_string(&preferences.cards).map_err(|e| AppError::BadRequest(e.to_string()))?),
    };
    let mut tx = app.db.begin().await?;
    store::save_preferences(&mut tx, user_id, &stored, now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Remembers the language the user chose (a code such as `bg` or `zh-TW`).
pub async fn set_language(app: &App, session: &Session, language: &str) -> Result<(), AppError> {
    let ok = (2..=12).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        return Err(Invalid::one("language", "invalid_choice", "is not a language code").into());
    }
    let mut preferences = store::preferences(&mut app.reader(), session.user.id).await.map(Preferences::from_stored)?;
    preferences.language = Some(language.to_string());
    save(app, session.user.id, &preferences).await
}

/// Remembers the order and visibility of a card's panels (see [`Preferences::cards`]).
pub async fn set_card_layout(app: &App, session: &Session, card: &str, panels: Vec<String>) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    if !CARDS.contains(&card) {
        invalid.push("card", "invalid_choice", format!("card must be one of {}", CARDS.join(", ")));
    }
    let key_ok = |k: &str| {
        let k = k.strip_prefix('-').unwrap_or(k);
        // Custom field columns are `custom.<key>`, and custom keys may hold digits.
        (1..=80).contains(&k.len())
            && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c))
    };
    let mut seen = std::collections::BTreeSet::new();
    if panels.len() > MAX_PANELS
        || !panels.iter().all(|p| key_ok(p) && seen.insert(p.trim_start_matches('-').to_string()))
    {
        invalid.push("panels", "invalid_value", "panels are distinct keys of lower-case letters, digits, -, _ and .");
    }
    invalid.into_result(()).map_err(AppError::from)?;
    let mut preferences = store::preferences(&mut app.reader(), session.user.id).await.map(Preferences::from_stored)?;
    preferences.cards.insert(card.to_string(), panels);
    save(app, session.user.id, &preferences).await
}
