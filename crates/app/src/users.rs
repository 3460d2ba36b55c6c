//! Users: created from the command line or by an administrator over the API. Roles,
//! teams and clearances are set by administrators only, and never on oneself.

use rapport_core::Invalid;
use rapport_core::email::Email;
use rapport_core::text;
use rapport_store::access as stored_access;
use rapport_store::audit;
use rapport_store::users::{self as store, NewUser, User};
use rapport_store::{Exec, Tx};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, auth, input, now, records};

/// A user as the API shows it (never with the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    #[serde(flatten)]
    pub user: User,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        UserView { user }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDraft {
    pub login: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    /// Needed to change one's own password: a stolen token alone must not take the account.
    pub current_password: Option<String>,
    pub role: Option<String>,
    pub team_id: Option<Uuid>,
    pub clearance: Option<i32>,
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

fn check_password(password: &str, invalid: &mut Invalid) {
    if password.chars().count() < MIN_PASSWORD {
        invalid.push("password", "too_short", format!("a password needs at least {MIN_PASSWORD} characters"));
    }
}

async fn check_rights(ex: &mut impl Exec, draft: &UserDraft, invalid: &mut Invalid) -> Result<(), AppError> {
    if let Some(role) = &draft.role
        && stored_access::role(ex, role.trim()).await?.is_none()
    {
        let roles: Vec<String> = stored_access::roles(ex).await?.into_iter().map(|r| r.key).collect();
        invalid.push("role", "invalid_choice", format!("role must be one of {}", roles.join(", ")));
    }
    if let Some(team) = draft.team_id
        && !stored_access::teams(ex).await?.iter().any(|t| t.id == team)
    {
        invalid.push("team_id", "unknown_team", "no team has this id");
    }
    if let Some(clearance) = draft.clearance
        && !(0..=9).contains(&clearance)
    {
        invalid.push("clearance", "out_of_range", "must be from 0 to 9");
    }
    Ok(())
}

fn snapshot(user: &User) -> Value {
    serde_json::json!({"name": user.name, "email": user.email, "role": user.role, "team_id": user.team_id,
                       "clearance": user.clearance, "disabled": user.disabled_at.is_some()})
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
    let generated = draft.password.is_none().then(auth::random_secret);
    let password = draft.password.clone().or_else(|| generated.clone()).unwrap_or_default();
    check_password(&password, &mut invalid);
    let mut tx = app.db.begin().await?;
    check_rights(&mut tx, &draft, &mut invalid).await?;
    let Some(name) = name else { return Err(invalid.into()) };
    invalid.into_result(()).map_err(AppError::from)?;
    if store::find_for_sign_in(&mut tx, &login).await?.is_some() {
        return Err(Invalid::one("login", "taken", "another user has this login").into());
    }
    let role = draft.role.as_deref().map(str::trim).unwrap_or("sales");
    let clearance = draft.clearance.unwrap_or(if role == "admin" { 9 } else { 0 });
    let hash = auth::hash_password(&password)?;
    let id = Uuid::now_v7();
    let at = now();
    let new = NewUser {
        id,
        login: &login,
        name: &name,
        email: email.as_ref().map(Email::as_str),
        password_hash: &hash,
        role,
        team_id: draft.team_id,
        clearance,
    };
    store::insert(&mut tx, new, at).await?;
    let user = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut shown = snapshot(&user);
    shown["login"] = Value::from(login);
    audit::record(&mut tx, "user", id, "create", actor.user_id, at, &records::changes(None::<&Value>, &shown)).await?;
    tx.commit().await?;
    app.callers.clear();
    Ok(Created { user: user.into(), generated_password: generated })
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<UserView, AppError> {
    if !actor.is_admin() && actor.user_id != Some(id) {
        return Err(AppError::NotFound);
    }
    store::get(&mut app.reader(), id).await?.map(UserView::from).ok_or(AppError::NotFound)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<UserView>, AppError> {
    actor.require_admin()?;
    Ok(store::list(&mut app.reader()).await?.into_iter().map(UserView::from).collect())
}

/// Changes a user. Users may change their own name, email and password; only an
/// administrator changes roles, teams, clearances or disables users, and never their own.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<UserView, AppError> {
    update_from(app, actor, id, patch, expected_version, "api").await
}

/// [`update`] for a caller at `address`, whose failed password confirmations count
/// against it as failed sign-ins do.
pub(crate) async fn update_from(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
    address: &str,
) -> Result<UserView, AppError> {
    let own = actor.user_id == Some(id);
    if !own && !actor.is_admin() {
        return Err(AppError::NotFound);
    }
    if let Value::Object(fields) = &patch
        && fields.contains_key("login")
    {
        return Err(Invalid::one("login", "read_only", "a login cannot be changed").into());
    }
    // `"team_id": null` takes the user out of their team; absent leaves it alone.
    let leaves_team = matches!(&patch, Value::Object(f) if f.get("team_id") == Some(&Value::Null));
    let draft: UserDraft = input::draft(patch)?;
    let rights_change = draft.role.is_some()
        || draft.team_id.is_some()
        || leaves_team
        || draft.clearance.is_some()
        || draft.disabled.is_some();
    if rights_change && (own || !actor.is_admin()) {
        return Err(AppError::Forbidden(
            "roles, teams, clearances and access are changed by another administrator".into(),
        ));
    }
    if own && draft.password.is_some() {
        confirm_current_password(app, id, draft.current_password.as_deref(), address).await?;
    }
    let mut tx = app.db.begin().await?;
    tx.lock_row("users", id).await?;
    let mut user = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    records::check_version(expected_version, user.version)?;
    let before = snapshot(&user);
    let mut invalid = Invalid::default();
    check_rights(&mut tx, &draft, &mut invalid).await?;
    if let Some(raw) = draft.name.as_deref()
        && let Some(name) = invalid.take("name", text::required(Some(raw), 100))
    {
        user.name = name;
    }
    if let Some(raw) = draft.email.as_deref() {
        user.email =
            if raw.trim().is_empty() { None } else { invalid.take("email", Email::parse(raw)).map(|e| e.to_string()) };
    }
    if let Some(password) = draft.password.as_deref() {
        check_password(password, &mut invalid);
    }
    invalid.into_result(()).map_err(AppError::from)?;
    if let Some(role) = &draft.role {
        user.role = role.trim().to_string();
    }
    user.team_id = if leaves_team { None } else { draft.team_id.or(user.team_id) };
    user.clearance = draft.clearance.unwrap_or(user.clearance);
    if let Some(disabled) = draft.disabled {
        user.disabled_at = if disabled { user.disabled_at.or(Some(now())) } else { None };
    }
    let view = save(&mut tx, actor, user, before, draft.password.as_deref()).await?;
    tx.commit().await?;
    app.callers.clear();
    Ok(view)
}

/// Gives another user a new, generated password, returned this once for the
/// administrator to pass on, and ends the sessions opened with the old one: a reset
/// usually means the old password was forgotten or leaked. One's own password is changed
/// with the current one instead, so a walked-away-from session cannot take the account.
pub async fn reset_password(app: &App, actor: &Actor, id: Uuid) -> Result<(UserView, String), AppError> {
    actor.require_admin()?;
    if actor.user_id == Some(id) {
        return Err(AppError::Forbidden("change your own password with your current one".into()));
    }
    let password = auth::random_secret();
    let view = update(app, actor, id, serde_json::json!({ "password": password }), None).await?;
    let mut tx = app.db.begin().await?;
    rapport_store::sessions::revoke_others(&mut tx, id, Uuid::nil(), now()).await?;
    tx.commit().await?;
    Ok((view, password))
}

/// Checks the current password of user `id`, with the same limits on failures as signing in.
async fn confirm_current_password(app: &App, id: Uuid, current: Option<&str>, address: &str) -> Result<(), AppError> {
    let Some(current) = current.filter(|c| !c.is_empty()) else {
        return Err(
            Invalid::one("current_password", "required", "give your current password to choose a new one").into()
        );
    };
    let me = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    match auth::check_credentials(app, &me.login, current, address).await {
        Ok(_) => Ok(()),
        Err(AppError::Unauthenticated) => {
            Err(Invalid::one("current_password", "wrong_password", "is not your current password").into())
        }
        Err(other) => Err(other),
    }
}

async fn save(
    tx: &mut Tx,
    actor: &Actor,
    user: User,
    before: Value,
    password: Option<&str>,
) -> Result<UserView, AppError> {
    let hash = password.map(auth::hash_password).transpose()?;
    let at = now();
    if !store::update(tx, &user, hash.as_deref(), at).await? {
        return Err(AppError::Stale { current: user.version + 1 });
    }
    let mut changes = records::changes(Some(&before), &snapshot(&user));
    if hash.is_some() {
        changes.push(rapport_core::audit::Change {
            field: "password".into(),
            old: Value::Null,
            new: Value::from("changed"),
        });
    }
    let id = user.id;
    audit::record(tx, "user", id, "update", actor.user_id, at, &changes).await?;
    let user = store::get(tx, id).await?.ok_or(AppError::NotFound)?;
    Ok(user.into())
}

/// Whether any user exists yet (the first run creates the first administrator).
pub async fn any(app: &App) -> Result<bool, AppError> {
    Ok(store::count(&mut app.reader()).await? > 0)
}
