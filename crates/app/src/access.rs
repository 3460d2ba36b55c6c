//! Who may see and change what. An [`Actor`] is loaded once per request from the user's
//! role, team and clearance; every use case asks it, and list queries carry its
//! [`Visibility`] into SQL so pages stay full.

use rapport_core::access::{Action, Grants, Scope, builtin_roles};
use rapport_store::access::{self as store, Share, Visibility};
use rapport_store::users::{self, User};
use rapport_store::{Exec, StoreError};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{App, AppError, now};

/// Who is acting and what their role grants them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub role: String,
    pub grants: Grants,
    pub clearance: i16,
    /// The user's team and the teams they manage.
    pub teams: Vec<Uuid>,
    /// Those teams and every team below them.
    pub team_tree: Vec<Uuid>,
    team_members: Vec<Uuid>,
    tree_members: Vec<Uuid>,
    /// Kinds of record shared with the user or their teams (see `store::shared_kinds`).
    shared_kinds: Vec<String>,
}

impl Actor {
    /// The system itself (command line, demo): every right.
    pub fn system() -> Self {
        let grants = builtin_roles().into_iter().find(|(k, _, _)| *k == "admin").map(|(_, _, g)| g).unwrap_or_default();
        Actor {
            user_id: None,
            role: "admin".into(),
            grants,
            clearance: 9,
            teams: vec![],
            team_tree: vec![],
            team_members: vec![],
            tree_members: vec![],
            shared_kinds: vec![],
        }
    }

    /// Loads what a signed-in user may do: their role's grants, their teams (including
    /// the ones they manage) and the people in them.
    pub async fn load(app: &App, user: &User) -> Result<Actor, AppError> {
        Self::load_in(&mut app.reader(), user).await
    }

    /// [`Actor::load`] through a given connection or transaction (to ask what a user
    /// mentioned in a change may see, inside that change).
    pub async fn load_in(db: &mut impl Exec, user: &User) -> Result<Actor, AppError> {
        let grants = store::role(db, &user.role).await?.map(|r| r.grants).unwrap_or_default();
        let all_teams = store::teams(db).await?;
        let mut teams: Vec<Uuid> = user.team_id.into_iter().collect();
        teams.extend(all_teams.iter().filter(|t| t.manager_id == Some(user.id)).map(|t| t.id));
        teams.sort();
        teams.dedup();
        let mut tree: Vec<Uuid> = teams.clone();
        let mut frontier = teams.clone();
        while let Some(parent) = frontier.pop() {
            for child in all_teams.iter().filter(|t| t.parent_id == Some(parent)) {
                if !tree.contains(&child.id) {
                    tree.push(child.id);
                    frontier.push(child.id);
                }
            }
        }
        let mut team_members = users::members(db, &teams).await?;
        team_members.push(user.id);
        let mut tree_members = users::members(db, &tree).await?;
        tree_members.push(user.id);
        let shared_kinds = store::shared_kinds(db, user.id, &teams).await?;
        Ok(Actor {
            user_id: Some(user.id),
            role: user.role.clone(),
            grants,
            clearance: user.clearance.clamp(0, 9) as i16,
            teams,
            team_tree: tree,
            team_members,
            tree_members,
            shared_kinds,
        })
    }

    /// The users whose tasks and calendars the actor sees as their team's: their team, and
    /// the teams below it for a role that reads the team tree (or everything); the actor
    /// among them.
    pub fn team_users(&self) -> &[Uuid] {
        match self.scope("company", Action::Read) {
            Scope::None | Scope::Own => &[],
            Scope::Team => &self.team_members,
            Scope::TeamTree | Scope::All => &self.tree_members,
        }
    }

    pub fn scope(&self, kind: &str, action: Action) -> Scope {
        self.grants.scope(kind, action)
    }

    /// Whether `scope` covers records owned by `owner`.
    pub fn covers(&self, scope: Scope, owner: Option<Uuid>) -> bool {
        match scope {
            Scope::All => true,
            Scope::None => false,
            Scope::Own => owner.is_some() && owner == self.user_id,
            Scope::Team => owner.is_some_and(|o| self.team_members.contains(&o)),
            Scope::TeamTree => owner.is_some_and(|o| self.tree_members.contains(&o)),
        }
    }

    fn owners(&self, scope: Scope) -> Option<Vec<Uuid>> {
        match scope {
            Scope::All => None,
            Scope::None => Some(vec![]),
            Scope::Own => Some(self.user_id.into_iter().collect()),
            Scope::Team => Some(self.team_members.clone()),
            Scope::TeamTree => Some(self.tree_members.clone()),
        }
    }

    /// What a list of `kind` may show, as a predicate for the query.
    pub fn visibility(&self, kind: &str) -> Visibility {
        let shared = self.shared_kinds.iter().any(|k| k == kind);
        Visibility {
            owners: self.owners(self.scope(kind, Action::Read)),
            user_id: self.user_id.filter(|_| shared),
            team_ids: if shared { self.teams.clone() } else { Vec::new() },
            max_security: (kind == "company").then_some(self.clearance),
        }
    }

