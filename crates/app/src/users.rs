//! Users: created from the command line or by an administrator over the API.

use rapport_core::Invalid;
use rapport_core::email::Email;
use rapport_core::text;
use rapport_store::audit;
use rapport_store::users::{self as store, User};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, auth, input, now, records};

/// A user as the API shows it (never with the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    #[serde(flatten)]
    pub user: User,
    pub role: &'static str,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        let role = if user.is_admin { "admin" } else { "user" };
        UserView { user, role }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDraft {
    pub login: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

/// A created user, and the generated password when none was given (shown once).
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    #[serde(flatten)]
    pub user: UserView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_password: Option<String>,
}

const MIN_PASSWORD: usize = 10;

fn parse_role(raw: Option<&str>, invalid: &mut Invalid) -> Option<bool> {
    match raw.map(str::trim) {
        None => None,
        Some("admin") => Some(true),
        Some("user") => Some(false),
        Some(_) => {
            invalid.push("role", "invalid_choice", "role must be admin or user");
            None
        }
    }
}

fn check_password(password: &str, invalid: &mut Invalid) {
    if password.chars().count() < MIN_PASSWORD {
        invalid.push("password", "too_short", format!("a password needs at least {MIN_PASSWORD} characters"));
    }
}

pub async fn create(app: &App, actor: &Actor, draft: UserDraft) -> Result<Created, AppError> {
    actor.require_admin()?;
    let mut invalid = Invalid::default();
    let login = draft.login.as_deref().map(|l| l.trim().to_lowercase()).unwrap_or_default();
    let login_ok =
        (2..=64).contains(&login.chars().count()) && login.chars().all(|c| c.is_alphanumeric() || "._@-".contains(c));
    if !login_ok {
        invalid.push("login", "invalid_login", "a login is 2 to 64 letters, digits or . _ @ -");
    }
    let name = invalid.take("name", text::required(draft.name.as_deref(), 100));
    let email = match draft.email.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(raw) => invalid.take("email", Email::parse(raw)),
        None => None,
    };
    let is_admin = parse_role(draft.role.as_deref(), &mut invalid).unwrap_or(false);
    let generated = draft.password.is_none().then(auth::random_secret);
    let password = draft.password.clone().or_else(|| generated.clone()).unwrap_or_default();
    check_password(&password, &mut invalid);
    let Some(name) = name else { return Err(invalid.into()) };
    invalid.into_result(()).map_err(AppError::from)?;
    let hash = auth::hash_password(&password)?;
    let id = Uuid::now_v7();
    let at = now();
    let mut tx = app.db.begin().await?;
    if store::find_for_sign_in(&mut tx, &login).await?.is_some() {
        return Err(Invalid::one("login", "taken", "another user has this login").into());
    }
    store::insert(&mut tx, id, &login, &name, email.as_ref().map(Email::as_str), &hash, is_admin, at).await?;
    let user = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let shown = serde_json::json!({"login": login, "name": name, "email": user.email, "is_admin": is_admin});
    audit::record(&mut tx, "user", id, "create", actor.user_id, at, &records::changes(None::<&Value>, &shown)).await?;
    tx.commit().await?;
    Ok(Created { user: user.into(), generated_password: generated })
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<UserView, AppError> {
    if !actor.is_admin && actor.user_id != Some(id) {
        return Err(AppError::NotFound);
    }
    store::get(&mut app.reader(), id).await?.map(UserView::from).ok_or(AppError::NotFound)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<UserView>, AppError> {
    actor.require_admin()?;
    Ok(store::list(&mut app.reader()).await?.into_iter().map(UserView::from).collect())
}

/// Changes a user. Users may change their own name, email and password; only an
/// administrator changes roles, disables users or edits others.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<UserView, AppError> {
    let own = actor.user_id == Some(id);
    if !own && !actor.is_admin {
        return Err(AppError::NotFound);
    }
    if let Value::Object(fields) = &patch
        && fields.contains_key("login")
    {
        return Err(Invalid::one("login", "read_only", "a login cannot be changed").into());
    }
    let draft: UserDraft = input::draft(patch)?;
    let mut tx = app.db.begin().await?;
    let mut user = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    records::check_version(expected_version, user.version)?;
    let before = serde_json::json!({"name": user.name, "email": user.email, "is_admin": user.is_admin, "disabled": user.disabled_at.is_some()});
    let mut invalid = Invalid::default();
    if let Some(raw) = draft.name.as_deref()
        && let Some(name) = invalid.take("name", text::required(Some(raw), 100))
    {
        user.name = name;
    }
    if let Some(raw) = draft.email.as_deref() {
        user.email =
            if raw.trim().is_empty() { None } else { invalid.take("email", Email::parse(raw)).map(|e| e.to_string()) };
    }
    if let Some(is_admin) = parse_role(draft.role.as_deref(), &mut invalid) {
        if !actor.is_admin {
            return Err(AppError::Forbidden("only an administrator may change roles".into()));
        }
        user.is_admin = is_admin;
    }
    if let Some(disabled) = draft.disabled {
        if !actor.is_admin || own {
            return Err(AppError::Forbidden("only another administrator may disable a user".into()));
        }
        user.disabled_at = if disabled { user.disabled_at.or(Some(now())) } else { None };
    }
    if let Some(password) = draft.password.as_deref() {
        check_password(password, &mut invalid);
    }
    invalid.into_result(()).map_err(AppError::from)?;
    let hash = draft.password.as_deref().map(auth::hash_password).transpose()?;
    let at = now();
    if !store::update(&mut tx, &user, hash.as_deref(), at).await? {
        return Err(AppError::Stale { current: user.version + 1 });
    }
    let after = serde_json::json!({"name": user.name, "email": user.email, "is_admin": user.is_admin, "disabled": user.disabled_at.is_some(), "password_changed": hash.is_some()});
    let mut changes = records::changes(Some(&before), &after);
    changes.retain(|c| c.field != "password_changed" || hash.is_some());
    audit::record(&mut tx, "user", id, "update", actor.user_id, at, &changes).await?;
    let user = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(user.into())
}

/// Whether any user exists yet (the first run creates the first administrator).
pub async fn any(app: &App) -> Result<bool, AppError> {
    Ok(store::count(&mut app.reader()).await? > 0)
}