    fn shared_with_me(&self, share: &Share) -> bool {
        share.user_id.is_some_and(|u| Some(u) == self.user_id) || share.team_id.is_some_and(|t| self.teams.contains(&t))
    }

    /// Fails unless the actor may do `action` on `kind` at all (for creating, administering).
    pub fn require(&self, kind: &str, action: Action) -> Result<(), AppError> {
        if self.scope(kind, action) == Scope::None {
            return Err(AppError::Forbidden(format!("your role may not {} {kind} records", action.as_str())));
        }
        Ok(())
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.scope("users", Action::Administer) == Scope::All {
            Ok(())
        } else {
            Err(AppError::Forbidden("only an administrator may do this".into()))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.require_admin().is_ok()
    }

    /// Fields of `kind` the actor may not see.
    pub fn hidden_fields(&self, kind: &str) -> Vec<String> {
        self.grants.hidden_fields(kind).into_iter().map(str::to_string).collect()
    }

    /// Fails when the change touches a field the actor may not write.
    pub fn check_writable(&self, kind: &str, fields: &[String]) -> Result<(), AppError> {
        let mut invalid = rapport_core::Invalid::default();
        for field in fields {
            if field == EVERY_CUSTOM_FIELD {
                let ruled = self.grants.fields.get(kind).into_iter().flat_map(|rules| rules.keys());
                for custom in ruled.filter(|f| f.starts_with("custom.")) {
                    invalid.push(custom.clone(), "read_only", "your role may not change this field");
                }
            } else if self.grants.field_rule(kind, field).is_some() {
                invalid.push(field.clone(), "read_only", "your role may not change this field");
            }
        }
        invalid.into_result(()).map_err(AppError::from)
    }
}

/// A touched field that stands for every custom field: `custom` replaced as a whole.
pub(crate) const EVERY_CUSTOM_FIELD: &str = "custom.*";

/// A record as far as access is concerned: who owns it and how secret it is.
pub struct Guarded {
    pub kind: &'static str,
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub security_level: i16,
}

/// Fails with 404 when the actor may not see the record, 403 when they may see it but
/// not do `action`. Shares are read only when the role's scope does not decide alone.
pub async fn check(ex: &mut impl Exec, actor: &Actor, record: &Guarded, action: Action) -> Result<(), AppError> {
    if record.security_level > actor.clearance {
        return Err(AppError::NotFound);
    }
    let read = actor.covers(actor.scope(record.kind, Action::Read), record.owner_id);
    let allowed = actor.covers(actor.scope(record.kind, action), record.owner_id);
    if read && (allowed || action == Action::Read) {
        return Ok(());
    }
    let shares: Vec<Share> =
        store::shares(ex, record.id).await?.into_iter().filter(|s| actor.shared_with_me(s)).collect();
    let shared_read = !shares.is_empty();
    let shared_edit = shares.iter().any(|s| s.access == "edit");
    if !read && !shared_read {
        return Err(AppError::NotFound);
    }
    let allowed = match action {
        Action::Read => true,
        Action::Update => allowed || (shared_edit && actor.scope(record.kind, Action::Update) != Scope::None),
        _ => allowed,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("your role may not {} this record", action.as_str())))
    }
}

/// A record as one actor may see it: hidden fields removed when it is serialized.
#[derive(Debug, Clone)]
pub struct Shown<T> {
    pub record: T,
    hidden: Vec<String>,
}

impl<T> Shown<T> {
    pub fn new(record: T, hidden: Vec<String>) -> Self {
        Shown { record, hidden }
    }
}

impl<T> std::ops::Deref for Shown<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.record
    }
}

impl<T: Serialize> Serialize for Shown<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.hidden.is_empty() {
            // Most roles hide nothing: no detour through a JSON tree.
            return self.record.serialize(serializer);
        }
        let mut value = serde_json::to_value(&self.record).map_err(serde::ser::Error::custom)?;
        if let Value::Object(fields) = &mut value {
            for hidden in &self.hidden {
                match hidden.strip_prefix("custom.") {
                    Some(key) => {
                        if let Some(Value::Object(custom)) = fields.get_mut("custom") {
                            custom.remove(key);
                        }
                    }
                    None => {
                        fields.remove(hidden);
                    }
                }
            }
        }
        value.serialize(serializer)
    }
}

/// Whether a history change names a hidden field (or a part of one).
pub fn is_hidden(hidden: &[String], field: &str) -> bool {
    hidden.iter().any(|h| field == h || field.starts_with(&format!("{h}.")) || field.starts_with(&format!("{h}[")))
}

/// Seeds the built-in roles that are missing (a race between two servers is harmless).
pub async fn ensure_roles(app: &App) -> Result<(), AppError> {
    let existing = store::roles(&mut app.reader()).await?;
    for (key, name, grants) in builtin_roles() {
        if existing.iter().any(|r| r.key == key) {
            continue;
        }
        let mut tx = app.db.begin().await?;
        match store::insert_role(&mut tx, key, name, true, &grants, now()).await {
            Err(StoreError::Unique(_)) => continue,
            other => other?,
        };
        match tx.commit().await {
            Err(StoreError::Unique(_)) => continue,
            other => other?,
        }
    }
    Ok(())
}
